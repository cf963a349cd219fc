//===- validation.h - Validation split and early stopping -------*- C++ -*-===//
//
// --val-split holds out the tail of the training set (in file order, so the
// split does not depend on the seed) and --early-stop watches its loss. The
// trainer evaluates the held-out set with the same evaluate() as the test
// set; this file only owns the split and the bookkeeping of the best epoch.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_VALIDATION_H
#define KILN_RUNTIME_VALIDATION_H

#include "kiln/dataset.h"
#include "kiln/model_state.h"
#include "kiln/safetensors.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kiln {

/// Moves the last floor(fraction * size) samples of `train` into the
/// returned dataset and shrinks `train` to the rest. Throws kiln::Error when
/// the held-out part is smaller than one batch of `batch` samples, since
/// evaluating on it would then mostly repeat wrapped-around samples.
Dataset splitOffValidation(Dataset &train, double fraction, int64_t batch);

/// Tracks the best validation loss and a copy of the parameters and buffers
/// of the epoch that reached it.
class EarlyStopping {
public:
  explicit EarlyStopping(int64_t patience) : patience_(patience) {}

  /// Records 1-based `epoch`'s validation loss; on an improvement, copies
  /// the model's saved tensors and returns true.
  bool update(int64_t epoch, int64_t steps, double valLoss,
              const ModelState &model);
  /// True once `patience` epochs in a row brought no improvement.
  bool shouldStop() const { return sinceBest_ >= patience_; }

  int64_t patience() const { return patience_; }
  int64_t bestEpoch() const { return bestEpoch_; }
  int64_t bestSteps() const { return bestSteps_; }
  double bestLoss() const { return bestLoss_; }
  /// The best epoch's parameters and buffers, named as savedTensors().
  std::vector<TensorRef> bestTensors() const;

  /// The decisions so far, which a checkpoint keeps with bestTensors().
  struct State {
    int64_t sinceBest = 0;
    int64_t bestEpoch = 0; ///< 0 before the first validation
    int64_t bestSteps = 0;
    double bestLoss = 0.0;
  };
  State state() const {
    return {sinceBest_, bestEpoch_, bestSteps_, bestLoss_};
  }
  /// Continues a resumed run from its decisions and best tensors.
  void restore(const State &state, std::vector<NamedTensor> best);

private:
  int64_t patience_;
  int64_t sinceBest_ = 0;
  int64_t bestEpoch_ = 0;
  int64_t bestSteps_ = 0;
  double bestLoss_ = 0.0;
  std::vector<std::string> names_;
  std::vector<Tensor> best_;
};

} // namespace kiln

#endif // KILN_RUNTIME_VALIDATION_H
