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
/// (dampening 0):
///   g = grad + weight_decay * param
///   buf = momentum * buf + g
///   d = nesterov ? g + momentum * buf : buf        (d = g without momentum)
///   param = param - lr * d
/// The learning rate multiplies the whole step, as in PyTorch; the course's
/// heavy-ball form folds it into the buffer, which differs only when the
/// learning rate changes during training.
class SgdRule final : public OptimizerRule {
public:
  StringRef name() const override { return "sgd"; }

  ArrayRef<HyperParameter> hyperParameters() const override {
    static const HyperParameter params[] = {
        {"lr", 0.0, HyperRange::NonNegative, true, "learning rate"},
        {"momentum", 0.0, HyperRange::UnitInterval, false,
         "heavy-ball momentum factor"},
        {"nesterov", 0.0, HyperRange::Bool, false, "use Nesterov momentum"},
        {"weight_decay", 0.0, HyperRange::NonNegative, false,
         "coupled L2 penalty added to the gradient"},
    };
    return params;
  }

  // As torch.optim.SGD, which rejects Nesterov without momentum.
  std::string checkConsistency(const OptimizerConfig &config) const override {
    if (config.flag("nesterov") && config.real("momentum") == 0.0)
      return "Nesterov momentum needs `momentum` > 0";
    return "";
  }

  SmallVector<StateSlot>
  stateSlots(const OptimizerConfig &config) const override {
    if (config.real("momentum") == 0.0)
      return {};
    return {StateSlot{"momentum_buffer"}};
  }

  Value buildUpdate(OpBuilder &b, Location loc, const OptimizerConfig &config,
                    Value param, Value grad, ValueRange state,
                    SmallVectorImpl<Value> &newState) const override {
    double momentum = config.real("momentum");
    double decay = config.real("weight_decay");
    Value g = coupledDecay(b, loc, grad, param, decay);
    Value direction = g;
    if (momentum != 0.0) {
      Value buffer =
          b.create<AddOp>(loc, scaled(b, loc, state[0], momentum), g);
      newState.push_back(buffer);
      direction =
          config.flag("nesterov")
              ? b.create<AddOp>(loc, g, scaled(b, loc, buffer, momentum))
              : buffer;
    }
    return b.create<SubOp>(loc, param,
                           scaled(b, loc, direction, config.real("lr")));
  }
};
} // namespace

const OptimizerRule &kiln::optimizers::sgdRule() {
  static const SgdRule rule;
  return rule;
}
