//===- plateau.cpp - Reduce the learning rate on a plateau ----------------===//
//
// The order of PyTorch's ReduceLROnPlateau.step: count the epoch as good or
// bad, let a running cooldown swallow bad epochs, and reduce once more than
// `patience` bad epochs have passed. A reduction that would change the rate
// by less than PyTorch's eps (1e-8 relative here, as the factor has no
// absolute scale) is skipped, as is one below min_lr.
//
//===----------------------------------------------------------------------===//
#include "kiln/plateau.h"

#include <algorithm>

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
  double reduced =
      std::max(state_.scale * settings_.factor, settings_.minScale);
  if (state_.scale - reduced <= 1e-8 * state_.scale)
    return false;
  state_.scale = reduced;
  return true;
}

} // namespace kiln
