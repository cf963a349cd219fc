//===- KilnConvGradients.cpp - VJPs of the convolution and pooling ops ----===//
//
// A convolution is bilinear in its two operands, and its backward ops are the
// same bilinear form with the roles of input, weight and output permuted:
//   <dy, conv2d(x, W)> = <backward_data(dy, W), x>
//                      = <backward_weights(dy, x), W>.
// So the VJP of each of the three ops is two of the others, with the same
// attributes. Average pooling is linear, its gradient op being its adjoint;
// the VJP of max pooling routes the gradient to each window's maximum.
//
//===----------------------------------------------------------------------===//
#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace kiln;

namespace {
/// Builds `Op` on (`lhs`, `rhs`) with the attributes of `conv`; `type` is
/// the result type for ops that spell it out.
template <typename Op, typename Conv, typename... ResultType>
Value withGeometryOf(OpBuilder &b, Conv conv, Value lhs, Value rhs,
                     ResultType... type) {
  return b.create<Op>(conv.getLoc(), type..., lhs, rhs, conv.getStridesAttr(),
                      conv.getPaddingAttr(), conv.getDilationsAttr(),
                      conv.getGroupsAttr());
}
} // namespace

LogicalResult Conv2DOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                 SmallVectorImpl<Value> &operandGrads) {
  Value g = resultGrads[0];
  operandGrads.push_back(withGeometryOf<Conv2DBackwardDataOp>(
      b, *this, g, getWeight(), getInput().getType()));
  operandGrads.push_back(withGeometryOf<Conv2DBackwardWeightsOp>(
      b, *this, g, getInput(), getWeight().getType()));
  return success();
}

// z = backward_data(g, W) correlates z's gradient dz, shaped like a conv2d
// input, with W (giving dg) and with g (giving dW).
LogicalResult
Conv2DBackwardDataOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                               SmallVectorImpl<Value> &operandGrads) {
  Value dz = resultGrads[0];
  operandGrads.push_back(withGeometryOf<Conv2DOp>(b, *this, dz, getWeight()));
  operandGrads.push_back(withGeometryOf<Conv2DBackwardWeightsOp>(
      b, *this, getGrad(), dz, getWeight().getType()));
  return success();
}

// z = backward_weights(g, x) is shaped like a conv2d weight: its gradient dz
// convolves x (giving dg) and maps g back to the input (giving dx).
LogicalResult
Conv2DBackwardWeightsOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                  SmallVectorImpl<Value> &operandGrads) {
  Value dz = resultGrads[0];
  operandGrads.push_back(withGeometryOf<Conv2DOp>(b, *this, getInput(), dz));
  operandGrads.push_back(withGeometryOf<Conv2DBackwardDataOp>(
      b, *this, getGrad(), dz, getInput().getType()));
  return success();
}

LogicalResult MaxPool2DOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                    SmallVectorImpl<Value> &operandGrads) {
  operandGrads.push_back(b.create<MaxPool2DGradOp>(
      getLoc(), resultGrads[0], getInput(), getKernelAttr(), getStridesAttr(),
      getPaddingAttr()));
  return success();
}

LogicalResult AvgPool2DOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                    SmallVectorImpl<Value> &operandGrads) {
  operandGrads.push_back(b.create<AvgPool2DGradOp>(
      getLoc(), getInput().getType(), resultGrads[0], getKernelAttr(),
      getStridesAttr(), getPaddingAttr()));
  return success();
}

// avg_pool2d_grad is the adjoint of the linear map avg_pool2d, so its own
// adjoint is avg_pool2d again.
LogicalResult AvgPool2DGradOp::buildVJP(OpBuilder &b,
                                        ArrayRef<Value> resultGrads,
                                        SmallVectorImpl<Value> &operandGrads) {
  operandGrads.push_back(
      b.create<AvgPool2DOp>(getLoc(), resultGrads[0], getKernelAttr(),
                            getStridesAttr(), getPaddingAttr()));
  return success();
}
