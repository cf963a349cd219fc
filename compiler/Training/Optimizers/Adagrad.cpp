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
  StringRef name() const override { return "adagrad"; }

  ArrayRef<HyperParameter> hyperParameters() const override {
    static const HyperParameter params[] = {
        {"lr", 1e-2, HyperRange::NonNegative, false, "learning rate"},
        {"lr_decay", 0.0, HyperRange::NonNegative, false,
         "learning-rate decay: lr / (1 + (t - 1) * lr_decay)"},
        {"weight_decay", 0.0, HyperRange::NonNegative, false,
         "coupled L2 penalty added to the gradient"},
        {"initial_accumulator_value", 0.0, HyperRange::NonNegative, false,
         "starting value of the sum of squared gradients"},
        {"eps", 1e-10, HyperRange::NonNegative, false,
         "added to the denominator for numerical stability"},
    };
    return params;
  }

  SmallVector<StateSlot> stateSlots(const HyperConfig &config) const override {
    StateSlot sum{"sum", /*scalar=*/false,
                  config.real("initial_accumulator_value")};
    if (config.real("lr_decay") == 0.0)
      return {sum};
    return {StateSlot{"step", /*scalar=*/true}, sum};
  }

  Value buildUpdate(OpBuilder &b, Location loc, const HyperConfig &config,
                    const Scalar &lr, Value param, Value grad, ValueRange state,
                    SmallVectorImpl<Value> &newState) const override {
    double lrDecay = config.real("lr_decay");
    Value g = coupledDecay(b, loc, grad, param, config.real("weight_decay"));
    Value step;
    if (lrDecay != 0.0) {
      step = nextStep(b, loc, state[0]);
      newState.push_back(step);
      state = state.drop_front();
    }
    Value sum = b.create<AddOp>(loc, state[0], square(b, loc, g));
    newState.push_back(sum);
    Value direction =
        b.create<DivOp>(loc, g, sqrtPlusEps(b, loc, sum, config.real("eps")));
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
