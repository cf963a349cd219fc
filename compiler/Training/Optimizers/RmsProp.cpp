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
  // PyTorch's state order: square_avg, momentum_buffer, grad_avg.
  SmallVector<StateSlot> stateSlots(OptimizerAttr config) const override {
    SmallVector<StateSlot> slots{StateSlot{"square_avg"}};
    if (config.getReal("momentum") != 0.0)
      slots.push_back(StateSlot{"momentum_buffer"});
    if (config.getFlag("centered"))
      slots.push_back(StateSlot{"grad_avg"});
    return slots;
  }

  Value buildUpdate(OpBuilder &b, Location loc, OptimizerAttr config,
                    const Scalar &lr, Value param, Value grad, ValueRange state,
                    SmallVectorImpl<Value> &newState) const override {
    double alpha = config.getReal("alpha"),
           momentum = config.getReal("momentum");
    bool centered = config.getFlag("centered");
    Value g = coupledDecay(b, loc, grad, param, config.getReal("weight_decay"));
    Value squareAvg = movingAverage(b, loc, state[0], square(b, loc, g), alpha);
    Value variance = squareAvg;
    Value gradAvg;
    if (centered) {
      gradAvg = movingAverage(b, loc, state.back(), g, alpha);
      variance = b.create<SubOp>(loc, squareAvg, square(b, loc, gradAvg));
    }
    Value direction = b.create<DivOp>(
        loc, g, sqrtPlusEps(b, loc, variance, config.getReal("eps")));
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
