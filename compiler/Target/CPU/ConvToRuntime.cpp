//===- ConvToRuntime.cpp - Convolution and pooling as runtime calls -------===//
//
// Convolutions and pooling run in the runtime on the CPU: f32 through
// oneDNN, whose kernels are far faster than loops generated from linalg, and
// f64 (only used by gradient checks) through reference loops beside them.
// Each op becomes a kiln.runtime_call of the kernel for its direction and
// element type, with the geometry of the forward op it belongs to as the
// named scalars of the kernel's table entry (runtime_calls.def). An f32 max
// pooling whose gradient is in the same step saves where each window's
// maximum was, for the gradient (MaxPoolWithGradientsToRuntime); both calls
// take the same layout, since kiln-cpu-assign-layouts blocks by channels.
//
//===----------------------------------------------------------------------===//
#include "compiler/Target/CPU/LibraryCalls.h"
#include "dialects/kiln/IR/KilnDialect.h"
#include "kiln/abi/workspaces.h"

using namespace mlir;
using namespace kiln;

namespace {
/// The kernels of one op: f32 (oneDNN) and f64 (the runtime's reference
/// loops).
struct Kernels {
  rt::Kernel f32, f64;

  rt::Kernel of(Operation *op) const {
    Type element =
        cast<RankedTensorType>(op->getResult(0).getType()).getElementType();
    return element.isF32() ? f32 : f64;
  }
};

/// The i64 scalars of a call of `kernel`, by name, and its layouts (plain).
DictionaryAttr namedScalars(Builder &b, rt::Kernel kernel,
                            ArrayRef<std::pair<StringRef, int64_t>> values) {
  NamedAttrList attrs;
  for (auto [name, value] : values)
    attrs.append(name, b.getI64IntegerAttr(value));
  rt::appendPlainLayouts(rt::runtimeFunction(kernel), b.getContext(), attrs);
  return attrs.getDictionary(b.getContext());
}

/// The input, weight and output of the forward convolution that `op`
/// belongs to.
struct ConvRoles {
  RankedTensorType input, weight, output;
};
ConvRoles convRoles(Conv2DOp op) {
  return {op.getInput().getType(), op.getWeight().getType(),
          op.getResult().getType()};
}
ConvRoles convRoles(Conv2DBackwardDataOp op) {
  return {op.getResult().getType(), op.getWeight().getType(),
          op.getGrad().getType()};
}
ConvRoles convRoles(Conv2DBackwardWeightsOp op) {
  return {op.getInput().getType(), op.getResult().getType(),
          op.getGrad().getType()};
}

template <typename Op> struct ConvToRuntime : OpRewritePattern<Op> {
  ConvToRuntime(MLIRContext *ctx, Kernels kernels)
      : OpRewritePattern<Op>(ctx), kernels(kernels) {}

  LogicalResult matchAndRewrite(Op op,
                                PatternRewriter &rewriter) const override {
    auto [input, weight, output] = convRoles(op);
    ArrayRef<int64_t> in = input.getShape(), out = output.getShape();
    ArrayRef<int64_t> strides = op.getStrides(), padding = op.getPadding(),
                      dilations = op.getDilations();
    rt::Kernel kernel = kernels.of(op);
    DictionaryAttr scalars = namedScalars(rewriter, kernel,
                                          {{"batch", in[0]},
                                           {"in_channels", in[1]},
                                           {"in_h", in[2]},
                                           {"in_w", in[3]},
                                           {"out_channels", out[1]},
                                           {"out_h", out[2]},
                                           {"out_w", out[3]},
                                           {"kernel_h", weight.getDimSize(2)},
                                           {"kernel_w", weight.getDimSize(3)},
                                           {"stride_h", strides[0]},
                                           {"stride_w", strides[1]},
                                           {"pad_h", padding[0]},
                                           {"pad_w", padding[1]},
                                           {"dilation_h", dilations[0]},
                                           {"dilation_w", dilations[1]},
                                           {"groups", op.getGroups()}});
    rewriter.replaceOpWithNewOp<RuntimeCallOp>(op, op->getResultTypes(), kernel,
                                               op->getOperands(), scalars);
    return success();
  }

  Kernels kernels;
};

/// The input and output of the forward pooling that `op` belongs to.
std::pair<RankedTensorType, RankedTensorType> poolRoles(MaxPool2DOp op) {
  return {op.getInput().getType(), op.getResult().getType()};
}
std::pair<RankedTensorType, RankedTensorType> poolRoles(MaxPool2DGradOp op) {
  return {op.getInput().getType(), op.getGrad().getType()};
}
std::pair<RankedTensorType, RankedTensorType> poolRoles(AvgPool2DOp op) {
  return {op.getInput().getType(), op.getResult().getType()};
}
std::pair<RankedTensorType, RankedTensorType> poolRoles(AvgPool2DGradOp op) {
  return {op.getResult().getType(), op.getGrad().getType()};
}

/// The scalars of a pooling call of `kernel`: the geometry of the forward
/// pooling `op` belongs to.
template <typename Op>
DictionaryAttr poolScalars(Builder &b, rt::Kernel kernel, Op op) {
  auto [input, output] = poolRoles(op);
  ArrayRef<int64_t> in = input.getShape(), out = output.getShape();
  ArrayRef<int64_t> window = op.getKernel(), strides = op.getStrides(),
                    padding = op.getPadding();
  return namedScalars(b, kernel,
                      {{"batch", in[0]},
                       {"channels", in[1]},
                       {"in_h", in[2]},
                       {"in_w", in[3]},
                       {"out_h", out[2]},
                       {"out_w", out[3]},
                       {"kernel_h", window[0]},
                       {"kernel_w", window[1]},
                       {"stride_h", strides[0]},
                       {"stride_w", strides[1]},
                       {"pad_h", padding[0]},
                       {"pad_w", padding[1]}});
}

/// Whether `grad` is the gradient of the f32 max pooling `forward`, after
/// it in its block, so it can read the maxima that `forward` saves.
bool isGradientOf(MaxPool2DGradOp grad, MaxPool2DOp forward) {
  return forward.getType().getElementType().isF32() &&
         grad.getInput() == forward.getInput() &&
         grad.getKernel() == forward.getKernel() &&
         grad.getStrides() == forward.getStrides() &&
         grad.getPadding() == forward.getPadding() &&
         grad->getBlock() == forward->getBlock() &&
         forward->isBeforeInBlock(grad);
}

template <typename Op> struct PoolToRuntime : OpRewritePattern<Op> {
  PoolToRuntime(MLIRContext *ctx, Kernels kernels)
      : OpRewritePattern<Op>(ctx), kernels(kernels) {}

  LogicalResult matchAndRewrite(Op op,
                                PatternRewriter &rewriter) const override {
    if constexpr (std::is_same_v<Op, MaxPool2DGradOp>) {
      for (Operation *user : op.getInput().getUsers())
        if (auto forward = dyn_cast<MaxPool2DOp>(user);
            forward && isGradientOf(op, forward))
          return rewriter.notifyMatchFailure(op, "its forward call takes it");
    }
    rt::Kernel kernel = kernels.of(op);
    rewriter.replaceOpWithNewOp<RuntimeCallOp>(
        op, op->getResultTypes(), kernel, op->getOperands(),
        poolScalars(rewriter, kernel, op));
    return success();
  }

  Kernels kernels;
};

/// f32 max pooling with gradients in the step: the forward call saves which
/// element of each window was the maximum (oneDNN's workspace, as an i8
/// tensor) and every gradient reads it, so nothing is recomputed:
///   %y = kiln.max_pool2d %x             %y, %ws = forward_training_f32(%x)
///   %dx = kiln.max_pool2d_grad %g, %x   %dx = backward_saved_f32(%g, %ws)
/// Without gradients (inference) the plain pattern above applies.
struct MaxPoolWithGradientsToRuntime : OpRewritePattern<MaxPool2DOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MaxPool2DOp op,
                                PatternRewriter &rewriter) const override {
    SmallVector<MaxPool2DGradOp> grads;
    for (Operation *user : op.getInput().getUsers())
      if (auto grad = dyn_cast<MaxPool2DGradOp>(user);
          grad && isGradientOf(grad, op))
        grads.push_back(grad);
    if (grads.empty())
      return rewriter.notifyMatchFailure(op, "no gradient in the step");

    ArrayRef<int64_t> window = op.getKernel();
    int64_t bytes = rt::maxPoolWorkspaceBytes(op.getType().getNumElements(),
                                              window[0] * window[1]);
    Type workspace = RankedTensorType::get({bytes}, rewriter.getI8Type());
    rt::Kernel forwardKernel =
        rt::Kernel::kiln_rt_max_pool2d_forward_training_f32;
    auto forward = rewriter.create<RuntimeCallOp>(
        op.getLoc(), TypeRange{op.getType(), workspace}, forwardKernel,
        op->getOperands(), poolScalars(rewriter, forwardKernel, op));
    rt::Kernel backwardKernel =
        rt::Kernel::kiln_rt_max_pool2d_backward_saved_f32;
    for (MaxPool2DGradOp grad : grads) {
      rewriter.setInsertionPoint(grad);
      rewriter.replaceOpWithNewOp<RuntimeCallOp>(
          grad, grad->getResultTypes(), backwardKernel,
          ValueRange{grad.getGrad(), forward->getResult(1)},
          poolScalars(rewriter, backwardKernel, grad));
    }
    rewriter.replaceOp(op, forward->getResult(0));
    return success();
  }
};
} // namespace

