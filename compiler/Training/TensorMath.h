//===- TensorMath.h - Small tensor expressions for training IR --*- C++ -*-===//
//
// The kiln-op building blocks that the training passes share: optimizer
// updates, learning-rate schedules, gradient clipping and the gradient norm
// all scale tensors by scalars and reduce them to norms. A "scalar" here is a
// 0-d tensor, so it can be computed at run time (a scheduled learning rate, a
// clipping factor) and still be folded when it is a constant.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_TRAINING_TENSORMATH_H
#define KILN_COMPILER_TRAINING_TENSORMATH_H

#include "mlir/IR/Builders.h"

#include <optional>

namespace kiln {

/// A 0-d tensor, and its value when the compiler knows it (a fixed learning
/// rate): known scalars fold into kiln.scale factors in full f64 precision.
struct Scalar {
  Scalar(mlir::Value value) : value(value) {}
  Scalar(mlir::Value value, double known) : value(value), known(known) {}

  mlir::Value value;
  std::optional<double> known;
};

/// x * factor, skipping the multiply when factor is 1.
mlir::Value scaled(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                   double factor);
/// Replicates the 0-d `scalar` to the shape of `like`.
mlir::Value broadcastLike(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value scalar, mlir::Value like);
/// x * s * factor. A known `s` folds into one kiln.scale, so a fixed
/// learning rate costs no more than a literal.
mlir::Value scaledBy(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                     const Scalar &s, double factor = 1.0);
/// A 0-d constant tensor of `elementType`.
mlir::Value scalarConstant(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Type elementType, double value);
/// sum(x^2) over every element of `x`, as a 0-d tensor.
mlir::Value sumOfSquares(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x);
/// sum(x^2) over every element of every `xs` (the squared global norm of
/// gradients), as a 0-d tensor; null when `xs` is empty or mixes element
/// types, which one 0-d sum cannot hold.
mlir::Value totalSumOfSquares(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::ValueRange xs);

} // namespace kiln

#endif // KILN_COMPILER_TRAINING_TENSORMATH_H
