//===- Schedules.cpp - Learning-rate schedules ----------------------------===//
//
// Each builder writes the closed form of a torch.optim.lr_scheduler class as
// kiln ops on 0-d tensors; the clock counts completed epochs (or steps), so
// the first epoch trains at the base rate as in PyTorch. Clocks are whole
// numbers, which makes floor(t / step_size) and the milestone tests exact.
//
//===----------------------------------------------------------------------===//
#include "compiler/Training/Schedules.h"
#include "compiler/Training/TensorMath.h"

#include "dialects/kiln/IR/KilnDialect.h"

#include <cmath>

using namespace mlir;
using namespace kiln;

namespace {
constexpr HyperParameter kPerStep = {"per_step", 0.0, HyperRange::Bool, false,
                                     "count optimizer steps instead of epochs"};

Value addScalar(OpBuilder &b, Location loc, Value x, double value) {
  if (value == 0.0)
    return x;
  return b.create<AddScalarOp>(loc, x, b.getF64FloatAttr(value));
}

/// baseLr * gamma^exponent.
Value decayed(OpBuilder &b, Location loc, Value exponent, double gamma,
              double baseLr) {
  Value power = b.create<RpowOp>(loc, exponent, b.getF64FloatAttr(gamma));
  return scaled(b, loc, power, baseLr);
}

// ConstantLR with factor 1: the learning rate never changes.
Value buildConstant(OpBuilder &b, Location loc, const HyperConfig &,
                    Type elementType, Value, double baseLr) {
  return scalarConstant(b, loc, elementType, baseLr);
}

// StepLR: baseLr * gamma^floor(t / step_size).
Value buildStep(OpBuilder &b, Location loc, const HyperConfig &config,
                Type elementType, Value t, double baseLr) {
  Value stepSize =
      scalarConstant(b, loc, elementType, config.real("step_size"));
  Value periods = b.create<FloorOp>(loc, b.create<DivOp>(loc, t, stepSize));
  return decayed(b, loc, periods, config.real("gamma"), baseLr);
}

// MultiStepLR: baseLr * gamma^(number of milestones <= t). For whole t,
// clamp(t - m + 1, 0, 1) is 1 from milestone m on and 0 before it.
Value buildMultiStep(OpBuilder &b, Location loc, const HyperConfig &config,
                     Type elementType, Value t, double baseLr) {
  Value passed;
  for (Attribute m : config.getDictionary().getAs<ArrayAttr>("milestones")) {
    double milestone = cast<FloatAttr>(m).getValueAsDouble();
    Value reached =
        b.create<ClampOp>(loc, addScalar(b, loc, t, 1 - milestone),
                          b.getF64FloatAttr(0.0), b.getF64FloatAttr(1.0));
    passed =
        passed ? b.create<AddOp>(loc, passed, reached).getResult() : reached;
  }
  return decayed(b, loc, passed, config.real("gamma"), baseLr);
}

// ExponentialLR: baseLr * gamma^t.
Value buildExponential(OpBuilder &b, Location loc, const HyperConfig &config,
                       Type, Value t, double baseLr) {
  return decayed(b, loc, t, config.real("gamma"), baseLr);
}

// The diminishing 1/k family: baseLr / (1 + decay * t)^power. With power in
// (1/2, 1] the rates satisfy the Robbins-Monro conditions (their sum
// diverges, the sum of their squares converges).
Value buildInverseTime(OpBuilder &b, Location loc, const HyperConfig &config,
                       Type, Value t, double baseLr) {
  Value base = addScalar(b, loc, scaled(b, loc, t, config.real("decay")), 1.0);
  Value factor =
      b.create<PowOp>(loc, base, b.getF64FloatAttr(-config.real("power")));
  return scaled(b, loc, factor, baseLr);
}

// CosineAnnealingLR's closed form:
// eta_min + (baseLr - eta_min) * (1 + cos(pi * t / t_max)) / 2.
Value buildCosine(OpBuilder &b, Location loc, const HyperConfig &config, Type,
                  Value t, double baseLr) {
  double etaMin = config.real("eta_min");
  Value cosine =
      b.create<CosOp>(loc, scaled(b, loc, t, M_PI / config.real("t_max")));
  Value half =
      scaled(b, loc, addScalar(b, loc, cosine, 1.0), (baseLr - etaMin) / 2);
  return addScalar(b, loc, half, etaMin);
}

// ReduceLROnPlateau: the runtime lowers the factor between epochs when the
// validation loss stops improving; the step applies it, never going below
// min_lr: max(baseLr * factor^k, min_lr) is PyTorch's rate of each group
// after k reductions.
Value buildPlateau(OpBuilder &b, Location loc, const HyperConfig &config, Type,
                   Value scale, double baseLr) {
  Value lr = scaled(b, loc, scale, baseLr);
  double minLr = config.real("min_lr");
  if (minLr == 0.0)
    return lr;
  return b.create<ClampOp>(loc, lr, b.getF64FloatAttr(minLr), FloatAttr());
}

const HyperParameter kStepParameters[] = {
    {"step_size", 0.0, HyperRange::Positive, true,
     "epochs (or steps) between decays"},
    {"gamma", 0.1, HyperRange::Positive, false, "decay factor"},
    kPerStep,
};
const HyperParameter kMultiStepParameters[] = {
    {"gamma", 0.1, HyperRange::Positive, false, "decay factor"},
    kPerStep,
};
const HyperParameter kExponentialParameters[] = {
    {"gamma", 0.0, HyperRange::Positive, true, "decay factor per epoch"},
    kPerStep,
};
const HyperParameter kInverseTimeParameters[] = {
    {"decay", 1.0, HyperRange::Positive, false, "the rate's decay per epoch"},
    {"power", 1.0, HyperRange::Positive, false, "exponent of (1 + decay t)"},
    kPerStep,
};
const HyperParameter kCosineParameters[] = {
    {"t_max", 0.0, HyperRange::Positive, true,
     "epochs (or steps) of a half "
     "cosine period"},
    {"eta_min", 0.0, HyperRange::NonNegative, false, "smallest learning rate"},
    kPerStep,
};
const HyperParameter kPlateauParameters[] = {
    {"factor", 0.1, HyperRange::UnitInterval, false,
     "factor applied on a plateau"},
    {"patience", 10.0, HyperRange::Count, false,
     "epochs without improvement before reducing"},
    {"threshold", 1e-4, HyperRange::NonNegative, false,
     "relative improvement that counts"},
    {"cooldown", 0.0, HyperRange::Count, false,
     "epochs to wait after a reduction"},
    {"min_lr", 0.0, HyperRange::NonNegative, false,
     "lower bound on the learning rate"},
};
const HyperParameter kWarmupParameters[] = {
    {"steps", 0.0, HyperRange::Positive, true, "optimizer steps of warm-up"},
    {"start_factor", 1.0 / 3.0, HyperRange::Positive, false,
     "learning-rate factor of the first step, at most 1"},
};
} // namespace

