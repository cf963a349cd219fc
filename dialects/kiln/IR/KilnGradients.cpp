//===- KilnGradients.cpp - Vector-Jacobian products of kiln ops -----------===//
//
// Implements DifferentiableOpInterface for every differentiable kiln op. Each
// VJP is written with kiln ops only, so backward graphs are ordinary kiln IR
// that later passes (fusion, lowering) treat like the forward graph, and so a
// VJP can itself be differentiated where its ops are.
//
//===----------------------------------------------------------------------===//
#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace kiln;

namespace {
/// All dimensions of `type` except `keep`, for summing a bias gradient.
SmallVector<int64_t> allAxesBut(RankedTensorType type, int64_t keep) {
  SmallVector<int64_t> axes;
  for (int64_t dim = 0; dim < type.getRank(); ++dim)
    if (dim != keep)
      axes.push_back(dim);
  return axes;
}
} // namespace

LogicalResult ReshapeOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                  SmallVectorImpl<Value> &operandGrads) {
  operandGrads.push_back(
      b.create<ReshapeOp>(getLoc(), getInput().getType(), resultGrads[0]));
  return success();
}

LogicalResult BroadcastOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                    SmallVectorImpl<Value> &operandGrads) {
  operandGrads.push_back(
      b.create<ReduceSumOp>(getLoc(), resultGrads[0], getAxes()));
  return success();
}

LogicalResult ReduceSumOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                    SmallVectorImpl<Value> &operandGrads) {
  operandGrads.push_back(b.create<BroadcastOp>(getLoc(), getInput().getType(),
                                               resultGrads[0], getAxes()));
  return success();
}

LogicalResult AddOp::buildVJP(OpBuilder &, ArrayRef<Value> resultGrads,
                              SmallVectorImpl<Value> &operandGrads) {
  operandGrads.append({resultGrads[0], resultGrads[0]});
  return success();
}

LogicalResult SubOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                              SmallVectorImpl<Value> &operandGrads) {
  Value negated =
      b.create<ScaleOp>(getLoc(), resultGrads[0], b.getF64FloatAttr(-1.0));
  operandGrads.append({resultGrads[0], negated});
  return success();
}

LogicalResult MulOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                              SmallVectorImpl<Value> &operandGrads) {
  operandGrads.push_back(b.create<MulOp>(getLoc(), resultGrads[0], getRhs()));
  operandGrads.push_back(b.create<MulOp>(getLoc(), resultGrads[0], getLhs()));
  return success();
}

LogicalResult ScaleOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                SmallVectorImpl<Value> &operandGrads) {
  operandGrads.push_back(
      b.create<ScaleOp>(getLoc(), resultGrads[0], getFactorAttr()));
  return success();
}

// For C = op(A) op(B): dA = g op(B)^T and dB = op(A)^T g, each transposed
// back when the operand was stored transposed. Expressing the transposes as
// matmul attributes lets the lowering hand them to oneDNN without copies.
LogicalResult MatmulOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                 SmallVectorImpl<Value> &operandGrads) {
  Value g = resultGrads[0], lhs = getLhs(), rhs = getRhs();
  bool tl = getTransposeLhs(), tr = getTransposeRhs();
  Location loc = getLoc();
  operandGrads.push_back(tl ? b.create<MatmulOp>(loc, rhs, g, tr, true)
                            : b.create<MatmulOp>(loc, g, rhs, false, !tr));
  operandGrads.push_back(tr ? b.create<MatmulOp>(loc, g, lhs, true, tl)
                            : b.create<MatmulOp>(loc, lhs, g, !tl, false));
  return success();
}

LogicalResult BiasAddOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                  SmallVectorImpl<Value> &operandGrads) {
  Value g = resultGrads[0];
  operandGrads.push_back(g);
  operandGrads.push_back(b.create<ReduceSumOp>(
      getLoc(), g, allAxesBut(getInput().getType(), /*keep=*/1)));
  return success();
}

LogicalResult ReluOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                               SmallVectorImpl<Value> &operandGrads) {
  operandGrads.push_back(
      b.create<ReluGradOp>(getLoc(), resultGrads[0], getInput()));
  return success();
}

// relu_grad is linear in `grad` and piecewise constant in `input`, whose
// derivative is zero almost everywhere.
LogicalResult ReluGradOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                   SmallVectorImpl<Value> &operandGrads) {
  operandGrads.push_back(
      b.create<ReluGradOp>(getLoc(), resultGrads[0], getInput()));
  operandGrads.push_back(Value());
  return success();
}
