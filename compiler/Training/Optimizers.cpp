//===- Optimizers.cpp - Update rules of the training optimizers -----------===//
//
// Update equations follow PyTorch's torch.optim documentation, so a model
// trained by Kiln and by PyTorch with the same hyper-parameters takes the same
// steps. docs/training.md writes each equation out.
//
//===----------------------------------------------------------------------===//
#include "compiler/Training/Optimizers.h"

#include "dialects/kiln/IR/KilnDialect.h"

using namespace mlir;
using namespace kiln;

std::string kiln::checkHyperRange(HyperRange range, double value) {
  switch (range) {
  case HyperRange::Real:
    return "";
  case HyperRange::NonNegative:
    return value >= 0 ? "" : "must not be negative";
  case HyperRange::Positive:
    return value > 0 ? "" : "must be positive";
  case HyperRange::UnitInterval:
    return value >= 0 && value < 1 ? "" : "must be in [0, 1)";
  case HyperRange::Bool:
    return value == 0 || value == 1 ? "" : "must be true or false";
  }
  llvm_unreachable("unknown hyper-parameter range");
}

StringRef OptimizerConfig::name() const {
  return cast<StringAttr>(dict.get("name")).getValue();
}

double OptimizerConfig::real(StringRef key) const {
  return cast<FloatAttr>(dict.get(key)).getValueAsDouble();
}

bool OptimizerConfig::flag(StringRef key) const {
  return cast<BoolAttr>(dict.get(key)).getValue();
}

const HyperParameter *
OptimizerRule::lookupHyperParameter(StringRef name) const {
  for (const HyperParameter &hp : hyperParameters())
    if (hp.name == name)
      return &hp;
  return nullptr;
}

namespace {
/// x * factor, skipping the multiply when factor is 1.
Value scaled(OpBuilder &b, Location loc, Value x, double factor) {
  if (factor == 1.0)
    return x;
  return b.create<ScaleOp>(loc, x, b.getF64FloatAttr(factor));
}

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

  SmallVector<StringRef>
  stateSlots(const OptimizerConfig &config) const override {
    if (config.real("momentum") == 0.0)
      return {};
    return {"momentum_buffer"};
  }

  Value buildUpdate(OpBuilder &b, Location loc, const OptimizerConfig &config,
                    Value param, Value grad, ValueRange state,
                    SmallVectorImpl<Value> &newState) const override {
    double momentum = config.real("momentum");
    double decay = config.real("weight_decay");
    Value g = grad;
    if (decay != 0.0)
      g = b.create<AddOp>(loc, g, scaled(b, loc, param, decay));
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

ArrayRef<const OptimizerRule *> kiln::allOptimizers() {
  static const SgdRule sgd;
  static const OptimizerRule *rules[] = {&sgd};
  return rules;
}

const OptimizerRule *kiln::lookupOptimizer(StringRef name) {
  for (const OptimizerRule *rule : allOptimizers())
    if (rule->name() == name)
      return rule;
  return nullptr;
}
