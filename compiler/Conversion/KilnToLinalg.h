//===- KilnToLinalg.h - Shared pieces of the linalg lowering ----*- C++ -*-===//
//
// Builders for the linalg.generic shapes the kiln lowering patterns share,
// and the entry points of the pattern files.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_CONVERSION_KILNTOLINALG_H
#define KILN_COMPILER_CONVERSION_KILNTOLINALG_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace kiln::lowering {

using BodyBuilder = llvm::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;
constexpr auto kParallel = mlir::utils::IteratorType::parallel;
constexpr auto kReduction = mlir::utils::IteratorType::reduction;

mlir::RankedTensorType tensorType(mlir::Value value);
mlir::Value floatConstant(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Type type, double value);
mlir::Value emptyTensor(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::RankedTensorType type);
/// A tensor of `type` filled with `value`: the init of a reduction.
mlir::Value filledTensor(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::RankedTensorType type, double value);
/// The map from a `rank`-dimensional iteration space to the dimensions that
/// are not in `axes`.
mlir::AffineMap dropAxes(mlir::MLIRContext *ctx, unsigned rank,
                         llvm::ArrayRef<int64_t> axes);
/// A linalg.generic writing `init`; `body` gets the input elements followed
/// by the current output element and returns the new output element.
mlir::Value buildGeneric(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value init, mlir::ValueRange inputs,
                         llvm::ArrayRef<mlir::AffineMap> inputMaps,
                         mlir::AffineMap outputMap,
                         llvm::ArrayRef<mlir::utils::IteratorType> iterators,
                         BodyBuilder body);
/// `sum + term` in the body of a sum reduction. Reassociable, so LLVM can
/// keep the sum in registers and vectorize it as BLAS libraries do; the
/// order is still fixed when the binary is built.
mlir::Value accumulate(mlir::OpBuilder &b, mlir::Location loc, mlir::Value sum,
                       mlir::Value term);
/// An elementwise generic producing `type` from same-shaped `inputs`.
mlir::Value buildElementwise(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::RankedTensorType type,
                             mlir::ValueRange inputs, BodyBuilder body);

/// Lowers the elementwise op `Op` to one linalg.generic. Its scalar
/// computation is an overload
///   mlir::Value scalarBody(Op, mlir::OpBuilder &, mlir::Location,
///                          mlir::ValueRange elements)
/// declared in namespace kiln (found by argument-dependent lookup) in the
/// file that instantiates the pattern, so each op family keeps its bodies.
template <typename Op> struct LowerElementwise : mlir::OpRewritePattern<Op> {
  using mlir::OpRewritePattern<Op>::OpRewritePattern;
  mlir::LogicalResult
  matchAndRewrite(Op op, mlir::PatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, buildElementwise(rewriter, op.getLoc(), tensorType(op.getResult()),
                             op->getOperands(),
                             [&](mlir::OpBuilder &b, mlir::Location loc,
                                 mlir::ValueRange args) {
                               return scalarBody(op, b, loc, args);
                             }));
    return mlir::success();
  }
};

/// The maximum and sum(exp(x - max)) of `x` along `axis`, which they drop:
/// the statistics of a stable softmax (KilnActivationsToLinalg.cpp).
std::pair<mlir::Value, mlir::Value> buildSoftmaxStatistics(mlir::OpBuilder &b,
                                                           mlir::Location loc,
                                                           mlir::Value x,
                                                           int64_t axis);

/// Patterns for matmul and bias_add (KilnLayersToLinalg.cpp).
void populateLayerLoweringPatterns(mlir::RewritePatternSet &patterns);
/// The normalizations and their gradients (KilnNormToLinalg.cpp).
void populateNormLoweringPatterns(mlir::RewritePatternSet &patterns);
/// Dropout (KilnRandomToLinalg.cpp).
void populateRandomLoweringPatterns(mlir::RewritePatternSet &patterns);
/// Activations (KilnActivationsToLinalg.cpp).
void populateActivationLoweringPatterns(mlir::RewritePatternSet &patterns);
/// Losses (KilnLossesToLinalg.cpp).
void populateLossLoweringPatterns(mlir::RewritePatternSet &patterns);
/// concat, transpose, slice (KilnStructureToLinalg.cpp).
void populateStructureLoweringPatterns(mlir::RewritePatternSet &patterns);
/// sqrt, div, max, add_scalar, rpow, pow, floor, cos (KilnMathToLinalg.cpp).
void populateMathLoweringPatterns(mlir::RewritePatternSet &patterns);

} // namespace kiln::lowering

#endif // KILN_COMPILER_CONVERSION_KILNTOLINALG_H
