//===- LayersNormalize.cpp - Layer, group, instance and LRN layers --------===//
//
// The layers follow torch.nn: LayerNorm over trailing dimensions with an
// elementwise weight and bias of the normalized shape, GroupNorm and
// InstanceNorm2d with per-channel ones, all starting at one and zero, and
// LocalResponseNorm. The first three are kiln.normalize over trailing
// dimensions (group normalization on a [batch, groups, rest] view) followed
// by the affine map as broadcast, mul and add, which fuse after lowering and
// whose VJPs give PyTorch's weight and bias gradients.
//
//===----------------------------------------------------------------------===//
#include "frontends/lang/Layers.h"

#include "dialects/kiln/IR/KilnConventions.h"

#include <numeric>

using namespace mlir;
using namespace kiln;
using namespace kiln::lang;

namespace {
bool expectPositiveEps(LayerBuilder &lb, StringRef layer, const ArgValue &eps) {
  if (eps.real > 0)
    return true;
  argError(lb, eps) << layer << " `" << lb.name
                    << "` needs a positive eps, got " << formatNumber(eps.real);
  return false;
}

Value normalize(LayerBuilder &lb, Value x, int64_t axis, const ArgValue &eps) {
  return lb.b.create<NormalizeOp>(lb.loc, x, lb.b.getI64IntegerAttr(axis),
                                  lb.b.getF64FloatAttr(eps.real));
}

/// y * weight + bias with parameters `weight` (ones) and `bias` (zeros) of
/// `shape`, replicated along `y`'s dimensions `axes`.
Value addAffine(LayerBuilder &lb, Value y, ArrayRef<int64_t> shape,
                ArrayRef<int64_t> axes) {
  auto spread = [&](StringRef suffix, double value) -> Value {
    Value param =
        lb.addParameter(suffix, shape, constantInit(lb.b.getContext(), value));
    return lb.b.create<BroadcastOp>(lb.loc, y.getType(), param, axes);
  };
  y = lb.b.create<MulOp>(lb.loc, y, spread("weight", 1));
  return lb.b.create<AddOp>(lb.loc, y, spread("bias", 0));
}

/// The per-channel affine map of group and instance normalization.
Value addChannelAffine(LayerBuilder &lb, Value y) {
  RankedTensorType type = typeOf(y);
  SmallVector<int64_t> axes{0};
  for (int64_t dim = 2; dim < type.getRank(); ++dim)
    axes.push_back(dim);
  return addAffine(lb, y, {type.getDimSize(1)}, axes);
}

std::optional<LayerResult> emitLayerNorm(LayerBuilder &lb,
                                         ArrayRef<ArgValue> args) {
  enum { In, Dims, Eps, Affine };
  const ArgValue &x = args[In];
  if (!expectRank(lb, "layer_norm", x, 2, INT64_MAX,
                  "[batch, features, ...]") ||
      !expectPositiveEps(lb, "layer_norm", args[Eps]))
    return std::nullopt;
  ArrayRef<int64_t> shape = typeOf(x.tensor).getShape();
  int64_t after = shape.size() - 1;
  // 0: not given, every dimension after the batch.
  int64_t dims = args[Dims].integer ? args[Dims].integer : after;
  if (dims > after) {
    argError(lb, args[Dims])
        << "layer_norm `" << lb.name << "` cannot normalize the last " << dims
        << " dimensions of " << formatShape(shape) << " from `" << x.source
        << "`: it has " << after << " after the batch";
    return std::nullopt;
  }
  int64_t axis = shape.size() - dims;
  Value y = normalize(lb, x.tensor, axis, args[Eps]);
  if (args[Affine].integer) {
    SmallVector<int64_t> leading(axis);
    std::iota(leading.begin(), leading.end(), 0);
    y = addAffine(lb, y, shape.drop_front(axis), leading);
  }
  return LayerResult{y};
}

std::optional<LayerResult> emitGroupNorm(LayerBuilder &lb,
                                         ArrayRef<ArgValue> args) {
  enum { In, Groups, Eps, Affine };
  const ArgValue &x = args[In];
  if (!expectRank(lb, "group_norm", x, 2, INT64_MAX,
                  "[batch, channels, ...]") ||
      !expectPositiveEps(lb, "group_norm", args[Eps]))
    return std::nullopt;
  RankedTensorType type = typeOf(x.tensor);
  int64_t channels = type.getDimSize(1), groups = args[Groups].integer;
  if (channels % groups != 0) {
    argError(lb, args[Groups])
        << "group_norm `" << lb.name << "` cannot split the " << channels
        << " channels of " << formatShape(type.getShape()) << " from `"
        << x.source << "` into " << groups << " groups";
    return std::nullopt;
  }
  int64_t batch = type.getDimSize(0);
  auto grouped = RankedTensorType::get(
      {batch, groups, type.getNumElements() / (batch * groups)},
      type.getElementType());
  Value view = lb.b.create<ReshapeOp>(lb.loc, grouped, x.tensor);
  Value y =
      lb.b.create<ReshapeOp>(lb.loc, type, normalize(lb, view, 2, args[Eps]));
  if (args[Affine].integer)
    y = addChannelAffine(lb, y);
  return LayerResult{y};
}

std::optional<LayerResult> emitInstanceNorm(LayerBuilder &lb,
                                            ArrayRef<ArgValue> args) {
  enum { In, Eps, Affine };
  const ArgValue &x = args[In];
  if (!expectRank(
          lb, "instance_norm", x, 3, INT64_MAX,
          "[batch, channels, height, width] or [batch, channels, length]") ||
      !expectPositiveEps(lb, "instance_norm", args[Eps]))
    return std::nullopt;
  Value y = normalize(lb, x.tensor, 2, args[Eps]);
  if (args[Affine].integer)
    y = addChannelAffine(lb, y);
  return LayerResult{y};
}

std::optional<LayerResult> emitLrn(LayerBuilder &lb, ArrayRef<ArgValue> args) {
  enum { In, Size, Alpha, Beta, K };
  const ArgValue &x = args[In];
  if (!expectRank(lb, "lrn", x, 2, INT64_MAX, "[batch, channels, ...]"))
    return std::nullopt;
  // These keep k + alpha / size * sum(x^2) positive, so any beta is defined.
  if (args[Alpha].real < 0) {
    argError(lb, args[Alpha])
        << "lrn `" << lb.name << "` needs alpha >= 0, got "
        << formatNumber(args[Alpha].real);
    return std::nullopt;
  }
  if (args[K].real <= 0) {
    argError(lb, args[K]) << "lrn `" << lb.name << "` needs a positive k, got "
                          << formatNumber(args[K].real);
    return std::nullopt;
  }
  auto real = [&](int index) { return lb.b.getF64FloatAttr(args[index].real); };
  return LayerResult{lb.b.create<LocalResponseNormOp>(
      lb.loc, x.tensor, lb.b.getI64IntegerAttr(args[Size].integer), real(Alpha),
      real(Beta), real(K))};
}
} // namespace

void kiln::lang::appendNormalizeLayers(std::vector<LayerSpec> &specs) {
  ArgSpec input{"input", ArgKind::Tensor, true, 0};
  ArgSpec eps{"eps", ArgKind::Real, false, 1e-5};
  specs.insert(specs.end(), {{"layer_norm",
                              {input,
                               // 0: every dimension after the batch.
                               {"dims", ArgKind::PositiveInt, false, 0},
                               eps,
                               {"affine", ArgKind::Bool, false, 1}},
                              false,
                              emitLayerNorm},
                             {"group_norm",
                              {input,
                               {"groups", ArgKind::PositiveInt, true, 0},
                               eps,
                               {"affine", ArgKind::Bool, false, 1}},
                              false,
                              emitGroupNorm},
                             {"instance_norm",
                              {input, eps, {"affine", ArgKind::Bool, false, 0}},
                              false,
                              emitInstanceNorm},
                             {"lrn",
                              {input,
                               {"size", ArgKind::PositiveInt, true, 0},
                               {"alpha", ArgKind::Real, false, 1e-4},
                               {"beta", ArgKind::Real, false, 0.75},
                               {"k", ArgKind::Real, false, 1.0}},
                              false,
                              emitLrn}});
}
