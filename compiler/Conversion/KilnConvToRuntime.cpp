//===- KilnConvToRuntime.cpp - Convolution and pooling as runtime calls ---===//
//
// Convolutions and pooling run in the runtime: f32 through oneDNN, whose
// kernels are far faster than loops generated from linalg, and f64 (only
// used by gradient checks) through reference loops beside them. Each op
// becomes a call built by replaceWithRuntimeCall (RuntimeCalls.h), with the
// forward op's sizes as i64 scalars in abi.h's order; the patterns run in
// kiln-lower-to-runtime-calls.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/KilnToLinalg.h"
#include "compiler/Conversion/RuntimeCalls.h"
#include "dialects/kiln/IR/KilnDialect.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lowering;

namespace {
/// `symbol` with the suffix of `op`'s element type: _f32 (oneDNN) or _f64
/// (the runtime's reference loops).
std::string withElementSuffix(StringRef symbol, Operation *op) {
  Type element =
      cast<RankedTensorType>(op->getResult(0).getType()).getElementType();
  return (symbol + (element.isF32() ? "_f32" : "_f64")).str();
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
  ConvToRuntime(MLIRContext *ctx, StringRef symbol)
      : OpRewritePattern<Op>(ctx), symbol(symbol) {}

  LogicalResult matchAndRewrite(Op op,
                                PatternRewriter &rewriter) const override {
    auto [input, weight, output] = convRoles(op);
    ArrayRef<int64_t> in = input.getShape(), out = output.getShape();
    ArrayRef<int64_t> strides = op.getStrides(), padding = op.getPadding(),
                      dilations = op.getDilations();
    replaceWithRuntimeCall(rewriter, op, withElementSuffix(symbol, op),
                           {in[0], in[1], in[2], in[3], out[1], out[2], out[3],
                            weight.getDimSize(2), weight.getDimSize(3),
                            strides[0], strides[1], padding[0], padding[1],
                            dilations[0], dilations[1],
                            static_cast<int64_t>(op.getGroups())});
    return success();
  }

  StringRef symbol;
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
  PoolToRuntime(MLIRContext *ctx, StringRef symbol)
      : OpRewritePattern<Op>(ctx), symbol(symbol) {}

  LogicalResult matchAndRewrite(Op op,
                                PatternRewriter &rewriter) const override {
    auto [input, output] = poolRoles(op);
    ArrayRef<int64_t> in = input.getShape(), out = output.getShape();
    ArrayRef<int64_t> kernel = op.getKernel(), strides = op.getStrides(),
                      padding = op.getPadding();
    replaceWithRuntimeCall(rewriter, op, withElementSuffix(symbol, op),
                           {in[0], in[1], in[2], in[3], out[2], out[3],
                            kernel[0], kernel[1], strides[0], strides[1],
                            padding[0], padding[1]});
    return success();
  }

  StringRef symbol;
};
} // namespace

void kiln::lowering::populateConvLoweringPatterns(RewritePatternSet &patterns) {
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
