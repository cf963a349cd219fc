//===- KilnConvOps.cpp - Shape rules of the convolution and pooling ops ---===//
//
// One rule per family computes the output shape of a convolution or a pooling
// window from the input shape and the attributes. Forward ops infer their
// result type with it; the backward ops, whose result types are explicit
// because padding and strides make them ambiguous, verify that applying the
// forward rule to their result gives the shape of their `grad` operand. Every
// message names the shapes involved.
//
//===----------------------------------------------------------------------===//
#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace kiln;

namespace {
using Shape = ArrayRef<int64_t>;
/// Reports `message` as an error and returns failure.
using FailFn = llvm::function_ref<LogicalResult(const Twine &)>;

RankedTensorType tensorOf(Value value) {
  return cast<RankedTensorType>(value.getType());
}

/// Checks that `values` has one entry per spatial dimension, each >= `min`.
LogicalResult checkSpatial(FailFn fail, StringRef op, StringRef name,
                           Shape values, int64_t min) {
  if (values.size() != 2)
    return fail(op + " needs 2 " + name + " (height, width), got " +
                formatShape(values));
  for (int64_t v : values)
    if (v < min)
      return fail(op + " " + name + " must be >= " + Twine(min) + ", got " +
                  formatShape(values));
  return success();
}

/// Checks that `type` is an NCHW tensor.
LogicalResult checkImage(FailFn fail, StringRef op, StringRef role,
                         RankedTensorType type) {
  if (type.getRank() != 4)
    return fail(op + " needs a 4-D " + role +
                " [batch, channels, height, width], got " +
                formatShape(type.getShape()));
  return success();
}

/// Output size of a window of `kernel` elements dilated by `dilation` sliding
/// with `stride` over `size` elements padded by `pad` on both sides, or
/// nullopt when the window does not fit.
std::optional<int64_t> windows(int64_t size, int64_t kernel, int64_t stride,
                               int64_t pad, int64_t dilation) {
  int64_t span = dilation * (kernel - 1) + 1;
  if (size + 2 * pad < span)
    return std::nullopt;
  return (size + 2 * pad - span) / stride + 1;
}

/// The shape of conv2d(input, weight) with the given attributes. The backward
/// ops' results play the input or the weight; `inputName` and `weightName`
/// are what messages call them.
FailureOr<SmallVector<int64_t>>
convShape(FailFn fail, RankedTensorType input, RankedTensorType weight,
          Shape strides, Shape padding, Shape dilations, int64_t groups,
          StringRef inputName = "input", StringRef weightName = "weight") {
  StringRef op = "conv2d";
  if (failed(checkImage(fail, op, inputName, input)) ||
      failed(checkSpatial(fail, op, "strides", strides, 1)) ||
      failed(checkSpatial(fail, op, "padding", padding, 0)) ||
      failed(checkSpatial(fail, op, "dilations", dilations, 1)))
    return failure();
  std::string in = (inputName + " " + formatShape(input.getShape())).str();
  std::string w = (weightName + " " + formatShape(weight.getShape())).str();
  if (weight.getRank() != 4)
    return fail("conv2d needs a 4-D " + weightName +
                " [out_channels, in_channels / groups, kernel_h, kernel_w], "
                "got " +
                formatShape(weight.getShape()));
  if (input.getElementType() != weight.getElementType())
    return fail("conv2d " + in + " and " + w + " differ in element type");
  if (groups < 1)
    return fail("conv2d groups must be >= 1, got " + Twine(groups));
  int64_t channels = input.getDimSize(1), outChannels = weight.getDimSize(0);
  if (weight.getDimSize(1) * groups != channels)
    return fail("conv2d " + w + " (groups = " + Twine(groups) + ") expects " +
                Twine(weight.getDimSize(1) * groups) + " input channels, got " +
                in);
  if (outChannels % groups != 0)
    return fail("conv2d " + w + " has " + Twine(outChannels) +
                " output channels, not divisible into " + Twine(groups) +
                " groups (" + in + ")");
  SmallVector<int64_t> shape{input.getDimSize(0), outChannels};
  for (int dim = 0; dim < 2; ++dim) {
    std::optional<int64_t> size =
        windows(input.getDimSize(2 + dim), weight.getDimSize(2 + dim),
                strides[dim], padding[dim], dilations[dim]);
    if (!size)
      return fail("conv2d kernel of " + w + " (dilations " +
                  formatShape(dilations) + ") does not fit " + in +
                  " padded by " + formatShape(padding));
    shape.push_back(*size);
  }
  return shape;
}

/// The shape of pooling `input` with the given windows.
FailureOr<SmallVector<int64_t>> poolShape(FailFn fail, StringRef op,
                                          RankedTensorType input, Shape kernel,
                                          Shape strides, Shape padding) {
  if (failed(checkImage(fail, op, "input", input)) ||
      failed(checkSpatial(fail, op, "kernel", kernel, 1)) ||
      failed(checkSpatial(fail, op, "strides", strides, 1)) ||
      failed(checkSpatial(fail, op, "padding", padding, 0)))
    return failure();
  std::string in = formatShape(input.getShape());
  SmallVector<int64_t> shape(input.getShape().take_front(2));
  for (int dim = 0; dim < 2; ++dim) {
    if (padding[dim] > kernel[dim] / 2)
      return fail(op + " padding " + formatShape(padding) +
                  " exceeds half the kernel " + formatShape(kernel));
    std::optional<int64_t> size = windows(
        input.getDimSize(2 + dim), kernel[dim], strides[dim], padding[dim], 1);
    if (!size)
      return fail(op + " kernel " + formatShape(kernel) +
                  " does not fit input " + in + " padded by " +
                  formatShape(padding));
    shape.push_back(*size);
  }
  return shape;
}

/// Checks that the forward op's output `expected` has the shape and element
/// type of `grad`; `relation` says how the two were related.
LogicalResult checkGrad(FailFn fail, RankedTensorType grad, Shape expected,
                        RankedTensorType result, const Twine &relation) {
  if (grad.getShape() != expected)
    return fail(relation + " gives " + formatShape(expected) +
                ", which does not match grad " + formatShape(grad.getShape()));
  if (grad.getElementType() != result.getElementType())
    return fail("grad and result differ in element type");
  return success();
}
} // namespace

