//===- KilnNormToLinalg.cpp - Lower the normalizations to linalg ----------===//
//
// Batch normalization (statistics per channel) and `normalize` (statistics
// per leading index) share the statistics builders of NormStatistics.h.
// Local response normalization sums squares over a window of channels; the
// window may hang over the channel range, so it is a gather: each output
// element reads its window with tensor.extract at clamped indices and drops
// the positions outside (an indexing map could not leave the tensor).
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/KilnToLinalg.h"
#include "compiler/Conversion/NormStatistics.h"
#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <numeric>

using namespace mlir;
using namespace kiln;
using namespace kiln::lowering;

namespace kiln {
static Value scalarBody(RsqrtOp, OpBuilder &b, Location loc, ValueRange args) {
  // 1 / sqrt(.): math.rsqrt has no f64 lowering to LLVM.
  Value one = floatConstant(b, loc, args[0].getType(), 1.0);
  return b.create<arith::DivFOp>(loc, one,
                                 b.create<math::SqrtOp>(loc, args[0]));
}
} // namespace kiln

namespace {
struct LowerBatchNorm : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getResult().getType();
    StatisticsSpace space(rewriter, type, /*kept=*/{1});
    double epsilon = op.getEpsilon().convertToDouble();
    Value mean = op.getRunningMean(), invstd;
    Value newMean = op.getRunningMean(), newVar = op.getRunningVar();
    if (op.getTraining()) {
      Moments stats =
          buildMoments(rewriter, loc, space, op.getInput(), epsilon);
      mean = stats.mean;
      invstd = stats.invstd;
      double momentum = op.getMomentum().convertToDouble();
      double unbias = space.count / std::max<double>(space.count - 1, 1);
      auto blend = [&](Value running, Value batch, double factor) {
        return buildElementwise(
            rewriter, loc, space.statisticType, {running, batch},
            [&](OpBuilder &b, Location l, ValueRange args) {
              Type t = type.getElementType();
              Value keep = b.create<arith::MulFOp>(
                  l, args[0], floatConstant(b, l, t, 1.0 - momentum));
              Value add = b.create<arith::MulFOp>(
                  l, args[1], floatConstant(b, l, t, momentum * factor));
              return b.create<arith::AddFOp>(l, keep, add);
            });
      };
      newMean = blend(op.getRunningMean(), stats.mean, 1.0);
      newVar = blend(op.getRunningVar(), stats.variance, unbias);
    } else {
      invstd = inverseStd(rewriter, loc, space.statisticType,
                          op.getRunningVar(), epsilon);
    }
    Value y = buildNormalized(rewriter, loc, space, op.getInput(), mean, invstd,
                              op.getWeight(), op.getBias());
    rewriter.replaceOp(op, {y, newMean, newVar});
    return success();
  }
};

struct LowerBatchNormGrad : OpRewritePattern<BatchNormGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormGradOp op,
                                PatternRewriter &rewriter) const override {
    StatisticsSpace space(rewriter, op.getInput().getType(), /*kept=*/{1});
    NormalizedGrads grads = buildNormalizedGrads(
        rewriter, op.getLoc(), space, op.getGrad(), op.getInput(),
        op.getEpsilon().convertToDouble(), op.getWeight());
    rewriter.replaceOp(op, {grads.input, grads.weight, grads.bias});
    return success();
  }
};

/// The statistics space of normalize: one statistic per index of the
/// dimensions before `axis`.
StatisticsSpace leadingSpace(OpBuilder &b, RankedTensorType type,
                             int64_t axis) {
  SmallVector<int64_t> kept(axis);
  std::iota(kept.begin(), kept.end(), 0);
  return StatisticsSpace(b, type, kept);
}

struct LowerNormalize : OpRewritePattern<NormalizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(NormalizeOp op,
                                PatternRewriter &rewriter) const override {
    StatisticsSpace space =
        leadingSpace(rewriter, op.getInput().getType(), op.getAxis());
    Moments stats = buildMoments(rewriter, op.getLoc(), space, op.getInput(),
                                 op.getEpsilon().convertToDouble());
    rewriter.replaceOp(op, buildNormalized(rewriter, op.getLoc(), space,
                                           op.getInput(), stats.mean,
                                           stats.invstd));
    return success();
  }
};

struct LowerNormalizeGrad : OpRewritePattern<NormalizeGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(NormalizeGradOp op,
                                PatternRewriter &rewriter) const override {
    StatisticsSpace space =
        leadingSpace(rewriter, op.getInput().getType(), op.getAxis());
    rewriter.replaceOp(op, buildNormalizedGrads(
                               rewriter, op.getLoc(), space, op.getGrad(),
                               op.getInput(), op.getEpsilon().convertToDouble())
                               .input);
    return success();
  }
};

