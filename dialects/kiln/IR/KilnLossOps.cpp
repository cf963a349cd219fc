//===- KilnLossOps.cpp - Shape rules and VJPs of the loss ops -------------===//
//
// Class labels index dimension 1 of the scores and repeat their other
// dimensions, one rule shared by cross-entropy and NLL for [N, C] and
// [N, C, H, W] alike. The VJPs of cross-entropy and NLL are dedicated ops;
// binary cross-entropy's is a composition of elementwise kiln ops.
//
//===----------------------------------------------------------------------===//
#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace kiln;

namespace {
RankedTensorType tensorOf(Value value) {
  return cast<RankedTensorType>(value.getType());
}

/// The shape of `scores` [N, C, ...] without its class dimension 1.
SmallVector<int64_t> labelShape(RankedTensorType scores) {
  SmallVector<int64_t> shape(scores.getShape());
  shape.erase(shape.begin() + 1);
  return shape;
}

/// Checks that `labels` holds one class index per position of `scores`.
LogicalResult verifyClassLabels(std::optional<Location> loc,
                                RankedTensorType scores,
                                RankedTensorType labels) {
  if (scores.getRank() < 2)
    return emitOptionalError(loc,
                             "class scores must be [batch, classes, ...]"
                             ", got ",
                             formatShape(scores.getShape()));
  SmallVector<int64_t> expected = labelShape(scores);
  if (labels.getShape() != ArrayRef<int64_t>(expected))
    return emitOptionalError(
        loc, "class scores ", formatShape(scores.getShape()), " need labels ",
        formatShape(expected), ", got labels ", formatShape(labels.getShape()));
  return success();
}

/// The per-position result type of a loss over `scores` with class labels.
LogicalResult inferPerPosition(std::optional<Location> loc, Value scores,
                               Value labels, SmallVectorImpl<Type> &types) {
  RankedTensorType type = tensorOf(scores);
  if (failed(verifyClassLabels(loc, type, tensorOf(labels))))
    return failure();
  types.push_back(
      RankedTensorType::get(labelShape(type), type.getElementType()));
  return success();
}

LogicalResult verifySmoothing(Operation *op, double smoothing) {
  if (smoothing < 0.0 || smoothing > 1.0)
    return op->emitOpError()
           << "label_smoothing must be in [0, 1], got " << smoothing;
  return success();
}

/// Checks that `grad` has one element per label position of `scores`.
LogicalResult verifyPerPositionGrad(std::optional<Location> loc, Value grad,
                                    RankedTensorType scores) {
  RankedTensorType type = tensorOf(grad);
  if (type.getShape() != ArrayRef<int64_t>(labelShape(scores)) ||
      type.getElementType() != scores.getElementType())
    return emitOptionalError(loc, "gradient ", formatShape(type.getShape()),
                             " does not match the positions of scores ",
                             formatShape(scores.getShape()));
  return success();
}
} // namespace

LogicalResult SoftmaxCrossEntropyOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  return inferPerPosition(loc, adaptor.getLogits(), adaptor.getLabels(), types);
}

LogicalResult SoftmaxCrossEntropyOp::verify() {
  return verifySmoothing(*this, getLabelSmoothing().convertToDouble());
}

LogicalResult SoftmaxCrossEntropyGradOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  RankedTensorType logits = tensorOf(adaptor.getLogits());
  if (failed(verifyClassLabels(loc, logits, tensorOf(adaptor.getLabels()))) ||
      failed(verifyPerPositionGrad(loc, adaptor.getGrad(), logits)))
    return failure();
  types.push_back(logits);
  return success();
}

LogicalResult SoftmaxCrossEntropyGradOp::verify() {
  return verifySmoothing(*this, getLabelSmoothing().convertToDouble());
}

LogicalResult NllOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  return inferPerPosition(loc, adaptor.getLogProbs(), adaptor.getLabels(),
                          types);
}

LogicalResult NllGradOp::verify() {
  RankedTensorType result = getResult().getType();
  if (failed(verifyClassLabels(getLoc(), result, getLabels().getType())) ||
      failed(verifyPerPositionGrad(getLoc(), getGrad(), result)))
    return failure();
  return success();
}

LogicalResult
SoftmaxCrossEntropyOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                SmallVectorImpl<Value> &operandGrads) {
  operandGrads.push_back(b.create<SoftmaxCrossEntropyGradOp>(
      getLoc(), resultGrads[0], getLogits(), getLabels(),
      getLabelSmoothingAttr()));
  operandGrads.push_back(Value()); // class labels carry no gradient
  return success();
}

// r = g * (s - q) with s = softmax(x) over the classes: d/dg sums
// dr * (s - q) over the classes, where s - q is this op with g = 1, and d/dx
// is softmax's VJP of dr * g. Second-order methods differentiate it.
LogicalResult
SoftmaxCrossEntropyGradOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                    SmallVectorImpl<Value> &operandGrads) {
  Location loc = getLoc();
  Value dr = resultGrads[0];
  RankedTensorType gradType = tensorOf(getGrad());
  Value ones = b.create<arith::ConstantOp>(
      loc, DenseElementsAttr::get(
               gradType, FloatAttr::get(gradType.getElementType(), 1.0)));
  Value error = b.create<SoftmaxCrossEntropyGradOp>(
      loc, ones, getLogits(), getLabels(), getLabelSmoothingAttr());
  operandGrads.push_back(b.create<ReduceSumOp>(
      loc, b.create<MulOp>(loc, dr, error), ArrayRef<int64_t>{1}));

  auto probs = b.create<SoftmaxOp>(loc, getLogits(), b.getI64IntegerAttr(1));
  Value spread = b.create<BroadcastOp>(loc, tensorOf(getLogits()), getGrad(),
                                       ArrayRef<int64_t>{1});
  SmallVector<Value> logitsGrad;
  if (failed(probs.buildVJP(b, b.create<MulOp>(loc, dr, spread).getResult(),
                            logitsGrad)))
    return failure();
  operandGrads.push_back(logitsGrad[0]);
  operandGrads.push_back(Value()); // class labels carry no gradient
  return success();
}

// d/dx = g * (sigmoid(x) - t), d/dt = -g * x.
LogicalResult BceWithLogitsOp::buildVJP(OpBuilder &b,
                                        ArrayRef<Value> resultGrads,
                                        SmallVectorImpl<Value> &operandGrads) {
  Location loc = getLoc();
  Value g = resultGrads[0];
  Value error =
      b.create<SubOp>(loc, b.create<SigmoidOp>(loc, getLogits()), getTargets());
  operandGrads.push_back(b.create<MulOp>(loc, g, error));
  Value negated = b.create<ScaleOp>(loc, getLogits(), b.getF64FloatAttr(-1.0));
  operandGrads.push_back(b.create<MulOp>(loc, g, negated));
  return success();
}

LogicalResult NllOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                              SmallVectorImpl<Value> &operandGrads) {
  operandGrads.push_back(b.create<NllGradOp>(getLoc(), getLogProbs().getType(),
                                             resultGrads[0], getLabels()));
  operandGrads.push_back(Value());
  return success();
}

// nll_grad is linear in `grad`; its transpose gathers -g at the labels, which
// is nll itself.
LogicalResult NllGradOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                  SmallVectorImpl<Value> &operandGrads) {
  operandGrads.push_back(
      b.create<NllOp>(getLoc(), resultGrads[0], getLabels()));
  operandGrads.push_back(Value());
  return success();
}
