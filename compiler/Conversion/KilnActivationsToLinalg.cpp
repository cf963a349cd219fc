//===- KilnActivationsToLinalg.cpp - Lower activations to linalg ----------===//
//
// Elementwise activations reuse the shared elementwise pattern with one
// scalar body each, written as PyTorch's CPU kernels compute them (softplus'
// threshold, elu with expm1, gelu with erf). softmax and log_softmax
// subtract the maximum along the axis before exponentiating, so they neither
// overflow nor lose the largest terms; the losses reuse the same statistics.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/KilnToLinalg.h"
#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace kiln;
using namespace kiln::lowering;

namespace {
Value constant(OpBuilder &b, Location loc, Value like, double value) {
  return floatConstant(b, loc, like.getType(), value);
}

Value isPositive(OpBuilder &b, Location loc, Value x) {
  return b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT, x,
                                 constant(b, loc, x, 0.0));
}

/// 1 / (1 + exp(-x)), which saturates to 0 or 1 without overflow.
Value sigmoid(OpBuilder &b, Location loc, Value x) {
  Value one = constant(b, loc, x, 1.0);
  Value exp = b.create<math::ExpOp>(loc, b.create<arith::NegFOp>(loc, x));
  return b.create<arith::DivFOp>(loc, one,
                                 b.create<arith::AddFOp>(loc, exp, one));
}

/// The standard normal CDF: 0.5 * (1 + erf(x / sqrt(2))).
Value normalCdf(OpBuilder &b, Location loc, Value x) {
  Value scaled =
      b.create<arith::MulFOp>(loc, x, constant(b, loc, x, M_SQRT1_2));
  Value erf = b.create<math::ErfOp>(loc, scaled);
  Value shifted = b.create<arith::AddFOp>(loc, erf, constant(b, loc, x, 1.0));
  return b.create<arith::MulFOp>(loc, shifted, constant(b, loc, x, 0.5));
}

/// 1 + |x|, the denominator of softsign.
Value onePlusAbs(OpBuilder &b, Location loc, Value x) {
  return b.create<arith::AddFOp>(loc, b.create<math::AbsFOp>(loc, x),
                                 constant(b, loc, x, 1.0));
}
} // namespace

// Found by LowerElementwise through argument-dependent lookup.
namespace kiln {
static Value scalarBody(SigmoidOp, OpBuilder &b, Location loc,
                        ValueRange args) {
  return sigmoid(b, loc, args[0]);
}

static Value scalarBody(TanhOp, OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::TanhOp>(loc, args[0]);
}

static Value scalarBody(LeakyReluOp op, OpBuilder &b, Location loc,
                        ValueRange args) {
  Value x = args[0];
  Value slope = constant(b, loc, x, op.getNegativeSlope().convertToDouble());
  return b.create<arith::SelectOp>(loc, isPositive(b, loc, x), x,
                                   b.create<arith::MulFOp>(loc, x, slope));
}

static Value scalarBody(EluOp op, OpBuilder &b, Location loc, ValueRange args) {
  Value x = args[0];
  Value alpha = constant(b, loc, x, op.getAlpha().convertToDouble());
  Value negative =
      b.create<arith::MulFOp>(loc, b.create<math::ExpM1Op>(loc, x), alpha);
  return b.create<arith::SelectOp>(loc, isPositive(b, loc, x), x, negative);
}

static Value scalarBody(SoftsignOp, OpBuilder &b, Location loc,
                        ValueRange args) {
  return b.create<arith::DivFOp>(loc, args[0], onePlusAbs(b, loc, args[0]));
}

static Value scalarBody(SoftsignGradOp, OpBuilder &b, Location loc,
                        ValueRange args) {
  Value denominator = onePlusAbs(b, loc, args[1]);
  Value squared = b.create<arith::MulFOp>(loc, denominator, denominator);
  return b.create<arith::DivFOp>(loc, args[0], squared);
}

/// Whether softplus is linear at `x`: beta * x > threshold.
template <typename Op>
static Value softplusIsLinear(Op op, OpBuilder &b, Location loc, Value x) {
  Value beta = constant(b, loc, x, op.getBeta().convertToDouble());
  return b.create<arith::CmpFOp>(
      loc, arith::CmpFPredicate::OGT, b.create<arith::MulFOp>(loc, x, beta),
      constant(b, loc, x, op.getThreshold().convertToDouble()));
}

static Value scalarBody(SoftplusOp op, OpBuilder &b, Location loc,
                        ValueRange args) {
  Value x = args[0];
  Value beta = constant(b, loc, x, op.getBeta().convertToDouble());
  Value exp = b.create<math::ExpOp>(loc, b.create<arith::MulFOp>(loc, x, beta));
  Value smooth =
      b.create<arith::DivFOp>(loc, b.create<math::Log1pOp>(loc, exp), beta);
  return b.create<arith::SelectOp>(loc, softplusIsLinear(op, b, loc, x), x,
                                   smooth);
}

static Value scalarBody(SoftplusGradOp op, OpBuilder &b, Location loc,
                        ValueRange args) {
  Value g = args[0], x = args[1];
  Value beta = constant(b, loc, x, op.getBeta().convertToDouble());
  Value slope = sigmoid(b, loc, b.create<arith::MulFOp>(loc, x, beta));
  return b.create<arith::SelectOp>(loc, softplusIsLinear(op, b, loc, x), g,
                                   b.create<arith::MulFOp>(loc, g, slope));
}

static Value scalarBody(GeluOp, OpBuilder &b, Location loc, ValueRange args) {
  return b.create<arith::MulFOp>(loc, args[0], normalCdf(b, loc, args[0]));
}

// g * (Phi(x) + x * phi(x)) with phi(x) = exp(-x^2 / 2) / sqrt(2 pi).
static Value scalarBody(GeluGradOp, OpBuilder &b, Location loc,
                        ValueRange args) {
  Value x = args[1];
  Value square = b.create<arith::MulFOp>(loc, x, x);
  Value exponent =
      b.create<arith::MulFOp>(loc, square, constant(b, loc, x, -0.5));
  Value density =
      b.create<arith::MulFOp>(loc, b.create<math::ExpOp>(loc, exponent),
                              constant(b, loc, x, 1.0 / std::sqrt(2.0 * M_PI)));
  Value slope = b.create<arith::AddFOp>(
      loc, normalCdf(b, loc, x), b.create<arith::MulFOp>(loc, x, density));
  return b.create<arith::MulFOp>(loc, args[0], slope);
}
} // namespace kiln