/// out[.., c, ..] = sum of term(source[.., c', ..]) over the channels c' in
/// [c - before, c + after] that exist.
Value channelWindowSum(OpBuilder &b, Location loc, Value source, int64_t before,
                       int64_t after,
                       function_ref<Value(OpBuilder &, Location, Value)> term) {
  RankedTensorType type = tensorType(source);
  unsigned rank = type.getRank();
  int64_t channels = type.getDimSize(1);
  return buildGeneric(
      b, loc, emptyTensor(b, loc, type), {}, {}, b.getMultiDimIdentityMap(rank),
      SmallVector<utils::IteratorType>(rank, kParallel),
      [&](OpBuilder &nb, Location nl, ValueRange) {
        SmallVector<Value> at;
        for (unsigned dim = 0; dim < rank; ++dim)
          at.push_back(nb.create<linalg::IndexOp>(nl, dim));
        Value channel = at[1];
        auto index = [&](int64_t value) {
          return nb.create<arith::ConstantIndexOp>(nl, value);
        };
        Value zero = floatConstant(nb, nl, type.getElementType(), 0.0);
        Value sum;
        // The window is small (LRN sizes are a few channels): unrolled, and
        // cut to the offsets that can reach a channel.
        for (int64_t offset = -std::min(before, channels - 1);
             offset <= std::min(after, channels - 1); ++offset) {
          Value shifted = nb.create<arith::AddIOp>(nl, channel, index(offset));
          at[1] = nb.create<arith::MinSIOp>(
              nl, nb.create<arith::MaxSIOp>(nl, shifted, index(0)),
              index(channels - 1));
          Value inside = nb.create<arith::CmpIOp>(nl, arith::CmpIPredicate::eq,
                                                  shifted, at[1]);
          Value value =
              term(nb, nl, nb.create<tensor::ExtractOp>(nl, source, at));
          Value kept = nb.create<arith::SelectOp>(nl, inside, value, zero);
          sum = sum ? nb.create<arith::AddFOp>(nl, sum, kept) : kept;
        }
        return sum;
      });
}

/// The attributes of local_response_norm and its gradient, and the builders
/// that use them.
struct ResponseNorm {
  int64_t size;
  double alpha, beta, k;

  template <typename Op>
  explicit ResponseNorm(Op op)
      : size(op.getSize()), alpha(op.getAlpha().convertToDouble()),
        beta(op.getBeta().convertToDouble()), k(op.getK().convertToDouble()) {}

  /// The window sums of squares of x: the forward window.
  Value squareSums(OpBuilder &b, Location loc, Value x) const {
    return channelWindowSum(b, loc, x, size / 2, (size - 1) / 2,
                            [](OpBuilder &nb, Location nl, Value v) -> Value {
                              return nb.create<arith::MulFOp>(nl, v, v);
                            });
  }

  /// (k + alpha / size * sum)^exponent.
  Value power(OpBuilder &b, Location loc, Value sum, double exponent) const {
    Type t = sum.getType();
    Value base = b.create<arith::AddFOp>(
        loc, floatConstant(b, loc, t, k),
        b.create<arith::MulFOp>(loc, sum,
                                floatConstant(b, loc, t, alpha / size)));
    return b.create<math::PowFOp>(loc, base,
                                  floatConstant(b, loc, t, exponent));
  }
};

struct LowerLocalResponseNorm : OpRewritePattern<LocalResponseNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LocalResponseNormOp op,
                                PatternRewriter &rewriter) const override {
    ResponseNorm norm(op);
    Location loc = op.getLoc();
    Value x = op.getInput();
    Value sums = norm.squareSums(rewriter, loc, x);
    rewriter.replaceOp(
        op, buildElementwise(rewriter, loc, op.getInput().getType(), {x, sums},
                             [&](OpBuilder &b, Location l, ValueRange args) {
                               return b.create<arith::MulFOp>(
                                   l, args[0],
                                   norm.power(b, l, args[1], -norm.beta));
                             }));
    return success();
  }
};

struct LowerLocalResponseNormGrad : OpRewritePattern<LocalResponseNormGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LocalResponseNormGradOp op,
                                PatternRewriter &rewriter) const override {
    ResponseNorm norm(op);
    Location loc = op.getLoc();
    RankedTensorType type = op.getInput().getType();
    Value g = op.getGrad(), x = op.getInput();
    Value sums = norm.squareSums(rewriter, loc, x);
    // t_c = g_c x_c s_c^(-beta - 1), summed over the mirrored window: the
    // channels c whose forward window holds j.
    Value t = buildElementwise(
        rewriter, loc, type, {g, x, sums},
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value gx = b.create<arith::MulFOp>(l, args[0], args[1]);
          return b.create<arith::MulFOp>(
              l, gx, norm.power(b, l, args[2], -norm.beta - 1));
        });
    Value spread =
        channelWindowSum(rewriter, loc, t, (norm.size - 1) / 2, norm.size / 2,
                         [](OpBuilder &, Location, Value v) { return v; });
    double factor = 2 * norm.alpha * norm.beta / norm.size;
    rewriter.replaceOp(
        op, buildElementwise(
                rewriter, loc, type, {g, x, sums, spread},
                [&](OpBuilder &b, Location l, ValueRange args) {
                  Value direct = b.create<arith::MulFOp>(
                      l, args[0], norm.power(b, l, args[2], -norm.beta));
                  Value cross = b.create<arith::MulFOp>(
                      l, b.create<arith::MulFOp>(l, args[1], args[3]),
                      floatConstant(b, l, type.getElementType(), factor));
                  return b.create<arith::SubFOp>(l, direct, cross);
                }));
    return success();
  }
};
} // namespace

void kiln::lowering::populateNormLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerBatchNorm, LowerBatchNormGrad, LowerNormalize,
               LowerNormalizeGrad, LowerLocalResponseNorm,
               LowerLocalResponseNormGrad, LowerElementwise<RsqrtOp>>(
      patterns.getContext());
}
