//===- LayersConv.cpp - Convolution and pooling layers --------------------===//
//
// The layers follow torch.nn: Conv2d and Conv1d store weights [out, in /
// groups, k(, k)], ConvTranspose2d stores [in, out / groups, k, k], and all
// three initialise weight and bias from U(-1/sqrt(fan_in), 1/sqrt(fan_in))
// with fan_in = weight.size(1) * kernel area. Kernels are square and
// strides, padding and dilation equal in both spatial dimensions. conv1d is
// conv2d on [N, C, 1, L], reshaping its PyTorch-shaped weight in the graph,
// so its checkpoint matches torch.nn.Conv1d. Mistakes are reported in the
// user's terms here; the kiln ops verify the IR again.
//
//===----------------------------------------------------------------------===//
#include "frontends/lang/Layers.h"

#include "dialects/kiln/IR/KilnDialect.h"
#include "frontends/lang/InitSchemes.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lang;

namespace {
/// A square window over the spatial dimensions (the last two of `x`).
struct Window {
  int64_t kernel, stride, padding, dilation;

  int64_t span() const { return dilation * (kernel - 1) + 1; }
};

/// Checks that `window` fits in every spatial dimension of `x` once padded.
bool expectFits(LayerBuilder &lb, StringRef layer, const ArgValue &x,
                const Window &window) {
  ArrayRef<int64_t> shape = typeOf(x.tensor).getShape();
  for (int64_t size : shape.drop_front(2)) {
    if (window.span() <= size + 2 * window.padding)
      continue;
    InFlightDiagnostic diag = lb.gen.error(lb.callLoc)
                              << layer << " `" << lb.name << "` kernel "
                              << window.kernel;
    if (window.dilation > 1)
      diag << " with dilation " << window.dilation << " (spanning "
           << window.span() << ")";
    diag << " is larger than the input " << formatShape(shape) << " from `"
         << x.source << "` padded by " << window.padding;
    return false;
  }
  return true;
}

/// Checks that `groups` divides `channels`, which `what` describes.
bool expectDivides(LayerBuilder &lb, StringRef layer, const ArgValue &groups,
                   int64_t channels, const Twine &what) {
  if (channels % groups.integer == 0)
    return true;
  argError(lb, groups) << layer << " `" << lb.name << "` cannot split " << what
                       << " into " << groups.integer << " groups";
  return false;
}

/// Adds the bias parameter [channels] when `bias` is set.
Value maybeBias(LayerBuilder &lb, Value y, const ArgValue &bias,
                int64_t channels, InitAttr init) {
  if (!bias.integer)
    return y;
  return lb.b.create<BiasAddOp>(lb.loc, y,
                                lb.addParameter("bias", {channels}, init));
}

DenseI64ArrayAttr pairAttr(LayerBuilder &lb, int64_t h, int64_t w) {
  return lb.b.getDenseI64ArrayAttr({h, w});
}

// Argument positions of conv1d and conv2d (convArgs()).
struct ConvArg {
  enum : size_t {
    In,
    Out,
    Kernel,
    Stride,
    Padding,
    Dilation,
    Groups,
    Bias,
    InCh,
    WeightNorm,
    Init
  };
};

std::vector<ArgSpec> convArgs() {
  return {{"input", ArgKind::Tensor, true, 0},
          {"out_channels", ArgKind::PositiveInt, true, 0},
          {"kernel", ArgKind::PositiveInt, true, 0},
          {"stride", ArgKind::PositiveInt, false, 1},
          {"padding", ArgKind::Padding, false, 0},
          {"dilation", ArgKind::PositiveInt, false, 1},
          {"groups", ArgKind::PositiveInt, false, 1},
          {"bias", ArgKind::Bool, false, 1},
          // 0: not given; else the number of channels the input must have.
          {"in_channels", ArgKind::PositiveInt, false, 0},
          // Weight normalization (WeightNorm.cpp).
          {"weight_norm", ArgKind::Bool, false, 0},
          // An initialization scheme (InitSchemes.h).
          {"init", ArgKind::Init, false, 0}};
}

/// Checks the arguments of conv1d/conv2d on an input of `rank` dimensions
/// and resolves `padding = "same"`; returns the window, or nullopt.
std::optional<Window> checkConv(LayerBuilder &lb, StringRef layer,
                                ArrayRef<ArgValue> args, int64_t rank,
                                StringRef dims) {
  const ArgValue &x = args[ConvArg::In];
  if (!expectRank(lb, layer, x, rank, rank, dims))
    return std::nullopt;
  int64_t channels = typeOf(x.tensor).getDimSize(1);
  if (args[ConvArg::InCh].integer && args[ConvArg::InCh].integer != channels) {
    lb.gen.error(lb.callLoc)
        << layer << " `" << lb.name << "` expects "
        << args[ConvArg::InCh].integer << " input channels, got " << channels
        << " from `" << x.source << "`";
    return std::nullopt;
  }
  Window window{args[ConvArg::Kernel].integer, args[ConvArg::Stride].integer,
                args[ConvArg::Padding].integer,
                args[ConvArg::Dilation].integer};
  if (args[ConvArg::Padding].text == "same") {
    // PyTorch pads asymmetrically when the span is even; kiln pads evenly.
    if (window.stride != 1 || window.span() % 2 == 0) {
      argError(lb, args[ConvArg::Padding])
          << layer << " `" << lb.name
          << "` can pad \"same\" only with stride 1 and an odd kernel span, "
             "got stride "
          << window.stride << " and span " << window.span();
      return std::nullopt;
    }
    window.padding = (window.span() - 1) / 2;
  }
  if (!expectDivides(lb, layer, args[ConvArg::Groups], channels,
                     "the " + Twine(channels) + " input channels of `" +
                         x.source + "`") ||
      !expectDivides(lb, layer, args[ConvArg::Groups],
                     args[ConvArg::Out].integer,
                     Twine(args[ConvArg::Out].integer) + " output channels") ||
      !expectFits(lb, layer, x, window))
    return std::nullopt;
  return window;
}

std::optional<LayerResult> emitConv2d(LayerBuilder &lb,
                                      ArrayRef<ArgValue> args) {
  std::optional<Window> w =
      checkConv(lb, "conv2d", args, 4, "[batch, channels, height, width]");
  if (!w)
    return std::nullopt;
  Value x = args[ConvArg::In].tensor;
  int64_t groups = args[ConvArg::Groups].integer,
          out = args[ConvArg::Out].integer;
  int64_t inPerGroup = typeOf(x).getDimSize(1) / groups;
  std::optional<LayerInits> inits = layerInits(
      lb, args[ConvArg::Init], {out, inPerGroup, w->kernel, w->kernel});
  if (!inits)
    return std::nullopt;
  Value weight = addWeight(lb, {out, inPerGroup, w->kernel, w->kernel},
                           inits->weight, args[ConvArg::WeightNorm].integer);
  Value y = lb.b.create<Conv2DOp>(
      lb.loc, x, weight, pairAttr(lb, w->stride, w->stride),
      pairAttr(lb, w->padding, w->padding),
      pairAttr(lb, w->dilation, w->dilation), lb.b.getI64IntegerAttr(groups));
  return LayerResult{maybeBias(lb, y, args[ConvArg::Bias], out, inits->bias)};
}

std::optional<LayerResult> emitConv1d(LayerBuilder &lb,
                                      ArrayRef<ArgValue> args) {
  std::optional<Window> w =
      checkConv(lb, "conv1d", args, 3, "[batch, channels, length]");
  if (!w)
    return std::nullopt;
  Value x = args[ConvArg::In].tensor;
  RankedTensorType type = typeOf(x);
  Type element = type.getElementType();
  int64_t batch = type.getDimSize(0), length = type.getDimSize(2);
  int64_t groups = args[ConvArg::Groups].integer,
          out = args[ConvArg::Out].integer;
  int64_t inPerGroup = type.getDimSize(1) / groups;
  std::optional<LayerInits> inits =
      layerInits(lb, args[ConvArg::Init], {out, inPerGroup, w->kernel});
  if (!inits)
    return std::nullopt;
  Value weight = addWeight(lb, {out, inPerGroup, w->kernel}, inits->weight,
                           args[ConvArg::WeightNorm].integer);
  auto reshaped = [&](Value v, ArrayRef<int64_t> shape) -> Value {
    return lb.b.create<ReshapeOp>(lb.loc, RankedTensorType::get(shape, element),
                                  v);
  };
  Value image = reshaped(x, {batch, type.getDimSize(1), 1, length});
  Value kernel = reshaped(weight, {out, inPerGroup, 1, w->kernel});
  Value y = lb.b.create<Conv2DOp>(
      lb.loc, image, kernel, pairAttr(lb, 1, w->stride),
      pairAttr(lb, 0, w->padding), pairAttr(lb, 1, w->dilation),
      lb.b.getI64IntegerAttr(groups));
  y = reshaped(y, {batch, out, typeOf(y).getDimSize(3)});
  return LayerResult{maybeBias(lb, y, args[ConvArg::Bias], out, inits->bias)};
}

std::optional<LayerResult> emitConvTranspose2d(LayerBuilder &lb,
                                               ArrayRef<ArgValue> args) {
  // Argument positions (appendConvLayers).
  enum : size_t {
    In,
    Out,
    Kernel,
    Stride,
    Padding,
    OutPadding,
    Dilation,
    Groups,
    Bias,
    Init
  };
  const ArgValue &x = args[In];
  if (!expectRank(lb, "conv_transpose2d", x, 4, 4,
                  "[batch, channels, height, width]"))
    return std::nullopt;
  RankedTensorType type = typeOf(x.tensor);
  int64_t channels = type.getDimSize(1), out = args[Out].integer;
  int64_t groups = args[Groups].integer;
  Window w{args[Kernel].integer, args[Stride].integer, args[Padding].integer,
           args[Dilation].integer};
  if (args[OutPadding].integer >= w.stride) {
    argError(lb, args[OutPadding])
        << "conv_transpose2d `" << lb.name << "` needs output_padding "
        << args[OutPadding].integer << " to be smaller than the stride "
        << w.stride;
    return std::nullopt;
  }
  if (!expectDivides(lb, "conv_transpose2d", args[Groups], channels,
                     "the " + Twine(channels) + " input channels of `" +
                         x.source + "`") ||
      !expectDivides(lb, "conv_transpose2d", args[Groups], out,
                     Twine(out) + " output channels"))
    return std::nullopt;
  SmallVector<int64_t> shape{type.getDimSize(0), out};
  for (int64_t size : type.getShape().drop_front(2)) {
    // torch.nn.ConvTranspose2d's output size.
    int64_t result = (size - 1) * w.stride - 2 * w.padding + w.span() +
                     args[OutPadding].integer;
    if (result < 1) {
      argError(lb, args[Padding])
          << "conv_transpose2d `" << lb.name << "` padding " << w.padding
          << " leaves no output for the input " << formatShape(type.getShape())
          << " from `" << x.source << "`";
      return std::nullopt;
    }
    shape.push_back(result);
  }
  std::optional<LayerInits> inits =
      layerInits(lb, args[Init], {channels, out / groups, w.kernel, w.kernel});
  if (!inits)
    return std::nullopt;
  Value weight = lb.addParameter(
      "weight", {channels, out / groups, w.kernel, w.kernel}, inits->weight);
  Value y = lb.b.create<Conv2DBackwardDataOp>(
      lb.loc, RankedTensorType::get(shape, type.getElementType()), x.tensor,
      weight, pairAttr(lb, w.stride, w.stride),
      pairAttr(lb, w.padding, w.padding), pairAttr(lb, w.dilation, w.dilation),
      lb.b.getI64IntegerAttr(groups));
  return LayerResult{maybeBias(lb, y, args[Bias], out, inits->bias)};
}

// Argument positions of max_pool2d and avg_pool2d (poolArgs()).
struct PoolArg {
  enum : size_t { In, Kernel, Stride, Padding };
};

/// max_pool2d and avg_pool2d.
template <typename PoolOp>
std::optional<LayerResult> emitPool(LayerBuilder &lb, ArrayRef<ArgValue> args,
                                    StringRef layer) {
  const ArgValue &x = args[PoolArg::In];
  if (!expectRank(lb, layer, x, 4, 4, "[batch, channels, height, width]"))
    return std::nullopt;
  int64_t kernel = args[PoolArg::Kernel].integer;
  // A stride of 0 means not given: PyTorch's default is the kernel size.
  Window w{kernel,
           args[PoolArg::Stride].integer ? args[PoolArg::Stride].integer
                                         : kernel,
           args[PoolArg::Padding].integer, 1};
  if (w.padding > kernel / 2) {
    argError(lb, args[PoolArg::Padding])
        << layer << " `" << lb.name << "` padding " << w.padding
        << " is more than half the kernel " << kernel;
    return std::nullopt;
  }
  if (!expectFits(lb, layer, x, w))
    return std::nullopt;
  return LayerResult{lb.b.create<PoolOp>(
      lb.loc, x.tensor, pairAttr(lb, kernel, kernel),
      pairAttr(lb, w.stride, w.stride), pairAttr(lb, w.padding, w.padding))};
}

std::optional<LayerResult> emitMaxPool2d(LayerBuilder &lb,
                                         ArrayRef<ArgValue> args) {
  return emitPool<MaxPool2DOp>(lb, args, "max_pool2d");
}

std::optional<LayerResult> emitAvgPool2d(LayerBuilder &lb,
                                         ArrayRef<ArgValue> args) {
  return emitPool<AvgPool2DOp>(lb, args, "avg_pool2d");
}

/// The mean over height and width: [N, C, H, W] -> [N, C].
std::optional<LayerResult> emitGlobalAvgPool(LayerBuilder &lb,
                                             ArrayRef<ArgValue> args) {
  const ArgValue &x = args[0];
  if (!expectRank(lb, "global_avg_pool", x, 4, 4,
                  "[batch, channels, height, width]"))
    return std::nullopt;
  ArrayRef<int64_t> shape = typeOf(x.tensor).getShape();
  Value sum =
      lb.b.create<ReduceSumOp>(lb.loc, x.tensor, ArrayRef<int64_t>{2, 3});
  return LayerResult{lb.b.create<ScaleOp>(
      lb.loc, sum, lb.b.getF64FloatAttr(1.0 / (shape[2] * shape[3])))};
}

std::vector<ArgSpec> poolArgs() {
  return {{"input", ArgKind::Tensor, true, 0},
          {"kernel", ArgKind::PositiveInt, true, 0},
          {"stride", ArgKind::PositiveInt, false, 0},
          {"padding", ArgKind::NonNegativeInt, false, 0}};
}
} // namespace

void kiln::lang::appendConvLayers(std::vector<LayerSpec> &specs) {
  specs.insert(specs.end(),
               {{"conv2d", convArgs(), false, emitConv2d},
                {"conv1d", convArgs(), false, emitConv1d},
                {"conv_transpose2d",
                 {{"input", ArgKind::Tensor, true, 0},
                  {"out_channels", ArgKind::PositiveInt, true, 0},
                  {"kernel", ArgKind::PositiveInt, true, 0},
                  {"stride", ArgKind::PositiveInt, false, 1},
                  {"padding", ArgKind::NonNegativeInt, false, 0},
                  {"output_padding", ArgKind::NonNegativeInt, false, 0},
                  {"dilation", ArgKind::PositiveInt, false, 1},
                  {"groups", ArgKind::PositiveInt, false, 1},
                  {"bias", ArgKind::Bool, false, 1},
                  {"init", ArgKind::Init, false, 0}},
                 false,
                 emitConvTranspose2d},
                {"max_pool2d", poolArgs(), false, emitMaxPool2d},
                {"avg_pool2d", poolArgs(), false, emitAvgPool2d},
                {"global_avg_pool",
                 {{"input", ArgKind::Tensor, true, 0}},
                 false,
                 emitGlobalAvgPool}});
}
