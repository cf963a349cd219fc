//===- Adam.cpp - Adam and AdamW ------------------------------------------===//
//
// torch.optim.Adam and torch.optim.AdamW, which differ only in how weight
// decay enters: Adam adds it to the gradient (coupled L2), AdamW shrinks the
// parameter before the step (decoupled). docs/training.md has the equations.
//
//===----------------------------------------------------------------------===//
#include "compiler/Training/Optimizers/UpdateBuilders.h"

#include "dialects/kiln/IR/KilnDialect.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::optimizers;

namespace {
/// For each parameter, with t the step being taken (1 on the first):
///   g = grad + weight_decay * param                   (Adam)
///   param = param * (1 - lr * weight_decay)           (AdamW)
///   m = beta1 * m + (1 - beta1) * g                   (exp_avg)
///   v = beta2 * v + (1 - beta2) * g^2                 (exp_avg_sq)
///   vmax = max(vmax, v); v' = amsgrad ? vmax : v      (max_exp_avg_sq)
///   denom = sqrt(v') / sqrt(1 - beta2^t) + eps
///   param = param - lr * (m / (1 - beta1^t)) / denom
/// The bias corrections are computed on the 0-d step tensor and broadcast,
/// in PyTorch's order of operations (eps is added after the correction).
class AdamRule final : public OptimizerRule {
public:
  explicit AdamRule(bool decoupled) : decoupled(decoupled) {}

  SmallVector<StateSlot> stateSlots(OptimizerAttr config) const override {
    SmallVector<StateSlot> slots{StateSlot{"step", /*scalar=*/true},
                                 StateSlot{"exp_avg"}, StateSlot{"exp_avg_sq"}};
    if (config.getFlag("amsgrad"))
      slots.push_back(StateSlot{"max_exp_avg_sq"});
    return slots;
  }

  Value buildUpdate(OpBuilder &b, Location loc, OptimizerAttr config,
                    const Scalar &lr, Value param, Value grad, ValueRange state,
                    SmallVectorImpl<Value> &newState) const override {
    double decay = config.getReal("weight_decay");
    double beta1 = config.getReal("beta1"), beta2 = config.getReal("beta2");
    Value g = grad;
    if (decoupled)
      param = decoupledDecay(b, loc, param, lr, decay);
    else
      g = coupledDecay(b, loc, grad, param, decay);

    Value step = nextStep(b, loc, state[0]);
    Value expAvg = movingAverage(b, loc, state[1], g, beta1);
    Value expAvgSq = movingAverage(b, loc, state[2], square(b, loc, g), beta2);
    newState.append({step, expAvg, expAvgSq});
    Value second = expAvgSq;
    if (config.getFlag("amsgrad")) {
      second = b.create<MaxOp>(loc, state[3], expAvgSq);
      newState.push_back(second);
    }

    // 1 - beta^t on the 0-d step, then spread over the parameter's shape.
    auto correction = [&](double beta) {
      Value power = b.create<RpowOp>(loc, step, b.getF64FloatAttr(beta));
      return b.create<AddScalarOp>(loc, scaled(b, loc, power, -1.0),
                                   b.getF64FloatAttr(1.0));
    };
    Value correction2 =
        broadcastLike(b, loc, b.create<SqrtOp>(loc, correction(beta2)), param);
    Value denom =
        b.create<DivOp>(loc, b.create<SqrtOp>(loc, second), correction2);
    if (double eps = config.getReal("eps"))
      denom = b.create<AddScalarOp>(loc, denom, b.getF64FloatAttr(eps));
    Value corrected = b.create<DivOp>(
        loc, expAvg, broadcastLike(b, loc, correction(beta1), param));
    Value direction = b.create<DivOp>(loc, corrected, denom);
    return b.create<SubOp>(loc, param, scaledBy(b, loc, direction, lr));
  }

private:
  bool decoupled;
};
} // namespace

const OptimizerRule &kiln::optimizers::adamRule() {
  static const AdamRule rule(/*decoupled=*/false);
  return rule;
}

const OptimizerRule &kiln::optimizers::adamwRule() {
  static const AdamRule rule(/*decoupled=*/true);
  return rule;
}
