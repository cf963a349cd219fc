//===- KilnStructureOps.cpp - Shape rules and VJPs of structure ops -------===//
//
// Concat, transpose, slice and the channel-blocking pair infer their result
// shapes; slice_grad, whose result size along the axis is not implied by its
// operand, verifies a spelled-out type instead. Every VJP is another
// structure op.
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

LogicalResult checkAxis(std::optional<Location> loc, StringRef op,
                        RankedTensorType type, int64_t axis) {
  if (axis < 0 || axis >= type.getRank())
    return emitOptionalError(loc, op, " axis ", axis, " is out of range for ",
                             formatShape(type.getShape()));
  return success();
}
} // namespace

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty())
    return emitOptionalError(loc, "concat needs at least one input");
  RankedTensorType first = tensorOf(inputs.front());
  int64_t axis = adaptor.getAxisAttr().getInt();
  if (failed(checkAxis(loc, "concat", first, axis)))
    return failure();
  SmallVector<int64_t> shape(first.getShape());
  shape[axis] = 0;
  for (Value input : inputs) {
    RankedTensorType type = tensorOf(input);
    bool matches = type.getRank() == first.getRank() &&
                   type.getElementType() == first.getElementType();
    for (int64_t dim = 0; matches && dim < type.getRank(); ++dim)
      matches = dim == axis || type.getDimSize(dim) == first.getDimSize(dim);
    if (!matches)
      return emitOptionalError(loc, "concat along axis ", axis, " cannot join ",
                               formatShape(first.getShape()), " and ",
                               formatShape(type.getShape()));
    shape[axis] += type.getDimSize(axis);
  }
  types.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  RankedTensorType input = tensorOf(adaptor.getInput());
  ArrayRef<int64_t> permutation = adaptor.getPermutation();
  SmallVector<bool> seen(input.getRank(), false);
  SmallVector<int64_t> shape;
  for (int64_t dim : permutation) {
    if (dim < 0 || dim >= input.getRank() || seen[dim])
      break;
    seen[dim] = true;
    shape.push_back(input.getDimSize(dim));
  }
  if (permutation.size() != static_cast<size_t>(input.getRank()) ||
      shape.size() != permutation.size()) {
    std::string text;
    llvm::raw_string_ostream os(text);
    llvm::interleaveComma(permutation, os);
    return emitOptionalError(loc, "[", text, "] is not a permutation of the ",
                             input.getRank(), " dimensions of ",
                             formatShape(input.getShape()));
  }
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  RankedTensorType input = tensorOf(adaptor.getInput());
  int64_t axis = adaptor.getAxisAttr().getInt();
  int64_t start = adaptor.getStartAttr().getInt();
  int64_t end = adaptor.getEndAttr().getInt();
  if (failed(checkAxis(loc, "slice", input, axis)))
    return failure();
  if (start < 0 || start >= end || end > input.getDimSize(axis))
    return emitOptionalError(loc, "slice [", start, ", ", end,
                             ") is empty or out of range for size ",
                             input.getDimSize(axis), " of ",
                             formatShape(input.getShape()));
  SmallVector<int64_t> shape(input.getShape());
  shape[axis] = end - start;
  types.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult SliceGradOp::verify() {
  RankedTensorType grad = getGrad().getType();
  RankedTensorType result = getResult().getType();
  int64_t axis = getAxisAttr().getInt(), start = getStartAttr().getInt();
  if (failed(checkAxis(getLoc(), "slice_grad", result, axis)))
    return failure();
  bool fits = grad.getRank() == result.getRank() && start >= 0 &&
              grad.getElementType() == result.getElementType();
  for (int64_t dim = 0; fits && dim < grad.getRank(); ++dim)
    fits = dim == axis ? start + grad.getDimSize(dim) <= result.getDimSize(dim)
                       : grad.getDimSize(dim) == result.getDimSize(dim);
  if (!fits)
    return emitOpError() << "cannot place " << formatShape(grad.getShape())
                         << " at " << start << " along axis " << axis << " of "
                         << formatShape(result.getShape());
  return success();
}

LogicalResult ConcatOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                 SmallVectorImpl<Value> &operandGrads) {
  int64_t axis = getAxisAttr().getInt(), start = 0;
  for (Value input : getInputs()) {
    int64_t end = start + tensorOf(input).getDimSize(axis);
    operandGrads.push_back(
        b.create<SliceOp>(getLoc(), resultGrads[0], axis, start, end));
    start = end;
  }
  return success();
}

LogicalResult TransposeOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                    SmallVectorImpl<Value> &operandGrads) {
  ArrayRef<int64_t> permutation = getPermutation();
  SmallVector<int64_t> inverse(permutation.size());
  for (auto [index, dim] : llvm::enumerate(permutation))
    inverse[dim] = index;
  operandGrads.push_back(
      b.create<TransposeOp>(getLoc(), resultGrads[0], inverse));
  return success();
}

LogicalResult SliceOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                SmallVectorImpl<Value> &operandGrads) {
  operandGrads.push_back(b.create<SliceGradOp>(getLoc(), getInput().getType(),
                                               resultGrads[0], getAxisAttr(),
                                               getStartAttr()));
  return success();
}

LogicalResult SliceGradOp::buildVJP(OpBuilder &b, ArrayRef<Value> resultGrads,
                                    SmallVectorImpl<Value> &operandGrads) {
  int64_t start = getStartAttr().getInt();
  int64_t end = start + getGrad().getType().getDimSize(getAxisAttr().getInt());
  operandGrads.push_back(b.create<SliceOp>(getLoc(), resultGrads[0],
                                           getAxisAttr().getInt(), start, end));
  return success();
}

LogicalResult BlockChannelsOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  RankedTensorType input = tensorOf(adaptor.getInput());
  int64_t block = adaptor.getBlock();
  ArrayRef<int64_t> shape = input.getShape();
  if (input.getRank() != 4 || block < 1 || shape[1] % block != 0)
    return emitOptionalError(loc,
                             "block_channels needs [N, C, H, W] with C a "
                             "multiple of the block ",
                             block, ", got ", formatShape(shape));
  types.push_back(blockedType(input, block));
  return success();
}

RankedTensorType BlockChannelsOp::blockedType(RankedTensorType nchw,
                                              int64_t block) {
  ArrayRef<int64_t> s = nchw.getShape();
  return RankedTensorType::get({s[0], s[1] / block, s[2], s[3], block},
                               nchw.getElementType());
}

LogicalResult
UnblockChannelsOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                    Adaptor adaptor,
                                    SmallVectorImpl<Type> &types) {
  RankedTensorType input = tensorOf(adaptor.getInput());
  ArrayRef<int64_t> shape = input.getShape();
  if (input.getRank() != 5)
    return emitOptionalError(loc,
                             "unblock_channels needs [N, C / b, H, W, b], "
                             "got ",
                             formatShape(shape));
  types.push_back(
      RankedTensorType::get({shape[0], shape[1] * shape[4], shape[2], shape[3]},
                            input.getElementType()));
  return success();
}
