//===- observers.h - What a training run does between epochs ----*- C++ -*-===//
//
// Private to runtime/src/train: the observers of the epoch loop
// (epoch_loop.h). The trainer registers them in this order, which is the
// order they act in after an epoch: early stopping (which saves the best
// weights), reduce-on-plateau, checkpoints, the summary line, the JSON log.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_TRAIN_OBSERVERS_H
#define KILN_RUNTIME_TRAIN_OBSERVERS_H

#include "epoch_loop.h"
#include "progress.h"

namespace kiln {

/// --early-stop: records each epoch's validation loss, writes the best
/// epoch's weights to --save as soon as they are the best, and stops after
/// `patience` epochs without improvement.
class EarlyStopObserver : public Observer {
public:
  explicit EarlyStopObserver(std::string savePath)
      : savePath_(std::move(savePath)) {}
  void epochDone(RunState &run, EpochReport &report) override;
  std::string stopReason(const RunState &run) const override;

private:
  std::string savePath_;
};

/// Reduce-on-plateau: lowers the learning-rate factor when the validation
/// loss stalls, and says so on the summary line.
class PlateauObserver : public Observer {
public:
  void epochDone(RunState &run, EpochReport &report) override;
};

/// --checkpoint: the whole run after every complete epoch.
class CheckpointObserver : public Observer {
public:
  explicit CheckpointObserver(std::string path) : path_(std::move(path)) {}
  void epochDone(RunState &run, EpochReport &report) override;

private:
  std::string path_;
};

/// The progress line while an epoch trains, then its summary on stdout.
class ConsoleObserver : public Observer {
public:
  ConsoleObserver() : progress_(ProgressLine::stderrIsTerminal()) {}
  void stepDone(const RunState &run, const StepReport &step) override;
  void epochDone(RunState &run, EpochReport &report) override;

private:
  ProgressLine progress_;
};

/// --log: every epoch's record, and with --log-every N a record every N
/// optimizer steps with the loss, learning rate and gradient norm.
class JsonLogObserver : public Observer {
public:
  JsonLogObserver(JsonLog &log, std::optional<int64_t> every)
      : log_(log), every_(every) {}
  void stepDone(const RunState &run, const StepReport &step) override;
  void epochDone(RunState &run, EpochReport &report) override;

private:
  JsonLog &log_;
  std::optional<int64_t> every_;
};

} // namespace kiln

#endif // KILN_RUNTIME_TRAIN_OBSERVERS_H
