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

Value optimizers::coupledDecay(OpBuilder &b, Location loc, Value grad,
                               Value param, double decay) {
  if (decay == 0.0)
    return grad;
  return b.create<AddOp>(loc, grad, scaled(b, loc, param, decay));
}

Value optimizers::decoupledDecay(OpBuilder &b, Location loc, Value param,
                                 const Scalar &lr, double decay) {
  if (decay == 0.0)
    return param;
  return b.create<SubOp>(loc, param, scaledBy(b, loc, param, lr, decay));
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

Value optimizers::nextStep(OpBuilder &b, Location loc, Value step) {
  return b.create<AddScalarOp>(loc, step, b.getF64FloatAttr(1.0));
}

const OptimizerRule *kiln::lookupOptimizerRule(OptimizerKind kind) {
  switch (kind) {
  case OptimizerKind::Sgd:
    return &optimizers::sgdRule();
  case OptimizerKind::Adam:
    return &optimizers::adamRule();
  case OptimizerKind::AdamW:
    return &optimizers::adamwRule();
  case OptimizerKind::Adagrad:
    return &optimizers::adagradRule();
  case OptimizerKind::RmsProp:
    return &optimizers::rmspropRule();
  case OptimizerKind::Newton:
    return nullptr;
  }
  llvm_unreachable("unknown optimizer");
}