ArrayRef<ScheduleKind> kiln::allSchedules() {
  static const ScheduleKind kinds[] = {
      {"constant",
       "a fixed learning rate",
       {},
       ScheduleClock::None,
       false,
       buildConstant},
      {"step", "lr * gamma^floor(t / step_size) (StepLR)", kStepParameters,
       ScheduleClock::Time, false, buildStep},
      {"multi_step", "lr * gamma^(milestones passed) (MultiStepLR)",
       kMultiStepParameters, ScheduleClock::Time, true, buildMultiStep},
      {"exponential", "lr * gamma^t (ExponentialLR)", kExponentialParameters,
       ScheduleClock::Time, false, buildExponential},
      {"inverse_time", "lr / (1 + decay * t)^power, the 1/k schedule",
       kInverseTimeParameters, ScheduleClock::Time, false, buildInverseTime},
      {"cosine", "cosine annealing from lr to eta_min (CosineAnnealingLR)",
       kCosineParameters, ScheduleClock::Time, false, buildCosine},
      {"reduce_on_plateau",
       "lr * factor when the validation loss stalls (ReduceLROnPlateau)",
       kPlateauParameters, ScheduleClock::Plateau, false, buildPlateau},
  };
  return kinds;
}

const ScheduleKind *kiln::lookupSchedule(StringRef name) {
  for (const ScheduleKind &kind : allSchedules())
    if (kind.name == name)
      return &kind;
  return nullptr;
}

ArrayRef<HyperParameter> kiln::warmupParameters() { return kWarmupParameters; }

StringRef kiln::clockRole(const ScheduleKind &kind, const HyperConfig &config) {
  switch (kind.clock) {
  case ScheduleClock::None:
    return "";
  case ScheduleClock::Time:
    return config.flag("per_step") ? "step" : "epoch";
  case ScheduleClock::Plateau:
    return "lr_scale";
  }
  llvm_unreachable("unknown schedule clock");
}

Value kiln::applyWarmup(OpBuilder &b, Location loc, const HyperConfig &warmup,
                        Value step, Value lr) {
  double start = warmup.real("start_factor");
  Value progress =
      b.create<ClampOp>(loc, scaled(b, loc, step, 1.0 / warmup.real("steps")),
                        FloatAttr(), b.getF64FloatAttr(1.0));
  Value factor =
      addScalar(b, loc, scaled(b, loc, progress, 1.0 - start), start);
  return b.create<MulOp>(loc, lr, factor);
}
