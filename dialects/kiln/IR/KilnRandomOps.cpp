//===- KilnRandomOps.cpp - Verifiers and VJPs of random ops ---------------===//
#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace kiln;

LogicalResult DropoutOp::verify() {
  double rate = getRate().convertToDouble();
  if (!(rate >= 0.0 && rate < 1.0))
    return emitOpError() << "rate must be in [0, 1), got " << rate;
  return success();
}

// Given the mask, dropout is linear, and the same seed, stream and indices
// regenerate the same mask: the VJP is dropout applied to the gradient.
LogicalResult DropoutOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                  SmallVectorImpl<Value> &operandGrads) {
  auto grad = b.create<DropoutOp>(getLoc(), resultGrads[0].getType(),
                                  resultGrads[0], getSeed(), getRateAttr(),
                                  getStreamAttr(), getTrainingAttr());
  operandGrads.append({grad, Value()});
  return success();
}
