//===- KilnActivationOps.cpp - Verifiers and VJPs of activations ----------===//
//
// Where an activation's derivative is a short expression of its input or
// output, the VJP builds that expression from kiln ops, so the backward
// graph is differentiable again and fuses into one loop when lowered.
//
//===----------------------------------------------------------------------===//
#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace kiln;

namespace {
LogicalResult verifyAxis(Operation *op, RankedTensorType type, int64_t axis) {
  if (axis < 0 || axis >= type.getRank())
    return op->emitOpError() << "axis " << axis << " is out of range for "
                             << formatShape(type.getShape());
  return success();
}

Value scaled(OpBuilder &b, Location loc, Value x, double factor) {
  return b.create<ScaleOp>(loc, x, b.getF64FloatAttr(factor));
}
} // namespace

LogicalResult SoftplusOp::verify() {
  if (getBeta().convertToDouble() <= 0.0)
    return emitOpError() << "beta must be positive, got "
                         << getBeta().convertToDouble();
  return success();
}

LogicalResult SoftmaxOp::verify() {
  return verifyAxis(*this, getInput().getType(), getAxisAttr().getInt());
}

LogicalResult LogSoftmaxOp::verify() {
  return verifyAxis(*this, getInput().getType(), getAxisAttr().getInt());
}

// sigmoid' = y (1 - y) = y - y^2.
LogicalResult SigmoidOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                  SmallVectorImpl<Value> &operandGrads) {
  Location loc = getLoc();
  Value y = getResult();
  Value slope = b.create<SubOp>(loc, y, b.create<MulOp>(loc, y, y));
  operandGrads.push_back(b.create<MulOp>(loc, resultGrads[0], slope));
  return success();
}

// tanh' = 1 - y^2, so the VJP is g - g y y.
LogicalResult TanhOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                               SmallVectorImpl<Value> &operandGrads) {
  Location loc = getLoc();
  Value g = resultGrads[0], y = getResult();
  Value gyy = b.create<MulOp>(loc, b.create<MulOp>(loc, g, y), y);
  operandGrads.push_back(b.create<SubOp>(loc, g, gyy));
  return success();
}

// leaky_relu(x) = a x + (1 - a) relu(x), so its VJP is
// a g + (1 - a) relu_grad(g, x).
LogicalResult LeakyReluOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                    SmallVectorImpl<Value> &operandGrads) {
  Location loc = getLoc();
  Value g = resultGrads[0];
  double slope = getNegativeSlope().convertToDouble();
  Value positive = b.create<ReluGradOp>(loc, g, getInput());
  operandGrads.push_back(b.create<AddOp>(loc, scaled(b, loc, g, slope),
                                         scaled(b, loc, positive, 1 - slope)));
  return success();
}

// elu' is 1 where x > 0 and alpha exp(x) = y + alpha elsewhere. With
// p = relu_grad(g, x) (g where x > 0) and n = g - p, the VJP is
// p + n y + alpha n.
LogicalResult EluOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                              SmallVectorImpl<Value> &operandGrads) {
  Location loc = getLoc();
  Value g = resultGrads[0];
  Value positive = b.create<ReluGradOp>(loc, g, getInput());
  Value rest = b.create<SubOp>(loc, g, positive);
  Value negative =
      b.create<AddOp>(loc, b.create<MulOp>(loc, rest, getResult()),
                      scaled(b, loc, rest, getAlpha().convertToDouble()));
  operandGrads.push_back(b.create<AddOp>(loc, positive, negative));
  return success();
}

LogicalResult SoftsignOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                   SmallVectorImpl<Value> &operandGrads) {
  operandGrads.push_back(
      b.create<SoftsignGradOp>(getLoc(), resultGrads[0], getInput()));
  return success();
}

LogicalResult SoftplusOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                   SmallVectorImpl<Value> &operandGrads) {
  operandGrads.push_back(b.create<SoftplusGradOp>(
      getLoc(), resultGrads[0], getInput(), getBetaAttr(), getThresholdAttr()));
  return success();
}

LogicalResult GeluOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                               SmallVectorImpl<Value> &operandGrads) {
  operandGrads.push_back(
      b.create<GeluGradOp>(getLoc(), resultGrads[0], getInput()));
  return success();
}

// dx = y * (g - sum(g * y)) with the sum along the axis, broadcast back.
LogicalResult SoftmaxOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                  SmallVectorImpl<Value> &operandGrads) {
  Location loc = getLoc();
  Value g = resultGrads[0], y = getResult();
  int64_t axis = getAxisAttr().getInt();
  Value dot = b.create<ReduceSumOp>(loc, b.create<MulOp>(loc, g, y),
                                    ArrayRef<int64_t>{axis});
  Value spread =
      b.create<BroadcastOp>(loc, y.getType(), dot, ArrayRef<int64_t>{axis});
  operandGrads.push_back(
      b.create<MulOp>(loc, y, b.create<SubOp>(loc, g, spread)));
  return success();
}

// dx = g - softmax(x) * sum(g) with the sum along the axis, broadcast back.
LogicalResult LogSoftmaxOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                     SmallVectorImpl<Value> &operandGrads) {
  Location loc = getLoc();
  Value g = resultGrads[0];
  int64_t axis = getAxisAttr().getInt();
  Value total = b.create<BroadcastOp>(
      loc, g.getType(), b.create<ReduceSumOp>(loc, g, ArrayRef<int64_t>{axis}),
      ArrayRef<int64_t>{axis});
  Value probs = b.create<SoftmaxOp>(loc, getInput(), getAxisAttr());
  operandGrads.push_back(
      b.create<SubOp>(loc, g, b.create<MulOp>(loc, probs, total)));
  return success();
}
