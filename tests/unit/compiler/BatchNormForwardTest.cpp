//===- BatchNormForwardTest.cpp - Batch norm against naive references -----===//
//
// kiln.batch_norm (training and inference forms, with the running
// statistics' update) and kiln.batch_norm_grad, compiled with the real CPU
// pipeline in f32, which calls oneDNN (runtime/src/batch_norm.cpp), and in
// f64, which is lowered to linalg; both are compared with PyTorch's
// formulas evaluated here in double.
//
//===----------------------------------------------------------------------===//
#include "ForwardEval.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace kiln::testing;

namespace {

constexpr int kN = 2, kC = 3, kS = 8; // x: [2, 3, 2, 4]
constexpr double kEps = 1e-3, kMomentum = 0.25;
const char *kArgs = "%x: tensor<2x3x2x4xELT>, %w: tensor<3xELT>, "
                    "%b: tensor<3xELT>, %m: tensor<3xELT>, %v: tensor<3xELT>";
const char *kAttrs = "{epsilon = 1.0e-03 : f64, momentum = 2.5e-01 : f64";

std::vector<double> values(int count, const std::string &element, int seed) {
  std::vector<double> result;
  for (int i = 0; i < count; ++i)
    result.push_back(((i * 37 + seed * 11) % 29) / 7.25 - 2);
  return asElement(result, element);
}

int channelOf(int i) { return i / kS % kC; }

/// The batch mean and biased variance of each channel of x [N, C, S].
void batchStatistics(const std::vector<double> &x, std::vector<double> &mean,
                     std::vector<double> &var) {
  mean.assign(kC, 0.0);
  var.assign(kC, 0.0);
  for (size_t i = 0; i < x.size(); ++i)
    mean[channelOf(i)] += x[i] / (kN * kS);
  for (size_t i = 0; i < x.size(); ++i)
    var[channelOf(i)] += std::pow(x[i] - mean[channelOf(i)], 2) / (kN * kS);
}

class BatchNorm : public ::testing::TestWithParam<std::string> {
protected:
  std::vector<std::vector<double>> inputs() const {
    const std::string &e = GetParam();
    std::vector<double> var = values(kC, e, 4);
    for (double &v : var)
      v = std::abs(v) + 0.5; // a variance is positive
    return {values(kN * kC * kS, e, 0), values(kC, e, 1), values(kC, e, 2),
            values(kC, e, 3), asElement(var, e)};
  }
  std::vector<double> run(const std::string &form, const std::string &out) {
    Computation c{kArgs,
                  out + " = kiln.batch_norm %x, %w, %b, %m, %v " + kAttrs +
                      form + "} : tensor<2x3x2x4xELT>, tensor<3xELT>",
                  out.rfind("%out,", 0) == 0 ? "tensor<2x3x2x4xELT>"
                                             : "tensor<3xELT>"};
    return evaluate(c, GetParam(), inputs());
  }
};

TEST_P(BatchNorm, TrainingNormalizesWithTheBatchStatistics) {
  auto in = inputs();
  std::vector<double> mean, var, y(in[0].size());
  batchStatistics(in[0], mean, var);
  for (size_t i = 0; i < y.size(); ++i) {
    int c = channelOf(i);
    y[i] =
        (in[0][i] - mean[c]) / std::sqrt(var[c] + kEps) * in[1][c] + in[2][c];
  }
  expectClose(run(", training", "%out, %m2, %v2"), y, GetParam());
}

TEST_P(BatchNorm, TrainingUpdatesTheRunningStatistics) {
  auto in = inputs();
  std::vector<double> mean, var, newMean(kC), newVar(kC);
  batchStatistics(in[0], mean, var);
  const double unbias = double(kN * kS) / (kN * kS - 1);
  for (int c = 0; c < kC; ++c) {
    newMean[c] = (1 - kMomentum) * in[3][c] + kMomentum * mean[c];
    newVar[c] = (1 - kMomentum) * in[4][c] + kMomentum * var[c] * unbias;
  }
  expectClose(run(", training", "%y, %out, %v2"), newMean, GetParam());
  expectClose(run(", training", "%y, %m2, %out"), newVar, GetParam());
}

TEST_P(BatchNorm, InferenceUsesTheRunningStatistics) {
  auto in = inputs();
  std::vector<double> y(in[0].size());
  for (size_t i = 0; i < y.size(); ++i) {
    int c = channelOf(i);
    y[i] = (in[0][i] - in[3][c]) / std::sqrt(in[4][c] + kEps) * in[1][c] +
           in[2][c];
  }
  expectClose(run("", "%out, %m2, %v2"), y, GetParam());
  expectClose(run("", "%y, %out, %v2"), in[3], GetParam());
}

TEST_P(BatchNorm, GradientOfTheTrainingForm) {
  const std::string &e = GetParam();
  std::vector<double> g = values(kN * kC * kS, e, 5),
                      x = values(kN * kC * kS, e, 0), w = values(kC, e, 1);
  std::vector<double> mean, var;
  batchStatistics(x, mean, var);
  std::vector<double> sumG(kC), sumGX(kC), dx(x.size());
  auto xhat = [&](int i) {
    return (x[i] - mean[channelOf(i)]) / std::sqrt(var[channelOf(i)] + kEps);
  };
  for (size_t i = 0; i < x.size(); ++i) {
    sumG[channelOf(i)] += g[i];
    sumGX[channelOf(i)] += g[i] * xhat(i);
  }
  const double n = kN * kS;
  for (size_t i = 0; i < x.size(); ++i) {
    int c = channelOf(i);
    dx[i] = w[c] / std::sqrt(var[c] + kEps) / n *
            (n * g[i] - sumG[c] - xhat(i) * sumGX[c]);
  }
  auto grad = [&](const std::string &out, const std::string &type) {
    Computation c{"%g: tensor<2x3x2x4xELT>, %x: tensor<2x3x2x4xELT>, "
                  "%w: tensor<3xELT>",
                  out + " = kiln.batch_norm_grad %g, %x, %w {epsilon = "
                        "1.0e-03 : f64} : tensor<2x3x2x4xELT>, tensor<3xELT>",
                  type};
    return evaluate(c, e, {g, x, w});
  };
  expectClose(grad("%out, %dw, %db", "tensor<2x3x2x4xELT>"), dx, e);
  expectClose(grad("%dx, %out, %db", "tensor<3xELT>"), sumGX, e);
  expectClose(grad("%dx, %dw, %out", "tensor<3xELT>"), sumG, e);
}

INSTANTIATE_TEST_SUITE_P(Types, BatchNorm, ::testing::Values("f32", "f64"));

} // namespace
