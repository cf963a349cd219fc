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
#include <optional>
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
  double lr = 1.0;         ///< train.optimizer.lr: the (first) step length
  bool lineSearch = false; ///< train.line_search (armijo) is set
  double c = 1e-4;         ///< sufficient-decrease factor, (0, 0.5]
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

/// What one pointer of an entry point's packed array refers to: an argument
/// role (input, label, param, buffer, state, rng, and the schedule's clocks
/// epoch, step and lr_scale) or a result output (loss, sample_loss, logits,
/// param, buffer, state, and the step's statistics lr and grad_norm);
/// docs/abi.md.
enum class Role {
  Input,
  Label,
  Param,
  Buffer,
  State,
  Rng,
  Epoch,
  Step,
  LrScale,
  Loss,
  SampleLoss,
  Logits,
  Lr,
  GradNorm,
  Grad,   ///< a parameter's gradient, for full-batch methods (full_batch.cpp)
  Hessian ///< the P x P Hessian over all parameter elements (Newton)
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

  /// The indices of the results with output `role`, in order.
  std::vector<size_t> resultsWith(Role role) const;
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
  EntrySignature trainStep;      ///< entries.train_step
  EntrySignature eval;           ///< entries.eval
  /// entries.hessian: loss, grads and Hessian, for Newton's method.
  std::optional<EntrySignature> hessian;
  /// Set when the runtime drives full-batch iterations (train.optimizer
  /// newton or a train.line_search).
  std::optional<FullBatchSettings> fullBatch;
  int64_t epochs = 1; ///< train.epochs
  uint64_t seed = 0;  ///< train.seed
  /// train.schedule's reduce_on_plateau settings, when that is the schedule.
  std::optional<PlateauSettings> plateau;
  std::optional<double> valSplit; ///< train.val_split
  std::string initFrom;           ///< train.init_from; empty when not set
  std::string dataset;            ///< data.dataset, e.g. "fashion_mnist"
  std::string dataDir;            ///< data.dir; empty for synthetic data
  SyntheticLogistic synthetic;    ///< data.synthetic_logistic
  Normalization normalize;
  Targets targets; ///< data.targets; class labels when absent.

  int64_t batchSize() const { return input.shape.at(0); }
  /// Elements per sample: product of input.shape[1:].
  int64_t sampleFeatures() const;
  /// The eval logits: the label's shape with the classes inserted after the
  /// batch, [batch, classes, label.shape[1:]...], as every class loss
  /// (softmax_cross_entropy, pixel_cross_entropy, nll) requires; for float
  /// targets the label's shape (bce_with_logits, mse).
  std::vector<int64_t> logitsShape() const;
};

/// The ABI version this runtime implements (manifest key kiln_abi).
constexpr int kAbiVersion = 1;

Manifest parseManifest(const std::string &json);

} // namespace kiln

#endif // KILN_RUNTIME_MANIFEST_H
