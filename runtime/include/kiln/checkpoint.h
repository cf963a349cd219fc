//===- checkpoint.h - Save and resume a training run ------------*- C++ -*-===//
//
// A checkpoint is a safetensors file with every tensor of the run (params,
// buffers and optimizer state, by name) and, as metadata, where the run
// stands: completed epochs and steps, the seed, how epochs were cut (steps
// per epoch, shuffling), the reduce-on-plateau state and, with early
// stopping, its decisions and the best epoch's weights. Together with the
// compiled step, which keeps no hidden state, and shuffling and dropout seeds
// derived from (seed, epoch, step), that is all a resumed run needs to continue
// exactly as the uninterrupted run would. Files are written to PATH.tmp and
// renamed, so a crash never leaves a torn checkpoint.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_CHECKPOINT_H
#define KILN_RUNTIME_CHECKPOINT_H

#include "kiln/manifest.h"
#include "kiln/model_state.h"
#include "kiln/plateau.h"
#include "kiln/validation.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kiln {

struct TrainingProgress {
  int64_t epochs = 0; ///< completed epochs
  int64_t steps = 0;  ///< completed optimizer steps
  uint64_t seed = 0;
  /// How the run cut its epochs, which a resumed run must repeat.
  int64_t stepsPerEpoch = 0;
  bool shuffled = true;
  PlateauScheduler::State plateau;
  /// With --early-stop: its decisions and the best epoch's tensors, which
  /// the checkpoint holds as "early_stop.best.NAME".
  std::optional<EarlyStopping::State> earlyStop;
  std::vector<NamedTensor> bestTensors;
};

/// Saves `tensors` (the weights of `m`: what --save writes) with only
/// run-independent facts as metadata, so equal runs save byte-identical
/// files; atomically, through PATH.tmp.
void saveWeights(const std::string &path, const std::vector<TensorRef> &tensors,
                 const Manifest &m, uint64_t seed, int64_t steps);

/// Saves `model` and `progress` (its bestTensors are ignored: `stopper`, if
/// any, provides them).
void saveCheckpoint(const std::string &path, const ModelState &model,
                    const Manifest &m, const TrainingProgress &progress,
                    const EarlyStopping *stopper = nullptr);

/// Restores every tensor of `model` from `path` and returns the progress;
/// kiln::Error naming the path if the file is not a checkpoint of this model.
TrainingProgress loadCheckpoint(const std::string &path, ModelState &model,
                                const Manifest &m);

} // namespace kiln

#endif // KILN_RUNTIME_CHECKPOINT_H
