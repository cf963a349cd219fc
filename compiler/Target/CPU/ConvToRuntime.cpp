//===- ConvToRuntime.cpp - Convolution and pooling as runtime calls -------===//
//
// Convolutions and pooling run in the runtime on the CPU: f32 through
// oneDNN, whose kernels are far faster than loops generated from linalg, and
// f64 (only used by gradient checks) through reference loops beside them.
// Each op becomes a kiln.runtime_call of the kernel for its direction and
// element type, with the geometry of the forward op it belongs to as the
// named scalars of the kernel's table entry (runtime_calls.def).
//
//===----------------------------------------------------------------------===//
#include "compiler/Target/CPU/LibraryCalls.h"
#include "dialects/kiln/IR/KilnDialect.h"

using namespace mlir;
using namespace kiln;

namespace {
/// `kernel` with the suffix of `op`'s element type: _f32 (oneDNN) or _f64
/// (the runtime's reference loops).
std::string withElementSuffix(StringRef kernel, Operation *op) {
  Type element =
      cast<RankedTensorType>(op->getResult(0).getType()).getElementType();
  return (kernel + (element.isF32() ? "_f32" : "_f64")).str();
}

/// The i64 scalars of a kernel call, by name.
DictionaryAttr namedScalars(Builder &b,
                            ArrayRef<std::pair<StringRef, int64_t>> values) {
  NamedAttrList attrs;
  for (auto [name, value] : values)
    attrs.append(name, b.getI64IntegerAttr(value));
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
  ConvToRuntime(MLIRContext *ctx, StringRef kernel)
      : OpRewritePattern<Op>(ctx), kernel(kernel) {}

  LogicalResult matchAndRewrite(Op op,
                                PatternRewriter &rewriter) const override {
    auto [input, weight, output] = convRoles(op);
    ArrayRef<int64_t> in = input.getShape(), out = output.getShape();
    ArrayRef<int64_t> strides = op.getStrides(), padding = op.getPadding(),
                      dilations = op.getDilations();
    DictionaryAttr scalars =
        namedScalars(rewriter, {{"batch", in[0]},
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
    rewriter.replaceOpWithNewOp<RuntimeCallOp>(op, op->getResultTypes(),
                                               withElementSuffix(kernel, op),
                                               op->getOperands(), scalars);
    return success();
  }

  StringRef kernel;
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

template <typename Op> struct PoolToRuntime : OpRewritePattern<Op> {
  PoolToRuntime(MLIRContext *ctx, StringRef kernel)
      : OpRewritePattern<Op>(ctx), kernel(kernel) {}

  LogicalResult matchAndRewrite(Op op,
                                PatternRewriter &rewriter) const override {
    auto [input, output] = poolRoles(op);
    ArrayRef<int64_t> in = input.getShape(), out = output.getShape();
    ArrayRef<int64_t> window = op.getKernel(), strides = op.getStrides(),
                      padding = op.getPadding();
    DictionaryAttr scalars = namedScalars(rewriter, {{"batch", in[0]},
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
    rewriter.replaceOpWithNewOp<RuntimeCallOp>(op, op->getResultTypes(),
                                               withElementSuffix(kernel, op),
                                               op->getOperands(), scalars);
    return success();
  }

  StringRef kernel;
};
} // namespace

void kiln::cpu::populateConvLibraryCalls(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ConvToRuntime<Conv2DOp>>(ctx, "kiln_rt_conv2d_forward");
  patterns.add<ConvToRuntime<Conv2DBackwardDataOp>>(
      ctx, "kiln_rt_conv2d_backward_data");
  patterns.add<ConvToRuntime<Conv2DBackwardWeightsOp>>(
      ctx, "kiln_rt_conv2d_backward_weights");
  patterns.add<PoolToRuntime<MaxPool2DOp>>(ctx, "kiln_rt_max_pool2d_forward");
  patterns.add<PoolToRuntime<MaxPool2DGradOp>>(ctx,
                                               "kiln_rt_max_pool2d_backward");
  patterns.add<PoolToRuntime<AvgPool2DOp>>(ctx, "kiln_rt_avg_pool2d_forward");
  patterns.add<PoolToRuntime<AvgPool2DGradOp>>(ctx,
                                               "kiln_rt_avg_pool2d_backward");
}