LogicalResult Conv2DOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto fail = [&](const Twine &m) { return emitOptionalError(loc, m); };
  RankedTensorType input = tensorOf(adaptor.getInput());
  FailureOr<SmallVector<int64_t>> shape = convShape(
      fail, input, tensorOf(adaptor.getWeight()), adaptor.getStrides(),
      adaptor.getPadding(), adaptor.getDilations(), adaptor.getGroups());
  if (failed(shape))
    return failure();
  types.push_back(RankedTensorType::get(*shape, input.getElementType()));
  return success();
}

LogicalResult Conv2DBackwardDataOp::verify() {
  auto fail = [&](const Twine &m) -> LogicalResult { return emitOpError(m); };
  RankedTensorType result = getResult().getType();
  RankedTensorType weight = getWeight().getType();
  FailureOr<SmallVector<int64_t>> shape =
      convShape(fail, result, weight, getStrides(), getPadding(),
                getDilations(), getGroups(), "result", "weight");
  if (failed(shape))
    return failure();
  return checkGrad(fail, getGrad().getType(), *shape, result,
                   "conv2d of result " + formatShape(result.getShape()) +
                       " with weight " + formatShape(weight.getShape()));
}

LogicalResult Conv2DBackwardWeightsOp::verify() {
  auto fail = [&](const Twine &m) -> LogicalResult { return emitOpError(m); };
  RankedTensorType result = getResult().getType();
  RankedTensorType input = getInput().getType();
  FailureOr<SmallVector<int64_t>> shape =
      convShape(fail, input, result, getStrides(), getPadding(), getDilations(),
                getGroups(), "input", "result");
  if (failed(shape))
    return failure();
  return checkGrad(fail, getGrad().getType(), *shape, result,
                   "conv2d of input " + formatShape(input.getShape()) +
                       " with result " + formatShape(result.getShape()));
}

/// The result type of a pooling op (max or average) from its input and
/// window.
template <typename PoolAdaptor>
static LogicalResult inferPoolType(std::optional<Location> loc, StringRef op,
                                   PoolAdaptor adaptor,
                                   SmallVectorImpl<Type> &types) {
  auto fail = [&](const Twine &m) { return emitOptionalError(loc, m); };
  RankedTensorType input = tensorOf(adaptor.getInput());
  FailureOr<SmallVector<int64_t>> shape =
      poolShape(fail, op, input, adaptor.getKernel(), adaptor.getStrides(),
                adaptor.getPadding());
  if (failed(shape))
    return failure();
  types.push_back(RankedTensorType::get(*shape, input.getElementType()));
  return success();
}

LogicalResult MaxPool2DOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return inferPoolType(loc, "max_pool2d", adaptor, types);
}

LogicalResult MaxPool2DGradOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  auto fail = [&](const Twine &m) { return emitOptionalError(loc, m); };
  RankedTensorType input = tensorOf(adaptor.getInput());
  FailureOr<SmallVector<int64_t>> shape =
      poolShape(fail, "max_pool2d_grad", input, adaptor.getKernel(),
                adaptor.getStrides(), adaptor.getPadding());
  if (failed(shape) ||
      failed(checkGrad(fail, tensorOf(adaptor.getGrad()), *shape, input,
                       "max_pool2d_grad: pooling input " +
                           formatShape(input.getShape()))))
    return failure();
  types.push_back(input);
  return success();
}

LogicalResult AvgPool2DOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return inferPoolType(loc, "avg_pool2d", adaptor, types);
}

LogicalResult AvgPool2DGradOp::verify() {
  auto fail = [&](const Twine &m) -> LogicalResult { return emitOpError(m); };
  RankedTensorType result = getResult().getType();
  FailureOr<SmallVector<int64_t>> shape = poolShape(
      fail, "avg_pool2d", result, getKernel(), getStrides(), getPadding());
  if (failed(shape))
    return failure();
  return checkGrad(fail, getGrad().getType(), *shape, result,
                   "pooling result " + formatShape(result.getShape()));
}
