//===- trainer_test.cpp - runTrainingMain with a hand-written program -----===//
//
// A softmax regression with SGD + momentum, written by hand against the
// packed ABI, stands in for compiled code. It runs through the real trainer
// on a small synthetic dataset, which tests the whole driver: flags, data,
// buffer ping-pong, logging, evaluation, saving and error exits.
//
//===----------------------------------------------------------------------===//
#include "kiln/abi.h"
#include "kiln/safetensors.h"
#include "kiln/trainer.h"
#include "test_util.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace kiln;
using namespace kiln::test;

namespace {

constexpr int kB = 32, kF = 784, kC = 10;

const char *const kManifest = R"({"kiln_abi": 1, "model": "toy_softmax",
 "source": "tests/toy.kiln",
 "input": {"name": "x", "shape": [32, 784], "dtype": "f32"},
 "label": {"name": "y", "shape": [32], "dtype": "i32", "classes": 10},
 "params": [
   {"name": "fc.weight", "shape": [10, 784],
    "init": {"kind": "uniform", "low": -0.0357, "high": 0.0357}},
   {"name": "fc.bias", "shape": [10], "init": {"kind": "zeros"}}],
 "state": [
   {"name": "fc.weight.momentum_buffer", "shape": [10, 784], "init": {"kind": "zeros"}},
   {"name": "fc.bias.momentum_buffer", "shape": [10], "init": {"kind": "zeros"}}],
 "train": {"epochs": 3, "seed": 0},
 "data": {"dataset": "fashion_mnist", "dir": "/nonexistent/kiln-data",
          "normalize": {"mean": 0.286, "std": 0.353}}})";

// Checks the trainer's buffer handling from inside the "compiled" code.
int gSteps = 0;
bool gBuffersOk = true;
void *gLastNewWeight = nullptr;

/// logits = x W^T + b, then per-row softmax cross-entropy. Returns the mean
/// loss and leaves probabilities in `probs`.
double forward(const float *x, const int32_t *y, const float *w, const float *b,
               float *logits, float *probs, float *sampleLoss) {
  kiln_rt_matmul(x, w, logits, kB, kC, kF, 0, 1);
  double total = 0;
  for (int i = 0; i < kB; ++i) {
    float *row = logits + i * kC;
    float max = -INFINITY;
    for (int c = 0; c < kC; ++c)
      max = std::fmax(max, row[c] += b[c]);
    double sum = 0;
    for (int c = 0; c < kC; ++c)
      sum += std::exp(double(row[c]) - max);
    for (int c = 0; c < kC; ++c)
      probs[i * kC + c] = static_cast<float>(std::exp(row[c] - max) / sum);
    double l = std::log(sum) + max - row[y[i]];
    if (sampleLoss)
      sampleLoss[i] = static_cast<float>(l);
    total += l;
  }
  return total / kB;
}

void trainStep(void **buf) {
  auto f = [&](int i) { return static_cast<float *>(buf[i]); };
  const int32_t *y = static_cast<const int32_t *>(buf[1]);
  for (int i = 0; i < 11; ++i)
    gBuffersOk &= reinterpret_cast<uintptr_t>(buf[i]) % 64 == 0;
  for (int in = 2; in < 6; ++in)
    for (int out = 6; out < 11; ++out)
      gBuffersOk &= buf[in] != buf[out];
  if (gSteps > 0)
    gBuffersOk &= buf[2] == gLastNewWeight; // Ping-pong, not copies.
  gLastNewWeight = buf[7];
  ++gSteps;

  alignas(64) static float logits[kB * kC], probs[kB * kC], grad[kC * kF];
  f(6)[0] =
      static_cast<float>(forward(f(0), y, f(2), f(3), logits, probs, nullptr));
  for (int i = 0; i < kB; ++i) // d loss / d logits, averaged over the batch.
    for (int c = 0; c < kC; ++c)
      probs[i * kC + c] = (probs[i * kC + c] - (c == y[i])) / kB;
  kiln_rt_matmul(probs, f(0), grad, kC, kF, kB, 1, 0);
  const float lr = 0.05f, momentum = 0.9f;
  for (int j = 0; j < kC * kF; ++j) {
    f(9)[j] = momentum * f(4)[j] + grad[j];
    f(7)[j] = f(2)[j] - lr * f(9)[j];
  }
  for (int c = 0; c < kC; ++c) {
    float g = 0;
    for (int i = 0; i < kB; ++i)
      g += probs[i * kC + c];
    f(10)[c] = momentum * f(5)[c] + g;
    f(8)[c] = f(3)[c] - lr * f(10)[c];
  }
}