std::pair<Value, Value> lowering::buildSoftmaxStatistics(OpBuilder &b,
                                                         Location loc, Value x,
                                                         int64_t axis) {
  RankedTensorType type = tensorType(x);
  unsigned rank = type.getRank();
  SmallVector<int64_t> kept(type.getShape());
  kept.erase(kept.begin() + axis);
  auto statsType = RankedTensorType::get(kept, type.getElementType());
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  AffineMap reduced = dropAxes(b.getContext(), rank, axis);
  SmallVector<utils::IteratorType> iterators(rank, kParallel);
  iterators[axis] = kReduction;
  Value max = buildGeneric(
      b, loc,
      filledTensor(b, loc, statsType, -std::numeric_limits<double>::infinity()),
      x, identity, reduced, iterators,
      [](OpBuilder &nb, Location nl, ValueRange args) {
        return nb.create<arith::MaximumFOp>(nl, args[0], args[1]);
      });
  Value sum = buildGeneric(b, loc, filledTensor(b, loc, statsType, 0.0),
                           {x, max}, {identity, reduced}, reduced, iterators,
                           [](OpBuilder &nb, Location nl, ValueRange args) {
                             Value shifted =
                                 nb.create<arith::SubFOp>(nl, args[0], args[1]);
                             Value exp = nb.create<math::ExpOp>(nl, shifted);
                             return accumulate(nb, nl, args[2], exp);
                           });
  return {max, sum};
}

namespace {
/// softmax and log_softmax: one elementwise map of (x, max, sum) after the
/// statistics along the axis.
template <typename Op> struct LowerSoftmaxFamily : OpRewritePattern<Op> {
  using OpRewritePattern<Op>::OpRewritePattern;
  LogicalResult matchAndRewrite(Op op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = op.getInput();
    int64_t axis = op.getAxisAttr().getInt();
    auto [max, sum] = buildSoftmaxStatistics(rewriter, loc, x, axis);
    RankedTensorType type = op.getResult().getType();
    unsigned rank = type.getRank();
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap reduced = dropAxes(rewriter.getContext(), rank, axis);
    rewriter.replaceOp(
        op, buildGeneric(rewriter, loc, emptyTensor(rewriter, loc, type),
                         {x, max, sum}, {identity, reduced, reduced}, identity,
                         SmallVector<utils::IteratorType>(rank, kParallel),
                         [](OpBuilder &b, Location nl, ValueRange args) {
                           Value shifted =
                               b.create<arith::SubFOp>(nl, args[0], args[1]);
                           return normalize(Op(), b, nl, shifted, args[2]);
                         }));
    return success();
  }

  static Value normalize(SoftmaxOp, OpBuilder &b, Location loc, Value shifted,
                         Value sum) {
    return b.create<arith::DivFOp>(loc, b.create<math::ExpOp>(loc, shifted),
                                   sum);
  }
  static Value normalize(LogSoftmaxOp, OpBuilder &b, Location loc,
                         Value shifted, Value sum) {
    return b.create<arith::SubFOp>(loc, shifted,
                                   b.create<math::LogOp>(loc, sum));
  }
};
} // namespace

void kiln::lowering::populateActivationLoweringPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerElementwise<SigmoidOp>, LowerElementwise<TanhOp>,
               LowerElementwise<LeakyReluOp>, LowerElementwise<EluOp>,
               LowerElementwise<SoftsignOp>, LowerElementwise<SoftsignGradOp>,
               LowerElementwise<SoftplusOp>, LowerElementwise<SoftplusGradOp>,
               LowerElementwise<GeluOp>, LowerElementwise<GeluGradOp>,
               LowerSoftmaxFamily<SoftmaxOp>, LowerSoftmaxFamily<LogSoftmaxOp>>(
      patterns.getContext());
}
