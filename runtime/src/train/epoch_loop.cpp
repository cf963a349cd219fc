//===- epoch_loop.cpp - Minibatch training, epoch by epoch ----------------===//
#include "epoch_loop.h"

#include "kiln/batching.h"
#include "kiln/error.h"
#include "kiln/random.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace kiln {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string nonFiniteName(double value) {
  return std::isnan(value) ? "nan" : value > 0 ? "inf" : "-inf";
}

/// The samples of epoch `epoch` in the order they are trained.
std::vector<int64_t> epochOrder(const RunState &run, int64_t epoch,
                                int64_t size) {
  std::vector<int64_t> order = epochPermutation(run.seed, epoch, size);
  if (!run.shuffled)
    std::iota(order.begin(), order.end(), int64_t(0));
  return order;
}

} // namespace

void runEpochs(const Program &program, RunState &run, const Splits &data,
               const std::vector<Observer *> &observers) {
  const Manifest &m = run.manifest;
  const int64_t batch = m.batchSize();
  CallTensors &io = run.io;
  Tensor &input = io.get(Role::Input), &label = io.get(Role::Label);
  const Tensor &loss = io.get(Role::Loss);
  Tensor *rng = io.find(Role::Rng);
  EntryFn trainStep = program.entry(Entry::TrainStep);
  EntryFn eval = program.entry(Entry::Eval);
  PackedCall step(m.entry(Entry::TrainStep), run.model, io,
                  PackedCall::Results::Next);
  auto limitReached = [&] {
    return run.maxSteps && run.totalSteps >= *run.maxSteps;
  };

  for (int64_t epoch = run.completedEpochs;
       epoch < run.epochs && !limitReached(); ++epoch) {
    const Clock::time_point start = Clock::now();
    std::vector<int64_t> order = epochOrder(run, epoch, data.train.size());
    double lossSum = 0.0;
    int64_t steps = 0;
    for (int64_t s = 0; s < run.stepsPerEpoch && !limitReached(); ++s) {
      gatherBatch(data.train, order.data() + s * batch, batch, input.dtype(),
                  input.raw(), label.raw());
      // A seed per step, not per epoch position, so no two steps of a run
      // share a dropout mask.
      if (rng)
        rng->i64()[0] = static_cast<int64_t>(
            deriveSeed(run.seed, kStepStream, run.totalSteps));
      // The schedule's clocks; a step takes only those it reads.
      io.setScalar(Role::Epoch, static_cast<double>(epoch));
      io.setScalar(Role::Step, static_cast<double>(run.totalSteps));
      io.setScalar(Role::LrScale, run.plateau ? run.plateau->scale() : 1.0);
      callEntry(trainStep, step.pointers());
      const double l = realAt(loss, 0);
      if (!std::isfinite(l))
        throw Error("training diverged: loss is " + nonFiniteName(l) +
                    " at epoch " + std::to_string(epoch + 1) + ", step " +
                    std::to_string(s + 1));
      lossSum += l;
      ++steps;
      ++run.totalSteps;
      step.swapWritten(); // This step's outputs are the next one's inputs.
      StepReport report{epoch + 1, s + 1, l, lossSum / steps,
                        steps * batch / secondsSince(start)};
      for (Observer *observer : observers)
        observer->stepDone(run, report);
    }
    const double trainSeconds = secondsSince(start);

    EpochReport report;
    report.epoch = epoch + 1;
    report.steps = steps;
    report.trainLoss = lossSum / steps;
    report.test = evaluate(eval, m, data.test, run.model, io);
    report.seconds = secondsSince(start);
    report.samplesPerSecond =
        trainSeconds > 0 ? steps * batch / trainSeconds : 0.0;
    char trainText[48];
    std::snprintf(trainText, sizeof(trainText), "train_loss %.4f",
                  report.trainLoss);
    report.record = {{"type", "epoch"},
                     {"epoch", report.epoch},
                     {"train_loss", report.trainLoss}};
    report.fields = {trainText,
                     describeEval("test", report.test, report.record)};
    report.record["seconds"] = report.seconds;
    report.record["samples_per_second"] = report.samplesPerSecond;
    // After `seconds` was taken, so the epoch records of runs with and
    // without --val-split time the same work.
    if (data.val) {
      report.val = evaluate(eval, m, *data.val, run.model, io);
      report.fields.push_back(describeEval("val", *report.val, report.record));
    }
    if (const Tensor *lr = io.find(Role::Lr))
      report.record["lr"] = realAt(*lr, 0); // The epoch's last step's.
    run.completedEpochs = epoch + 1;
    for (Observer *observer : observers)
      observer->epochDone(run, report);
    for (Observer *observer : observers)
      if (std::string reason = observer->stopReason(run); !reason.empty()) {
        std::fprintf(stderr, "kiln: %s\n", reason.c_str());
        return;
      }
  }
}

} // namespace kiln
