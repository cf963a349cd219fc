//===- BatchNormToRuntime.cpp - f32 batch normalization as runtime calls --===//
//
// Batch normalization in f32 runs in the runtime on oneDNN's primitives
// (runtime/src/kernels/batch_norm.cpp), which are multi-threaded and
// vectorized; f64 (gradient checks) keeps the linalg lowering of
// KilnNormToLinalg.cpp. The input is passed as [batch, channels, spatial]
// with the spatial dimensions flattened, which NCHW's row-major layout
// already is.
//
//===----------------------------------------------------------------------===//
#include "compiler/Target/CPU/LibraryCalls.h"
#include "dialects/kiln/IR/KilnDialect.h"

using namespace mlir;
using namespace kiln;

namespace {
/// The scalars of each op's own, after the sizes.
void addScalars(BatchNormOp op, Builder &b, NamedAttrList &scalars) {
  scalars.append("training", b.getI64IntegerAttr(op.getTraining() ? 1 : 0));
  scalars.append("epsilon",
                 b.getF64FloatAttr(op.getEpsilon().convertToDouble()));
  scalars.append("momentum",
                 b.getF64FloatAttr(op.getMomentum().convertToDouble()));
  scalars.append("relu", b.getI64IntegerAttr(0));
}
void addScalars(BatchNormGradOp op, Builder &b, NamedAttrList &scalars) {
  scalars.append("epsilon",
                 b.getF64FloatAttr(op.getEpsilon().convertToDouble()));
}

template <typename Op> struct BatchNormToRuntime : OpRewritePattern<Op> {
  BatchNormToRuntime(MLIRContext *ctx, rt::Kernel kernel)
      : OpRewritePattern<Op>(ctx), kernel(kernel) {}

  LogicalResult matchAndRewrite(Op op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType input = op.getInput().getType();
    if (!input.getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "lowered to linalg");
    ArrayRef<int64_t> shape = input.getShape();
    int64_t spatial = 1;
    for (int64_t size : shape.drop_front(2))
      spatial *= size;
    NamedAttrList scalars;
    scalars.append("batch", rewriter.getI64IntegerAttr(shape[0]));
    scalars.append("channels", rewriter.getI64IntegerAttr(shape[1]));
    scalars.append("spatial", rewriter.getI64IntegerAttr(spatial));
    addScalars(op, rewriter, scalars);
    rt::appendPlainLayouts(rt::runtimeFunction(kernel), op.getContext(),
                           scalars);
    rewriter.replaceOpWithNewOp<RuntimeCallOp>(
        op, op->getResultTypes(), kernel, op->getOperands(),
        scalars.getDictionary(op.getContext()));
    return success();
  }

  rt::Kernel kernel;
};
} // namespace

void kiln::cpu::populateBatchNormLibraryCalls(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<BatchNormToRuntime<BatchNormOp>>(
      ctx, rt::Kernel::kiln_rt_batch_norm_forward_f32);
  patterns.add<BatchNormToRuntime<BatchNormGradOp>>(
      ctx, rt::Kernel::kiln_rt_batch_norm_backward_f32);
}
