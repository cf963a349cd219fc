//===- test_util.cpp - Helpers shared by the runtime unit tests -----------===//
//
// See test_util.h. The synthetic dataset uses a fixed-seed generator so that
// the trainer tests are deterministic.
//
//===----------------------------------------------------------------------===//
#include "test_util.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <sys/stat.h>
#include <zlib.h>

namespace kiln::test {

TempDir::TempDir() {
  const char *base = std::getenv("TMPDIR");
  std::string tmpl =
      std::string(base && *base ? base : "/tmp") + "/kiln-runtime-test-XXXXXX";
  if (!::mkdtemp(tmpl.data()))
    throw std::runtime_error("mkdtemp failed for " + tmpl);
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void writeBytes(const std::string &path, const std::string &bytes, bool gzip) {
  if (gzip) {
    gzFile f = gzopen(path.c_str(), "wb");
    if (!f)
      throw std::runtime_error("gzopen failed: " + path);
    if (!bytes.empty() &&
        gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())) !=
            static_cast<int>(bytes.size()))
      throw std::runtime_error("gzwrite failed: " + path);
    gzclose(f);
    return;
  }
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out)
    throw std::runtime_error("write failed: " + path);
}

std::string idxBytes(const std::vector<uint32_t> &dims,
                     const std::vector<uint8_t> &data) {
  std::string bytes = {0, 0, 0x08, static_cast<char>(dims.size())};
  for (uint32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8)
      bytes.push_back(static_cast<char>((d >> shift) & 0xff));
  bytes.append(data.begin(), data.end());
  return bytes;
}

std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

bool fileExists(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

namespace {

void writeSplit(const std::string &dir, const std::string &prefix, int64_t n,
                uint32_t &state) {
  auto next = [&state] { // A 32-bit LCG is enough for test noise.
    state = state * 1664525u + 1013904223u;
    return state >> 24;
  };
  std::vector<uint8_t> images(static_cast<size_t>(n) * 784);
  std::vector<uint8_t> labels(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    int c = static_cast<int>(next() % 10);
    labels[i] = static_cast<uint8_t>(c);
    for (int p = 0; p < 784; ++p) {
      bool on = p >= 78 * c && p < 78 * c + 78;
      images[i * 784 + p] =
          static_cast<uint8_t>(on ? 150 + next() % 100 : next() % 60);
    }
  }
  uint32_t count = static_cast<uint32_t>(n);
  writeBytes(dir + "/" + prefix + "-images-idx3-ubyte.gz",
             idxBytes({count, 28, 28}, images), true);
  writeBytes(dir + "/" + prefix + "-labels-idx1-ubyte.gz",
             idxBytes({count}, labels), true);
}

} // namespace

void writeSyntheticFashionMnist(const std::string &dir, int64_t trainSize,
                                int64_t testSize) {
  uint32_t state = 12345;
  writeSplit(dir, "train", trainSize, state);
  writeSplit(dir, "t10k", testSize, state);
}

} // namespace kiln::test
