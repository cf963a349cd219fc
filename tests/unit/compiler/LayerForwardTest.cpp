//===- LayerForwardTest.cpp - Loss and structure layers, end to end -------===//
//
// Builds small models with the frontend, compiles their eval entry with the
// CPU pipeline and checks the three results every model returns: the loss
// (PyTorch's mean over all positions), the per-sample losses and the
// compared scores or predictions. This covers what the layers emit around
// the ops: reductions, negative axes, reshape's inferred size and -1.
//
//===----------------------------------------------------------------------===//
#include "ForwardEval.h"
#include "ModelEval.h"

#include "dialects/kiln/IR/KilnConventions.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

using namespace kiln::testing;

namespace {
struct ModelResults {
  double loss = 0;
  std::vector<double> sampleLoss, compared;
};

/// Compiles the model section `model` (an input and a label, no
/// parameters) and evaluates it on `input` and `label`.
ModelResults evaluateModel(const std::string &model,
                           const std::vector<double> &input,
                           const std::vector<double> &label) {
  std::vector<std::vector<double>> results =
      kiln::testing::evaluateModel(model, {input, label});
  if (results.size() < 3)
    return {};
  return {results[0][0], results[1], results[2]};
}

/// Per-sample means of `values` [samples, rest...] and their mean.
std::pair<std::vector<double>, double> means(const std::vector<double> &values,
                                             int samples) {
  std::vector<double> perSample;
  size_t size = values.size() / samples;
  for (int s = 0; s < samples; ++s)
    perSample.push_back(std::accumulate(values.begin() + s * size,
                                        values.begin() + (s + 1) * size, 0.0) /
                        size);
  return {perSample,
          std::accumulate(perSample.begin(), perSample.end(), 0.0) / samples};
}

void expectLosses(const ModelResults &actual,
                  const std::vector<double> &perPosition, int samples) {
  auto [perSample, mean] = means(perPosition, samples);
  expectClose(actual.sampleLoss, perSample, "f32");
  EXPECT_NEAR(actual.loss, mean, 2e-6 * std::max(1.0, std::abs(mean)));
}

std::vector<double> ramp(int count, double scale, double offset) {
  std::vector<double> values;
  for (int i = 0; i < count; ++i)
    values.push_back(asElement({(i * 5 % 7) * scale + offset}, "f32")[0]);
  return values;
}

TEST(LayerForward, MeanSquaredErrorAgainstF32Targets) {
  std::vector<double> x = ramp(6, 0.5, -1), t = ramp(6, -0.25, 0.5);
  ModelResults r = evaluateModel("model m {\n  input x: f32[2, 3]\n"
                                 "  label t: f32[2, 3]\n"
                                 "  loss = mse(x, t)\n}",
                                 x, t);
  std::vector<double> squared;
  for (size_t i = 0; i < x.size(); ++i)
    squared.push_back((x[i] - t[i]) * (x[i] - t[i]));
  expectLosses(r, squared, 2);
  expectClose(r.compared, x, "f32");
}

TEST(LayerForward, BinaryCrossEntropyOverSeveralOutputsPerSample) {
  std::vector<double> x = ramp(8, 1.5, -4), t = ramp(8, 0.125, 0.1);
  ModelResults r = evaluateModel("model m {\n  input x: f32[2, 2, 2]\n"
                                 "  label t: f32[2, 2, 2]\n"
                                 "  loss = bce_with_logits(x, t)\n}",
                                 x, t);
  std::vector<double> losses;
  for (size_t i = 0; i < x.size(); ++i) {
    double p = 1 / (1 + std::exp(-x[i]));
    losses.push_back(-(t[i] * std::log(p) + (1 - t[i]) * std::log(1 - p)));
  }
  expectLosses(r, losses, 2);
}

TEST(LayerForward, PixelCrossEntropyAveragesOverPixels) {
  std::vector<double> x = ramp(2 * 3 * 4, 0.75, -2);
  std::vector<double> y = {0, 1, 2, 1, 2, 0, 0, 2};
  ModelResults r = evaluateModel(
      "model m {\n  input x: f32[2, 3, 2, 2]\n  label y: i32[2, 2, 2]\n"
      "  loss = pixel_cross_entropy(x, y, label_smoothing = 0.1)\n}",
      x, y);
  expectLosses(r, crossEntropyReference(x, y, 2, 3, 4, 0.1), 2);
  expectClose(r.compared, x, "f32");
}

TEST(LayerForward, NllOfLogSoftmaxIsCrossEntropy) {
  std::vector<double> x = ramp(4 * 5, 1.25, -3);
  std::vector<double> y = {4, 0, 2, 1};
  ModelResults r =
      evaluateModel("model m {\n  input x: f32[4, 5]\n  label y: i32[4]\n"
                    "  lp = log_softmax(x, axis = -1)\n  loss = nll(lp, y)\n}",
                    x, y);
  expectLosses(r, crossEntropyReference(x, y, 4, 5, 1, 0), 4);
}

TEST(LayerForward, StructureLayersRearrangeEachSample) {
  std::vector<double> x(12);
  std::iota(x.begin(), x.end(), 0);
  std::vector<double> t(16, 0.0);
  ModelResults r =
      evaluateModel("model m {\n  input x: f32[2, 6]\n  label t: f32[2, 2, 4]\n"
                    "  r = reshape(x, 3, -1)\n"     // [2, 3, 2]
                    "  p = transpose(r, 0, 2, 1)\n" // [2, 2, 3]
                    "  s = slice(p, -1, 1, 3)\n" // [2, 2, 2]: columns 1 and 2
                    "  c = concat(s, s, axis = -1)\n" // [2, 2, 4]
                    "  a = add(c, c)\n"
                    "  loss = mse(a, t)\n}",
                    x, t);
  std::vector<double> expected;
  for (int n = 0; n < 2; ++n)
    for (int i = 0; i < 2; ++i)
      for (int copy = 0; copy < 2; ++copy)
        for (int j = 1; j < 3; ++j) // p[n, i, j] = r[n, j, i] = x[n, 2j + i]
          expected.push_back(2 * x[n * 6 + 2 * j + i]);
  expectClose(r.compared, expected, "f32");
}
} // namespace
