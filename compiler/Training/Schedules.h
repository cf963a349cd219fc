//===- Schedules.h - Learning-rate schedules --------------------*- C++ -*-===//
//
// A schedule turns the base learning rate of each parameter group into this
// step's learning rate, as kiln IR inside @train_step. Like the optimizers,
// the frontend and kiln-insert-optimizer share this one registry: a schedule
// is a name, its checked settings and a builder. The settings live in the
// module's kiln.train attribute:
//   schedule = {name = "cosine", t_max = 30.0, eta_min = 0.0, per_step = false}
//   warmup = {steps = 500.0, start_factor = 0.1}
// Equations follow torch.optim.lr_scheduler (docs/training.md).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_TRAINING_SCHEDULES_H
#define KILN_COMPILER_TRAINING_SCHEDULES_H

#include "compiler/Training/HyperParameters.h"

#include "mlir/IR/Builders.h"

namespace kiln {

/// What a schedule reads, as a 0-d argument of @train_step that the runtime
/// sets before each step.
enum class ScheduleClock {
  None,   ///< a constant learning rate
  Time,   ///< completed epochs, or completed steps with `per_step`
  Plateau ///< the factor the runtime's reduce-on-plateau logic decided
};

struct ScheduleKind {
  llvm::StringLiteral name;
  llvm::StringLiteral help;
  llvm::ArrayRef<HyperParameter> parameters;
  ScheduleClock clock;
  /// Takes its milestones as positional arguments (multi_step).
  bool takesMilestones;
  /// The learning rate, a 0-d tensor of `elementType`, for base rate
  /// `baseLr` at `clock` (null for ScheduleClock::None).
  mlir::Value (*build)(mlir::OpBuilder &b, mlir::Location loc,
                       const HyperConfig &config, mlir::Type elementType,
                       mlir::Value clock, double baseLr);
};

/// Every schedule, for lookups and suggestions.
llvm::ArrayRef<ScheduleKind> allSchedules();
/// The schedule called `name`, or null.
const ScheduleKind *lookupSchedule(llvm::StringRef name);

/// The settings of linear warm-up (torch.optim.lr_scheduler.LinearLR chained
/// with the schedule): the factor rises from start_factor to 1 over `steps`
/// optimizer steps.
llvm::ArrayRef<HyperParameter> warmupParameters();

/// The kiln.role of the argument a clock reads: "epoch", "step" or
/// "lr_scale"; empty for ScheduleClock::None.
llvm::StringRef clockRole(const ScheduleKind &kind, const HyperConfig &config);

/// Multiplies `lr` (0-d) by the warm-up factor at optimizer step `step`:
/// start + (1 - start) * min(step / steps, 1).
mlir::Value applyWarmup(mlir::OpBuilder &b, mlir::Location loc,
                        const HyperConfig &warmup, mlir::Value step,
                        mlir::Value lr);

} // namespace kiln

#endif // KILN_COMPILER_TRAINING_SCHEDULES_H
