//===- Schedules.h - Learning-rate schedules --------------------*- C++ -*-===//
//
// A schedule (#kiln.schedule, whose settings the dialect lists) turns the
// base learning rate of each parameter group into this step's learning rate,
// as kiln IR inside @train_step, from a clock the runtime sets before each
// step. Warm-up (#kiln.warmup) scales the result. Equations follow
// torch.optim.lr_scheduler (docs/training.md).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_TRAINING_SCHEDULES_H
#define KILN_COMPILER_TRAINING_SCHEDULES_H

#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/IR/Builders.h"

namespace kiln {

/// The 0-d argument of @train_step that `schedule` reads: completed epochs,
/// completed steps (per_step), or the runtime's reduce-on-plateau factor;
/// none for a constant rate.
std::optional<rt::Role> scheduleClock(ScheduleAttr schedule);

/// The learning rate, a 0-d tensor of `elementType`, for base rate `baseLr`
/// at `clock` (null when scheduleClock is none).
mlir::Value buildSchedule(mlir::OpBuilder &b, mlir::Location loc,
                          ScheduleAttr schedule, mlir::Type elementType,
                          mlir::Value clock, double baseLr);

/// Multiplies `lr` (0-d) by the warm-up factor at optimizer step `step`:
/// start + (1 - start) * min(step / steps, 1).
mlir::Value applyWarmup(mlir::OpBuilder &b, mlir::Location loc,
                        WarmupAttr warmup, mlir::Value step, mlir::Value lr);

} // namespace kiln

#endif // KILN_COMPILER_TRAINING_SCHEDULES_H
