//===- plateau.cpp - Reduce the learning rate on a plateau ----------------===//
//
// The order of PyTorch's ReduceLROnPlateau.step: count the epoch as good or
// bad, let a running cooldown swallow bad epochs, and reduce once more than
// `patience` bad epochs have passed. The factor is unbounded here; the
// compiled step clamps each group's rate at min_lr, which gives PyTorch's
// max(lr * factor^k, min_lr) per group.
//
//===----------------------------------------------------------------------===//
#include "kiln/plateau.h"

namespace kiln {

bool PlateauScheduler::update(double valLoss) {
  if (valLoss < state_.best * (1.0 - settings_.threshold)) {
    state_.best = valLoss;
    state_.badEpochs = 0;
  } else {
    ++state_.badEpochs;
  }
  if (state_.cooldownLeft > 0) {
    --state_.cooldownLeft;
    state_.badEpochs = 0;
  }
  if (state_.badEpochs <= settings_.patience)
    return false;
  state_.badEpochs = 0;
  state_.cooldownLeft = settings_.cooldown;
  state_.scale *= settings_.factor;
  return true;
}

} // namespace kiln
