//===- trainer_epochs_test.cpp - The trainer's epoch loop options ---------===//
//
// Through the toy program (trainer_fixture.h): shuffling, step records in
// the log, the validation split, early stopping with the best epoch's
// weights, and a save path checked before training starts.
//
//===----------------------------------------------------------------------===//
#include "kiln/safetensors.h"
#include "trainer_fixture.h"

using namespace kiln;
using namespace kiln::test;

namespace {

TEST_F(Trainer, NoShuffleTrainsInFileOrder) {
  ASSERT_EQ(run({"--data", data_->path(), "--epochs", "2", "--seed", "1"}).code,
            0);
  std::vector<int32_t> shuffled = gTrace.firstLabels;
  ASSERT_EQ(shuffled.size(), 16u);
  // Shuffled epochs start their batches differently (with 10 classes, 8
  // equal first labels in a row by chance is unlikely).
  EXPECT_NE(std::vector<int32_t>(shuffled.begin(), shuffled.begin() + 8),
            std::vector<int32_t>(shuffled.begin() + 8, shuffled.end()));

  run({"--data", data_->path(), "--epochs=2", "--seed=1", "--no-shuffle"});
  std::vector<int32_t> inOrder = gTrace.firstLabels;
  ASSERT_EQ(inOrder.size(), 16u);
  EXPECT_EQ(std::vector<int32_t>(inOrder.begin(), inOrder.begin() + 8),
            std::vector<int32_t>(inOrder.begin() + 8, inOrder.end()));
  // The order does not depend on the seed either.
  run({"--data", data_->path(), "--epochs=2", "--seed=2", "--no-shuffle"});
  EXPECT_EQ(gTrace.firstLabels, inOrder);
}

TEST_F(Trainer, LogEveryWritesStepRecords) {
  std::string log = out_.file("log");
  Result r = run({"--data", data_->path(), "--epochs", "2", "--log-every", "3",
                  "--log", log});
  ASSERT_EQ(r.code, 0) << r.err;
  std::vector<nlohmann::json> lines = readLog(log);
  // 16 steps: step records at 3, 6 | 9, 12, 15, each epoch's record after
  // its steps.
  std::vector<std::string> types;
  std::vector<int> steps, epochs;
  for (const nlohmann::json &line : lines) {
    types.push_back(line["type"]);
    if (line["type"] == "step") {
      steps.push_back(line["step"]);
      epochs.push_back(line["epoch"]);
      EXPECT_EQ(line.size(), 4u) << line.dump(); // type, step, epoch, loss.
      EXPECT_GT(line["loss"].get<double>(), 0.0);
    }
  }
  EXPECT_EQ(types, (std::vector<std::string>{"step", "step", "epoch", "step",
                                             "step", "step", "epoch"}));
  EXPECT_EQ(steps, (std::vector<int>{3, 6, 9, 12, 15}));
  EXPECT_EQ(epochs, (std::vector<int>{1, 1, 2, 2, 2}));
  EXPECT_EQ(lines[6]["epoch"], 2);
  EXPECT_TRUE(lines[6].contains("train_loss"));
  EXPECT_FALSE(lines[6].contains("val_loss")); // No --val-split.
}

TEST_F(Trainer, ValSplitEvaluatesTheHeldOutTail) {
  std::string log = out_.file("log");
  Result r = run({"--data", data_->path(), "--epochs", "2", "--val-split",
                  "0.25", "--log", log});
  ASSERT_EQ(r.code, 0) << r.err;
  // 256 - 64 held out = 192 training samples, 6 full batches per epoch.
  EXPECT_EQ(gTrace.steps, 2 * 6);
  std::vector<nlohmann::json> lines = readLog(log);
  ASSERT_EQ(lines.size(), 2u);
  for (const nlohmann::json &line : lines) {
    EXPECT_EQ(line["type"], "epoch");
    EXPECT_GE(line["val_accuracy"].get<double>(), 0.0);
    EXPECT_LE(line["val_accuracy"].get<double>(), 1.0);
    EXPECT_GT(line["val_loss"].get<double>(), 0.0);
  }
  EXPECT_LT(lines[1]["val_loss"].get<double>(),
            lines[0]["val_loss"].get<double>());
  EXPECT_NE(r.out.find("  val_accuracy "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("%  val_loss "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("samples/s\n"), std::string::npos) << r.out;

  // 10% of 256 is 25 samples, less than one batch of 32.
  r = run({"--data", data_->path(), "--val-split", "0.1"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "kiln: error: the validation set (--val-split 0.1) has 25 "
                   "of the 256 training samples, fewer than one batch of 32; "
                   "raise --val-split\n");
  EXPECT_EQ(gTrace.steps, 0);
}

TEST_F(Trainer, EarlyStopKeepsAndSavesTheBestEpoch) {
  std::string log = out_.file("log"), save = out_.file("best");
  Result r = run({"--data", data_->path(), "--epochs", "10", "--val-split",
                  "0.25", "--early-stop", "2", "--log", log, "--save", save},
                 worseningStep);
  ASSERT_EQ(r.code, 0) << r.err;
  // Epoch 1 (kLearningSteps steps) is best; epochs 2 and 3 do not improve.
  std::vector<nlohmann::json> lines = readLog(log);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_LT(lines[0]["val_loss"].get<double>(),
            lines[1]["val_loss"].get<double>());
  EXPECT_EQ(gTrace.steps, 3 * kLearningSteps);
  EXPECT_NE(r.err.find("kiln: early stopping after epoch 3: val_loss has not "
                       "improved for 2 epochs\n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("kiln: saved the parameters of epoch 1 to " + save),
            std::string::npos)
      << r.err;
  // The saved buffer is epoch 1's (7 + 6), not the last one's.
  EXPECT_EQ(savedCount(save), 7 + kLearningSteps);
  EXPECT_EQ(readSafetensors(save).metadata.at("kiln_steps"),
            std::to_string(kLearningSteps));
  EXPECT_FALSE(fileExists(save + ".tmp"));

  // Without --save the run still stops and reports the best epoch.
  r = run({"--data", data_->path(), "--epochs", "10", "--val-split=0.25",
           "--early-stop=1"},
          worseningStep);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(gTrace.steps, 2 * kLearningSteps);
  EXPECT_NE(r.err.find(" at epoch 1\n"), std::string::npos) << r.err;

  r = run({"--data", data_->path(), "--early-stop", "2"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--early-stop needs a validation set"),
            std::string::npos);
}

TEST_F(Trainer, SaveIntoMissingFolderFailsBeforeTraining) {
  Result r = run({"--data", data_->path(), "--save", out_.file("no/p")});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(gTrace.steps, 0);
  EXPECT_NE(r.err.find("folder '" + out_.file("no") + "' does not exist"),
            std::string::npos);
}

} // namespace
