//===- trainer_test.cpp - runTrainingMain with a hand-written program -----===//
//
// The toy program (toy_program.h) stands in for compiled code. It runs
// through the real trainer on a small synthetic dataset, which tests the
// whole driver: flags, data, signature-driven binding, buffer ping-pong,
// buffers and the rng seed, logging, evaluation, saving and error exits.
//
//===----------------------------------------------------------------------===//
#include "kiln/random.h"
#include "kiln/safetensors.h"
#include "kiln/trainer.h"
#include "trainer_fixture.h"

#include <cmath>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <set>

using namespace kiln;
using namespace kiln::test;

namespace {

TEST_F(Trainer, TrainsLogsAndSaves) {
  std::string log = out_.file("log.jsonl"), save = out_.file("p.safetensors");
  Result r = run({"--data", data_->path(), "--log", log, "--save=" + save});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(gTrace.buffersOk);
  EXPECT_EQ(gTrace.steps, 3 * 8); // 256 / 32 full batches per epoch.

  std::vector<nlohmann::json> lines = readLog(log);
  ASSERT_EQ(lines.size(), 3u);
  for (size_t i = 0; i < lines.size(); ++i) {
    for (const char *key : {"epoch", "train_loss", "test_loss", "test_accuracy",
                            "seconds", "samples_per_second"})
      EXPECT_TRUE(lines[i].contains(key)) << key;
    EXPECT_EQ(lines[i]["epoch"], i + 1);
    EXPECT_EQ(lines[i]["type"], "epoch");
    EXPECT_GE(lines[i]["test_accuracy"].get<double>(), 0.0);
    EXPECT_LE(lines[i]["test_accuracy"].get<double>(), 1.0);
  }
  EXPECT_LT(lines[2]["train_loss"].get<double>(),
            0.5 * lines[0]["train_loss"].get<double>());
  EXPECT_GT(lines[2]["test_accuracy"].get<double>(), 0.9);
  EXPECT_NE(r.out.find("epoch 1/3  train_loss "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("epoch 3/3  "), std::string::npos);
  EXPECT_NE(r.out.find("samples/s\n"), std::string::npos);
  EXPECT_EQ(r.err.find('\r'), std::string::npos); // No TTY, no progress line.

  SafetensorsFile saved = readSafetensors(save);
  ASSERT_EQ(saved.tensors.size(), 3u); // Parameters and buffers, not state.
  EXPECT_EQ(saved.tensors[0].name, "fc.weight");
  EXPECT_EQ(saved.tensors[0].tensor.shape(), (std::vector<int64_t>{10, 784}));
  EXPECT_EQ(saved.tensors[1].name, "fc.bias");
  EXPECT_EQ(saved.tensors[2].name, "fc.count");
  EXPECT_EQ(saved.tensors[2].tensor.f32()[0], 7 + 24);
  EXPECT_EQ(saved.metadata.at("kiln_model"), "toy_softmax");
  EXPECT_EQ(saved.metadata.at("kiln_steps"), "24");
  EXPECT_FALSE(fileExists(save + ".tmp"));
}

TEST_F(Trainer, SameSeedSavesIdenticalBytes) {
  std::string a = out_.file("a"), b = out_.file("b"), c = out_.file("c");
  ASSERT_EQ(run({"--data", data_->path(), "--epochs", "2", "--seed", "7",
                 "--save", a})
                .code,
            0);
  ASSERT_EQ(run({"--data", data_->path(), "--epochs", "2", "--seed", "7",
                 "--save", b})
                .code,
            0);
  ASSERT_EQ(run({"--data", data_->path(), "--epochs", "2", "--seed", "8",
                 "--save", c})
                .code,
            0);
  EXPECT_EQ(readFile(a), readFile(b));
  EXPECT_NE(readFile(a), readFile(c));
}

TEST_F(Trainer, MaxStepsStopsThenEvaluatesAndSaves) {
  std::string log = out_.file("log"), save = out_.file("s");
  Result r = run({"--data", data_->path(), "--max-steps", "5", "--log", log,
                  "--save", save});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(gTrace.steps, 5);
  EXPECT_EQ(readLog(log).size(), 1u);
  EXPECT_EQ(readSafetensors(save).metadata.at("kiln_steps"), "5");

  r = run({"--data", data_->path(), "--max-steps=8", "--log", log});
  EXPECT_EQ(gTrace.steps, 8); // Exactly one epoch: no second, empty epoch.
  EXPECT_EQ(readLog(log).size(), 1u);
}

TEST_F(Trainer, InitFromSavedParameters) {
  std::string save = out_.file("s"), log = out_.file("log");
  ASSERT_EQ(run({"--data", data_->path(), "--save", save}).code, 0);
  Result r = run({"--data", data_->path(), "--init", save, "--max-steps", "1",
                  "--log", log});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_GT(readLog(log)[0]["test_accuracy"].get<double>(), 0.9);

  Tensor wrong(DType::F32, {3});
  writeSafetensors(save, {{"fc.weight", &wrong}});
  r = run({"--data", data_->path(), "--init", save});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("kiln: error: " + save +
                       ": tensor 'fc.weight' is "
                       "f32[3] but the model expects f32[10, 784]"),
            std::string::npos)
      << r.err;
}

TEST_F(Trainer, BufferIsSwappedSavedAndReloaded) {
  std::string save = out_.file("s"), again = out_.file("again");
  ASSERT_EQ(
      run({"--data", data_->path(), "--max-steps", "5", "--save", save}).code,
      0);
  EXPECT_TRUE(gTrace.buffersOk);
  // Each step read what the previous one wrote: the buffer was swapped, and
  // the evaluation's write (-1000) went to scratch.
  EXPECT_EQ(gTrace.counts, (std::vector<float>{7, 8, 9, 10, 11}));
  EXPECT_EQ(savedCount(save), 12);

  Result r = run({"--data", data_->path(), "--init", save, "--max-steps", "2",
                  "--save", again});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(gTrace.counts, (std::vector<float>{12, 13}));
  EXPECT_EQ(savedCount(again), 14);

  // A file without the buffer (say, parameters exported from PyTorch)
  // leaves it at its initial value.
  SafetensorsFile file = readSafetensors(save);
  writeSafetensors(save, {{"fc.weight", file.find("fc.weight")},
                          {"fc.bias", file.find("fc.bias")}});
  r = run({"--data", data_->path(), "--init", save, "--max-steps", "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(gTrace.counts, (std::vector<float>{7}));

  // A missing parameter is an error.
  writeSafetensors(save, {{"fc.weight", file.find("fc.weight")},
                          {"fc.count", file.find("fc.count")}});
  r = run({"--data", data_->path(), "--init", save});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "kiln: error: " + save +
                       ": no tensor named 'fc.bias' (a parameter of "
                       "toy_softmax)\n");
  EXPECT_EQ(gTrace.steps, 0);
}

TEST_F(Trainer, RngSeedDiffersPerStepAndIsZeroInEval) {
  ASSERT_EQ(run({"--data", data_->path(), "--epochs", "2", "--seed", "5"}).code,
            0);
  ASSERT_EQ(gTrace.trainSeeds.size(), 16u);
  // Numbered over the whole run, so the second epoch does not repeat the
  // first one's seeds.
  for (size_t i = 0; i < gTrace.trainSeeds.size(); ++i)
    EXPECT_EQ(gTrace.trainSeeds[i],
              static_cast<int64_t>(deriveSeed(5, kStepStream, i)));
  EXPECT_EQ(
      std::set<int64_t>(gTrace.trainSeeds.begin(), gTrace.trainSeeds.end())
          .size(),
      gTrace.trainSeeds.size());
  EXPECT_EQ(gTrace.evalSeeds, std::set<int64_t>{0});

  std::vector<int64_t> seed5 = gTrace.trainSeeds;
  ASSERT_EQ(run({"--data", data_->path(), "--epochs", "1", "--seed", "6"}).code,
            0);
  EXPECT_NE(gTrace.trainSeeds[0], seed5[0]);
}

TEST_F(Trainer, RejectsAManifestWithoutEntries) {
  nlohmann::json j = nlohmann::json::parse(kToyManifest);
  j.erase("entries");
  std::string manifest = j.dump();
  Result r = run({"--data", data_->path()}, trainStep, manifest.c_str());
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "kiln: error: malformed manifest: top level: missing key "
                   "'entries'\n");
  EXPECT_EQ(gTrace.steps, 0);
}

TEST_F(Trainer, BindsTheEntriesTheManifestLists) {
  // A program from another build: its manifest lists predict too.
  nlohmann::json j = nlohmann::json::parse(kToyManifest);
  j["entries"]["predict"] = {{"args", j["entries"]["eval"]["args"]},
                             {"results", {j["entries"]["eval"]["results"][2]}}};
  j["entries"]["predict"]["args"].erase(2); // the label
  std::string manifest = j.dump();
  Result r = run({"--data", data_->path()}, trainStep, manifest.c_str());
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "kiln: error: the manifest of toy_softmax lists entry "
                   "point 'predict' but the program does not define it\n");
  // A train step is what a training binary needs.
  j = nlohmann::json::parse(kToyManifest);
  j["entries"].erase("train_step");
  manifest = j.dump();
  r = run({"--data", data_->path()}, nullptr, manifest.c_str());
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "kiln: error: the program toy_softmax has no entry point "
                   "'train_step'\n");
  EXPECT_EQ(gTrace.steps, 0);
}

