//===- observers.cpp - What a training run does between epochs ------------===//
#include "observers.h"

#include "kiln/checkpoint.h"

#include <cstdio>

namespace kiln {

void EarlyStopObserver::epochDone(RunState &run, EpochReport &report) {
  if (!run.stopper || !report.val)
    return;
  if (run.stopper->update(report.epoch, run.totalSteps, report.val->loss,
                          run.model) &&
      !savePath_.empty())
    // Written now, not only at the end, so a killed run keeps its best.
    saveWeights(savePath_, run.stopper->bestTensors(), run.manifest, run.seed,
                run.stopper->bestSteps());
}

std::string EarlyStopObserver::stopReason(const RunState &run) const {
  if (!run.stopper || !run.stopper->shouldStop())
    return "";
  return "early stopping after epoch " + std::to_string(run.completedEpochs) +
         ": val_loss has not improved for " +
         std::to_string(run.stopper->patience()) + " epochs";
}

void PlateauObserver::epochDone(RunState &run, EpochReport &report) {
  if (!run.plateau)
    return;
  if (report.val && run.plateau->update(report.val->loss)) {
    char text[48];
    std::snprintf(text, sizeof(text), "lr_scale %g", run.plateau->scale());
    report.fields.push_back(text);
  }
  report.record["lr_scale"] = run.plateau->scale();
}

void CheckpointObserver::epochDone(RunState &run, EpochReport &report) {
  if (report.steps != run.stepsPerEpoch)
    return; // Resuming continues from whole epochs.
  saveCheckpoint(
      path_, run.model, run.manifest,
      {run.completedEpochs, run.totalSteps, run.seed, run.stepsPerEpoch,
       run.shuffled,
       run.plateau ? run.plateau->state() : PlateauScheduler::State()},
      run.stopper ? &*run.stopper : nullptr);
}

void ConsoleObserver::stepDone(const RunState &run, const StepReport &step) {
  progress_.update(step.epoch, run.epochs, step.step, run.stepsPerEpoch,
                   step.meanLoss, step.samplesPerSecond);
}

void ConsoleObserver::epochDone(RunState &run, EpochReport &report) {
  progress_.clear();
  std::printf("epoch %lld/%lld", (long long)report.epoch,
              (long long)run.epochs);
  for (const std::string &field : report.fields)
    std::printf("  %s", field.c_str());
  std::printf("  %.1f s  %.0f samples/s\n", report.seconds,
              report.samplesPerSecond);
  std::fflush(stdout);
}

void JsonLogObserver::stepDone(const RunState &run, const StepReport &step) {
  if (!every_ || run.totalSteps % *every_ != 0)
    return;
  LogRecord record = {{"type", "step"},
                      {"step", run.totalSteps},
                      {"epoch", step.epoch},
                      {"loss", step.loss}};
  for (Role role : {Role::Lr, Role::GradNorm})
    if (const Tensor *value = run.io.find(role))
      record[std::string(rt::name(role))] = realAt(*value, 0);
  log_.write(record);
}

void JsonLogObserver::epochDone(RunState &, EpochReport &report) {
  log_.write(report.record);
}

} // namespace kiln
