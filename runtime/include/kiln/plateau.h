//===- plateau.h - Reduce the learning rate on a plateau --------*- C++ -*-===//
//
// torch.optim.lr_scheduler.ReduceLROnPlateau in mode "min" with a relative
// threshold, deciding between epochs from the validation loss. It keeps a
// factor on the compiled learning rate, which the trainer passes to the
// train step as its lr_scale argument (docs/training.md).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_PLATEAU_H
#define KILN_RUNTIME_PLATEAU_H

#include "kiln/manifest.h"

#include <cstdint>
#include <limits>

namespace kiln {

class PlateauScheduler {
public:
  /// Everything a checkpoint must keep to resume the decisions exactly.
  struct State {
    double scale = 1.0;
    double best = std::numeric_limits<double>::infinity();
    int64_t badEpochs = 0;
    int64_t cooldownLeft = 0;
  };

  explicit PlateauScheduler(const PlateauSettings &settings)
      : settings_(settings) {}

  /// Takes one epoch's validation loss; returns true when it lowered the
  /// factor.
  bool update(double valLoss);

  double scale() const { return state_.scale; }
  const State &state() const { return state_; }
  void restore(const State &state) { state_ = state; }

private:
  PlateauSettings settings_;
  State state_;
};

} // namespace kiln

#endif // KILN_RUNTIME_PLATEAU_H
