//===- Autodiff.h - Reverse-mode differentiation of kiln IR -----*- C++ -*-===//
//
// The core of reverse-mode autodiff, shared by the training-step pass and
// (later) second-order methods that differentiate a gradient again.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_TRANSFORMS_AUTODIFF_H
#define KILN_COMPILER_TRANSFORMS_AUTODIFF_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Value.h"

namespace kiln {

/// Builds, at `builder`'s insertion point, the gradient of the scalar `loss`
/// with respect to each value in `wrt`. `loss` and `wrt` must be defined in
/// the insertion block, before the insertion point. A value the loss does not
/// depend on gets a zero gradient. Fails, after reporting every op on the
/// gradient path that lacks a vector-Jacobian product, if any does.
llvm::LogicalResult buildGradients(mlir::OpBuilder &builder, mlir::Value loss,
                                   mlir::ArrayRef<mlir::Value> wrt,
                                   llvm::SmallVectorImpl<mlir::Value> &grads);

/// The model's evaluation function (kiln.entry = "eval"), which the
/// derivative entry points are cloned from, and the index of its loss.
struct EvalFunction {
  mlir::func::FuncOp fn;
  unsigned lossIndex;
};
/// Reports a module without an eval function or an eval without a loss.
llvm::FailureOr<EvalFunction> lookupEvalFunction(mlir::ModuleOp module);

} // namespace kiln

#endif // KILN_COMPILER_TRANSFORMS_AUTODIFF_H