TEST_F(Trainer, MissingDataFolder) {
  Result r = run({});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "kiln: error: data folder '/nonexistent/kiln-data' does "
                   "not exist (pass --data DIR)\n");
  r = run({"--data", out_.file("nope")});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("data folder '" + out_.file("nope") + "'"),
            std::string::npos);
}

TEST_F(Trainer, DivergenceExitsWithoutSaving) {
  std::string save = out_.file("s");
  Result r = run({"--data", data_->path(), "--save", save}, nanStep);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "kiln: error: training diverged: loss is nan at epoch 1, "
                   "step 1\n");
  EXPECT_FALSE(fileExists(save));
}

TEST_F(Trainer, UsageErrorsExitWithTwo) {
  Result r = run({"--epochs", "x"});
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "kiln: error: --epochs: expected a positive integer, got "
                   "'x'\nrun 'toy_softmax --help' for usage\n");
  EXPECT_EQ(run({"--bogus"}).code, 2);
}

TEST_F(Trainer, Help) {
  Result r = run({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("usage: toy_softmax [flags]"), std::string::npos);
  EXPECT_NE(r.out.find("'toy_softmax'"), std::string::npos);
  EXPECT_NE(r.out.find("--max-steps N"), std::string::npos);
  for (const char *flag :
       {"--no-shuffle", "--log-every N", "--val-split F", "--early-stop P"})
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag;
}

} // namespace