void kiln::cpu::populateConvLibraryCalls(RewritePatternSet &patterns) {
  using rt::Kernel;
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ConvToRuntime<Conv2DOp>>(
      ctx, Kernels{Kernel::kiln_rt_conv2d_forward_f32,
                   Kernel::kiln_rt_conv2d_forward_f64});
  patterns.add<ConvToRuntime<Conv2DBackwardDataOp>>(
      ctx, Kernels{Kernel::kiln_rt_conv2d_backward_data_f32,
                   Kernel::kiln_rt_conv2d_backward_data_f64});
  patterns.add<ConvToRuntime<Conv2DBackwardWeightsOp>>(
      ctx, Kernels{Kernel::kiln_rt_conv2d_backward_weights_f32,
                   Kernel::kiln_rt_conv2d_backward_weights_f64});
  // Tried before the plain pattern, which takes the forwards without gradients.
  patterns.add<MaxPoolWithGradientsToRuntime>(ctx, /*benefit=*/2);
  patterns.add<PoolToRuntime<MaxPool2DOp>>(
      ctx, Kernels{Kernel::kiln_rt_max_pool2d_forward_f32,
                   Kernel::kiln_rt_max_pool2d_forward_f64});
  patterns.add<PoolToRuntime<MaxPool2DGradOp>>(
      ctx, Kernels{Kernel::kiln_rt_max_pool2d_backward_f32,
                   Kernel::kiln_rt_max_pool2d_backward_f64});
  patterns.add<PoolToRuntime<AvgPool2DOp>>(
      ctx, Kernels{Kernel::kiln_rt_avg_pool2d_forward_f32,
                   Kernel::kiln_rt_avg_pool2d_forward_f64});
  patterns.add<PoolToRuntime<AvgPool2DGradOp>>(
      ctx, Kernels{Kernel::kiln_rt_avg_pool2d_backward_f32,
                   Kernel::kiln_rt_avg_pool2d_backward_f64});
}
