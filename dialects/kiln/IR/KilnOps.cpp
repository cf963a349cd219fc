//===- KilnOps.cpp - Shape rules and verifiers of kiln ops ----------------===//
//
// Each op's result type is inferred from its operands here. The rules double
// as verifiers (InferTypeOpInterface checks parsed IR against them) and as
// the frontend's shape checker, so their messages name both shapes.
//
//===----------------------------------------------------------------------===//
#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace kiln;

std::string kiln::formatShape(ArrayRef<int64_t> shape) {
  std::string text = "[";
  llvm::raw_string_ostream os(text);
  llvm::interleaveComma(shape, os);
  os << "]";
  return text;
}

namespace {
using Shape = ArrayRef<int64_t>;

RankedTensorType tensorOf(Value value) {
  return cast<RankedTensorType>(value.getType());
}

LogicalResult fail(std::optional<Location> loc, const Twine &message) {
  return emitOptionalError(loc, message);
}

LogicalResult inferSame(Value input, SmallVectorImpl<Type> &types) {
  types.push_back(input.getType());
  return success();
}
} // namespace

LogicalResult ReshapeOp::verify() {
  RankedTensorType input = getInput().getType();
  RankedTensorType result = getResult().getType();
  if (input.getNumElements() != result.getNumElements())
    return emitOpError() << "cannot reshape " << formatShape(input.getShape())
                         << " (" << input.getNumElements() << " elements) to "
                         << formatShape(result.getShape()) << " ("
                         << result.getNumElements() << " elements)";
  if (input.getElementType() != result.getElementType())
    return emitOpError() << "changes the element type";
  return success();
}

LogicalResult BroadcastOp::verify() {
  Shape in = getInput().getType().getShape();
  Shape out = getResult().getType().getShape();
  ArrayRef<int64_t> axes = getAxes();
  if (in.size() + axes.size() != out.size())
    return emitOpError() << "broadcasting " << formatShape(in) << " along "
                         << axes.size() << " axes cannot give "
                         << formatShape(out);
  size_t next = 0;
  for (auto [dim, size] : llvm::enumerate(out)) {
    if (llvm::is_contained(axes, static_cast<int64_t>(dim)))
      continue;
    if (in[next++] != size)
      return emitOpError() << "input " << formatShape(in)
                           << " does not match result " << formatShape(out)
                           << " outside axes";
  }
  if (getInput().getType().getElementType() !=
      getResult().getType().getElementType())
    return emitOpError() << "changes the element type";
  return success();
}

LogicalResult ReduceSumOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  RankedTensorType input = tensorOf(adaptor.getInput());
  SmallVector<int64_t> kept;
  for (int64_t axis : adaptor.getAxes())
    if (axis < 0 || axis >= input.getRank())
      return fail(loc, "reduce_sum axis " + Twine(axis) +
                           " is out of range for " +
                           formatShape(input.getShape()));
  for (auto [dim, size] : llvm::enumerate(input.getShape()))
    if (!llvm::is_contained(adaptor.getAxes(), static_cast<int64_t>(dim)))
      kept.push_back(size);
  types.push_back(RankedTensorType::get(kept, input.getElementType()));
  return success();
}

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  RankedTensorType lhs = tensorOf(adaptor.getLhs());
  RankedTensorType rhs = tensorOf(adaptor.getRhs());
  if (lhs.getRank() != 2 || rhs.getRank() != 2)
    return fail(loc, "matmul needs 2-D operands, got " +
                         formatShape(lhs.getShape()) + " and " +
                         formatShape(rhs.getShape()));
  if (lhs.getElementType() != rhs.getElementType())
    return fail(loc, "matmul operands differ in element type");
  bool tl = adaptor.getTransposeLhs(), tr = adaptor.getTransposeRhs();
  int64_t m = lhs.getDimSize(tl ? 1 : 0), kl = lhs.getDimSize(tl ? 0 : 1);
  int64_t kr = rhs.getDimSize(tr ? 1 : 0), n = rhs.getDimSize(tr ? 0 : 1);
  if (kl != kr)
    return fail(loc, "matmul contracts " + Twine(kl) + " features of " +
                         formatShape(lhs.getShape()) + " with " + Twine(kr) +
                         " of " + formatShape(rhs.getShape()));
  types.push_back(RankedTensorType::get({m, n}, lhs.getElementType()));
  return success();
}

LogicalResult BiasAddOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  RankedTensorType input = tensorOf(adaptor.getInput());
  RankedTensorType bias = tensorOf(adaptor.getBias());
  if (input.getRank() < 2 || bias.getRank() != 1 ||
      bias.getDimSize(0) != input.getDimSize(1))
    return fail(loc, "bias " + formatShape(bias.getShape()) +
                         " does not match the channels (dimension 1) of " +
                         formatShape(input.getShape()));
  if (input.getElementType() != bias.getElementType())
    return fail(loc, "bias_add operands differ in element type");
  return inferSame(adaptor.getInput(), types);
}

LogicalResult ClampOp::verify() {
  FloatAttr min = getMinAttr(), max = getMaxAttr();
  if (!min && !max)
    return emitOpError() << "needs a `min` or a `max` bound";
  if (min && max && min.getValueAsDouble() > max.getValueAsDouble())
    return emitOpError() << "min " << min.getValueAsDouble() << " exceeds max "
                         << max.getValueAsDouble();
  return success();
}

#define GET_OP_CLASSES
#include "dialects/kiln/IR/KilnOps.cpp.inc"
