//===- KilnLayersToLinalg.cpp - Lower matmul and bias_add to linalg -------===//
//
// Matrix products become linalg's named matmul ops (oneDNN takes them after
// bufferization); bias_add becomes a linalg.generic.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/KilnToLinalg.h"
#include "dialects/kiln/IR/KilnDialect.h"

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

} // namespace

void kiln::lowering::populateLayerLoweringPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerMatmul, LowerBiasAdd>(patterns.getContext());
}
