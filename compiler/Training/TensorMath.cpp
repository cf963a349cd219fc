//===- TensorMath.cpp - Small tensor expressions for training IR ----------===//
#include "compiler/Training/TensorMath.h"

#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/IR/TypeUtilities.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;

namespace {
SmallVector<int64_t> allAxes(Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  return llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
}
} // namespace

Value kiln::scaled(OpBuilder &b, Location loc, Value x, double factor) {
  if (factor == 1.0)
    return x;
  return b.create<ScaleOp>(loc, x, b.getF64FloatAttr(factor));
}

Value kiln::broadcastLike(OpBuilder &b, Location loc, Value scalar,
                          Value like) {
  auto type = cast<RankedTensorType>(like.getType());
  if (type.getRank() == 0)
    return scalar;
  return b.create<BroadcastOp>(loc, type, scalar, allAxes(like));
}

Value kiln::scaledBy(OpBuilder &b, Location loc, Value x, const Scalar &s,
                     double factor) {
  if (s.known)
    return scaled(b, loc, x, *s.known * factor);
  return b.create<MulOp>(
      loc, x, broadcastLike(b, loc, scaled(b, loc, s.value, factor), x));
}

Value kiln::scalarConstant(OpBuilder &b, Location loc, Type elementType,
                           double value) {
  auto type = RankedTensorType::get({}, elementType);
  return b.create<arith::ConstantOp>(
      loc, DenseElementsAttr::get(type, FloatAttr::get(elementType, value)));
}

Value kiln::sumOfSquares(OpBuilder &b, Location loc, Value x) {
  return b.create<ReduceSumOp>(loc, b.create<MulOp>(loc, x, x), allAxes(x));
}

Value kiln::totalSumOfSquares(OpBuilder &b, Location loc, ValueRange xs) {
  if (xs.empty() || llvm::any_of(xs, [&](Value x) {
        return mlir::getElementTypeOrSelf(x) !=
               mlir::getElementTypeOrSelf(xs.front());
      }))
    return nullptr;
  Value total;
  for (Value x : xs) {
    Value sumSq = sumOfSquares(b, loc, x);
    total = total ? b.create<AddOp>(loc, total, sumSq).getResult() : sumSq;
  }
  return total;
}
