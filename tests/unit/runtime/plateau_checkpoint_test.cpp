//===- plateau_checkpoint_test.cpp - Reduce-on-plateau and checkpoints ----===//
//
// PlateauScheduler against ReduceLROnPlateau's rules worked out by hand, and
// checkpoints round-tripping every tensor and every piece of progress (an
// infinite best loss and early stopping's state included), with the errors
// of files that are not a checkpoint of the model.
//
//===----------------------------------------------------------------------===//
#include "kiln/checkpoint.h"
#include "kiln/error.h"
#include "kiln/plateau.h"
#include "kiln/safetensors.h"
#include "kiln/validation.h"
#include "test_util.h"

#include <gtest/gtest.h>

#include <limits>

using namespace kiln;

namespace {

TEST(Plateau, PatienceCooldownAndThreshold) {
  PlateauSettings settings;
  settings.factor = 0.5;
  settings.patience = 1;
  settings.threshold = 0.1; // better means below 90% of the best
  settings.cooldown = 1;
  PlateauScheduler plateau(settings);
  // loss, reduced?, factor after the epoch
  const struct {
    double loss;
    bool reduced;
    double scale;
  } epochs[] = {
      {1.0, false, 1.0},  // the first loss is the best
      {0.95, false, 1.0}, // not 10% better: one bad epoch, within patience
      {0.95, true, 0.5},  // two bad epochs > patience: reduce, cool down
      {0.99, false, 0.5}, // bad, but the cooldown swallows it
      {0.99, false, 0.5}, // one bad epoch
      {0.99, true, 0.25}, // two: reduce again
      {0.5, false, 0.25}, // a new best
  };
  for (const auto &e : epochs) {
    EXPECT_EQ(plateau.update(e.loss), e.reduced) << e.loss;
    EXPECT_EQ(plateau.scale(), e.scale) << e.loss;
  }
  EXPECT_EQ(plateau.state().best, 0.5);
}

Manifest toyManifest(const std::string &model) {
  Manifest m;
  m.model = model;
  m.params.push_back({"w", {3}, DType::F32, {}});
  m.buffers.push_back({"bn.running_mean", {2}, DType::F32, {}});
  m.state.push_back({"w.momentum_buffer", {3}, DType::F32, {}});
  return m;
}

TEST(Checkpoint, RoundTripsTensorsAndProgress) {
  test::TempDir dir;
  Manifest m = toyManifest("toy");
  ModelState saved(m, 0);
  float value = 1.0f;
  for (const char *name : {"w", "w.momentum_buffer"}) {
    Role role = std::string(name) == "w" ? Role::Param : Role::State;
    Tensor &t = saved.slot(role, name).current;
    for (int64_t i = 0; i < t.numel(); ++i)
      t.f32()[i] = value++;
  }
  TrainingProgress progress{2, 20, 7, 10, false, {}};
  progress.plateau.scale = 0.25;
  progress.plateau.badEpochs = 1;
  progress.plateau.cooldownLeft = 2;
  saveCheckpoint(dir.file("ck"), saved, m, progress);
  EXPECT_FALSE(test::fileExists(dir.file("ck.tmp")));

  ModelState loaded(m, 1);
  TrainingProgress back = loadCheckpoint(dir.file("ck"), loaded, m);
  EXPECT_EQ(back.epochs, 2);
  EXPECT_EQ(back.steps, 20);
  EXPECT_EQ(back.seed, 7u);
  EXPECT_EQ(back.stepsPerEpoch, 10);
  EXPECT_FALSE(back.shuffled);
  EXPECT_EQ(back.plateau.scale, 0.25);
  EXPECT_EQ(back.plateau.best, std::numeric_limits<double>::infinity());
  EXPECT_EQ(back.plateau.badEpochs, 1);
  EXPECT_EQ(back.plateau.cooldownLeft, 2);
  for (const char *name : {"w", "w.momentum_buffer"}) {
    Role role = std::string(name) == "w" ? Role::Param : Role::State;
    const Tensor &a = saved.slot(role, name).current;
    const Tensor &b = loaded.slot(role, name).current;
    for (int64_t i = 0; i < a.numel(); ++i)
      EXPECT_EQ(a.f32()[i], b.f32()[i]) << name << "[" << i << "]";
  }
}

TEST(Checkpoint, KeepsEarlyStoppingsDecisionsAndBestWeights) {
  test::TempDir dir;
  Manifest m = toyManifest("toy");
  ModelState model(m, 0);
  Tensor &w = model.slot(Role::Param, "w").current;
  w.f32()[0] = 5.0f;
  EarlyStopping stopper(3);
  ASSERT_TRUE(stopper.update(1, 10, 0.5, model)); // the best: w[0] = 5
  w.f32()[0] = 7.0f;
  ASSERT_FALSE(stopper.update(2, 20, 0.6, model));
  saveCheckpoint(dir.file("ck"), model, m, {2, 20, 0, 10, true, {}}, &stopper);

  ModelState loaded(m, 0);
  TrainingProgress back = loadCheckpoint(dir.file("ck"), loaded, m);
  ASSERT_TRUE(back.earlyStop);
  EXPECT_EQ(back.earlyStop->sinceBest, 1);
  EXPECT_EQ(back.earlyStop->bestEpoch, 1);
  EXPECT_EQ(back.earlyStop->bestSteps, 10);
  EXPECT_EQ(back.earlyStop->bestLoss, 0.5);
  EXPECT_EQ(loaded.slot(Role::Param, "w").current.f32()[0], 7.0f);
  EarlyStopping resumed(3);
  resumed.restore(*back.earlyStop, std::move(back.bestTensors));
  std::vector<TensorRef> best = resumed.bestTensors();
  ASSERT_EQ(best.size(), 2u); // w and the buffer, as savedTensors()
  EXPECT_EQ(best[0].first, "w");
  EXPECT_EQ(best[0].second->f32()[0], 5.0f);
  // Two more bad epochs reach the patience of 3, counting the saved one.
  EXPECT_FALSE(resumed.update(3, 30, 0.7, loaded));
  EXPECT_FALSE(resumed.shouldStop());
  EXPECT_FALSE(resumed.update(4, 40, 0.7, loaded));
  EXPECT_TRUE(resumed.shouldStop());
}

std::string loadError(const std::string &path, const Manifest &m) {
  ModelState model(m, 0);
  try {
    loadCheckpoint(path, model, m);
  } catch (const Error &e) {
    return e.what();
  }
  return "";
}

TEST(Checkpoint, RejectsFilesThatAreNotACheckpointOfTheModel) {
  test::TempDir dir;
  Manifest m = toyManifest("toy");
  ModelState model(m, 0);
  // Weights alone, as --save writes them.
  writeSafetensors(dir.file("weights"), model.savedTensors(),
                   {{"kiln_model", "toy"}});
  EXPECT_EQ(loadError(dir.file("weights"), m),
            dir.file("weights") +
                ": not a Kiln checkpoint (no 'kiln_checkpoint' in its "
                "metadata; files from --save hold only weights, use --init "
                "for them)");
  saveCheckpoint(dir.file("ck"), model, m, {1, 10, 0, 10, true, {}});
  EXPECT_EQ(loadError(dir.file("ck"), toyManifest("other")),
            dir.file("ck") + ": a checkpoint of model 'toy', not 'other'");
  // Optimizer state is required to resume.
  Manifest more = toyManifest("toy");
  more.state.push_back({"w.exp_avg", {3}, DType::F32, {}});
  EXPECT_EQ(loadError(dir.file("ck"), more),
            dir.file("ck") +
                ": no tensor named 'w.exp_avg' (optimizer state of toy)");
  // Progress that does not add up.
  saveCheckpoint(dir.file("odd"), model, m, {2, 10, 0, 10, true, {}});
  EXPECT_EQ(loadError(dir.file("odd"), m),
            dir.file("odd") + ": its metadata does not add up (2 epochs of "
                              "10 steps, 10 steps)");
}

} // namespace
