//===- KilnStructureToLinalg.cpp - Lower concat, transpose, slice ---------===//
//
// transpose and the channel-blocking pair are generics reading their input
// through an indexing map (permuted; splitting or joining the channel
// index), so they fuse with elementwise neighbours. slice, concat and
// slice_grad iterate over their result and gather with tensor.extract
// (concat and slice_grad at clamped indices, selecting the element that
// applies, since their positions come from different inputs or from none).
// Writing through tensor.insert_slice instead would bufferize to strided
// memref.copy calls, which need MLIR's C runner library at run time.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/KilnToLinalg.h"
#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lowering;

namespace {
Value indexConstant(OpBuilder &b, Location loc, int64_t value) {
  return b.create<arith::ConstantIndexOp>(loc, value);
}

/// A generic over `type` that computes each element from its indices alone.
Value buildGather(OpBuilder &b, Location loc, RankedTensorType type,
                  function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  unsigned rank = type.getRank();
  return buildGeneric(
      b, loc, emptyTensor(b, loc, type), {}, {}, b.getMultiDimIdentityMap(rank),
      SmallVector<utils::IteratorType>(rank, kParallel),
      [&](OpBuilder &nb, Location nl, ValueRange) {
        SmallVector<Value> indices;
        for (unsigned dim = 0; dim < rank; ++dim)
          indices.push_back(nb.create<linalg::IndexOp>(nl, dim));
        return body(nb, nl, indices);
      });
}

/// Reads `source` at `indices`, except along `axis`, where it reads
/// `indices[axis] - offset` clamped into the source. Also returns whether
/// that position lies in [offset, offset + size).
std::pair<Value, Value> readShifted(OpBuilder &b, Location loc, Value source,
                                    ValueRange indices, int64_t axis,
                                    int64_t offset) {
  int64_t size = tensorType(source).getDimSize(axis);
  Value shifted = b.create<arith::SubIOp>(loc, indices[axis],
                                          indexConstant(b, loc, offset));
  Value clamped = b.create<arith::MinSIOp>(
      loc, b.create<arith::MaxSIOp>(loc, shifted, indexConstant(b, loc, 0)),
      indexConstant(b, loc, size - 1));
  SmallVector<Value> at(indices);
  at[axis] = clamped;
  Value inside =
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, shifted, clamped);
  return {b.create<tensor::ExtractOp>(loc, source, at), inside};
}

/// A generic over `type` whose element at the loop indices is `input`'s at
/// `reads` (one expression of the loop indices per input dimension).
Value copyThrough(OpBuilder &b, Location loc, Value input,
                  RankedTensorType type, ArrayRef<AffineExpr> reads) {
  unsigned rank = type.getRank();
  return buildGeneric(
      b, loc, emptyTensor(b, loc, type), input,
      AffineMap::get(rank, 0, reads, b.getContext()),
      b.getMultiDimIdentityMap(rank),
      SmallVector<utils::IteratorType>(rank, kParallel),
      [](OpBuilder &, Location, ValueRange args) { return args[0]; });
}

struct LowerConcat : OpRewritePattern<ConcatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConcatOp op,
                                PatternRewriter &rewriter) const override {
    int64_t axis = op.getAxisAttr().getInt();
    rewriter.replaceOp(
        op, buildGather(rewriter, op.getLoc(), op.getResult().getType(),
                        [&](OpBuilder &b, Location loc, ValueRange indices) {
                          Value result;
                          int64_t offset = 0;
                          for (Value input : op.getInputs()) {
                            auto [value, inside] = readShifted(
                                b, loc, input, indices, axis, offset);
                            result = result ? b.create<arith::SelectOp>(
                                                  loc, inside, value, result)
                                            : value;
                            offset += tensorType(input).getDimSize(axis);
                          }
                          return result;
                        }));
    return success();
  }
};

struct LowerSliceGrad : OpRewritePattern<SliceGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SliceGradOp op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType type = op.getResult().getType();
    rewriter.replaceOp(
        op, buildGather(rewriter, op.getLoc(), type,
                        [&](OpBuilder &b, Location loc, ValueRange indices) {
                          auto [value, inside] =
                              readShifted(b, loc, op.getGrad(), indices,
                                          op.getAxisAttr().getInt(),
                                          op.getStartAttr().getInt());
                          Value zero =
                              floatConstant(b, loc, type.getElementType(), 0.0);
                          return b.create<arith::SelectOp>(loc, inside, value,
                                                           zero);
                        }));
    return success();
  }
};

struct LowerTranspose : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    // Result dimension i reads input dimension permutation[i].
    SmallVector<AffineExpr> reads(op.getPermutation().size());
    for (auto [dim, source] : llvm::enumerate(op.getPermutation()))
      reads[source] = rewriter.getAffineDimExpr(dim);
    rewriter.replaceOp(op, copyThrough(rewriter, op.getLoc(), op.getInput(),
                                       op.getResult().getType(), reads));
    return success();
  }
};

/// block_channels and unblock_channels read their input through a map that
/// splits or joins the channel index: result (n, cb, h, w, c) reads
/// (n, cb * b + c, h, w), and result (n, c, h, w) reads
/// (n, c floordiv b, h, w, c mod b).
template <typename Op> struct LowerChannelBlocking : OpRewritePattern<Op> {
  using OpRewritePattern<Op>::OpRewritePattern;
  LogicalResult matchAndRewrite(Op op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType type = op.getResult().getType();
    auto d = [&](unsigned i) { return rewriter.getAffineDimExpr(i); };
    SmallVector<AffineExpr> reads;
    if constexpr (std::is_same_v<Op, BlockChannelsOp>) {
      reads = {d(0), d(1) * type.getDimSize(4) + d(4), d(2), d(3)};
    } else {
      int64_t block = tensorType(op.getInput()).getDimSize(4);
      reads = {d(0), d(1).floorDiv(block), d(2), d(3), d(1) % block};
    }
    rewriter.replaceOp(
        op, copyThrough(rewriter, op.getLoc(), op.getInput(), type, reads));
    return success();
  }
};

/// A gather rather than a shifted indexing map: with start 0 the map would be
/// the identity, and linalg would take the loop size from the input.
struct LowerSlice : OpRewritePattern<SliceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SliceOp op,
                                PatternRewriter &rewriter) const override {
    int64_t axis = op.getAxisAttr().getInt();
    rewriter.replaceOp(
        op, buildGather(
                rewriter, op.getLoc(), op.getResult().getType(),
                [&](OpBuilder &b, Location loc, ValueRange indices) {
                  SmallVector<Value> at(indices);
                  at[axis] = b.create<arith::AddIOp>(
                      loc, at[axis],
                      indexConstant(b, loc, op.getStartAttr().getInt()));
                  return b.create<tensor::ExtractOp>(loc, op.getInput(), at);
                }));
    return success();
  }
};
} // namespace

void kiln::lowering::populateStructureLoweringPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerConcat, LowerSliceGrad, LowerTranspose, LowerSlice,
               LowerChannelBlocking<BlockChannelsOp>,
               LowerChannelBlocking<UnblockChannelsOp>>(patterns.getContext());
}
