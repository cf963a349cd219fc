//===- KilnLossesToLinalg.cpp - Lower loss ops to linalg ------------------===//
//
// Losses over class scores [N, C, ...] iterate over the label positions
// [N, ...] and read the labelled score with tensor.extract; their gradients
// iterate over the scores and compare the class index with the label.
// Cross-entropy is computed stably as
//   logsumexp(x) - x[label] = log(sum(exp(x - max))) + max - x[label],
// and its gradient recomputes the same statistics, which CSE merges with the
// forward ones when both are in one function.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/KilnToLinalg.h"
#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lowering;

// Binary cross-entropy with logits: max(x, 0) - x t + log1p(exp(-|x|)).
// Found by LowerElementwise through argument-dependent lookup.
namespace kiln {
static Value scalarBody(BceWithLogitsOp, OpBuilder &b, Location loc,
                        ValueRange args) {
  Value x = args[0], t = args[1];
  Value positive = b.create<arith::MaximumFOp>(
      loc, x, floatConstant(b, loc, x.getType(), 0));
  Value negAbs = b.create<arith::NegFOp>(loc, b.create<math::AbsFOp>(loc, x));
  Value softplus =
      b.create<math::Log1pOp>(loc, b.create<math::ExpOp>(loc, negAbs));
  Value linear = b.create<arith::SubFOp>(loc, positive,
                                         b.create<arith::MulFOp>(loc, x, t));
  return b.create<arith::AddFOp>(loc, linear, softplus);
}
} // namespace kiln

namespace {
constexpr int64_t kClassAxis = 1;

/// Inside a generic over label positions [N, ...]: scores[n, label, ...].
Value extractAtLabel(OpBuilder &b, Location loc, Value scores, Value label) {
  unsigned rank = tensorType(scores).getRank();
  SmallVector<Value> indices;
  for (unsigned dim = 0; dim + 1 < rank; ++dim)
    indices.push_back(b.create<linalg::IndexOp>(loc, dim));
  indices.insert(indices.begin() + kClassAxis,
                 b.create<arith::IndexCastOp>(loc, b.getIndexType(), label));
  return b.create<tensor::ExtractOp>(loc, scores, indices);
}

/// Inside a generic over scores [N, C, ...]: whether the class index equals
/// the (i32) label.
Value isLabelledClass(OpBuilder &b, Location loc, Value label) {
  Value column = b.create<arith::IndexCastOp>(
      loc, b.getI32Type(), b.create<linalg::IndexOp>(loc, kClassAxis));
  return b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, column, label);
}

/// A generic over scores of `type` [N, C, ...] reading `scores`, shaped like
/// the result, and then `perPosition` inputs, shaped like the labels.
Value buildOverScores(OpBuilder &b, Location loc, RankedTensorType type,
                      ValueRange scores, ValueRange perPosition,
                      BodyBuilder body) {
  unsigned rank = type.getRank();
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  SmallVector<AffineMap> maps(scores.size(), identity);
  maps.append(perPosition.size(), dropAxes(b.getContext(), rank, kClassAxis));
  SmallVector<Value> inputs(scores);
  inputs.append(perPosition.begin(), perPosition.end());
  return buildGeneric(b, loc, emptyTensor(b, loc, type), inputs, maps, identity,
                      SmallVector<utils::IteratorType>(rank, kParallel), body);
}

