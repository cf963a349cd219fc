//===- KilnNormToRuntime.cpp - f32 batch normalization as runtime calls ---===//
//
// Batch normalization in f32 runs in the runtime on oneDNN's primitives
// (runtime/src/batch_norm.cpp), which are multi-threaded and vectorized;
// f64 (gradient checks) keeps the linalg lowering of KilnNormToLinalg.cpp,
// which these patterns outrank for f32. The input is passed as [batch,
// channels, spatial] with the spatial dimensions flattened, which NCHW's
// row-major layout already is.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/KilnToLinalg.h"
#include "compiler/Conversion/RuntimeCalls.h"
#include "dialects/kiln/IR/KilnDialect.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lowering;

namespace {
/// batch, channels and the product of the spatial dimensions of `input`;
/// none unless it is an f32 tensor of rank >= 2.
std::optional<std::array<int64_t, 3>> f32Geometry(Value input) {
  auto type = cast<RankedTensorType>(input.getType());
  if (!type.getElementType().isF32() || type.getRank() < 2)
    return std::nullopt;
  int64_t spatial = 1;
  for (int64_t size : type.getShape().drop_front(2))
    spatial *= size;
  return std::array<int64_t, 3>{type.getDimSize(0), type.getDimSize(1),
                                spatial};
}

struct BatchNormToRuntime : OpRewritePattern<BatchNormOp> {
  BatchNormToRuntime(MLIRContext *ctx)
      : OpRewritePattern<BatchNormOp>(ctx, /*benefit=*/2) {}

  LogicalResult matchAndRewrite(BatchNormOp op,
                                PatternRewriter &rewriter) const override {
    auto geometry = f32Geometry(op.getInput());
    if (!geometry)
      return rewriter.notifyMatchFailure(op, "not f32");
    auto [batch, channels, spatial] = *geometry;
    replaceWithRuntimeCall(rewriter, op, "kiln_rt_batch_norm_forward_f32",
                           {batch, channels, spatial, op.getTraining() ? 1 : 0},
                           {op.getEpsilon().convertToDouble(),
                            op.getMomentum().convertToDouble()});
    return success();
  }
};

struct BatchNormGradToRuntime : OpRewritePattern<BatchNormGradOp> {
  BatchNormGradToRuntime(MLIRContext *ctx)
      : OpRewritePattern<BatchNormGradOp>(ctx, /*benefit=*/2) {}

  LogicalResult matchAndRewrite(BatchNormGradOp op,
                                PatternRewriter &rewriter) const override {
    auto geometry = f32Geometry(op.getInput());
    if (!geometry)
      return rewriter.notifyMatchFailure(op, "not f32");
    auto [batch, channels, spatial] = *geometry;
    replaceWithRuntimeCall(rewriter, op, "kiln_rt_batch_norm_backward_f32",
                           {batch, channels, spatial},
                           {op.getEpsilon().convertToDouble()});
    return success();
  }
};
} // namespace

void kiln::lowering::populateNormRuntimePatterns(RewritePatternSet &patterns) {
  patterns.add<BatchNormToRuntime, BatchNormGradToRuntime>(
      patterns.getContext());
}
