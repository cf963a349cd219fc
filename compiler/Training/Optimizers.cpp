//===- Optimizers.cpp - Update rules of the training optimizers -----------===//
//
// Update equations follow PyTorch's torch.optim documentation, so a model
// trained by Kiln and by PyTorch with the same hyper-parameters takes the same
// steps. docs/training.md writes each equation out. This file holds the
// registry and the shared building blocks; each family of rules has its file
// in Optimizers/.
//
//===----------------------------------------------------------------------===//
#include "compiler/Training/Optimizers.h"
#include "compiler/Training/Optimizers/UpdateBuilders.h"

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

Value optimizers::scaled(OpBuilder &b, Location loc, Value x, double factor) {
  if (factor == 1.0)
    return x;
  return b.create<ScaleOp>(loc, x, b.getF64FloatAttr(factor));
}

Value optimizers::coupledDecay(OpBuilder &b, Location loc, Value grad,
                               Value param, double decay) {
  if (decay == 0.0)
    return grad;
  return b.create<AddOp>(loc, grad, scaled(b, loc, param, decay));
}

Value optimizers::movingAverage(OpBuilder &b, Location loc, Value avg, Value x,
                                double decay) {
  return b.create<AddOp>(loc, scaled(b, loc, avg, decay),
                         scaled(b, loc, x, 1.0 - decay));
}

Value optimizers::square(OpBuilder &b, Location loc, Value x) {
  return b.create<MulOp>(loc, x, x);
}

Value optimizers::sqrtPlusEps(OpBuilder &b, Location loc, Value x, double eps) {
  Value root = b.create<SqrtOp>(loc, x);
  if (eps == 0.0)
    return root;
  return b.create<AddScalarOp>(loc, root, b.getF64FloatAttr(eps));
}

Value optimizers::broadcastLike(OpBuilder &b, Location loc, Value scalar,
                                Value like) {
  auto type = cast<RankedTensorType>(like.getType());
  if (type.getRank() == 0)
    return scalar;
  auto axes = llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
  return b.create<BroadcastOp>(loc, type, scalar, axes);
}

Value optimizers::nextStep(OpBuilder &b, Location loc, Value step) {
  return b.create<AddScalarOp>(loc, step, b.getF64FloatAttr(1.0));
}

ArrayRef<const OptimizerRule *> kiln::allOptimizers() {
  static const OptimizerRule *rules[] = {
      &optimizers::sgdRule(), &optimizers::adamRule(), &optimizers::adamwRule(),
      &optimizers::adagradRule(), &optimizers::rmspropRule()};
  return rules;
}

const OptimizerRule *kiln::lookupOptimizer(StringRef name) {
  for (const OptimizerRule *rule : allOptimizers())
    if (rule->name() == name)
      return rule;
  return nullptr;
}