struct LowerSoftmaxCrossEntropy : OpRewritePattern<SoftmaxCrossEntropyOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SoftmaxCrossEntropyOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value logits = op.getLogits();
    double smoothing = op.getLabelSmoothing().convertToDouble();
    auto [max, sum] = buildSoftmaxStatistics(rewriter, loc, logits, kClassAxis);
    SmallVector<Value> inputs{max, sum, op.getLabels()};
    RankedTensorType type = tensorType(logits);
    if (smoothing != 0.0) {
      // Label smoothing adds eps * mean over classes of (lse - x[c]).
      unsigned rank = type.getRank();
      SmallVector<utils::IteratorType> iterators(rank, kParallel);
      iterators[kClassAxis] = kReduction;
      inputs.push_back(buildGeneric(
          rewriter, loc, filledTensor(rewriter, loc, tensorType(max), 0.0),
          logits, rewriter.getMultiDimIdentityMap(rank),
          dropAxes(getContext(), rank, kClassAxis), iterators,
          [](OpBuilder &b, Location nl, ValueRange args) {
            return accumulate(b, nl, args[1], args[0]);
          }));
    }
    int64_t classes = type.getDimSize(kClassAxis);
    rewriter.replaceOp(
        op, buildElementwise(
                rewriter, loc, op.getResult().getType(), inputs,
                [&](OpBuilder &b, Location nl, ValueRange args) {
                  Type element = args[0].getType();
                  Value picked = extractAtLabel(b, nl, logits, args[2]);
                  Value logSum = b.create<math::LogOp>(nl, args[1]);
                  Value lse = b.create<arith::AddFOp>(nl, logSum, args[0]);
                  if (smoothing == 0.0)
                    return b.create<arith::SubFOp>(nl, lse, picked);
                  Value target = b.create<arith::MulFOp>(
                      nl, picked, floatConstant(b, nl, element, 1 - smoothing));
                  Value spread = b.create<arith::MulFOp>(
                      nl, args[3],
                      floatConstant(b, nl, element, smoothing / classes));
                  Value loss = b.create<arith::SubFOp>(nl, lse, target);
                  return b.create<arith::SubFOp>(nl, loss, spread);
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
    double smoothing = op.getLabelSmoothing().convertToDouble();
    double offLabel = smoothing / type.getDimSize(kClassAxis);
    auto [max, sum] = buildSoftmaxStatistics(rewriter, loc, logits, kClassAxis);
    rewriter.replaceOp(
        op, buildOverScores(
                rewriter, loc, type, logits,
                {max, sum, op.getGrad(), op.getLabels()},
                [&](OpBuilder &b, Location nl, ValueRange args) {
                  Value shifted = b.create<arith::SubFOp>(nl, args[0], args[1]);
                  Value exp = b.create<math::ExpOp>(nl, shifted);
                  Value prob = b.create<arith::DivFOp>(nl, exp, args[2]);
                  Type element = type.getElementType();
                  Value target = b.create<arith::SelectOp>(
                      nl, isLabelledClass(b, nl, args[4]),
                      floatConstant(b, nl, element, 1 - smoothing + offLabel),
                      floatConstant(b, nl, element, offLabel));
                  Value diff = b.create<arith::SubFOp>(nl, prob, target);
                  return b.create<arith::MulFOp>(nl, diff, args[3]);
                }));
    return success();
  }
};

struct LowerNll : OpRewritePattern<NllOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(NllOp op,
                                PatternRewriter &rewriter) const override {
    Value scores = op.getLogProbs();
    rewriter.replaceOp(
        op, buildElementwise(rewriter, op.getLoc(), op.getResult().getType(),
                             op.getLabels(),
                             [&](OpBuilder &b, Location nl, ValueRange args) {
                               return b.create<arith::NegFOp>(
                                   nl, extractAtLabel(b, nl, scores, args[0]));
                             }));
    return success();
  }
};

struct LowerNllGrad : OpRewritePattern<NllGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(NllGradOp op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType type = op.getResult().getType();
    rewriter.replaceOp(
        op, buildOverScores(
                rewriter, op.getLoc(), type, {}, {op.getGrad(), op.getLabels()},
                [&](OpBuilder &b, Location nl, ValueRange args) {
                  Value zero = floatConstant(b, nl, type.getElementType(), 0);
                  return b.create<arith::SelectOp>(
                      nl, isLabelledClass(b, nl, args[1]),
                      b.create<arith::NegFOp>(nl, args[0]), zero);
                }));
    return success();
  }
};
} // namespace

void kiln::lowering::populateLossLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerElementwise<BceWithLogitsOp>, LowerSoftmaxCrossEntropy,
               LowerSoftmaxCrossEntropyGrad, LowerNll, LowerNllGrad>(
      patterns.getContext());
}
