//===- BatchNormToRuntime.cpp - f32 batch normalization as runtime calls --===//
//
// Batch normalization in f32 runs in the runtime on oneDNN's primitives
// (runtime/src/kernels/batch_norm.cpp), which are multi-threaded and
// vectorized; f64 (gradient checks) keeps the linalg lowering of
// KilnNormToLinalg.cpp. The input is passed as [batch, channels, spatial]
// with the spatial dimensions flattened, which NCHW's row-major layout
// already is.
//
// The backward pass needs the batch statistics of the forward pass. The
// forward call returns them (saved mean and variance), and every
// batch_norm_grad of the same input, weight and epsilon after it becomes a
// backward call that reads them, so nothing is recomputed:
//
//   %y, %rm, %rv = kiln.batch_norm %x, %w, %b, %m, %v {training}
//   %dx, %dw, %db = kiln.batch_norm_grad %g, %x, %w
// becomes
//   %y, %rm, %rv, %mean, %var = forward_f32(%x, %w, %b, %m, %v)
//   %dx, %dw, %db = backward_f32(%g, %x, %w, %mean, %var)
//
// A batch_norm_grad without such a forward call (kiln-build-training-step
// never emits one) keeps the linalg lowering, which recomputes the
// statistics.
//
//===----------------------------------------------------------------------===//
#include "compiler/Target/CPU/LibraryCalls.h"
#include "dialects/kiln/IR/KilnDialect.h"

using namespace mlir;
using namespace kiln;

namespace {
/// The sizes every batch-normalization kernel takes, from the input.
NamedAttrList sizeScalars(RankedTensorType input, Builder &b) {
  ArrayRef<int64_t> shape = input.getShape();
  int64_t spatial = 1;
  for (int64_t size : shape.drop_front(2))
    spatial *= size;
  NamedAttrList scalars;
  scalars.append("batch", b.getI64IntegerAttr(shape[0]));
  scalars.append("channels", b.getI64IntegerAttr(shape[1]));
  scalars.append("spatial", b.getI64IntegerAttr(spatial));
  return scalars;
}

/// The gradients of `forward` that can read its saved statistics: same
/// input, weight and epsilon, in its block after it.
SmallVector<BatchNormGradOp> gradientsOf(BatchNormOp forward) {
  SmallVector<BatchNormGradOp> grads;
  if (!forward.getTraining())
    return grads;
  for (Operation *user : forward.getInput().getUsers()) {
    auto grad = dyn_cast<BatchNormGradOp>(user);
    if (grad && grad.getInput() == forward.getInput() &&
        grad.getWeight() == forward.getWeight() &&
        grad.getEpsilon() == forward.getEpsilon() &&
        grad->getBlock() == forward->getBlock() &&
        forward->isBeforeInBlock(grad))
      grads.push_back(grad);
  }
  return grads;
}

struct BatchNormToRuntime : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BatchNormOp op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType input = op.getInput().getType();
    if (!input.getElementType().isF32())
      return rewriter.notifyMatchFailure(op, "lowered to linalg");
    MLIRContext *ctx = op.getContext();
    Location loc = op.getLoc();
    SmallVector<BatchNormGradOp> grads = gradientsOf(op);

    const rt::RuntimeFunction &forwardFn =
        rt::runtimeFunction(rt::Kernel::kiln_rt_batch_norm_forward_f32);
    NamedAttrList scalars = sizeScalars(input, rewriter);
    scalars.append("training",
                   rewriter.getI64IntegerAttr(op.getTraining() ? 1 : 0));
    scalars.append("epsilon",
                   rewriter.getF64FloatAttr(op.getEpsilon().convertToDouble()));
    scalars.append("momentum", rewriter.getF64FloatAttr(
                                   op.getMomentum().convertToDouble()));
    scalars.append("relu", rewriter.getI64IntegerAttr(0));
    rt::appendPlainLayouts(forwardFn, ctx, scalars);
    SmallVector<Type> types(op->getResultTypes());
    types.append(2, op.getWeight().getType()); // the saved mean, variance
    auto forward = rewriter.create<RuntimeCallOp>(
        loc, types, rt::Kernel::kiln_rt_batch_norm_forward_f32,
        op->getOperands(), scalars.getDictionary(ctx));

    const rt::RuntimeFunction &backwardFn =
        rt::runtimeFunction(rt::Kernel::kiln_rt_batch_norm_backward_f32);
    NamedAttrList backwardScalars = sizeScalars(input, rewriter);
    backwardScalars.append(
        "epsilon", rewriter.getF64FloatAttr(op.getEpsilon().convertToDouble()));
    rt::appendPlainLayouts(backwardFn, ctx, backwardScalars);
    for (BatchNormGradOp grad : grads) {
      rewriter.setInsertionPoint(grad);
      rewriter.replaceOpWithNewOp<RuntimeCallOp>(
          grad, grad->getResultTypes(),
          rt::Kernel::kiln_rt_batch_norm_backward_f32,
          ValueRange{grad.getGrad(), grad.getInput(), grad.getWeight(),
                     forward->getResult(3), forward->getResult(4)},
          backwardScalars.getDictionary(ctx));
    }
    rewriter.replaceOp(op, forward->getResults().take_front(3));
    return success();
  }
};
} // namespace

void kiln::cpu::populateBatchNormLibraryCalls(RewritePatternSet &patterns) {
  patterns.add<BatchNormToRuntime>(patterns.getContext());
}
