//===- KilnLayersToLinalg.cpp - Lower layer and loss ops to linalg --------===//
//
// Matrix products become linalg's named matmul ops (oneDNN takes them after
// bufferization); bias_add and the softmax cross-entropy pair become
// linalg.generic ops. The loss is computed stably as
//   logsumexp(x) - x[label] = log(sum(exp(x - max))) + max - x[label],
// and its gradient recomputes the same row statistics, which CSE merges with
// the forward ones when both are in one function.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/KilnToLinalg.h"
#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include <limits>

using namespace mlir;
using namespace kiln;
using namespace kiln::lowering;

namespace {
struct LowerMatmul : OpRewritePattern<MatmulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MatmulOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getResult().getType();
    Value lhs = op.getLhs(), rhs = op.getRhs();
    bool transposeLhs = op.getTransposeLhs();
    if (transposeLhs && op.getTransposeRhs()) {
      // Materialise lhs^T so one transposed operand remains.
      RankedTensorType lhsType = tensorType(lhs);
      auto transposed =
          RankedTensorType::get({lhsType.getDimSize(1), lhsType.getDimSize(0)},
                                lhsType.getElementType());
      AffineMap swap =
          AffineMap::getPermutationMap(ArrayRef<unsigned>{1, 0}, getContext());
      lhs = buildGeneric(
          rewriter, loc, emptyTensor(rewriter, loc, transposed), lhs, swap,
          rewriter.getMultiDimIdentityMap(2), {kParallel, kParallel},
          [](OpBuilder &, Location, ValueRange args) { return args[0]; });
      transposeLhs = false;
    }
    Value init = filledTensor(rewriter, loc, type, 0.0);
    Operation *product;
    if (op.getTransposeRhs())
      product = rewriter.create<linalg::MatmulTransposeBOp>(
          loc, TypeRange{type}, ValueRange{lhs, rhs}, ValueRange{init});
    else if (transposeLhs)
      product = rewriter.create<linalg::MatmulTransposeAOp>(
          loc, TypeRange{type}, ValueRange{lhs, rhs}, ValueRange{init});
    else
      product = rewriter.create<linalg::MatmulOp>(
          loc, TypeRange{type}, ValueRange{lhs, rhs}, ValueRange{init});
    rewriter.replaceOp(op, product->getResults());
    return success();
  }
};

struct LowerBiasAdd : OpRewritePattern<BiasAddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BiasAddOp op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType type = op.getResult().getType();
    unsigned rank = type.getRank();
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap channel =
        AffineMap::get(rank, 0, getAffineDimExpr(1, getContext()));
    rewriter.replaceOp(
        op, buildGeneric(
                rewriter, op.getLoc(), emptyTensor(rewriter, op.getLoc(), type),
                {op.getInput(), op.getBias()}, {identity, channel}, identity,
                SmallVector<utils::IteratorType>(rank, kParallel),
                [](OpBuilder &b, Location loc, ValueRange args) {
                  return b.create<arith::AddFOp>(loc, args[0], args[1]);
                }));
    return success();
  }
};

/// Per-row maximum and sum(exp(x - max)) of logits [B, C].
std::pair<Value, Value> buildRowStatistics(OpBuilder &b, Location loc,
                                           Value logits) {
  RankedTensorType type = tensorType(logits);
  auto rowType =
      RankedTensorType::get({type.getDimSize(0)}, type.getElementType());
  MLIRContext *ctx = b.getContext();
  AffineMap identity = b.getMultiDimIdentityMap(2);
  AffineMap row = AffineMap::get(2, 0, getAffineDimExpr(0, ctx));
  SmallVector<utils::IteratorType> iterators{kParallel, kReduction};
  Value max = buildGeneric(
      b, loc,
      filledTensor(b, loc, rowType, -std::numeric_limits<double>::infinity()),
      logits, identity, row, iterators,
      [](OpBuilder &nb, Location nl, ValueRange args) {
        return nb.create<arith::MaximumFOp>(nl, args[0], args[1]);
      });
  Value sum = buildGeneric(b, loc, filledTensor(b, loc, rowType, 0.0),
                           {logits, max}, {identity, row}, row, iterators,
                           [](OpBuilder &nb, Location nl, ValueRange args) {
                             Value shifted =
                                 nb.create<arith::SubFOp>(nl, args[0], args[1]);
                             Value exp = nb.create<math::ExpOp>(nl, shifted);
                             return nb.create<arith::AddFOp>(nl, exp, args[2]);
                           });
  return {max, sum};
}

struct LowerSoftmaxCrossEntropy : OpRewritePattern<SoftmaxCrossEntropyOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SoftmaxCrossEntropyOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value logits = op.getLogits();
    auto [max, sum] = buildRowStatistics(rewriter, loc, logits);
    rewriter.replaceOp(
        op,
        buildElementwise(
            rewriter, loc, op.getResult().getType(), {max, sum, op.getLabels()},
            [&](OpBuilder &b, Location nl, ValueRange args) {
              Value row = b.create<linalg::IndexOp>(nl, 0);
              Value label =
                  b.create<arith::IndexCastOp>(nl, b.getIndexType(), args[2]);
              Value picked = b.create<tensor::ExtractOp>(
                  nl, logits, ValueRange{row, label});
              Value logSum = b.create<math::LogOp>(nl, args[1]);
              Value shifted = b.create<arith::AddFOp>(nl, logSum, args[0]);
              return b.create<arith::SubFOp>(nl, shifted, picked);
            }));
    return success();
  }
};

struct LowerSoftmaxCrossEntropyGrad
    : OpRewritePattern<SoftmaxCrossEntropyGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SoftmaxCrossEntropyGradOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value logits = op.getLogits();
    RankedTensorType type = op.getResult().getType();
    auto [max, sum] = buildRowStatistics(rewriter, loc, logits);
    AffineMap identity = rewriter.getMultiDimIdentityMap(2);
    AffineMap row = AffineMap::get(2, 0, getAffineDimExpr(0, getContext()));
    rewriter.replaceOp(
        op,
        buildGeneric(
            rewriter, loc, emptyTensor(rewriter, loc, type),
            {logits, max, sum, op.getGrad(), op.getLabels()},
            {identity, row, row, row, row}, identity, {kParallel, kParallel},
            [&](OpBuilder &b, Location nl, ValueRange args) {
              Value shifted = b.create<arith::SubFOp>(nl, args[0], args[1]);
              Value exp = b.create<math::ExpOp>(nl, shifted);
              Value prob = b.create<arith::DivFOp>(nl, exp, args[2]);
              Value column = b.create<arith::IndexCastOp>(
                  nl, b.getI32Type(), b.create<linalg::IndexOp>(nl, 1));
              Value isLabel = b.create<arith::CmpIOp>(
                  nl, arith::CmpIPredicate::eq, column, args[4]);
              Type element = type.getElementType();
              Value target = b.create<arith::SelectOp>(
                  nl, isLabel, floatConstant(b, nl, element, 1.0),
                  floatConstant(b, nl, element, 0.0));
              Value diff = b.create<arith::SubFOp>(nl, prob, target);
              return b.create<arith::MulFOp>(nl, diff, args[3]);
            }));
    return success();
  }
};
} // namespace

void kiln::lowering::populateLayerLoweringPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerMatmul, LowerBiasAdd, LowerSoftmaxCrossEntropy,
               LowerSoftmaxCrossEntropyGrad>(patterns.getContext());
}
