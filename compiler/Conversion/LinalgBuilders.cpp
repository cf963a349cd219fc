//===- LinalgBuilders.cpp - Shared pieces of the linalg lowering ----------===//
//
// Builders for the linalg.generic shapes that the kiln lowering patterns
// share: elementwise maps, reductions and broadcasts over static shapes.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/KilnToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace kiln;

RankedTensorType lowering::tensorType(Value value) {
  return cast<RankedTensorType>(value.getType());
}

Value lowering::floatConstant(OpBuilder &b, Location loc, Type type,
                              double value) {
  return b.create<arith::ConstantOp>(loc, b.getFloatAttr(type, value));
}

Value lowering::emptyTensor(OpBuilder &b, Location loc, RankedTensorType type) {
  return b.create<tensor::EmptyOp>(loc, type.getShape(), type.getElementType());
}

/// A tensor of `type` filled with `value`: the init of a reduction.
Value lowering::filledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                             double value) {
  Value fill = floatConstant(b, loc, type.getElementType(), value);
  return b.create<linalg::FillOp>(loc, fill, emptyTensor(b, loc, type))
      .getResult(0);
}

/// The map from a `rank`-dimensional iteration space to the dimensions that
/// are not in `axes`.
AffineMap lowering::dropAxes(MLIRContext *ctx, unsigned rank,
                             ArrayRef<int64_t> axes) {
  SmallVector<AffineExpr> kept;
  for (unsigned dim = 0; dim < rank; ++dim)
    if (!llvm::is_contained(axes, static_cast<int64_t>(dim)))
      kept.push_back(getAffineDimExpr(dim, ctx));
  return AffineMap::get(rank, 0, kept, ctx);
}

/// A linalg.generic writing `init`; `body` gets the input elements followed
/// by the current output element and returns the new output element.
Value lowering::buildGeneric(OpBuilder &b, Location loc, Value init,
                             ValueRange inputs, ArrayRef<AffineMap> inputMaps,
                             AffineMap outputMap,
                             ArrayRef<utils::IteratorType> iterators,
                             BodyBuilder body) {
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(outputMap);
  auto generic = b.create<linalg::GenericOp>(
      loc, init.getType(), inputs, init, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        nested.create<linalg::YieldOp>(nestedLoc,
                                       body(nested, nestedLoc, args));
      });
  return generic.getResult(0);
}

/// An elementwise generic producing `type` from same-shaped `inputs`.
Value lowering::buildElementwise(OpBuilder &b, Location loc,
                                 RankedTensorType type, ValueRange inputs,
                                 BodyBuilder body) {
  AffineMap identity = b.getMultiDimIdentityMap(type.getRank());
  SmallVector<AffineMap> maps(inputs.size(), identity);
  SmallVector<utils::IteratorType> iterators(type.getRank(), kParallel);
  return buildGeneric(b, loc, emptyTensor(b, loc, type), inputs, maps, identity,
                      iterators, body);
}

Value kiln::lowering::accumulate(OpBuilder &b, Location loc, Value sum,
                                 Value term) {
  return b.create<arith::AddFOp>(loc, sum, term, arith::FastMathFlags::reassoc);
}
