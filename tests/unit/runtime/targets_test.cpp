//===- targets_test.cpp - Tests of foreground-mask labels -----------------===//
//
// Segmentation targets touch the whole data path: masks computed from raw
// pixels, batches of per-pixel labels, logits with positions after the
// classes, per-pixel accuracy and the startup checks that the model's label
// fits the masks. A hand-written "model" that thresholds its input runs
// through the real trainer, so its accuracy is known exactly.
//
//===----------------------------------------------------------------------===//
#include "kiln/batching.h"
#include "kiln/error.h"
#include "kiln/evaluate.h"
#include "kiln/idx.h"
#include "kiln/manifest.h"
#include "kiln/trainer.h"
#include "manifest_example.h"
#include "test_util.h"

#include <cmath>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace kiln;
using namespace kiln::test;
using nlohmann::json;

namespace {

constexpr int kB = 32, kPixels = 784;

/// A program with one input [32, 1, 28, 28], mask labels [32, 28, 28] and
/// two classes; data is normalised with mean 0.5, std 0.25, so a mask
/// computed after normalisation would differ from one computed before.
json maskManifest() {
  return json::parse(R"({"kiln_abi": 2, "model": "toy_mask",
 "input": {"name": "x", "shape": [32, 1, 28, 28], "dtype": "f32"},
 "label": {"name": "y", "shape": [32, 28, 28], "dtype": "i32", "classes": 2},
 "params": [],
 "entries": {
   "train_step": {"args": [{"role": "input", "name": "x"},
                           {"role": "label", "name": "y"}],
                  "results": [{"role": "loss", "shape": [], "dtype": "f32"}]},
   "eval": {"args": [{"role": "input", "name": "x"},
                     {"role": "label", "name": "y"}],
            "results": [{"role": "sample_loss", "shape": [32],
                         "dtype": "f32"},
                        {"role": "logits", "shape": [32, 2, 28, 28],
                         "dtype": "f32"}],
            "metrics": ["accuracy"]}},
 "train": {"epochs": 1, "seed": 0},
 "data": {"dataset": "fashion_mnist", "dir": "/nonexistent/kiln-data",
          "normalize": {"mean": 0.5, "std": 0.25},
          "targets": {"kind": "foreground_mask", "threshold": 0.5}}})");
}

/// What the toy eval predicts: the threshold of its input, or background
/// everywhere.
bool gPredictBackground = false;

void maskTrainStep(void **buffers) { static_cast<float *>(buffers[2])[0] = 0; }

/// Logits [32, 2, 784]: background 0, foreground the normalised pixel,
/// (pixel / 255 - 0.5) / 0.25, which is positive exactly on the mask.
void maskEvalStep(void **buffers) {
  const float *x = static_cast<const float *>(buffers[0]);
  float *sampleLoss = static_cast<float *>(buffers[2]);
  float *logits = static_cast<float *>(buffers[3]);
  for (int b = 0; b < kB; ++b) {
    sampleLoss[b] = 0.25f;
    for (int p = 0; p < kPixels; ++p) {
      logits[(b * 2 + 0) * kPixels + p] = 0;
      logits[(b * 2 + 1) * kPixels + p] =
          gPredictBackground ? -1.0f : x[b * kPixels + p];
    }
  }
}

TEST(ForegroundMask, ThresholdsRawPixelsStrictly) {
  const uint8_t pixels[] = {0, 51, 52, 127, 128, 255};
  int32_t mask[6];
  foregroundMask(pixels, 6, 0.5, mask);
  EXPECT_EQ(std::vector<int32_t>(mask, mask + 6),
            (std::vector<int32_t>{0, 0, 0, 0, 1, 1}));
  // 51 / 255 is 0.2: foreground means strictly above the threshold.
  foregroundMask(pixels, 6, 0.2, mask);
  EXPECT_EQ(std::vector<int32_t>(mask, mask + 6),
            (std::vector<int32_t>{0, 0, 1, 1, 1, 1}));
  foregroundMask(pixels, 6, 0.0, mask);
  EXPECT_EQ(std::vector<int32_t>(mask, mask + 6),
            (std::vector<int32_t>{0, 1, 1, 1, 1, 1}));
}

