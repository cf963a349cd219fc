//===- manifest.h - The compiled program's self-description -----*- C++ -*-===//
//
// The generated object embeds a JSON manifest (kiln_manifest, docs/abi.md)
// that tells the runtime everything the packed calling convention leaves
// implicit: buffer shapes and order, parameter initialisers, training
// defaults and the dataset. parseManifest turns it into plain structs and
// rejects anything malformed with a kiln::Error that names the bad field.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_MANIFEST_H
#define KILN_RUNTIME_MANIFEST_H

#include "kiln/buffer.h"
#include "kiln/dataset.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kiln {

/// How a parameter or state buffer starts out.
struct InitSpec {
  enum class Kind { Zeros, Constant, Uniform, Normal };
  Kind kind = Kind::Zeros;
  /// constant: a = value; uniform: [a, b) = [low, high); normal: a = mean,
  /// b = std.
  double a = 0.0;
  double b = 0.0;
};

struct TensorSpec {
  std::string name;
  std::vector<int64_t> shape;
  DType dtype = DType::F32;
  InitSpec init;
};

struct Manifest {
  int abi = 0;
  std::string model;
  std::string source;
  TensorSpec input;    ///< [batch, ...] f32
  TensorSpec label;    ///< [batch] i32
  int64_t classes = 0; ///< label.classes
  std::vector<TensorSpec> params;
  std::vector<TensorSpec> state;
  int64_t epochs = 1;  ///< train.epochs
  uint64_t seed = 0;   ///< train.seed
  std::string dataset; ///< data.dataset, e.g. "fashion_mnist"
  std::string dataDir; ///< data.dir
  Normalization normalize;

  int64_t batchSize() const { return input.shape.at(0); }
  /// Elements per sample: product of input.shape[1:].
  int64_t sampleFeatures() const;
};

/// The ABI version this runtime implements (manifest key kiln_abi).
constexpr int kAbiVersion = 1;

Manifest parseManifest(const std::string &json);

} // namespace kiln

#endif // KILN_RUNTIME_MANIFEST_H
