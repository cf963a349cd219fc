//===- RmsProp.cpp - RMSProp ----------------------------------------------===//
//
// torch.optim.RMSprop; the equations are in docs/training.md.
//
//===----------------------------------------------------------------------===//
#include "compiler/Training/Optimizers/UpdateBuilders.h"

#include "dialects/kiln/IR/KilnDialect.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::optimizers;

namespace {
/// For each parameter:
///   g = grad + weight_decay * param
///   square_avg = alpha * square_avg + (1 - alpha) * g^2
///   grad_avg = alpha * grad_avg + (1 - alpha) * g          (centered)
///   avg = sqrt(square_avg - grad_avg^2) + eps    (centered; else no grad_avg)
///   buf = momentum * buf + g / avg; param = param - lr * buf   (momentum > 0)
///   param = param - lr * g / avg                              (momentum = 0)
/// PyTorch's RMSprop counts steps but never reads the count, so no step
/// state is kept.
class RmsPropRule final : public OptimizerRule {
public:
  StringRef name() const override { return "rmsprop"; }

  ArrayRef<HyperParameter> hyperParameters() const override {
    static const HyperParameter params[] = {
        {"lr", 1e-2, HyperRange::NonNegative, false, "learning rate"},
        {"alpha", 0.99, HyperRange::NonNegative, false,
         "decay of the running average of the squared gradient"},
        {"eps", 1e-8, HyperRange::NonNegative, false,
         "added to the denominator for numerical stability"},
        {"weight_decay", 0.0, HyperRange::NonNegative, false,
         "coupled L2 penalty added to the gradient"},
        {"momentum", 0.0, HyperRange::NonNegative, false,
         "momentum factor of the scaled step"},
        {"centered", 0.0, HyperRange::Bool, false,
         "normalize by the variance estimate instead of the second moment"},
    };
    return params;
  }

  // PyTorch's state order: square_avg, momentum_buffer, grad_avg.
  SmallVector<StateSlot> stateSlots(const HyperConfig &config) const override {
    SmallVector<StateSlot> slots{StateSlot{"square_avg"}};
    if (config.real("momentum") != 0.0)
      slots.push_back(StateSlot{"momentum_buffer"});
    if (config.flag("centered"))
      slots.push_back(StateSlot{"grad_avg"});
    return slots;
  }

  Value buildUpdate(OpBuilder &b, Location loc, const HyperConfig &config,
                    const Scalar &lr, Value param, Value grad, ValueRange state,
                    SmallVectorImpl<Value> &newState) const override {
    double alpha = config.real("alpha"), momentum = config.real("momentum");
    bool centered = config.flag("centered");
    Value g = coupledDecay(b, loc, grad, param, config.real("weight_decay"));
    Value squareAvg = movingAverage(b, loc, state[0], square(b, loc, g), alpha);
    Value variance = squareAvg;
    Value gradAvg;
    if (centered) {
      gradAvg = movingAverage(b, loc, state.back(), g, alpha);
      variance = b.create<SubOp>(loc, squareAvg, square(b, loc, gradAvg));
    }
    Value direction = b.create<DivOp>(
        loc, g, sqrtPlusEps(b, loc, variance, config.real("eps")));
    newState.push_back(squareAvg);
    if (momentum != 0.0) {
      direction =
          b.create<AddOp>(loc, scaled(b, loc, state[1], momentum), direction);
      newState.push_back(direction);
    }
    if (centered)
      newState.push_back(gradAvg);
    return b.create<SubOp>(loc, param, scaledBy(b, loc, direction, lr));
  }
};
} // namespace

const OptimizerRule &kiln::optimizers::rmspropRule() {
  static const RmsPropRule rule;
  return rule;
}
