//===- trainer.cpp - The training driver behind main() --------------------===//
//
// Owns the whole run: flags, manifest, data, buffers, the epoch loop,
// evaluation, logging and saving. Parameters, buffers and optimizer state
// live in a ModelState whose two copies of each tensor swap roles after
// every step (the step reads one and writes the other), so no step ever
// copies a parameter; the entry points' pointer arrays follow the
// manifest's signatures (PackedCall).
//
// Errors surface as kiln::Error and are reported once, at the top, so that
// the function can also run in-process under tests and return a code.
//
//===----------------------------------------------------------------------===//
#include "kiln/trainer.h"
#include "full_batch.h"
#include "kiln/batching.h"
#include "kiln/checkpoint.h"
#include "kiln/error.h"
#include "kiln/options.h"
#include "kiln/plateau.h"
#include "kiln/random.h"
#include "kiln/safetensors.h"
#include "kiln/validation.h"
#include "progress.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <optional>
#include <sys/stat.h>

namespace kiln {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string baseName(const char *path) {
  const char *slash = std::strrchr(path, '/');
  return slash ? slash + 1 : path;
}

std::string nonFiniteName(double value) {
  return std::isnan(value) ? "nan" : value > 0 ? "inf" : "-inf";
}

/// One JSON object per line, flushed per record so a killed run keeps the
/// epochs it finished and `tail -f` shows progress.
class JsonLog {
public:
  explicit JsonLog(const std::string &path) : path_(path) {
    if (path.empty())
      return;
    out_.open(path, std::ios::out | std::ios::trunc);
    if (!out_)
      throw Error(path + ": cannot write log: " + std::strerror(errno));
  }
  void write(const nlohmann::ordered_json &record) {
    if (path_.empty())
      return;
    out_ << record.dump() << '\n';
    out_.flush();
    if (!out_)
      throw Error(path_ + ": cannot write log");
  }

private:
  std::string path_;
  std::ofstream out_;
};

/// Fails before training, not after it, when --save cannot work.
void checkSaveFolder(const std::string &path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0)
    return;
  std::string dir = path.substr(0, slash);
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw Error("cannot save to " + path + ": folder '" + dir +
                "' does not exist");
}

/// `data` with the model's element types: features of the input's float
/// type, and labels of the label's (float targets may change precision, but
/// class indices do not become targets nor targets class indices).
Dataset convertToModel(Dataset data, const Manifest &m) {
  if (data.images.dtype() != m.input.dtype)
    data.images = convertFloat(data.images, m.input.dtype);
  if (data.labels.dtype() == m.label.dtype)
    return data;
  if (!isFloat(data.labels.dtype()) || !isFloat(m.label.dtype)) {
    const char *given =
        isFloat(data.labels.dtype()) ? "float targets" : "i32 class indices";
    throw Error("the model's label '" + m.label.name + "' is " +
                dtypeName(m.label.dtype) + " but the dataset '" + m.dataset +
                "' gives " + given);
  }
  data.labels = convertFloat(data.labels, m.label.dtype);
  return data;
}

Dataset loadSplit(const Manifest &m, const std::string &dir, Split split) {
  const bool synthetic = m.dataset == kSyntheticLogistic;
  if (!synthetic && m.dataset != "fashion_mnist")
    throw Error("unsupported dataset '" + m.dataset +
                "' (this runtime supports fashion_mnist and " +
                kSyntheticLogistic + ")");
  Dataset data = synthetic ? generateSyntheticLogistic(m.synthetic, split)
                           : loadFashionMnist(dir, split, m.normalize,
                                              m.targets, m.classes);
  data = convertToModel(std::move(data), m);
  if (data.features() != m.sampleFeatures())
    throw Error("the model's input '" + m.input.name + "' has " +
                std::to_string(m.sampleFeatures()) +
                " features per sample but the dataset in '" + dir + "' has " +
                std::to_string(data.features()));
  // The manifest only knows H * W (checkLabel); a mask must also have the
  // images' height and width, or its rows would not be the images' rows.
  // Class labels have no dimensions past the batch on either side.
  std::vector<int64_t> labelDims(m.label.shape.begin() + 1,
                                 m.label.shape.end());
  std::vector<int64_t> dataDims(data.labels.shape().begin() + 1,
                                data.labels.shape().end());
  if (labelDims != dataDims)
    throw Error("the model's label '" + m.label.name + "' is i32" +
                shapeString(m.label.shape) +
                " but the foreground masks of the images in '" + dir +
                "' are " + shapeString(dataDims) + " per sample");
  return data;
}

