//===- evaluate.h - Test-set evaluation with kiln_eval ----------*- C++ -*-===//
//
// kiln_eval has a fixed batch size, but test sets rarely divide evenly. The
// last partial batch is padded with samples wrapped around from the start of
// the set and only its valid rows are counted, so every test sample counts
// exactly once.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_EVALUATE_H
#define KILN_RUNTIME_EVALUATE_H

#include "kiln/dataset.h"
#include "kiln/manifest.h"
#include "kiln/model_state.h"
#include "kiln/packed_call.h"
#include "kiln/program.h"

#include <optional>

namespace kiln {

struct EvalResult {
  double loss = 0.0; ///< Mean per-sample loss over the whole set.
  /// The eval entry's metric, when it has one: the fraction of labelled
  /// positions (samples for class labels, pixels for masks) whose argmax
  /// over the classes equals the label (accuracy), or, for float 0/1
  /// targets, whose logit is positive exactly where the target is 1
  /// (binary_accuracy).
  std::optional<double> accuracy;
};

/// How many of `rows` samples' `positions` labels the logits get right:
/// logits are [rows, classes, positions] and labels [rows, positions], and a
/// position is right when its first maximum over the classes is its label.
/// Class labels are the case positions = 1.
int64_t countCorrect(const float *logits, const int32_t *labels, int64_t rows,
                     int64_t classes, int64_t positions);

/// Runs `eval`, bound by the manifest's eval signature to the current
/// params, buffers and state of `state`, over every sample of `data`. The
/// tensors of `io` are overwritten; the rng seed is 0, since random layers
/// are the identity at inference. Param, buffer and state results, if the
/// signature has any, go to scratch tensors, so `state` is unchanged.
EvalResult evaluate(EntryFn eval, const Manifest &manifest, const Dataset &data,
                    ModelState &state, CallTensors &io);

} // namespace kiln

#endif // KILN_RUNTIME_EVALUATE_H
