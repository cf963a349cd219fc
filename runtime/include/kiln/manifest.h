//===- manifest.h - The compiled program's self-description -----*- C++ -*-===//
//
// The generated object embeds a JSON manifest (kiln_manifest, docs/abi.md)
// that tells the runtime everything the packed calling convention leaves
// implicit: the entry points the program has, the role, name, shape and
// element type of every pointer each one takes, the metrics its outputs
// support, parameter initialisers, and the training and data settings the
// runtime acts on. The compiler checked the recipe; parseManifest checks
// only that the document is well formed and that the runtime can bind every
// signature, and rejects anything else with a kiln::Error naming the field.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_MANIFEST_H
#define KILN_RUNTIME_MANIFEST_H

#include "kiln/abi/program.h"
#include "kiln/buffer.h"
#include "kiln/dataset.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kiln {

using rt::Entry;
using rt::Metric;
using rt::Role;

/// How a parameter, buffer or state tensor starts out.
struct InitSpec {
  using Kind = rt::Init;
  Kind kind = Kind::Zeros;
  /// The kind's settings in program.def's order: constant: a = value;
  /// uniform: [a, b) = [low, high); normal: a = mean, b = std.
  double a = 0.0;
  double b = 0.0;
};

/// torch.optim.lr_scheduler.ReduceLROnPlateau's settings (mode "min",
/// relative threshold); the runtime decides, the compiled step applies (and
/// keeps each rate at least min_lr).
struct PlateauSettings {
  double factor = 0.1;
  int64_t patience = 10;
  double threshold = 1e-4;
  int64_t cooldown = 0;
};

/// A full-batch method (docs/training.md): p <- p + t d, with d = -g, or
/// -H^-1 g for Newton's method, and t = lr or backtracked from lr until
/// f(p + t d) <= f(p) + c t g.d (Armijo), for at most `epochs` iterations.
struct FullBatchSettings {
  bool newton = false;
  double lr = 1.0;         ///< the (first) step length
  bool lineSearch = false; ///< backtrack by Armijo's rule
  double c = 1e-4;         ///< sufficient-decrease factor
  double shrink = 0.5;     ///< step-length factor per rejected trial
  int64_t maxTrials = 50;  ///< trials per iteration
  double tolerance = 0.0;  ///< stop once the gradient norm is below it
};

struct TensorSpec {
  std::string name;
  std::vector<int64_t> shape;
  DType dtype = DType::F32;
  InitSpec init;
};

/// One pointer of an entry point's packed array: its role, the name of the
/// tensor it refers to (params, buffers, state, gradients; may be empty
/// otherwise), and the buffer's shape and element type.
struct Binding {
  Role role = Role::Input;
  std::string name;
  std::vector<int64_t> shape;
  DType dtype = DType::F32;
};

/// The packed signature of an entry point: the pointer array holds one
/// pointer per argument, in order, then one per result.
struct EntrySignature {
  std::vector<Binding> args;    ///< Read by the entry point.
  std::vector<Binding> results; ///< Written by the entry point.
  /// What the runtime can score from the outputs (accuracy for classifiers;
  /// none for regression).
  std::vector<Metric> metrics;

  /// The indices of the results with role `role`, in order.
  std::vector<size_t> resultsWith(Role role) const;
  bool hasResult(Role role) const { return !resultsWith(role).empty(); }
};

struct Manifest {
  int abi = 0;
  std::string model;
  std::string source;
  /// [batch, ...] f32 or f64: the model's float type, which its params,
  /// buffers, state, losses and logits share.
  TensorSpec input;
  /// i32 [batch] class indices, or [batch, H, W] for foreground masks; or
  /// [batch] float targets of the input's type.
  TensorSpec label;
  int64_t classes = 0; ///< label.classes; 0 for float targets
  std::vector<TensorSpec> params;
  /// Not trained but updated by the train step (e.g. batch norm's running
  /// statistics); saved and loaded with the parameters.
  std::vector<TensorSpec> buffers;
  std::vector<TensorSpec> state; ///< Optimizer state, never saved.
  /// The entry points the program has, by rt::Entry.
  std::array<std::optional<EntrySignature>, rt::kNumEntries> entries;
  /// Set when the runtime drives full-batch iterations (Newton's method or
  /// a line search).
  std::optional<FullBatchSettings> fullBatch;
  int64_t epochs = 1; ///< train.epochs
  uint64_t seed = 0;  ///< train.seed
  /// train.plateau: reduce-on-plateau's settings, when that is the schedule.
  std::optional<PlateauSettings> plateau;
  std::optional<double> valSplit; ///< train.val_split
  std::string initFrom;           ///< train.init_from; empty when not set
  rt::Dataset dataset = rt::Dataset::FashionMnist; ///< data.dataset
  std::string dataDir;         ///< data.dir; empty for synthetic data
  SyntheticLogistic synthetic; ///< data.synthetic_logistic
  Normalization normalize;
  Targets targets; ///< data.targets; class labels when absent.

  int64_t batchSize() const { return input.shape.at(0); }
  /// Elements per sample: product of input.shape[1:].
  int64_t sampleFeatures() const;
  /// The signature of `entry`, or null when the program lacks it.
  const EntrySignature *find(Entry entry) const;
  /// The signature of `entry`; kiln::Error when the program lacks it.
  const EntrySignature &entry(Entry entry) const;
};

/// The ABI version this runtime implements (manifest key kiln_abi).
constexpr int kAbiVersion = 2;

Manifest parseManifest(const std::string &json);

} // namespace kiln

#endif // KILN_RUNTIME_MANIFEST_H
