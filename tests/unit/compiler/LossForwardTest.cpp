//===- LossForwardTest.cpp - Loss ops against naive references ------------===//
//
// Per-position losses of the loss ops in f32 and f64: cross-entropy with and
// without label smoothing over [N, C] and [N, C, H, W] scores, binary
// cross-entropy with logits far into both tails, and NLL. References follow
// the textbook definitions (log of the softmax, log of the sigmoid), not the
// stable forms the lowering uses.
//
//===----------------------------------------------------------------------===//
#include "ForwardEval.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace kiln::testing;

namespace {
/// Scores [N, C, P] (P positions per sample) with values that include
/// offsets of +-200, where exp() of an unshifted score overflows in f32.
std::vector<double> scores(int n, int c, int p) {
  std::vector<double> values;
  for (int i = 0; i < n * c * p; ++i)
    values.push_back((i * 7 % 13) * 0.4 - 2.5 + (i % 9 == 4 ? 200 : 0));
  return values;
}

/// Labels [N, P] cycling through the classes.
std::vector<double> labels(int n, int c, int p) {
  std::vector<double> values;
  for (int i = 0; i < n * p; ++i)
    values.push_back((i * 2 + 1) % c);
  return values;
}

class LossForward : public ::testing::TestWithParam<std::string> {};

TEST_P(LossForward, CrossEntropyPerSample) {
  const std::string &element = GetParam();
  std::vector<double> x = asElement(scores(4, 5, 1), element);
  std::vector<double> y = labels(4, 5, 1);
  for (double eps : {0.0, 0.25}) {
    SCOPED_TRACE("label_smoothing " + std::to_string(eps));
    Computation c{"%x: tensor<4x5xELT>, %y: tensor<4xi32>",
                  "%out = kiln.softmax_cross_entropy %x, %y "
                  "{label_smoothing = " +
                      std::to_string(eps) +
                      "} : tensor<4x5xELT>, tensor<4xi32> -> tensor<4xELT>",
                  "tensor<4xELT>"};
    expectClose(evaluate(c, element, {x, y}),
                crossEntropyReference(x, y, 4, 5, 1, eps), element);
  }
}

TEST_P(LossForward, CrossEntropyPerPixel) {
  const std::string &element = GetParam();
  std::vector<double> x = asElement(scores(2, 3, 6), element);
  std::vector<double> y = labels(2, 3, 6);
  Computation c{"%x: tensor<2x3x2x3xELT>, %y: tensor<2x2x3xi32>",
                "%out = kiln.softmax_cross_entropy %x, %y "
                "{label_smoothing = 0.1} : tensor<2x3x2x3xELT>, "
                "tensor<2x2x3xi32> -> tensor<2x2x3xELT>",
                "tensor<2x2x3xELT>"};
  expectClose(evaluate(c, element, {x, y}),
              crossEntropyReference(x, y, 2, 3, 6, 0.1), element);
}

TEST_P(LossForward, BinaryCrossEntropyWithLogits) {
  const std::string &element = GetParam();
  // The tails (|x| = 50, 100) are where log(sigmoid) computed naively in the
  // compiled precision would give log(0) or log(1 - 1).
  std::vector<double> x =
      asElement({-100, -50, -3, -0.5, 0, 0.25, 2, 50, 100, 7}, element);
  std::vector<double> t =
      asElement({1, 0, 0.25, 1, 0.5, 0, 0.75, 1, 0, 0.3}, element);
  std::vector<double> expected;
  for (size_t i = 0; i < x.size(); ++i) {
    // log sigmoid(x) = -log1p(exp(-x)), exact in double for these values.
    double logP = -std::log1p(std::exp(-x[i]));
    double logNotP = -std::log1p(std::exp(x[i]));
    expected.push_back(-(t[i] * logP + (1 - t[i]) * logNotP));
  }
  Computation c{"%x: tensor<2x5xELT>, %t: tensor<2x5xELT>",
                "%out = kiln.bce_with_logits %x, %t : tensor<2x5xELT>",
                "tensor<2x5xELT>"};
  expectClose(evaluate(c, element, {x, t}), expected, element);
}

TEST_P(LossForward, NegativeLogLikelihood) {
  const std::string &element = GetParam();
  std::vector<double> x = asElement(scores(2, 4, 3), element);
  std::vector<double> y = labels(2, 4, 3);
  std::vector<double> expected;
  for (int s = 0; s < 2; ++s)
    for (int q = 0; q < 3; ++q)
      expected.push_back(-x[(s * 4 + static_cast<int>(y[s * 3 + q])) * 3 + q]);
  Computation c{"%x: tensor<2x4x3xELT>, %y: tensor<2x3xi32>",
                "%out = kiln.nll %x, %y : tensor<2x4x3xELT>, tensor<2x3xi32> "
                "-> tensor<2x3xELT>",
                "tensor<2x3xELT>"};
  expectClose(evaluate(c, element, {x, y}), expected, element);
}

INSTANTIATE_TEST_SUITE_P(Types, LossForward, ::testing::Values("f32", "f64"));
} // namespace