TEST(ForegroundMask, DatasetHasImageShapedMasksIndependentOfNormalization) {
  TempDir dir;
  // No label file: masks come from the images alone.
  writeBytes(dir.file("train-images-idx3-ubyte.gz"),
             idxBytes({2, 2, 3}, {0, 200, 140, 120, 255, 10, //
                                  129, 0, 0, 0, 0, 128}),
             true);
  Targets targets{Targets::Kind::ForegroundMask, 0.5};
  Dataset data =
      loadFashionMnist(dir.path(), Split::Train, {0.5, 0.25}, targets);
  ASSERT_EQ(data.size(), 2);
  EXPECT_EQ(data.features(), 6);
  EXPECT_EQ(data.labels.shape(), (std::vector<int64_t>{2, 2, 3}));
  EXPECT_EQ(data.labelsPerSample(), 6);
  EXPECT_EQ(std::vector<int32_t>(data.labels.i32(), data.labels.i32() + 12),
            (std::vector<int32_t>{0, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1}));
  EXPECT_EQ(data.images.u8()[1], 200);

  // gatherBatch copies whole masks along with the images.
  int64_t indices[] = {1, 0};
  float input[12];
  int32_t labels[12];
  gatherBatch(data, indices, 2, DType::F32, input, labels);
  EXPECT_EQ(std::vector<int32_t>(labels, labels + 12),
            (std::vector<int32_t>{1, 0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0}));
  EXPECT_FLOAT_EQ(input[0], (129 / 255.0 - 0.5) / 0.25);
}

TEST(Accuracy, ClassLabelsArePositionsOne) {
  // 3 rows x 3 classes; row 1 ties between classes 0 and 2 (first wins),
  // row 2 is NaN (predicts class 0).
  const float logits[] = {0, 5, 1, 2, 1, 2, NAN, NAN, NAN};
  const int32_t labels[] = {1, 0, 2};
  EXPECT_EQ(countCorrect(logits, labels, 3, 3, 1), 2);
  EXPECT_EQ(countCorrect(logits, labels, 2, 3, 1), 2);
}

TEST(Accuracy, CountsEveryPosition) {
  // 2 samples, 2 classes, 3 positions: logits [2, 2, 3], labels [2, 3].
  const float logits[] = {0, 1, 5,   // sample 0, class 0
                          1, 0, 5,   // sample 0, class 1 (tie at p2: class 0)
                          3, 3, 3,   // sample 1, class 0
                          4, 2, 9};  // sample 1, class 1
  const int32_t labels[] = {1, 0, 0, //
                            1, 1, 1};
  // Sample 0: argmax 1, 0, 0 -> 3 right; sample 1: 1, 0, 1 -> 2 right.
  EXPECT_EQ(countCorrect(logits, labels, 2, 2, 3), 5);
  EXPECT_EQ(countCorrect(logits, labels, 1, 2, 3), 3);
}

TEST(MaskManifest, ParsesTargets) {
  Manifest m = parseManifest(maskManifest().dump());
  EXPECT_EQ(m.targets.kind, Targets::Kind::ForegroundMask);
  EXPECT_DOUBLE_EQ(m.targets.threshold, 0.5);
  EXPECT_EQ(m.entry(Entry::Eval).results[1].shape,
            (std::vector<int64_t>{32, 2, 28, 28}));

  json classes = maskManifest();
  classes["data"].erase("targets");
  classes["label"]["shape"] = {32};
  classes["label"]["classes"] = 10;
  classes["entries"]["eval"]["results"][1]["shape"] = {32, 10};
  m = parseManifest(classes.dump());
  EXPECT_EQ(m.targets.kind, Targets::Kind::Classes);
  EXPECT_EQ(m.classes, 10);
}

