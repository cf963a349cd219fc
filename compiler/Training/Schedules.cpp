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
Value buildConstant(OpBuilder &b, Location loc, ScheduleAttr, Type elementType,
                    Value, double baseLr) {
  return scalarConstant(b, loc, elementType, baseLr);
}

// StepLR: baseLr * gamma^floor(t / step_size).
Value buildStep(OpBuilder &b, Location loc, ScheduleAttr config,
                Type elementType, Value t, double baseLr) {
  Value stepSize =
      scalarConstant(b, loc, elementType, config.getReal("step_size"));
  Value periods = b.create<FloorOp>(loc, b.create<DivOp>(loc, t, stepSize));
  return decayed(b, loc, periods, config.getReal("gamma"), baseLr);
}

// MultiStepLR: baseLr * gamma^(number of milestones <= t). For whole t,
// clamp(t - m + 1, 0, 1) is 1 from milestone m on and 0 before it.
Value buildMultiStep(OpBuilder &b, Location loc, ScheduleAttr config,
                     Type elementType, Value t, double baseLr) {
  Value passed;
  for (int64_t m : config.getList("milestones")) {
    double milestone = static_cast<double>(m);
    Value reached =
        b.create<ClampOp>(loc, addScalar(b, loc, t, 1 - milestone),
                          b.getF64FloatAttr(0.0), b.getF64FloatAttr(1.0));
    passed =
        passed ? b.create<AddOp>(loc, passed, reached).getResult() : reached;
  }
  return decayed(b, loc, passed, config.getReal("gamma"), baseLr);
}

// ExponentialLR: baseLr * gamma^t.
Value buildExponential(OpBuilder &b, Location loc, ScheduleAttr config, Type,
                       Value t, double baseLr) {
  return decayed(b, loc, t, config.getReal("gamma"), baseLr);
}

// The diminishing 1/k family: baseLr / (1 + decay * t)^power. With power in
// (1/2, 1] the rates satisfy the Robbins-Monro conditions (their sum
// diverges, the sum of their squares converges).
Value buildInverseTime(OpBuilder &b, Location loc, ScheduleAttr config, Type,
                       Value t, double baseLr) {
  Value base =
      addScalar(b, loc, scaled(b, loc, t, config.getReal("decay")), 1.0);
  Value factor =
      b.create<PowOp>(loc, base, b.getF64FloatAttr(-config.getReal("power")));
  return scaled(b, loc, factor, baseLr);
}

// CosineAnnealingLR's closed form:
// eta_min + (baseLr - eta_min) * (1 + cos(pi * t / t_max)) / 2.
Value buildCosine(OpBuilder &b, Location loc, ScheduleAttr config, Type,
                  Value t, double baseLr) {
  double etaMin = config.getReal("eta_min");
  Value cosine =
      b.create<CosOp>(loc, scaled(b, loc, t, M_PI / config.getReal("t_max")));
  Value half =
      scaled(b, loc, addScalar(b, loc, cosine, 1.0), (baseLr - etaMin) / 2);
  return addScalar(b, loc, half, etaMin);
}

// ReduceLROnPlateau: the runtime lowers the factor between epochs when the
// validation loss stops improving; the step applies it, never going below
// min_lr: max(baseLr * factor^k, min_lr) is PyTorch's rate of each group
// after k reductions.
Value buildPlateau(OpBuilder &b, Location loc, ScheduleAttr config, Type,
                   Value scale, double baseLr) {
  Value lr = scaled(b, loc, scale, baseLr);
  double minLr = config.getReal("min_lr");
  if (minLr == 0.0)
    return lr;
  return b.create<ClampOp>(loc, lr, b.getF64FloatAttr(minLr), FloatAttr());
}

} // namespace

std::optional<rt::Role> kiln::scheduleClock(ScheduleAttr schedule) {
  switch (schedule.getKind()) {
  case ScheduleKind::Constant:
    return std::nullopt;
  case ScheduleKind::ReduceOnPlateau:
    return rt::Role::LrScale;
  default:
    return schedule.getFlag("per_step") ? rt::Role::Step : rt::Role::Epoch;
  }
}

Value kiln::buildSchedule(OpBuilder &b, Location loc, ScheduleAttr schedule,
                          Type elementType, Value clock, double baseLr) {
  using Builder =
      Value (*)(OpBuilder &, Location, ScheduleAttr, Type, Value, double);
  Builder build = nullptr;
  switch (schedule.getKind()) {
  case ScheduleKind::Constant:
    build = buildConstant;
    break;
  case ScheduleKind::Step:
    build = buildStep;
    break;
  case ScheduleKind::MultiStep:
    build = buildMultiStep;
    break;
  case ScheduleKind::Exponential:
    build = buildExponential;
    break;
  case ScheduleKind::InverseTime:
    build = buildInverseTime;
    break;
  case ScheduleKind::Cosine:
    build = buildCosine;
    break;
  case ScheduleKind::ReduceOnPlateau:
    build = buildPlateau;
    break;
  }
  return build(b, loc, schedule, elementType, clock, baseLr);
}

Value kiln::applyWarmup(OpBuilder &b, Location loc, WarmupAttr warmup,
                        Value step, Value lr) {
  double start = warmup.getReal("start_factor");
  Value progress = b.create<ClampOp>(
      loc, scaled(b, loc, step, 1.0 / warmup.getReal("steps")), FloatAttr(),
      b.getF64FloatAttr(1.0));
  Value factor =
      addScalar(b, loc, scaled(b, loc, progress, 1.0 - start), start);
  return b.create<MulOp>(loc, lr, factor);
}