void evalStep(void **buf) {
  alignas(64) static float probs[kB * kC];
  auto f = [&](int i) { return static_cast<float *>(buf[i]); };
  f(4)[0] = static_cast<float>(forward(f(0), static_cast<int32_t *>(buf[1]),
                                       f(2), f(3), f(6), probs, f(5)));
}

void nanStep(void **buf) { static_cast<float *>(buf[6])[0] = NAN; }

struct Result {
  int code;
  std::string out, err;
};

Result run(std::vector<std::string> args, ProgramFn step = trainStep) {
  args.insert(args.begin(), "/bin/toy_softmax");
  std::vector<char *> argv;
  for (std::string &a : args)
    argv.push_back(a.data());
  Program program{kManifest, step, evalStep};
  gSteps = 0;
  gBuffersOk = true;
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  int code =
      runTrainingMain(program, static_cast<int>(argv.size()), argv.data());
  std::string out = testing::internal::GetCapturedStdout();
  std::string err = testing::internal::GetCapturedStderr();
  return {code, out, err};
}

std::vector<nlohmann::json> readLog(const std::string &path) {
  std::vector<nlohmann::json> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    lines.push_back(nlohmann::json::parse(line));
  return lines;
}

class Trainer : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    data_ = new TempDir;
    writeSyntheticFashionMnist(data_->path(), 256, 100);
  }
  static void TearDownTestSuite() { delete data_; }
  static TempDir *data_;
  TempDir out_;
};
TempDir *Trainer::data_ = nullptr;

TEST_F(Trainer, TrainsLogsAndSaves) {
  std::string log = out_.file("log.jsonl"), save = out_.file("p.safetensors");
  Result r = run({"--data", data_->path(), "--log", log, "--save=" + save});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(gBuffersOk);
  EXPECT_EQ(gSteps, 3 * 8); // 256 / 32 full batches per epoch.

  std::vector<nlohmann::json> lines = readLog(log);
  ASSERT_EQ(lines.size(), 3u);
  for (size_t i = 0; i < lines.size(); ++i) {
    for (const char *key : {"epoch", "train_loss", "test_loss", "test_accuracy",
                            "seconds", "samples_per_second"})
      EXPECT_TRUE(lines[i].contains(key)) << key;
    EXPECT_EQ(lines[i]["epoch"], i + 1);
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
  ASSERT_EQ(saved.tensors.size(), 2u); // Parameters only, not state.
  EXPECT_EQ(saved.tensors[0].name, "fc.weight");
  EXPECT_EQ(saved.tensors[0].tensor.shape(), (std::vector<int64_t>{10, 784}));
  EXPECT_EQ(saved.tensors[1].name, "fc.bias");
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
  EXPECT_EQ(gSteps, 5);
  EXPECT_EQ(readLog(log).size(), 1u);
  EXPECT_EQ(readSafetensors(save).metadata.at("kiln_steps"), "5");

  r = run({"--data", data_->path(), "--max-steps=8", "--log", log});
  EXPECT_EQ(gSteps, 8); // Exactly one epoch: no second, empty epoch.
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
}

TEST_F(Trainer, SaveIntoMissingFolderFailsBeforeTraining) {
  Result r = run({"--data", data_->path(), "--save", out_.file("no/p")});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(gSteps, 0);
  EXPECT_NE(r.err.find("folder '" + out_.file("no") + "' does not exist"),
            std::string::npos);
}

} // namespace
