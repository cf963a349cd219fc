//===- KilnRandomToLinalg.cpp - Lower the random ops to linalg ------------===//
//
// The training form draws one uniform number per element from a
// counter-based generator: MurmurHash3's 64-bit finaliser applied to
//   seed + stream * 0x9E3779B97F4A7C15 + index * 0xD1B54A32D192ED03
// (index = the element's row-major position), keeping the top 24 bits as
// u in [0, 1). An element survives when u >= rate. No state is stored, and
// the backward pass recomputes the same mask from the same inputs.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/KilnToLinalg.h"
#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lowering;

namespace {
Value i64Constant(OpBuilder &b, Location loc, uint64_t value) {
  return b.create<arith::ConstantOp>(
      loc, b.getI64IntegerAttr(static_cast<int64_t>(value)));
}

/// MurmurHash3's fmix64: a bijective mix whose output bits all depend on
/// every input bit.
Value mix64(OpBuilder &b, Location loc, Value h) {
  auto xorShift = [&](Value v) {
    return b.create<arith::XOrIOp>(
        loc, v, b.create<arith::ShRUIOp>(loc, v, i64Constant(b, loc, 33)));
  };
  h = xorShift(h);
  h = b.create<arith::MulIOp>(loc, h,
                              i64Constant(b, loc, 0xff51afd7ed558ccdULL));
  h = xorShift(h);
  h = b.create<arith::MulIOp>(loc, h,
                              i64Constant(b, loc, 0xc4ceb9fe1a85ec53ULL));
  return xorShift(h);
}

/// The element's row-major position in `type`, as i64.
Value linearIndex(OpBuilder &b, Location loc, RankedTensorType type) {
  Value index = i64Constant(b, loc, 0);
  for (int64_t dim = 0; dim < type.getRank(); ++dim) {
    Value size = i64Constant(b, loc, type.getDimSize(dim));
    Value at = b.create<arith::IndexCastOp>(
        loc, b.getI64Type(), b.create<linalg::IndexOp>(loc, dim));
    index = b.create<arith::AddIOp>(
        loc, b.create<arith::MulIOp>(loc, index, size), at);
  }
  return index;
}

struct LowerDropout : OpRewritePattern<DropoutOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DropoutOp op,
                                PatternRewriter &rewriter) const override {
    double rate = op.getRate().convertToDouble();
    if (!op.getTraining() || rate == 0.0) {
      rewriter.replaceOp(op, op.getInput());
      return success();
    }
    Location loc = op.getLoc();
    RankedTensorType type = op.getResult().getType();
    Value seed = rewriter.create<tensor::ExtractOp>(loc, op.getSeed());
    uint64_t stream =
        static_cast<uint64_t>(op.getStream()) * 0x9E3779B97F4A7C15ULL;
    Value mask = buildElementwise(
        rewriter, loc, type, op.getInput(),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Type element = type.getElementType();
          Value counter = b.create<arith::AddIOp>(
              l, b.create<arith::AddIOp>(l, seed, i64Constant(b, l, stream)),
              b.create<arith::MulIOp>(
                  l, linearIndex(b, l, type),
                  i64Constant(b, l, 0xD1B54A32D192ED03ULL)));
          Value bits = b.create<arith::ShRUIOp>(l, mix64(b, l, counter),
                                                i64Constant(b, l, 40));
          Value u = b.create<arith::MulFOp>(
              l, b.create<arith::UIToFPOp>(l, element, bits),
              floatConstant(b, l, element, 1.0 / (1 << 24)));
          Value keep =
              b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OGE, u,
                                      floatConstant(b, l, element, rate));
          Value scaled = b.create<arith::MulFOp>(
              l, args[0], floatConstant(b, l, element, 1.0 / (1.0 - rate)));
          return b.create<arith::SelectOp>(l, keep, scaled,
                                           floatConstant(b, l, element, 0.0));
        });
    rewriter.replaceOp(op, mask);
    return success();
  }
};
} // namespace

void kiln::lowering::populateRandomLoweringPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerDropout>(patterns.getContext());
}
