//===- LayersLoss.cpp - Loss layers ---------------------------------------===//
//
// Losses follow torch.nn's loss modules with the default reduction: the loss
// is the mean over every position of every sample. Each loss layer also
// returns the per-sample losses (the mean over that sample's positions),
// which evaluation reports, and the scores or predictions it compared.
// Class losses take i32 labels; bce_with_logits and mse take f32 targets,
// a declared f32 label or any computed tensor (an autoencoder's input).
//
//===----------------------------------------------------------------------===//
#include "frontends/lang/Layers.h"

#include "dialects/kiln/IR/KilnDialect.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lang;

namespace {
Value scaled(LayerBuilder &lb, Value x, double factor) {
  return lb.b.create<ScaleOp>(lb.loc, x, lb.b.getF64FloatAttr(factor));
}

/// The layer's result from per-position losses [N, ...]: their mean per
/// sample and over the batch, and `compared`, the scores or predictions,
/// which predict `prediction`.
LayerResult reduceLosses(LayerBuilder &lb, Value losses, Value compared,
                         Prediction prediction) {
  RankedTensorType type = typeOf(losses);
  Value perSample = losses;
  if (type.getRank() > 1) {
    SmallVector<int64_t> positions;
    for (int64_t dim = 1; dim < type.getRank(); ++dim)
      positions.push_back(dim);
    Value sum = lb.b.create<ReduceSumOp>(lb.loc, losses, positions);
    perSample =
        scaled(lb, sum,
               static_cast<double>(type.getDimSize(0)) / type.getNumElements());
  }
  Value total =
      lb.b.create<ReduceSumOp>(lb.loc, perSample, ArrayRef<int64_t>{0});
  return LayerResult{scaled(lb, total, 1.0 / type.getDimSize(0)), perSample,
                     compared, prediction};
}

/// Checks the class scores [N, C, ...] (of rank `minRank` or more, or of
/// exactly rank 2 when `minRank` is 2 and `exact`) and that the labels hold
/// one class index per position.
bool checkClassLabels(LayerBuilder &lb, ArrayRef<ArgValue> args,
                      StringRef layer, StringRef expected, int64_t minRank,
                      bool exact) {
  RankedTensorType scores = typeOf(args[0].tensor);
  int64_t rank = scores.getRank();
  if (rank < minRank || (exact && rank != minRank)) {
    lb.gen.error(lb.callLoc)
        << layer << " `" << lb.name << "` expects " << expected << ", got "
        << formatShape(scores.getShape()) << " from `" << args[0].source << "`";
    return false;
  }
  SmallVector<int64_t> positions(scores.getShape());
  positions.erase(positions.begin() + 1);
  ArrayRef<int64_t> labels = typeOf(args[1].tensor).getShape();
  if (labels != ArrayRef<int64_t>(positions)) {
    lb.gen.error(lb.callLoc)
        << layer << " `" << lb.name << "` expects labels "
        << formatShape(positions) << " for scores "
        << formatShape(scores.getShape()) << " from `" << args[0].source
        << "`, got " << formatShape(labels) << " from `" << args[1].source
        << "`";
    return false;
  }
  return true;
}

/// PyTorch accepts label smoothing in [0, 1].
bool checkSmoothing(LayerBuilder &lb, const ArgValue &arg, StringRef layer) {
  if (arg.real >= 0 && arg.real <= 1)
    return true;
  argError(lb, arg) << layer << " `" << lb.name
                    << "` label_smoothing must be in [0, 1], got "
                    << formatNumber(arg.real);
  return false;
}

std::optional<LayerResult> emitCrossEntropy(LayerBuilder &lb,
                                            ArrayRef<ArgValue> args,
                                            StringRef layer, bool perPixel) {
  bool ok = perPixel
                ? checkClassLabels(lb, args, layer,
                                   "logits [batch, classes, height, width] "
                                   "(any positions after the classes)",
                                   3, false)
                : checkClassLabels(lb, args, layer, "logits [batch, classes]",
                                   2, true);
  if (!ok || !checkSmoothing(lb, args[2], layer))
    return std::nullopt;
  Value losses =
      lb.b.create<SoftmaxCrossEntropyOp>(lb.loc, args[0].tensor, args[1].tensor,
                                         lb.b.getF64FloatAttr(args[2].real));
  return reduceLosses(lb, losses, args[0].tensor, Prediction::ClassScores);
}

std::optional<LayerResult> emitSoftmaxCrossEntropy(LayerBuilder &lb,
                                                   ArrayRef<ArgValue> args) {
  return emitCrossEntropy(lb, args, "softmax_cross_entropy", false);
}

std::optional<LayerResult> emitPixelCrossEntropy(LayerBuilder &lb,
                                                 ArrayRef<ArgValue> args) {
  return emitCrossEntropy(lb, args, "pixel_cross_entropy", true);
}

std::optional<LayerResult> emitNll(LayerBuilder &lb, ArrayRef<ArgValue> args) {
  if (!checkClassLabels(lb, args, "nll",
                        "log-probabilities [batch, classes, ...]", 2, false))
    return std::nullopt;
  Value losses = lb.b.create<NllOp>(lb.loc, args[0].tensor, args[1].tensor);
  // Log-probabilities are class scores: their softmax is the probabilities.
  return reduceLosses(lb, losses, args[0].tensor, Prediction::ClassScores);
}

/// Checks that the targets have the shape of the compared values.
bool checkTargets(LayerBuilder &lb, ArrayRef<ArgValue> args, StringRef layer) {
  ArrayRef<int64_t> shape = typeOf(args[0].tensor).getShape();
  ArrayRef<int64_t> targets = typeOf(args[1].tensor).getShape();
  if (shape == targets)
    return true;
  lb.gen.error(lb.callLoc) << layer << " `" << lb.name
                           << "` expects targets of the shape "
                           << formatShape(shape) << " of `" << args[0].source
                           << "`, got " << formatShape(targets) << " from `"
                           << args[1].source << "`";
  return false;
}

std::optional<LayerResult> emitBceWithLogits(LayerBuilder &lb,
                                             ArrayRef<ArgValue> args) {
  if (!checkTargets(lb, args, "bce_with_logits"))
    return std::nullopt;
  Value losses =
      lb.b.create<BceWithLogitsOp>(lb.loc, args[0].tensor, args[1].tensor);
  return reduceLosses(lb, losses, args[0].tensor, Prediction::BinaryLogits);
}

/// (prediction - target)^2 per element, from elementwise kiln ops.
std::optional<LayerResult> emitMse(LayerBuilder &lb, ArrayRef<ArgValue> args) {
  if (!checkTargets(lb, args, "mse"))
    return std::nullopt;
  Value error = lb.b.create<SubOp>(lb.loc, args[0].tensor, args[1].tensor);
  Value losses = lb.b.create<MulOp>(lb.loc, error, error);
  return reduceLosses(lb, losses, args[0].tensor, Prediction::Values);
}
} // namespace

void kiln::lang::appendLossLayers(std::vector<LayerSpec> &specs) {
  ArgSpec smoothing{"label_smoothing", ArgKind::Real, false, 0};
  specs.insert(specs.end(), {{"softmax_cross_entropy",
                              {{"logits", ArgKind::Tensor, true, 0},
                               {"labels", ArgKind::Labels, true, 0},
                               smoothing},
                              true,
                              emitSoftmaxCrossEntropy},
                             {"pixel_cross_entropy",
                              {{"logits", ArgKind::Tensor, true, 0},
                               {"labels", ArgKind::Labels, true, 0},
                               smoothing},
                              true,
                              emitPixelCrossEntropy},
                             {"nll",
                              {{"log_probs", ArgKind::Tensor, true, 0},
                               {"labels", ArgKind::Labels, true, 0}},
                              true,
                              emitNll},
                             {"bce_with_logits",
                              {{"logits", ArgKind::Tensor, true, 0},
                               {"targets", ArgKind::Targets, true, 0}},
                              true,
                              emitBceWithLogits},
                             {"mse",
                              {{"predictions", ArgKind::Tensor, true, 0},
                               {"targets", ArgKind::Targets, true, 0}},
                              true,
                              emitMse}});
}
