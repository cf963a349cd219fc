//===- checkpoint.cpp - Save and resume a training run --------------------===//
//
// Numbers go into the metadata as text; doubles with 17 significant digits,
// so they read back bit for bit.
//
//===----------------------------------------------------------------------===//
#include "kiln/checkpoint.h"
#include "kiln/error.h"
#include "kiln/safetensors.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <type_traits>

namespace kiln {
namespace {

/// The prefix of early stopping's best tensors in a checkpoint.
const std::string kBestPrefix = "early_stop.best.";

std::string exact(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.17g", value);
  return text;
}

/// The metadata entry `key`, parsed whole; an error naming `path` otherwise.
const std::string &entry(const std::map<std::string, std::string> &metadata,
                         const std::string &key, const std::string &path) {
  auto it = metadata.find(key);
  if (it == metadata.end())
    throw Error(path + ": not a Kiln checkpoint (no '" + key +
                "' in its metadata; files from --save hold only weights, "
                "use --init for them)");
  return it->second;
}

template <typename T>
T number(const std::map<std::string, std::string> &metadata,
         const std::string &key, const std::string &path) {
  const std::string &text = entry(metadata, key, path);
  char *end = nullptr;
  errno = 0;
  T value;
  // strtoull would take "-1" as 2^64 - 1.
  bool negative = text.find('-') != std::string::npos;
  if constexpr (std::is_same_v<T, double>)
    value = std::strtod(text.c_str(), &end);
  else if constexpr (std::is_same_v<T, uint64_t>)
    value = std::strtoull(text.c_str(), &end, 10);
  else
    value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 ||
      (negative && !std::is_same_v<T, double>))
    throw Error(path + ": metadata '" + key + "' is not a " +
                (std::is_same_v<T, double> ? "number" : "count") + ": '" +
                text + "'");
  return value;
}

} // namespace

void saveWeights(const std::string &path, const std::vector<TensorRef> &tensors,
                 const Manifest &m, uint64_t seed, int64_t steps) {
  writeSafetensors(path, tensors,
                   {{"format", "pt"},
                    {"kiln_model", m.model},
                    {"kiln_seed", std::to_string(seed)},
                    {"kiln_steps", std::to_string(steps)}});
}

void saveCheckpoint(const std::string &path, const ModelState &model,
                    const Manifest &m, const TrainingProgress &progress,
                    const EarlyStopping *stopper) {
  std::vector<TensorRef> tensors =
      model.savedTensors(ModelState::Contents::Checkpoint);
  std::map<std::string, std::string> metadata{
      {"format", "pt"},
      {"kiln_model", m.model},
      {"kiln_checkpoint", "1"},
      {"kiln_seed", std::to_string(progress.seed)},
      {"kiln_epochs", std::to_string(progress.epochs)},
      {"kiln_steps", std::to_string(progress.steps)},
      {"kiln_steps_per_epoch", std::to_string(progress.stepsPerEpoch)},
      {"kiln_shuffled", progress.shuffled ? "1" : "0"},
      {"kiln_lr_scale", exact(progress.plateau.scale)},
      {"kiln_plateau_best", exact(progress.plateau.best)},
      {"kiln_plateau_bad_epochs", std::to_string(progress.plateau.badEpochs)},
      {"kiln_plateau_cooldown", std::to_string(progress.plateau.cooldownLeft)}};
  if (stopper) {
    EarlyStopping::State state = stopper->state();
    metadata["kiln_early_stop_since_best"] = std::to_string(state.sinceBest);
    metadata["kiln_early_stop_best_epoch"] = std::to_string(state.bestEpoch);
    metadata["kiln_early_stop_best_steps"] = std::to_string(state.bestSteps);
    metadata["kiln_early_stop_best_loss"] = exact(state.bestLoss);
    for (const TensorRef &ref : stopper->bestTensors())
      tensors.emplace_back(kBestPrefix + ref.first, ref.second);
  }
  writeSafetensors(path, tensors, metadata);
}

TrainingProgress loadCheckpoint(const std::string &path, ModelState &model,
                                const Manifest &m) {
  SafetensorsFile file = readSafetensors(path);
  entry(file.metadata, "kiln_checkpoint", path);
  const std::string &saved = entry(file.metadata, "kiln_model", path);
  if (saved != m.model)
    throw Error(path + ": a checkpoint of model '" + saved + "', not '" +
                m.model + "'");
  TrainingProgress progress;
  progress.seed = number<uint64_t>(file.metadata, "kiln_seed", path);
  progress.epochs = number<int64_t>(file.metadata, "kiln_epochs", path);
  progress.steps = number<int64_t>(file.metadata, "kiln_steps", path);
  progress.stepsPerEpoch =
      number<int64_t>(file.metadata, "kiln_steps_per_epoch", path);
  progress.shuffled = number<int64_t>(file.metadata, "kiln_shuffled", path);
  progress.plateau.scale = number<double>(file.metadata, "kiln_lr_scale", path);
  progress.plateau.best =
      number<double>(file.metadata, "kiln_plateau_best", path);
  progress.plateau.badEpochs =
      number<int64_t>(file.metadata, "kiln_plateau_bad_epochs", path);
  progress.plateau.cooldownLeft =
      number<int64_t>(file.metadata, "kiln_plateau_cooldown", path);
  if (progress.steps != progress.epochs * progress.stepsPerEpoch)
    throw Error(path + ": its metadata does not add up (" +
                std::to_string(progress.epochs) + " epochs of " +
                std::to_string(progress.stepsPerEpoch) + " steps, " +
                std::to_string(progress.steps) + " steps)");
  if (file.metadata.count("kiln_early_stop_best_epoch")) {
    EarlyStopping::State state;
    state.sinceBest =
        number<int64_t>(file.metadata, "kiln_early_stop_since_best", path);
    state.bestEpoch =
        number<int64_t>(file.metadata, "kiln_early_stop_best_epoch", path);
    state.bestSteps =
        number<int64_t>(file.metadata, "kiln_early_stop_best_steps", path);
    state.bestLoss =
        number<double>(file.metadata, "kiln_early_stop_best_loss", path);
    progress.earlyStop = state;
    for (NamedTensor &t : file.tensors)
      if (t.name.rfind(kBestPrefix, 0) == 0)
        progress.bestTensors.push_back(
            {t.name.substr(kBestPrefix.size()), std::move(t.tensor)});
  }
  model.load(file, path, ModelState::Contents::Checkpoint);
  return progress;
}

} // namespace kiln
