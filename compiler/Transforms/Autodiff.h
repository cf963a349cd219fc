//===- Autodiff.h - Reverse-mode differentiation of kiln IR -----*- C++ -*-===//
//
// The core of reverse-mode autodiff, shared by the training-step pass and
// the Hessian of Newton's method, which differentiates a gradient again.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_TRANSFORMS_AUTODIFF_H
#define KILN_COMPILER_TRANSFORMS_AUTODIFF_H

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

} // namespace kiln

#endif // KILN_COMPILER_TRANSFORMS_AUTODIFF_H
