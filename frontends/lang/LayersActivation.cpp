//===- LayersActivation.cpp - Activation layers ---------------------------===//
//
// Activations as torch.nn's modules with their default hyper-parameters:
// leaky_relu (negative_slope 0.01), elu (alpha 1), softplus (beta 1,
// threshold 20), exact gelu, and softmax / log_softmax over `axis` (1, the
// features or channels, by default; never the batch).
//
//===----------------------------------------------------------------------===//
#include "frontends/lang/Layers.h"

#include "dialects/kiln/IR/KilnDialect.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lang;

namespace {
/// An activation without hyper-parameters.
template <typename Op>
std::optional<LayerResult> emitPlain(LayerBuilder &lb,
                                     ArrayRef<ArgValue> args) {
  return LayerResult{lb.b.create<Op>(lb.loc, args[0].tensor)};
}

std::optional<LayerResult> emitLeakyRelu(LayerBuilder &lb,
                                         ArrayRef<ArgValue> args) {
  return LayerResult{lb.b.create<LeakyReluOp>(
      lb.loc, args[0].tensor, lb.b.getF64FloatAttr(args[1].real))};
}

std::optional<LayerResult> emitElu(LayerBuilder &lb, ArrayRef<ArgValue> args) {
  return LayerResult{lb.b.create<EluOp>(lb.loc, args[0].tensor,
                                        lb.b.getF64FloatAttr(args[1].real))};
}

std::optional<LayerResult> emitSoftplus(LayerBuilder &lb,
                                        ArrayRef<ArgValue> args) {
  if (args[1].real <= 0) {
    argError(lb, args[1]) << "softplus `" << lb.name
                          << "` beta must be positive, got "
                          << formatNumber(args[1].real);
    return std::nullopt;
  }
  return LayerResult{lb.b.create<SoftplusOp>(
      lb.loc, args[0].tensor, lb.b.getF64FloatAttr(args[1].real),
      lb.b.getF64FloatAttr(args[2].real))};
}

template <typename Op>
std::optional<LayerResult> emitSoftmaxFamily(LayerBuilder &lb,
                                             ArrayRef<ArgValue> args) {
  std::optional<int64_t> axis =
      resolveAxis(lb, args[1], Op::getOperationName().drop_front(5), args[0]);
  if (!axis)
    return std::nullopt;
  return LayerResult{lb.b.create<Op>(lb.loc, args[0].tensor, *axis)};
}
} // namespace

void kiln::lang::appendActivationLayers(std::vector<LayerSpec> &specs) {
  ArgSpec input{"input", ArgKind::Tensor, true, 0};
  ArgSpec axis{"axis", ArgKind::Int, false, 1};
  specs.insert(
      specs.end(),
      {
          {"sigmoid", {input}, false, emitPlain<SigmoidOp>},
          {"tanh", {input}, false, emitPlain<TanhOp>},
          {"leaky_relu",
           {input, {"negative_slope", ArgKind::Real, false, 0.01}},
           false,
           emitLeakyRelu},
          {"elu",
           {input, {"alpha", ArgKind::Real, false, 1.0}},
           false,
           emitElu},
          {"softsign", {input}, false, emitPlain<SoftsignOp>},
          {"softplus",
           {input,
            {"beta", ArgKind::Real, false, 1.0},
            {"threshold", ArgKind::Real, false, 20.0}},
           false,
           emitSoftplus},
          {"gelu", {input}, false, emitPlain<GeluOp>},
          {"softmax", {input, axis}, false, emitSoftmaxFamily<SoftmaxOp>},
          {"log_softmax",
           {input, axis},
           false,
           emitSoftmaxFamily<LogSoftmaxOp>},
      });
}
