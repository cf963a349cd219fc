#!/usr/bin/env bash
# Sets up a Debian 12 machine for Kiln, builds it, and then either trains the
# example model or runs the test suite:
#   ./dev.sh train   install what is missing, build, compile and train
#                    examples/fashion_mlp.kiln on Fashion-MNIST
#   ./dev.sh test    install what is missing, build, run every test
# BUILD_DIR (default: build) and BUILD_TYPE (default: Release) can be set.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(llvm-19-dev libmlir-19-dev mlir-19-tools llvm-19-tools libdnnl-dev
  libomp-19-dev
  libgtest-dev liblapack-dev nlohmann-json3-dev cmake ninja-build ccache lld
  zlib1g-dev g++ python3 dataset-fashion-mnist)
BUILD_DIR=${BUILD_DIR:-build}
BUILD_TYPE=${BUILD_TYPE:-Release}

install_packages() {
  local missing=()
  for pkg in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" ||
      missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return
  echo "dev.sh: installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
}

build() {
  # ccache keys on paths relative to the checkout, so fresh clones and new
  # build folders reuse earlier compilations.
  export CCACHE_BASEDIR="$PWD"
  if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    cmake -G Ninja -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" \
      -DMLIR_DIR=/usr/lib/llvm-19/lib/cmake/mlir \
      -DLLVM_DIR=/usr/lib/llvm-19/lib/cmake/llvm \
      -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
      -DLLVM_USE_LINKER=lld
  fi
  cmake --build "$BUILD_DIR"
}

case "${1:-}" in
train)
  install_packages
  build
  "$BUILD_DIR/bin/kilnc" train examples/fashion_mlp.kiln -o "$BUILD_DIR/fashion_mlp"
  "$BUILD_DIR/fashion_mlp" --log "$BUILD_DIR/fashion_mlp.log" \
    --save "$BUILD_DIR/fashion_mlp.safetensors"
  ;;
test)
  install_packages
  build
  ctest --test-dir "$BUILD_DIR" --output-on-failure
  ;;
*)
  echo "usage: $0 train|test" >&2
  exit 2
  ;;
esac
