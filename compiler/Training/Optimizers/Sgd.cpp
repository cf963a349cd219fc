//===- Sgd.cpp - Stochastic gradient descent ------------------------------===//
//
// torch.optim.SGD; the equations are in docs/training.md.
//
//===----------------------------------------------------------------------===//
#include "compiler/Training/Optimizers/UpdateBuilders.h"

#include "dialects/kiln/IR/KilnDialect.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::optimizers;

namespace {
/// torch.optim.SGD with momentum, Nesterov momentum and coupled weight decay
/// (dampening 0), or decoupled decay (SGDW of Loshchilov & Hutter, as
/// AdamW: the parameter shrinks before the step):
///   g = grad + weight_decay * param                 (coupled)
///   param = param - lr * weight_decay * param       (decoupled; g = grad)
///   buf = momentum * buf + g
///   d = nesterov ? g + momentum * buf : buf        (d = g without momentum)
///   param = param - lr * d
/// The learning rate multiplies the whole step, as in PyTorch; the course's
/// heavy-ball form folds it into the buffer, which differs only when the
/// learning rate changes during training.
class SgdRule final : public OptimizerRule {
public:
  SmallVector<StateSlot> stateSlots(OptimizerAttr config) const override {
    if (config.getReal("momentum") == 0.0)
      return {};
    return {StateSlot{"momentum_buffer"}};
  }

  Value buildUpdate(OpBuilder &b, Location loc, OptimizerAttr config,
                    const Scalar &lr, Value param, Value grad, ValueRange state,
                    SmallVectorImpl<Value> &newState) const override {
    double momentum = config.getReal("momentum");
    double decay = config.getReal("weight_decay");
    Value g = grad;
    if (config.getFlag("decoupled_weight_decay"))
      param = decoupledDecay(b, loc, param, lr, decay);
    else
      g = coupledDecay(b, loc, grad, param, decay);
    Value direction = g;
    if (momentum != 0.0) {
      Value buffer =
          b.create<AddOp>(loc, scaled(b, loc, state[0], momentum), g);
      newState.push_back(buffer);
      direction =
          config.getFlag("nesterov")
              ? b.create<AddOp>(loc, g, scaled(b, loc, buffer, momentum))
              : buffer;
    }
    return b.create<SubOp>(loc, param, scaledBy(b, loc, direction, lr));
  }
};
} // namespace

const OptimizerRule &kiln::optimizers::sgdRule() {
  static const SgdRule rule;
  return rule;
}
