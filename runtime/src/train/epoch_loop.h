//===- epoch_loop.h - Minibatch training, epoch by epoch --------*- C++ -*-===//
//
// Private to runtime/src/train. The loop itself only trains and evaluates:
// each step it fills the batch, the rng seed and the schedule's clocks,
// calls the train step and swaps the tensors it wrote; after each epoch it
// evaluates the test split (and the validation split). Everything else a run
// does between steps and epochs (the progress line, the epoch summary, the
// JSON log, checkpoints, reduce-on-plateau, early stopping) is an Observer,
// so a new feature adds an observer rather than growing the loop.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_TRAIN_EPOCH_LOOP_H
#define KILN_RUNTIME_TRAIN_EPOCH_LOOP_H

#include "kiln/dataset.h"
#include "kiln/evaluate.h"
#include "kiln/plateau.h"
#include "kiln/validation.h"
#include "reporting.h"

#include <optional>
#include <string>
#include <vector>

namespace kiln {

/// What a run carries from step to step: what a checkpoint keeps.
struct RunState {
  const Manifest &manifest;
  ModelState &model;
  CallTensors &io;
  uint64_t seed = 0;
  int64_t epochs = 0; ///< the epoch to stop after
  std::optional<int64_t> maxSteps;
  int64_t stepsPerEpoch = 0;
  bool shuffled = true;
  int64_t completedEpochs = 0;
  int64_t totalSteps = 0; ///< completed optimizer steps
  /// Reduce-on-plateau's decisions, when the schedule is that; the loop
  /// passes its factor to every step.
  std::optional<PlateauScheduler> plateau;
  /// --early-stop's decisions.
  std::optional<EarlyStopping> stopper;
};

/// One finished optimizer step.
struct StepReport {
  int64_t epoch;   ///< 1-based
  int64_t step;    ///< 1-based, within the epoch
  double loss;     ///< this step's
  double meanLoss; ///< over the epoch's steps so far
  double samplesPerSecond;
};

/// One finished epoch, filled in by the loop and then by each observer.
struct EpochReport {
  int64_t epoch; ///< 1-based
  int64_t steps; ///< taken this epoch; fewer than per epoch at --max-steps
  double trainLoss;
  EvalResult test;
  std::optional<EvalResult> val;
  double seconds; ///< training and the test pass
  double samplesPerSecond;
  /// The epoch's JSON record and its summary line's fields ("train_loss
  /// 0.4127", "test_loss ...  test_accuracy ..."), from the loop's
  /// evaluations; observers add theirs (lr, "lr_scale 0.01").
  LogRecord record;
  std::vector<std::string> fields;
};

class Observer {
public:
  virtual ~Observer() = default;
  virtual void stepDone(const RunState &, const StepReport &) {}
  /// Called in registration order, so an observer sees what the ones
  /// before it added.
  virtual void epochDone(RunState &, EpochReport &) {}
  /// Why the run should stop after the epoch just reported, or "".
  virtual std::string stopReason(const RunState &) const { return ""; }
};

/// The data of a run: the splits the loop reads.
struct Splits {
  const Dataset &train;
  const Dataset &test;
  const Dataset *val = nullptr;
};

/// Trains from run.completedEpochs until run.epochs, run.maxSteps or an
/// observer's stop; throws kiln::Error when the loss stops being finite.
void runEpochs(const Program &program, RunState &run, const Splits &data,
               const std::vector<Observer *> &observers);

} // namespace kiln

#endif // KILN_RUNTIME_TRAIN_EPOCH_LOOP_H
