//===- KilnNormOps.cpp - Shape rules, verifiers and VJPs of normalization -===//
#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace kiln;

/// Checks that every per-channel operand is a [C] vector of `input`'s
/// element type, C being `input`'s dimension 1.
static LogicalResult verifyChannelVectors(std::optional<Location> loc,
                                          RankedTensorType input,
                                          ValueRange vectors) {
  if (input.getRank() < 2)
    return emitOptionalError(loc,
                             "normalization needs [batch, channels, ...]"
                             ", got ",
                             formatShape(input.getShape()));
  for (Value vector : vectors) {
    auto type = cast<RankedTensorType>(vector.getType());
    if (type.getShape() != ArrayRef<int64_t>{input.getDimSize(1)} ||
        type.getElementType() != input.getElementType())
      return emitOptionalError(
          loc, "per-channel operand ", formatShape(type.getShape()),
          " does not match the channels of ", formatShape(input.getShape()));
  }
  return success();
}

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  if (failed(verifyChannelVectors(loc, input,
                                  {adaptor.getWeight(), adaptor.getBias(),
                                   adaptor.getRunningMean(),
                                   adaptor.getRunningVar()})))
    return failure();
  Type stats = adaptor.getWeight().getType();
  types.append({input, stats, stats});
  return success();
}

LogicalResult BatchNormGradOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  if (failed(verifyChannelVectors(loc, input, {adaptor.getWeight()})))
    return failure();
  Type stats = adaptor.getWeight().getType();
  types.append({input, stats, stats});
  return success();
}

SmallVector<std::pair<unsigned, unsigned>> BatchNormOp::getStateUpdates() {
  // running_mean (operand 3) -> result 1, running_var (operand 4) -> result 2.
  return {{3, 1}, {4, 2}};
}

LogicalResult BatchNormOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                    SmallVectorImpl<Value> &operandGrads) {
  if (!getTraining())
    return emitOpError("only the training form is differentiated");
  auto grads = b.create<BatchNormGradOp>(getLoc(), resultGrads[0], getInput(),
                                         getWeight(), getEpsilonAttr());
  // Running statistics are state, not parameters: no gradient flows to them.
  operandGrads.append({grads.getInputGrad(), grads.getWeightGrad(),
                       grads.getBiasGrad(), Value(), Value()});
  return success();
}

namespace {
/// Checks `normalize`'s attributes: statistics are taken over the
/// dimensions from `axis` on, and at least the batch dimension is kept.
LogicalResult verifyNormalize(Operation *op, RankedTensorType type,
                              int64_t axis, double epsilon) {
  if (axis < 1 || axis >= type.getRank())
    return op->emitOpError()
           << "axis " << axis << " is not a dimension of "
           << formatShape(type.getShape()) << " after the first";
  if (epsilon < 0)
    return op->emitOpError() << "epsilon must not be negative, got " << epsilon;
  return success();
}

/// Checks `local_response_norm`'s attributes. A non-negative alpha and a
/// positive k keep the base of the power positive for every input.
LogicalResult verifyResponseNorm(Operation *op, RankedTensorType type,
                                 int64_t size, double alpha, double k) {
  if (type.getRank() < 2)
    return op->emitOpError() << "needs [batch, channels, ...], got "
                             << formatShape(type.getShape());
  if (size < 1)
    return op->emitOpError() << "size must be positive, got " << size;
  if (alpha < 0)
    return op->emitOpError() << "alpha must not be negative, got " << alpha;
  if (k <= 0)
    return op->emitOpError() << "k must be positive, got " << k;
  return success();
}
} // namespace

LogicalResult NormalizeOp::verify() {
  return verifyNormalize(*this, getInput().getType(), getAxis(),
                         getEpsilon().convertToDouble());
}

LogicalResult NormalizeGradOp::verify() {
  return verifyNormalize(*this, getInput().getType(), getAxis(),
                         getEpsilon().convertToDouble());
}

LogicalResult LocalResponseNormOp::verify() {
  return verifyResponseNorm(*this, getInput().getType(), getSize(),
                            getAlpha().convertToDouble(),
                            getK().convertToDouble());
}

LogicalResult LocalResponseNormGradOp::verify() {
  return verifyResponseNorm(*this, getInput().getType(), getSize(),
                            getAlpha().convertToDouble(),
                            getK().convertToDouble());
}

LogicalResult NormalizeOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                    SmallVectorImpl<Value> &operandGrads) {
  operandGrads.push_back(b.create<NormalizeGradOp>(
      getLoc(), resultGrads[0], getInput(), getAxisAttr(), getEpsilonAttr()));
  return success();
}

LogicalResult
LocalResponseNormOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                              SmallVectorImpl<Value> &operandGrads) {
  operandGrads.push_back(b.create<LocalResponseNormGradOp>(
      getLoc(), resultGrads[0], getInput(), getSizeAttr(), getAlphaAttr(),
      getBetaAttr(), getKAttr()));
  return success();
}

// rsqrt'(x) = -x^(-3/2) / 2 = -y^3 / 2.
LogicalResult RsqrtOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                SmallVectorImpl<Value> &operandGrads) {
  Location loc = getLoc();
  Value y = getResult();
  Value gy = b.create<MulOp>(loc, resultGrads[0], y);
  Value gyyy = b.create<MulOp>(loc, b.create<MulOp>(loc, gy, y), y);
  operandGrads.push_back(b.create<ScaleOp>(loc, gyyy, b.getF64FloatAttr(-0.5)));
  return success();
}