/// Saves `tensors` with only run-independent facts as metadata, so equal
/// runs save byte-identical files.
void saveTensors(const std::string &path, const std::vector<TensorRef> &tensors,
                 const Manifest &m, uint64_t seed, int64_t steps) {
  writeSafetensors(path, tensors,
                   {{"format", "pt"},
                    {"kiln_model", m.model},
                    {"kiln_seed", std::to_string(seed)},
                    {"kiln_steps", std::to_string(steps)}});
}

/// --save at the end of a run: the current parameters and buffers.
void saveFinal(const std::string &path, const ModelState &model,
               const Manifest &m, uint64_t seed, int64_t steps) {
  if (path.empty())
    return;
  saveTensors(path, model.savedTensors(), m, seed, steps);
  std::fprintf(stderr, "kiln: saved parameters to %s\n", path.c_str());
}

/// --resume: restores `model` from the checkpoint and checks that this run
/// continues it (same seed, epochs cut the same way).
TrainingProgress resume(const Options &opts, ModelState &model,
                        const Manifest &m, int64_t stepsPerEpoch) {
  TrainingProgress saved = loadCheckpoint(opts.resumePath, model, m);
  if (opts.seed && *opts.seed != saved.seed)
    throw Error("--seed " + std::to_string(*opts.seed) +
                " differs from the seed of " + opts.resumePath + " (" +
                std::to_string(saved.seed) + ")");
  if (saved.stepsPerEpoch != stepsPerEpoch || saved.shuffled == opts.noShuffle)
    throw Error(opts.resumePath + " was saved by a run with " +
                std::to_string(saved.stepsPerEpoch) + " steps per epoch" +
                (saved.shuffled ? "" : " and --no-shuffle") +
                "; this one has " + std::to_string(stepsPerEpoch) +
                (opts.noShuffle ? " and --no-shuffle" : "") +
                ": resume with the same --val-split and --no-shuffle");
  std::fprintf(stderr, "kiln: resuming %s after epoch %lld (step %lld)\n",
               opts.resumePath.c_str(), (long long)saved.epochs,
               (long long)saved.steps);
  return saved;
}