TEST(MaskManifest, LabelMustFitTheTargets) {
  json j = maskManifest();
  j["label"]["shape"] = {32};
  EXPECT_EQ(manifestError(j),
            "the model's label 'y' is i32[32] but foreground_mask targets "
            "need i32[32, H, W] with H * W = 784, one class index per pixel "
            "of the input 'x' [32, 1, 28, 28]");
  j["label"]["shape"] = {32, 28, 27};
  EXPECT_NE(manifestError(j).find("with H * W = 784"), std::string::npos);

  j = maskManifest();
  j["data"].erase("targets");
  EXPECT_EQ(manifestError(j),
            "the model's label 'y' is i32[32, 28, 28] but the data gives one "
            "class index per sample, i32[32] (for per-pixel labels set "
            "`targets = foreground_mask(threshold = T)` in the data section)");

  j = maskManifest();
  j["label"]["classes"] = 1;
  EXPECT_EQ(manifestError(j), "foreground_mask targets are 0 or 1, but the "
                              "model's logits have only 1 class");
}

TEST(MaskManifest, MalformedTargets) {
  json j = maskManifest();
  j["data"]["targets"]["kind"] = "edges";
  EXPECT_EQ(manifestError(j),
            "malformed manifest: data.targets.kind: unknown targets kind "
            "'edges' (expected classes or foreground_mask)");
  j["data"]["targets"] = {{"kind", "foreground_mask"}};
  EXPECT_EQ(manifestError(j), "malformed manifest: data.targets: missing key "
                              "'threshold'");
}

class MaskTraining : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    data_ = new TempDir;
    // 100 test samples: the last batch of 32 has 4 valid rows.
    writeSyntheticFashionMnist(data_->path(), 64, 100);
  }
  static void TearDownTestSuite() { delete data_; }

  /// Runs the toy mask program; returns the exit code and fills err.
  int run(const json &manifest, const std::string &log) {
    std::string text = manifest.dump();
    std::vector<std::string> args = {"/bin/toy_mask", "--data", data_->path(),
                                     "--log", log};
    std::vector<char *> argv;
    for (std::string &a : args)
      argv.push_back(a.data());
    Program program;
    program.manifest = text.c_str();
    program.define(Entry::TrainStep, maskTrainStep)
        .define(Entry::Eval, maskEvalStep);
    testing::internal::CaptureStdout();
    testing::internal::CaptureStderr();
    int code =
        runTrainingMain(program, static_cast<int>(argv.size()), argv.data());
    testing::internal::GetCapturedStdout();
    err_ = testing::internal::GetCapturedStderr();
    return code;
  }
  double testAccuracy(const std::string &log) {
    std::ifstream in(log);
    std::string line;
    std::getline(in, line);
    return json::parse(line).at("test_accuracy").get<double>();
  }

  static TempDir *data_;
  TempDir out_;
  std::string err_;
};
TempDir *MaskTraining::data_ = nullptr;

TEST_F(MaskTraining, AccuracyIsPerPixel) {
  std::string log = out_.file("log.jsonl");
  gPredictBackground = false;
  ASSERT_EQ(run(maskManifest(), log), 0) << err_;
  EXPECT_DOUBLE_EQ(testAccuracy(log), 1.0);

  // All background is right exactly on the background pixels.
  IdxArray images = readIdx(data_->file("t10k-images-idx3-ubyte.gz"));
  int64_t background = 0;
  for (uint8_t v : images.data)
    background += v / 255.0 <= 0.5;
  gPredictBackground = true;
  ASSERT_EQ(run(maskManifest(), log), 0) << err_;
  gPredictBackground = false;
  EXPECT_DOUBLE_EQ(testAccuracy(log),
                   static_cast<double>(background) / (100.0 * kPixels));
}

TEST_F(MaskTraining, MaskMustHaveTheImagesHeightAndWidth) {
  json j = maskManifest();
  j["label"]["shape"] = {32, 16, 49}; // 784 pixels, but not 28 x 28
  j["entries"]["eval"]["results"][1]["shape"] = {32, 2, 16, 49};
  EXPECT_EQ(run(j, out_.file("log.jsonl")), 1);
  EXPECT_EQ(err_, "kiln: error: the model's label 'y' is i32[32, 16, 49] but "
                  "the foreground masks of the images in '" +
                      data_->path() + "' are [28, 28] per sample\n");
}

} // namespace
