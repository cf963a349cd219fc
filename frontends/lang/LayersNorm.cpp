//===- LayersNorm.cpp - Normalization and regularization layers -----------===//
//
// batch_norm follows torch.nn.BatchNorm1d/2d: weight (gamma) starts at one,
// bias (beta) at zero, and the running statistics `running_mean` (zeros) and
// `running_var` (ones) are buffers, saved with the parameters under PyTorch's
// names. dropout is inverted dropout as torch.nn.Dropout.
//
//===----------------------------------------------------------------------===//
#include "frontends/lang/Layers.h"

#include "dialects/kiln/IR/KilnConventions.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lang;

namespace {
std::optional<LayerResult> emitBatchNorm(LayerBuilder &lb,
                                         ArrayRef<ArgValue> args) {
  Value x = args[0].tensor;
  auto type = cast<RankedTensorType>(x.getType());
  if (type.getRank() != 2 && type.getRank() != 4) {
    lb.gen.error(lb.callLoc)
        << "batch_norm `" << lb.name
        << "` expects [batch, features] or [batch, channels, height, width], "
           "got "
        << formatShape(type.getShape()) << " from `" << args[0].source << "`";
    return std::nullopt;
  }
  if (args[2].real <= 0) {
    lb.gen.error(lb.callLoc) << "batch_norm `" << lb.name
                             << "` needs a positive eps, got " << args[2].real;
    return std::nullopt;
  }
  int64_t channels = type.getDimSize(1);
  Value weight =
      lb.addParameter("weight", {channels}, constantInit(lb.b.getContext(), 1));
  Value bias =
      lb.addParameter("bias", {channels}, constantInit(lb.b.getContext(), 0));
  Value mean = lb.addBuffer("running_mean", {channels},
                            constantInit(lb.b.getContext(), 0));
  Value var = lb.addBuffer("running_var", {channels},
                           constantInit(lb.b.getContext(), 1));
  auto op = lb.b.create<BatchNormOp>(
      lb.loc, x, weight, bias, mean, var, lb.b.getF64FloatAttr(args[2].real),
      lb.b.getF64FloatAttr(args[1].real), /*training=*/UnitAttr());
  return LayerResult{op.getResult()};
}

std::optional<LayerResult> emitDropout(LayerBuilder &lb,
                                       ArrayRef<ArgValue> args) {
  Value x = args[0].tensor;
  Value y = lb.b.create<DropoutOp>(lb.loc, x.getType(), x, lb.randomSeed(),
                                   lb.b.getF64FloatAttr(args[1].real),
                                   lb.b.getI64IntegerAttr(lb.stream),
                                   /*training=*/UnitAttr());
  return LayerResult{y};
}
} // namespace

void kiln::lang::appendNormLayers(std::vector<LayerSpec> &specs) {
  specs.insert(specs.end(), {{"batch_norm",
                              {{"input", ArgKind::Tensor, true, 0},
                               {"momentum", ArgKind::Rate, false, 0.1},
                               {"eps", ArgKind::Real, false, 1e-5}},
                              false,
                              emitBatchNorm},
                             {"dropout",
                              {{"input", ArgKind::Tensor, true, 0},
                               {"rate", ArgKind::Rate, false, 0.5}},
                              false,
                              emitDropout}});
}