int train(const Program &program, const Manifest &m, const Options &opts) {
  const std::string dataDir = opts.dataDir.value_or(m.dataDir);
  const int64_t epochs = opts.epochs.value_or(m.epochs);
  uint64_t seed = opts.seed.value_or(m.seed);
  const int64_t batch = m.batchSize();

  Dataset trainSet = loadSplit(m, dataDir, Split::Train);
  Dataset testSet = loadSplit(m, dataDir, Split::Test);
  std::optional<Dataset> valSet;
  if (opts.valSplit)
    valSet = splitOffValidation(trainSet, *opts.valSplit, batch);
  const int64_t stepsPerEpoch = fullBatches(trainSet.size(), batch);
  if (stepsPerEpoch == 0)
    throw Error("the training set in '" + dataDir + "' has " +
                std::to_string(trainSet.size()) +
                " samples, fewer than one batch of " + std::to_string(batch));
  if (testSet.size() == 0)
    throw Error("the test set in '" + dataDir + "' has no samples");
  for (const std::string &path : {opts.savePath, opts.checkpointPath})
    if (!path.empty())
      checkSaveFolder(path);
  JsonLog log(opts.logPath);

  CallTensors io(m);
  ModelState model(m, seed);
  TrainingProgress resumed;
  if (!opts.resumePath.empty()) {
    resumed = resume(opts, model, m, stepsPerEpoch);
    seed = resumed.seed; // Shuffling and dropout continue its sequence.
  } else if (!opts.initPath.empty()) {
    model.load(opts.initPath);
  }
  if (m.fullBatch) { // Newton's method, line searches: full_batch.cpp
    int64_t iterations = trainFullBatch(
        program, m, trainSet, testSet, model, io, epochs,
        [&](const nlohmann::ordered_json &record) { log.write(record); });
    saveFinal(opts.savePath, model, m, seed, iterations);
    return 0;
  }
  std::optional<PlateauScheduler> plateau;
  if (m.plateau) {
    plateau.emplace(*m.plateau);
    plateau->restore(resumed.plateau);
  }
  PackedCall step(m.trainStep, model, io, PackedCall::Results::Next);
  const bool reportsLr = !m.trainStep.resultsWith(Role::Lr).empty();
  const bool reportsGradNorm = !m.trainStep.resultsWith(Role::GradNorm).empty();

  ProgressLine progress(ProgressLine::stderrIsTerminal());
  std::optional<EarlyStopping> stopper;
  if (opts.earlyStop) {
    stopper.emplace(*opts.earlyStop);
    if (resumed.earlyStop)
      stopper->restore(*resumed.earlyStop, std::move(resumed.bestTensors));
  }
  int64_t totalSteps = resumed.steps;
  auto limitReached = [&] {
    return opts.maxSteps && totalSteps >= *opts.maxSteps;
  };
  for (int64_t epoch = resumed.epochs; epoch < epochs && !limitReached();
       ++epoch) {
    const Clock::time_point start = Clock::now();
    std::vector<int64_t> order = epochPermutation(seed, epoch, trainSet.size());
    if (opts.noShuffle)
      std::iota(order.begin(), order.end(), int64_t(0));
    double lossSum = 0.0;
    int64_t steps = 0;
    for (int64_t s = 0; s < stepsPerEpoch && !limitReached(); ++s) {
      gatherBatch(trainSet, order.data() + s * batch, batch, io.input.raw(),
                  io.label.raw());
      // A seed per step, not per epoch position, so no two steps of a run
      // share a dropout mask.
      io.rng.i64()[0] =
          static_cast<int64_t>(deriveSeed(seed, kStepStream, totalSteps));
      // The schedule's clocks (the step ignores those it does not read).
      setReal(io.epoch, 0, static_cast<double>(epoch));
      setReal(io.step, 0, static_cast<double>(totalSteps));
      setReal(io.lrScale, 0, plateau ? plateau->scale() : 1.0);
      program.trainStep(step.pointers());
      const double l = realAt(io.loss, 0);
      if (!std::isfinite(l))
        throw Error("training diverged: loss is " + nonFiniteName(l) +
                    " at epoch " + std::to_string(epoch + 1) + ", step " +
                    std::to_string(s + 1));
      lossSum += l;
      ++steps;
      ++totalSteps;
      step.swapWritten(); // This step's outputs are the next one's inputs.
      if (opts.logEvery && totalSteps % *opts.logEvery == 0) {
        nlohmann::ordered_json record = {{"type", "step"},
                                         {"step", totalSteps},
                                         {"epoch", epoch + 1},
                                         {"loss", l}};
        if (reportsLr)
          record["lr"] = realAt(io.lr, 0);
        if (reportsGradNorm)
          record["grad_norm"] = realAt(io.gradNorm, 0);
        log.write(record);
      }
      progress.update(epoch + 1, epochs, s + 1, stepsPerEpoch, lossSum / steps,
                      steps * batch / secondsSince(start));
    }
    const double trainSeconds = secondsSince(start);
    progress.clear();

    EvalResult eval = evaluate(program.eval, m, testSet, model, io);
    const double seconds = secondsSince(start);
    const double trainLoss = lossSum / steps;
    const double samplesPerSecond =
        trainSeconds > 0 ? steps * batch / trainSeconds : 0.0;
    std::printf("epoch %lld/%lld  train_loss %.4f  test_loss %.4f  "
                "test_accuracy %.2f%%",
                (long long)epoch + 1, (long long)epochs, trainLoss, eval.loss,
                100.0 * eval.accuracy);
    nlohmann::ordered_json record = {{"type", "epoch"},
                                     {"epoch", epoch + 1},
                                     {"train_loss", trainLoss},
                                     {"test_loss", eval.loss},
                                     {"test_accuracy", eval.accuracy},
                                     {"seconds", seconds},
                                     {"samples_per_second", samplesPerSecond}};
    if (valSet) {
      // After `seconds` was taken, so the epoch records of runs with and
      // without --val-split time the same work.
      EvalResult val = evaluate(program.eval, m, *valSet, model, io);
      std::printf("  val_loss %.4f  val_accuracy %.2f%%", val.loss,
                  100.0 * val.accuracy);
      record["val_loss"] = val.loss;
      record["val_accuracy"] = val.accuracy;
      if (stopper && stopper->update(epoch + 1, totalSteps, val.loss, model) &&
          !opts.savePath.empty())
        // Written now, not only at the end, so a killed run keeps its best.
        saveTensors(opts.savePath, stopper->bestTensors(), m, seed,
                    stopper->bestSteps());
      if (plateau && plateau->update(val.loss))
        std::printf("  lr_scale %g", plateau->scale());
    }
    if (reportsLr)
      record["lr"] = realAt(io.lr, 0); // The epoch's last step's.
    if (plateau)
      record["lr_scale"] = plateau->scale();
    if (!opts.checkpointPath.empty() && steps == stepsPerEpoch)
      saveCheckpoint(opts.checkpointPath, model, m,
                     {epoch + 1, totalSteps, seed, stepsPerEpoch,
                      !opts.noShuffle,
                      plateau ? plateau->state() : PlateauScheduler::State()},
                     stopper ? &*stopper : nullptr);
    std::printf("  %.1f s  %.0f samples/s\n", seconds, samplesPerSecond);
    std::fflush(stdout);
    log.write(record);
    if (stopper && stopper->shouldStop()) {
      std::fprintf(stderr,
                   "kiln: early stopping after epoch %lld: val_loss has not "
                   "improved for %lld epochs\n",
                   (long long)epoch + 1, (long long)*opts.earlyStop);
      break;
    }
  }

  if (stopper && stopper->bestEpoch() > 0)
    std::fprintf(stderr, "kiln: best val_loss %.4f at epoch %lld\n",
                 stopper->bestLoss(), (long long)stopper->bestEpoch());
  if (!opts.savePath.empty() && stopper && stopper->bestEpoch() > 0) {
    // Nothing left to write: the best epoch's checkpoint went to --save (via
    // FILE.tmp and a rename) when that epoch ended.
    std::fprintf(stderr, "kiln: saved the parameters of epoch %lld to %s\n",
                 (long long)stopper->bestEpoch(), opts.savePath.c_str());
  } else {
    saveFinal(opts.savePath, model, m, seed, totalSteps);
  }
  return 0;
}

} // namespace

