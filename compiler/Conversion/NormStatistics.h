//===- NormStatistics.h - Statistics of the normalizations ------*- C++ -*-===//
//
// Batch normalization keeps the channel dimension and reduces the others;
// `normalize` (layer, group and instance normalization) keeps the leading
// dimensions and reduces the trailing ones. Both are "mean and variance over
// every dimension but some", so one set of builders computes the
// statistics, the normalized output and its gradient for both, and the
// forward and backward lowerings cannot drift apart.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_CONVERSION_NORMSTATISTICS_H
#define KILN_COMPILER_CONVERSION_NORMSTATISTICS_H

#include "compiler/Conversion/KilnToLinalg.h"

namespace kiln::lowering {

/// Maps and iterators for statistics of a tensor taken over all dimensions
/// but the `kept` ones: one statistic per index of the kept dimensions.
struct StatisticsSpace {
  mlir::AffineMap identity;
  /// From the tensor's iteration space to its statistic's index.
  mlir::AffineMap statistic;
  llvm::SmallVector<mlir::utils::IteratorType> reduceOthers, parallel;
  /// The type of a tensor of statistics: the kept dimensions.
  mlir::RankedTensorType statisticType;
  /// The number of elements each statistic summarizes.
  int64_t count;

  StatisticsSpace(mlir::OpBuilder &b, mlir::RankedTensorType type,
                  llvm::ArrayRef<int64_t> kept);
};

/// Per-statistic sum of term(x element, elements of `perStatistic`...).
mlir::Value statisticSum(mlir::OpBuilder &b, mlir::Location loc,
                         const StatisticsSpace &space, mlir::Value x,
                         mlir::ValueRange perStatistic, BodyBuilder term);

/// 1 / sqrt(variance + epsilon), elementwise over `type`.
mlir::Value inverseStd(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::RankedTensorType type, mlir::Value variance,
                       double epsilon);

struct Moments {
  mlir::Value mean, variance, invstd; // variance is biased
};

/// The mean, biased variance and inverse standard deviation of `x` in
/// `space`.
Moments buildMoments(mlir::OpBuilder &b, mlir::Location loc,
                     const StatisticsSpace &space, mlir::Value x,
                     double epsilon);

/// (x - mean) * invstd, then times `weight` and plus `bias` where given; all
/// but `x` are statistic-shaped.
mlir::Value buildNormalized(mlir::OpBuilder &b, mlir::Location loc,
                            const StatisticsSpace &space, mlir::Value x,
                            mlir::Value mean, mlir::Value invstd,
                            mlir::Value weight = {}, mlir::Value bias = {});

struct NormalizedGrads {
  mlir::Value input;
  /// sum(g * xhat) and sum(g) per statistic: the gradients of a
  /// statistic-shaped weight and bias.
  mlir::Value weight, bias;
};

/// The gradients of buildNormalized with batch statistics recomputed from
/// `x` (and the statistic-shaped `weight` where given), for the output
/// gradient `g`.
NormalizedGrads buildNormalizedGrads(mlir::OpBuilder &b, mlir::Location loc,
                                     const StatisticsSpace &space,
                                     mlir::Value g, mlir::Value x,
                                     double epsilon, mlir::Value weight = {});

} // namespace kiln::lowering

#endif // KILN_COMPILER_CONVERSION_NORMSTATISTICS_H
