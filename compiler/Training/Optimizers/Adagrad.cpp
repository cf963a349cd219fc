//===- Adagrad.cpp - AdaGrad ----------------------------------------------===//
//
// torch.optim.Adagrad; the equations are in docs/training.md.
//
//===----------------------------------------------------------------------===//
#include "compiler/Training/Optimizers/UpdateBuilders.h"

#include "dialects/kiln/IR/KilnDialect.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::optimizers;

namespace {
/// For each parameter, with t the step being taken (1 on the first):
///   g = grad + weight_decay * param
///   clr = lr / (1 + (t - 1) * lr_decay)
///   sum = sum + g^2                       (starts at
///   initial_accumulator_value) param = param - clr * g / (sqrt(sum) + eps)
/// The step count is kept only when lr_decay is not 0: nothing else reads it.
class AdagradRule final : public OptimizerRule {
public:
  SmallVector<StateSlot> stateSlots(OptimizerAttr config) const override {
    StateSlot sum{"sum", /*scalar=*/false,
                  config.getReal("initial_accumulator_value")};
    if (config.getReal("lr_decay") == 0.0)
      return {sum};
    return {StateSlot{"step", /*scalar=*/true}, sum};
  }

  Value buildUpdate(OpBuilder &b, Location loc, OptimizerAttr config,
                    const Scalar &lr, Value param, Value grad, ValueRange state,
                    SmallVectorImpl<Value> &newState) const override {
    double lrDecay = config.getReal("lr_decay");
    Value g = coupledDecay(b, loc, grad, param, config.getReal("weight_decay"));
    Value step;
    if (lrDecay != 0.0) {
      step = nextStep(b, loc, state[0]);
      newState.push_back(step);
      state = state.drop_front();
    }
    Value sum = b.create<AddOp>(loc, state[0], square(b, loc, g));
    newState.push_back(sum);
    Value direction = b.create<DivOp>(
        loc, g, sqrtPlusEps(b, loc, sum, config.getReal("eps")));
    if (lrDecay != 0.0) {
      // 1 + (t - 1) * lr_decay on the 0-d step.
      Value elapsed = b.create<AddScalarOp>(loc, step, b.getF64FloatAttr(-1.0));
      Value divisor = b.create<AddScalarOp>(
          loc, scaled(b, loc, elapsed, lrDecay), b.getF64FloatAttr(1.0));
      direction = b.create<DivOp>(loc, direction,
                                  broadcastLike(b, loc, divisor, param));
    }
    return b.create<SubOp>(loc, param, scaledBy(b, loc, direction, lr));
  }
};
} // namespace

const OptimizerRule &kiln::optimizers::adagradRule() {
  static const AdagradRule rule;
  return rule;
}