int runTrainingMain(const Program &program, int argc, char **argv) {
  const std::string name = argc > 0 && argv[0] ? baseName(argv[0]) : "kiln";
  auto report = [](const char *message) {
    std::fflush(stdout);
    std::fprintf(stderr, "kiln: error: %s\n", message);
    return 1;
  };
  auto usage = [&](const UsageError &e) {
    std::fflush(stdout);
    std::fprintf(stderr, "kiln: error: %s\nrun '%s --help' for usage\n",
                 e.what(), name.c_str());
    return 2;
  };
  try {
    Options opts;
    try {
      opts = parseOptions(argc, argv);
    } catch (const UsageError &e) {
      return usage(e);
    }
    Manifest manifest = parseManifest(program.manifest ? program.manifest : "");
    if (opts.help) {
      std::fputs(usageText(name, manifest).c_str(), stdout);
      std::fflush(stdout);
      return 0;
    }
    try {
      applyManifestDefaults(opts, manifest);
    } catch (const UsageError &e) {
      return usage(e);
    }
    return train(program, manifest, opts);
  } catch (const Error &e) {
    return report(e.what());
  } catch (const std::bad_alloc &) {
    return report("out of memory");
  } catch (const std::exception &e) {
    return report(e.what());
  }
}

} // namespace kiln
