//===- UpdateBuilders.h - Pieces shared by optimizer updates ----*- C++ -*-===//
//
// Private to compiler/Training: the kiln-op building blocks that several
// update rules share (weight decay, running averages, scalar bias
// corrections), and the registry's constructors of each rule.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_TRAINING_OPTIMIZERS_UPDATEBUILDERS_H
#define KILN_COMPILER_TRAINING_OPTIMIZERS_UPDATEBUILDERS_H

#include "compiler/Training/Optimizers.h"
#include "compiler/Training/TensorMath.h"

namespace kiln::optimizers {

/// PyTorch's coupled L2 decay: grad + decay * param (grad when decay is 0).
mlir::Value coupledDecay(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value grad, mlir::Value param, double decay);
/// Decoupled decay (AdamW, Loshchilov & Hutter):
/// param - lr * decay * param (param when decay is 0).
mlir::Value decoupledDecay(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value param, const Scalar &lr, double decay);
/// The exponential moving average decay * avg + (1 - decay) * x.
mlir::Value movingAverage(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value avg, mlir::Value x, double decay);
/// x * x.
mlir::Value square(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x);
/// sqrt(x) + eps, the denominator of the adaptive methods.
mlir::Value sqrtPlusEps(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                        double eps);
/// step + 1: the count of the step being taken, as PyTorch increments its
/// `step` before using it.
mlir::Value nextStep(mlir::OpBuilder &b, mlir::Location loc, mlir::Value step);

const OptimizerRule &sgdRule();
const OptimizerRule &adamRule();
const OptimizerRule &adamwRule();
const OptimizerRule &adagradRule();
const OptimizerRule &rmspropRule();

} // namespace kiln::optimizers

#endif // KILN_COMPILER_TRAINING_OPTIMIZERS_UPDATEBUILDERS_H
