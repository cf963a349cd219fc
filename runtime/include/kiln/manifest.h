//===- manifest.h - The compiled program's self-description -----*- C++ -*-===//
//
// The generated object embeds a JSON manifest (kiln_manifest, docs/abi.md)
// that tells the runtime everything the packed calling convention leaves
// implicit: buffer shapes, parameter initialisers, the exact signature of
// each entry point, training defaults and the dataset. parseManifest turns
// it into plain structs and rejects anything malformed, or any signature the
// trainer could not bind, with a kiln::Error that names the bad field.
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

/// How a parameter, buffer or state tensor starts out.
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

/// What one pointer of an entry point's packed array refers to: an argument
/// role (input, label, param, buffer, state, rng) or a result output (loss,
/// sample_loss, logits, param, buffer, state); docs/abi.md.
enum class Role {
  Input,
  Label,
  Param,
  Buffer,
  State,
  Rng,
  Loss,
  SampleLoss,
  Logits
};

/// The manifest spelling, e.g. "sample_loss".
const char *roleName(Role role);

/// One argument or result of an entry point. `name` is set for params,
/// buffers and state (the TensorSpec it refers to) and may be empty
/// otherwise.
struct Binding {
  Role role = Role::Input;
  std::string name;
};

/// The packed signature of an entry point: the pointer array holds one
/// pointer per argument, in order, then one per result.
struct EntrySignature {
  std::vector<Binding> args;    ///< Read by the entry point.
  std::vector<Binding> results; ///< Written by the entry point.
};

struct Manifest {
  int abi = 0;
  std::string model;
  std::string source;
  TensorSpec input; ///< [batch, ...] f32
  /// i32 [batch] class indices, or [batch, H, W] for foreground masks.
  TensorSpec label;
  int64_t classes = 0; ///< label.classes
  std::vector<TensorSpec> params;
  /// Not trained but updated by the train step (e.g. batch norm's running
  /// statistics); saved and loaded with the parameters.
  std::vector<TensorSpec> buffers;
  std::vector<TensorSpec> state; ///< Optimizer state, never saved.
  EntrySignature trainStep;      ///< entries.train_step
  EntrySignature eval;           ///< entries.eval
  int64_t epochs = 1;            ///< train.epochs
  uint64_t seed = 0;             ///< train.seed
  std::string dataset;           ///< data.dataset, e.g. "fashion_mnist"
  std::string dataDir;           ///< data.dir
  Normalization normalize;
  Targets targets; ///< data.targets; class labels when absent.

  int64_t batchSize() const { return input.shape.at(0); }
  /// Elements per sample: product of input.shape[1:].
  int64_t sampleFeatures() const;
  /// The eval logits: the label's shape with the classes inserted after the
  /// batch, [batch, classes, label.shape[1:]...], as every class loss
  /// (softmax_cross_entropy, pixel_cross_entropy, nll) requires.
  std::vector<int64_t> logitsShape() const;
};

/// The ABI version this runtime implements (manifest key kiln_abi).
constexpr int kAbiVersion = 1;

Manifest parseManifest(const std::string &json);

} // namespace kiln

#endif // KILN_RUNTIME_MANIFEST_H
