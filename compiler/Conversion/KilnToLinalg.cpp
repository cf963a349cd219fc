//===- KilnToLinalg.cpp - Lower kiln ops to linalg on tensors -------------===//
//
// One rewrite pattern per kiln op. Elementwise ops, reductions and the loss
// become linalg.generic ops, so upstream fusion, tiling and bufferization
// apply to them; matrix products become linalg's named matmul ops, which a
// later pass hands to oneDNN. Shapes are static, so no dynamic dimensions
// appear anywhere.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/KilnToLinalg.h"
#include "compiler/Conversion/Passes.h"
#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/Transforms/DialectConversion.h"

namespace kiln {
#define GEN_PASS_DEF_CONVERTKILNTOLINALG
#include "compiler/Conversion/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;
using namespace kiln::lowering;

//===----------------------------------------------------------------------===//
// Elementwise ops: one scalar body each for the shared pattern, in namespace
// kiln for argument-dependent lookup.
//===----------------------------------------------------------------------===//

namespace kiln {
static Value scalarBody(AddOp, OpBuilder &b, Location loc, ValueRange args) {
  return b.create<arith::AddFOp>(loc, args[0], args[1]);
}
static Value scalarBody(SubOp, OpBuilder &b, Location loc, ValueRange args) {
  return b.create<arith::SubFOp>(loc, args[0], args[1]);
}
static Value scalarBody(MulOp, OpBuilder &b, Location loc, ValueRange args) {
  return b.create<arith::MulFOp>(loc, args[0], args[1]);
}
static Value scalarBody(ScaleOp op, OpBuilder &b, Location loc,
                        ValueRange args) {
  Value factor = floatConstant(b, loc, args[0].getType(),
                               op.getFactorAttr().getValueAsDouble());
  return b.create<arith::MulFOp>(loc, args[0], factor);
}
// maximumf/minimumf propagate NaN, as torch.clamp does.
static Value scalarBody(ClampOp op, OpBuilder &b, Location loc,
                        ValueRange args) {
  Value x = args[0];
  if (FloatAttr min = op.getMinAttr())
    x = b.create<arith::MaximumFOp>(
        loc, x, floatConstant(b, loc, x.getType(), min.getValueAsDouble()));
  if (FloatAttr max = op.getMaxAttr())
    x = b.create<arith::MinimumFOp>(
        loc, x, floatConstant(b, loc, x.getType(), max.getValueAsDouble()));
  return x;
}
static Value scalarBody(ReluOp, OpBuilder &b, Location loc, ValueRange args) {
  Value zero = floatConstant(b, loc, args[0].getType(), 0.0);
  return b.create<arith::MaximumFOp>(loc, args[0], zero);
}
static Value scalarBody(ReluGradOp, OpBuilder &b, Location loc,
                        ValueRange args) {
  Value zero = floatConstant(b, loc, args[0].getType(), 0.0);
  Value positive =
      b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT, args[1], zero);
  return b.create<arith::SelectOp>(loc, positive, args[0], zero);
}
} // namespace kiln

namespace {
//===----------------------------------------------------------------------===//
// Structure
//===----------------------------------------------------------------------===//

/// Reshape goes through a 1-D view: collapsing all dimensions and expanding
/// them again are both valid reassociations, and both bufferize to views.
struct LowerReshape : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType in = op.getInput().getType();
    RankedTensorType out = op.getResult().getType();
    if (in.getRank() == 0 || out.getRank() == 0)
      return rewriter.notifyMatchFailure(op, "scalar reshapes are unsupported");
    auto all = [](int64_t rank) {
      ReassociationIndices dims;
      for (int64_t d = 0; d < rank; ++d)
        dims.push_back(d);
      return SmallVector<ReassociationIndices>{dims};
    };
    Value flat = op.getInput();
    if (in.getRank() > 1)
      flat = rewriter.create<tensor::CollapseShapeOp>(op.getLoc(), flat,
                                                      all(in.getRank()));
    if (out.getRank() > 1)
      flat = rewriter.create<tensor::ExpandShapeOp>(op.getLoc(), out, flat,
                                                    all(out.getRank()));
    rewriter.replaceOp(op, flat);
    return success();
  }
};

struct LowerBroadcast : OpRewritePattern<BroadcastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BroadcastOp op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType type = op.getResult().getType();
    unsigned rank = type.getRank();
    rewriter.replaceOp(
        op,
        buildGeneric(
            rewriter, op.getLoc(), emptyTensor(rewriter, op.getLoc(), type),
            op.getInput(), dropAxes(getContext(), rank, op.getAxes()),
            rewriter.getMultiDimIdentityMap(rank),
            SmallVector<utils::IteratorType>(rank, kParallel),
            [](OpBuilder &, Location, ValueRange args) { return args[0]; }));
    return success();
  }
};

struct LowerReduceSum : OpRewritePattern<ReduceSumOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReduceSumOp op,
                                PatternRewriter &rewriter) const override {
    unsigned rank = op.getInput().getType().getRank();
    SmallVector<utils::IteratorType> iterators(rank, kParallel);
    for (int64_t axis : op.getAxes())
      iterators[axis] = kReduction;
    Value init =
        filledTensor(rewriter, op.getLoc(), op.getResult().getType(), 0.0);
    rewriter.replaceOp(
        op, buildGeneric(rewriter, op.getLoc(), init, op.getInput(),
                         rewriter.getMultiDimIdentityMap(rank),
                         dropAxes(getContext(), rank, op.getAxes()), iterators,
                         [](OpBuilder &b, Location loc, ValueRange args) {
                           return accumulate(b, loc, args[1], args[0]);
                         }));
    return success();
  }
};
} // namespace

namespace {
struct ConvertKilnToLinalgPass
    : kiln::impl::ConvertKilnToLinalgBase<ConvertKilnToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    patterns.add<LowerElementwise<AddOp>, LowerElementwise<SubOp>,
                 LowerElementwise<MulOp>, LowerElementwise<ScaleOp>,
                 LowerElementwise<ReluOp>, LowerElementwise<ReluGradOp>,
                 LowerElementwise<ClampOp>, LowerReshape, LowerBroadcast,
                 LowerReduceSum>(ctx);
    populateLayerLoweringPatterns(patterns);
    populateActivationLoweringPatterns(patterns);
    populateLossLoweringPatterns(patterns);
    populateStructureLoweringPatterns(patterns);
    populateNormLoweringPatterns(patterns);
    populateRandomLoweringPatterns(patterns);
    populateMathLoweringPatterns(patterns);
    ConversionTarget target(*ctx);
    // Every kiln op but the calls of the runtime's kernels, which
    // kiln-lower-to-runtime-calls takes later.
    target.addIllegalDialect<KilnDialect>();
    target.addLegalOp<RuntimeCallOp>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
