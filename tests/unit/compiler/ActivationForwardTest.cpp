//===- ActivationForwardTest.cpp - Activations against naive references ---===//
//
// Runs every activation op, compiled with the CPU pipeline, in f32 and f64
// on values that include large magnitudes (where unstable formulas overflow),
// both sides of softplus' threshold and tiny arguments, and compares with
// straightforward double-precision references.
//
//===----------------------------------------------------------------------===//
#include "ForwardEval.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

using namespace kiln::testing;

namespace {
/// 20 values for a tensor<4x5xELT>.
const std::vector<double> kValues = {
    -100, -30, -8.5, -3,     -1.25, -0.5,  -1e-3, -2.5e-8, 0,   2.5e-8,
    1e-3, 0.5, 1.25, 2.9375, 7,     19.75, 20.5,  30,      100, -0.75};

struct UnaryCase {
  const char *op; // op and attributes applied to %x
  std::function<double(double)> reference;
};

double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

double softplus(double x, double beta, double threshold) {
  return beta * x > threshold ? x : std::log1p(std::exp(beta * x)) / beta;
}

const UnaryCase kUnaryCases[] = {
    {"sigmoid %x", sigmoid},
    {"tanh %x", [](double x) { return std::tanh(x); }},
    {"leaky_relu %x", [](double x) { return x > 0 ? x : 0.01 * x; }},
    {"leaky_relu %x {negative_slope = 0.2}",
     [](double x) { return x > 0 ? x : 0.2 * x; }},
    {"elu %x", [](double x) { return x > 0 ? x : std::expm1(x); }},
    {"elu %x {alpha = 0.5}",
     [](double x) { return x > 0 ? x : 0.5 * std::expm1(x); }},
    {"softsign %x", [](double x) { return x / (1 + std::abs(x)); }},
    {"softplus %x", [](double x) { return softplus(x, 1, 20); }},
    {"softplus %x {beta = 2.0, threshold = 3.0}",
     [](double x) { return softplus(x, 2, 3); }},
    {"gelu %x",
     [](double x) { return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))); }},
};

class ActivationForward : public ::testing::TestWithParam<std::string> {};

TEST_P(ActivationForward, ElementwiseMatchReferences) {
  const std::string &element = GetParam();
  std::vector<double> x = asElement(kValues, element);
  for (const UnaryCase &c : kUnaryCases) {
    SCOPED_TRACE(c.op);
    std::vector<double> expected;
    for (double value : x)
      expected.push_back(c.reference(value));
    Computation computation{"%x: tensor<4x5xELT>",
                            std::string("%out = kiln.") + c.op +
                                " : tensor<4x5xELT>",
                            "tensor<4x5xELT>"};
    expectClose(evaluate(computation, element, {x}), expected, element);
  }
}

/// Softmax and log-softmax of a [2, 3, 4] tensor along `axis`, naively.
std::vector<double> softmaxReference(const std::vector<double> &x, int axis,
                                     bool log) {
  const int shape[3] = {2, 3, 4};
  std::vector<double> result(x.size());
  auto at = [&](int i, int j, int k) { return (i * 3 + j) * 4 + k; };
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 4; ++k) {
        int index[3] = {i, j, k};
        double max = -INFINITY, sum = 0;
        for (int pass = 0; pass < 2; ++pass)
          for (int n = 0; n < shape[axis]; ++n) {
            int other[3] = {i, j, k};
            other[axis] = n;
            double v = x[at(other[0], other[1], other[2])];
            if (pass == 0)
              max = std::max(max, v);
            else
              sum += std::exp(v - max);
          }
        double v = x[at(index[0], index[1], index[2])] - max;
        result[at(i, j, k)] = log ? v - std::log(sum) : std::exp(v) / sum;
      }
  return result;
}

TEST_P(ActivationForward, SoftmaxFamilyIsStableAlongEveryAxis) {
  const std::string &element = GetParam();
  // Offsets of +-1000 overflow exp() unless the maximum is subtracted.
  std::vector<double> x;
  for (int i = 0; i < 24; ++i)
    x.push_back((i % 7) * 0.75 - 2 + (i % 5 == 0 ? 1000 : 0) -
                (i % 11 == 0 ? 1000 : 0));
  x = asElement(x, element);
  for (int axis = 1; axis < 3; ++axis)
    for (bool log : {false, true}) {
      std::string op = log ? "log_softmax" : "softmax";
      SCOPED_TRACE(op + " axis " + std::to_string(axis));
      Computation c{"%x: tensor<2x3x4xELT>",
                    "%out = kiln." + op + " %x axis = " + std::to_string(axis) +
                        " : tensor<2x3x4xELT>",
                    "tensor<2x3x4xELT>"};
      std::vector<double> actual = evaluate(c, element, {x});
      expectClose(actual, softmaxReference(x, axis, log), element);
    }
}

INSTANTIATE_TEST_SUITE_P(Types, ActivationForward,
                         ::testing::Values("f32", "f64"));
} // namespace
