//===- trainer.cpp - The training driver behind main() --------------------===//
//
// Sets a run up and hands it over: flags and manifest, data, the model's
// tensors (fresh, from --init or from a --resume checkpoint), then either the
// epoch loop with its observers (epoch_loop.h) or a full-batch method
// (full_batch.h), then the final --save. Parameters, buffers and optimizer
// state live in a ModelState whose two copies of each tensor swap roles after
// every step, so no step ever copies a parameter.
//
// Errors surface as kiln::Error and are reported once, at the top, so that
// the function can also run in-process under tests and return a code.
//
//===----------------------------------------------------------------------===//
#include "kiln/trainer.h"
#include "epoch_loop.h"
#include "full_batch.h"
#include "kiln/batching.h"
#include "kiln/checkpoint.h"
#include "kiln/error.h"
#include "kiln/options.h"
#include "observers.h"

#include <cstdio>
#include <cstring>
#include <sys/stat.h>

namespace kiln {
namespace {

std::string baseName(const char *path) {
  const char *slash = std::strrchr(path, '/');
  return slash ? slash + 1 : path;
}

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
  if (isFloat(data.images.dtype()) && data.images.dtype() != m.input.dtype)
    data.images = convertFloat(data.images, m.input.dtype);
  if (data.labels.dtype() == m.label.dtype)
    return data;
  if (!isFloat(data.labels.dtype()) || !isFloat(m.label.dtype)) {
    const char *given =
        isFloat(data.labels.dtype()) ? "float targets" : "i32 class indices";
    throw Error("the model's label '" + m.label.name + "' is " +
                dtypeName(m.label.dtype) + " but the dataset '" +
                std::string(rt::name(m.dataset)) + "' gives " + given);
  }
  data.labels = convertFloat(data.labels, m.label.dtype);
  return data;
}

Dataset loadSplit(const Manifest &m, const std::string &dir, Split split) {
  Dataset data =
      m.dataset == rt::Dataset::SyntheticLogistic
          ? generateSyntheticLogistic(m.synthetic, split)
          : loadFashionMnist(dir, split, m.normalize, m.targets, m.classes);
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

/// --save at the end of a run: the current parameters and buffers.
void saveFinal(const std::string &path, const ModelState &model,
               const Manifest &m, uint64_t seed, int64_t steps) {
  if (path.empty())
    return;
  saveWeights(path, model.savedTensors(), m, seed, steps);
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

/// The epoch loop with the observers the flags ask for, then --save, which
/// early stopping has written already when it kept a best epoch.
void trainEpochs(const Program &program, RunState &run, const Splits &data,
                 const Options &opts, JsonLog &log, TrainingProgress resumed) {
  const Manifest &m = run.manifest;
  if (m.plateau) {
    run.plateau.emplace(*m.plateau);
    run.plateau->restore(resumed.plateau);
  }
  if (opts.earlyStop) {
    run.stopper.emplace(*opts.earlyStop);
    if (resumed.earlyStop)
      run.stopper->restore(*resumed.earlyStop, std::move(resumed.bestTensors));
  }
  EarlyStopObserver earlyStop(opts.savePath);
  PlateauObserver plateau;
  CheckpointObserver checkpoint(opts.checkpointPath);
  ConsoleObserver console;
  JsonLogObserver jsonLog(log, opts.logEvery);
  std::vector<Observer *> observers{&earlyStop, &plateau};
  if (!opts.checkpointPath.empty())
    observers.push_back(&checkpoint);
  observers.insert(observers.end(), {&console, &jsonLog});
  runEpochs(program, run, data, observers);

  const EarlyStopping *stopper = run.stopper ? &*run.stopper : nullptr;
  if (stopper && stopper->bestEpoch() > 0)
    std::fprintf(stderr, "kiln: best val_loss %.4f at epoch %lld\n",
                 stopper->bestLoss(), (long long)stopper->bestEpoch());
  if (!opts.savePath.empty() && stopper && stopper->bestEpoch() > 0)
    // Nothing left to write: the best epoch's weights went to --save (via
    // FILE.tmp and a rename) when that epoch ended.
    std::fprintf(stderr, "kiln: saved the parameters of epoch %lld to %s\n",
                 (long long)stopper->bestEpoch(), opts.savePath.c_str());
  else
    saveFinal(opts.savePath, run.model, m, run.seed, run.totalSteps);
}

int train(const Program &program, const Manifest &m, const Options &opts) {
  // What training calls; a program without them cannot be trained.
  for (Entry entry : {Entry::TrainStep, Entry::Eval})
    m.entry(entry);
  const std::string dataDir = opts.dataDir.value_or(m.dataDir);
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
  const uint64_t seed = opts.seed.value_or(m.seed);
  ModelState model(m, seed);
  RunState run{m, model, io};
  run.seed = seed;
  run.epochs = opts.epochs.value_or(m.epochs);
  run.maxSteps = opts.maxSteps;
  run.stepsPerEpoch = stepsPerEpoch;
  run.shuffled = !opts.noShuffle;
  TrainingProgress resumed;
  if (!opts.resumePath.empty()) {
    resumed = resume(opts, run.model, m, stepsPerEpoch);
    run.seed = resumed.seed; // Shuffling and dropout continue its sequence.
    run.completedEpochs = resumed.epochs;
    run.totalSteps = resumed.steps;
  } else if (!opts.initPath.empty()) {
    run.model.load(opts.initPath);
  }
  if (m.fullBatch) { // Newton's method, line searches: full_batch.cpp
    int64_t iterations =
        trainFullBatch(program, m, trainSet, testSet, run.model, io, run.epochs,
                       [&](const LogRecord &record) { log.write(record); });
    saveFinal(opts.savePath, run.model, m, run.seed, iterations);
    return 0;
  }
  trainEpochs(program, run, {trainSet, testSet, valSet ? &*valSet : nullptr},
              opts, log, std::move(resumed));
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
    checkEntryPoints(program, manifest);
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
