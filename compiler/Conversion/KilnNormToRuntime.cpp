//===- KilnNormToRuntime.cpp - f32 batch normalization as runtime calls ---===//
//
// Batch normalization in f32 runs in the runtime on oneDNN's primitives
// (runtime/src/batch_norm.cpp), which are multi-threaded and vectorized;
// f64 (gradient checks) keeps the linalg lowering of KilnNormToLinalg.cpp
// (callsRuntime decides). The input is passed as [batch, channels, spatial]
// with the spatial dimensions flattened, which NCHW's row-major layout
// already is.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/KilnToLinalg.h"
#include "compiler/Conversion/RuntimeCalls.h"
#include "dialects/kiln/IR/KilnDialect.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lowering;

namespace {
/// The scalars after the buffers, in abi.h's order: batch, channels and the
/// product of the spatial dimensions of the input, then each op's own.
void appendScalars(BatchNormOp op, SmallVectorImpl<int64_t> &ints,
                   SmallVectorImpl<double> &reals) {
  ints.push_back(op.getTraining() ? 1 : 0);
  reals.append(
      {op.getEpsilon().convertToDouble(), op.getMomentum().convertToDouble()});
}
void appendScalars(BatchNormGradOp op, SmallVectorImpl<int64_t> &,
                   SmallVectorImpl<double> &reals) {
  reals.push_back(op.getEpsilon().convertToDouble());
}

template <typename Op> struct BatchNormToRuntime : OpRewritePattern<Op> {
  BatchNormToRuntime(MLIRContext *ctx, StringRef symbol)
      : OpRewritePattern<Op>(ctx), symbol(symbol) {}

  LogicalResult matchAndRewrite(Op op,
                                PatternRewriter &rewriter) const override {
    if (!callsRuntime(op))
      return rewriter.notifyMatchFailure(op, "lowered to linalg");
    ArrayRef<int64_t> shape = op.getInput().getType().getShape();
    int64_t spatial = 1;
    for (int64_t size : shape.drop_front(2))
      spatial *= size;
    SmallVector<int64_t> ints{shape[0], shape[1], spatial};
    SmallVector<double> reals;
    appendScalars(op, ints, reals);
    replaceWithRuntimeCall(rewriter, op, symbol, ints, reals);
    return success();
  }

  StringRef symbol;
};
} // namespace

void kiln::lowering::populateNormRuntimePatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<BatchNormToRuntime<BatchNormOp>>(
      ctx, "kiln_rt_batch_norm_forward_f32");
  patterns.add<BatchNormToRuntime<BatchNormGradOp>>(
      ctx, "kiln_rt_batch_norm_backward_f32");
}
