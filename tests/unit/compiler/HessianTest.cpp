//===- HessianTest.cpp - kiln-build-hessian against f64 references --------===//
//
// Compiles f64 models with `kiln-build-hessian` (optimizer "newton"), runs
// @hessian through the JIT and checks the P x P Hessian it returns:
//  - logistic regression against the closed form X~^T diag(p (1 - p)) X~ / n,
//    X~ being the inputs with a ones column for the bias;
//  - a tanh MLP with a squared error and a softmax regression with
//    cross-entropy (whose Hessian differentiates softmax_cross_entropy_grad)
//    against central differences of the compiled gradient, and for symmetry.
//
//===----------------------------------------------------------------------===//
#include "JitHarness.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

using namespace kiln::testing;

namespace {
std::string newtonModule(const char *body) {
  return std::string("module attributes {kiln.train = #kiln.train<epochs = 1, "
                     "seed = 0, optimizer = #kiln.optimizer<newton>>} {") +
         body + "\n}";
}

// loss = mean over 16 samples of bce_with_logits(x w^T + b, t).
const char *kLogistic = R"(
func.func @model(%x: tensor<16x3xf64> {kiln.role = #kiln.role<input>, kiln.name = "x"},
                 %t: tensor<16x1xf64> {kiln.role = #kiln.role<label>, kiln.name = "t"},
                 %w: tensor<1x3xf64> {kiln.role = #kiln.role<param>, kiln.name = "fc.weight"},
                 %b: tensor<1xf64> {kiln.role = #kiln.role<param>, kiln.name = "fc.bias"})
    -> (tensor<f64> {kiln.role = #kiln.role<loss>}) attributes {kiln.entry = #kiln.entry<eval>} {
  %z = kiln.matmul %x, %w {transpose_rhs} : tensor<16x3xf64>, tensor<1x3xf64> -> tensor<16x1xf64>
  %zb = kiln.bias_add %z, %b : tensor<16x1xf64>, tensor<1xf64>
  %l = kiln.bce_with_logits %zb, %t : tensor<16x1xf64>
  %s = kiln.reduce_sum %l axes = [0, 1] : tensor<16x1xf64> -> tensor<f64>
  %loss = kiln.scale %s by 0.0625 : tensor<f64>
  return %loss : tensor<f64>
})";

// loss = mean over the batch of |tanh(x w1^T + b1) w2^T + b2 - y|^2.
const char *kTanhMlp = R"(
func.func @model(%x: tensor<4x3xf64> {kiln.role = #kiln.role<input>},
                 %w1: tensor<4x3xf64> {kiln.role = #kiln.role<param>, kiln.name = "w1"},
                 %b1: tensor<4xf64> {kiln.role = #kiln.role<param>, kiln.name = "b1"},
                 %w2: tensor<2x4xf64> {kiln.role = #kiln.role<param>, kiln.name = "w2"},
                 %b2: tensor<2xf64> {kiln.role = #kiln.role<param>, kiln.name = "b2"},
                 %y: tensor<4x2xf64> {kiln.role = #kiln.role<label>})
    -> (tensor<f64> {kiln.role = #kiln.role<loss>}) attributes {kiln.entry = #kiln.entry<eval>} {
  %h = kiln.matmul %x, %w1 {transpose_rhs} : tensor<4x3xf64>, tensor<4x3xf64> -> tensor<4x4xf64>
  %hb = kiln.bias_add %h, %b1 : tensor<4x4xf64>, tensor<4xf64>
  %a = kiln.tanh %hb : tensor<4x4xf64>
  %o = kiln.matmul %a, %w2 {transpose_rhs} : tensor<4x4xf64>, tensor<2x4xf64> -> tensor<4x2xf64>
  %ob = kiln.bias_add %o, %b2 : tensor<4x2xf64>, tensor<2xf64>
  %d = kiln.sub %ob, %y : tensor<4x2xf64>
  %dd = kiln.mul %d, %d : tensor<4x2xf64>
  %s = kiln.reduce_sum %dd axes = [0, 1] : tensor<4x2xf64> -> tensor<f64>
  %loss = kiln.scale %s by 0.125 : tensor<f64>
  return %loss : tensor<f64>
})";

// loss = mean cross-entropy (label smoothing 0.1) of softmax(x w^T + b).
const char *kSoftmaxRegression = R"(
func.func @model(%x: tensor<4x3xf64> {kiln.role = #kiln.role<input>},
                 %y: tensor<4xi32> {kiln.role = #kiln.role<label>},
                 %w: tensor<3x3xf64> {kiln.role = #kiln.role<param>, kiln.name = "w"},
                 %b: tensor<3xf64> {kiln.role = #kiln.role<param>, kiln.name = "b"})
    -> (tensor<f64> {kiln.role = #kiln.role<loss>}) attributes {kiln.entry = #kiln.entry<eval>} {
  %z = kiln.matmul %x, %w {transpose_rhs} : tensor<4x3xf64>, tensor<3x3xf64> -> tensor<4x3xf64>
  %zb = kiln.bias_add %z, %b : tensor<4x3xf64>, tensor<3xf64>
  %l = kiln.softmax_cross_entropy %zb, %y {label_smoothing = 0.1} : tensor<4x3xf64>, tensor<4xi32> -> tensor<4xf64>
  %s = kiln.reduce_sum %l axes = [0] : tensor<4xf64> -> tensor<f64>
  %loss = kiln.scale %s by 0.25 : tensor<f64>
  return %loss : tensor<f64>
})";

/// Fills every argument of @hessian: class labels with i % 3, the rest
/// uniformly in [-1, 1].
std::vector<HostBuffer> randomArguments(CompiledModule &module) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  std::vector<HostBuffer> args = module.makeArguments("hessian");
  for (HostBuffer &arg : args)
    for (int64_t e = 0; e < arg.size(); ++e)
      arg.set(e,
              arg.type.getElementType().isInteger(32) ? e % 3 : uniform(rng));
  return args;
}

/// @hessian's outputs: the loss, the gradients flattened and concatenated
/// in parameter order, and the Hessian, row-major.
struct Derivatives {
  double loss;
  std::vector<double> grad, hessian;
};

Derivatives evaluate(CompiledModule &module, std::vector<HostBuffer> &args) {
  std::vector<HostBuffer> results = module.makeResults("hessian");
  EXPECT_EQ(module.call("hessian", args, results), "");
  Derivatives d{results.front().get(0), {}, {}};
  for (size_t r = 1; r + 1 < results.size(); ++r)
    for (int64_t e = 0; e < results[r].size(); ++e)
      d.grad.push_back(results[r].get(e));
  for (int64_t e = 0; e < results.back().size(); ++e)
    d.hessian.push_back(results.back().get(e));
  return d;
}

/// Where each flat parameter element lives: (argument, element).
std::vector<std::pair<unsigned, int64_t>>
parameterElements(CompiledModule &module, std::vector<HostBuffer> &args) {
  std::vector<std::pair<unsigned, int64_t>> elements;
  for (unsigned i = 0; i < args.size(); ++i)
    if (module.argRole("hessian", i) == "param")
      for (int64_t e = 0; e < args[i].size(); ++e)
        elements.push_back({i, e});
  return elements;
}

TEST(Hessian, LogisticRegressionMatchesClosedForm) {
  CompiledModule module;
  ASSERT_EQ(module.compile(newtonModule(kLogistic), "kiln-build-hessian"), "");
  std::vector<HostBuffer> args = randomArguments(module);
  const int n = 16, d = 3, p = d + 1;
  for (int s = 0; s < n; ++s)
    args[1].set(s, s % 2); // targets are probabilities
  const HostBuffer &x = args[0], &t = args[1], &w = args[2], &b = args[3];

  // Weight [1, d] then bias [1]: x~ = (x_1, ..., x_d, 1).
  std::vector<double> hessian(p * p, 0.0), grad(p, 0.0);
  double loss = 0;
  for (int s = 0; s < n; ++s) {
    std::vector<double> xt(p, 1.0);
    double z = b.get(0);
    for (int k = 0; k < d; ++k) {
      xt[k] = x.get(s * d + k);
      z += w.get(k) * xt[k];
    }
    double prob = 1 / (1 + std::exp(-z)), target = t.get(s);
    loss -= (target * std::log(prob) + (1 - target) * std::log(1 - prob)) / n;
    for (int i = 0; i < p; ++i) {
      grad[i] += (prob - target) * xt[i] / n;
      for (int j = 0; j < p; ++j)
        hessian[i * p + j] += prob * (1 - prob) * xt[i] * xt[j] / n;
    }
  }

  Derivatives compiled = evaluate(module, args);
  ASSERT_EQ(compiled.hessian.size(), size_t(p * p));
  EXPECT_NEAR(compiled.loss, loss, 1e-12);
  for (int i = 0; i < p; ++i)
    EXPECT_NEAR(compiled.grad[i], grad[i], 1e-12) << "grad[" << i << "]";
  double scale = 0;
  for (double v : hessian)
    scale = std::max(scale, std::abs(v));
  ASSERT_GT(scale, 1e-3);
  for (int i = 0; i < p * p; ++i)
    EXPECT_NEAR(compiled.hessian[i], hessian[i], 1e-10 * scale)
        << "H[" << i / p << "][" << i % p << "]";
}

struct Model {
  const char *name;
  const char *source;
};

/// Names a model in test output instead of dumping its source.
void PrintTo(const Model &m, std::ostream *os) { *os << m.name; }

class HessianDifferences : public ::testing::TestWithParam<Model> {};

TEST_P(HessianDifferences, MatchesCentralDifferencesOfGradient) {
  CompiledModule module;
  ASSERT_EQ(
      module.compile(newtonModule(GetParam().source), "kiln-build-hessian"),
      "");
  std::vector<HostBuffer> args = randomArguments(module);
  std::vector<std::pair<unsigned, int64_t>> elements =
      parameterElements(module, args);
  const size_t p = elements.size();
  Derivatives at = evaluate(module, args);
  ASSERT_EQ(at.hessian.size(), p * p);

  // Column j of the Hessian is d grad / d theta_j.
  const double h = 1e-5;
  for (size_t j = 0; j < p; ++j) {
    auto [arg, e] = elements[j];
    double saved = args[arg].get(e);
    args[arg].set(e, saved + h);
    std::vector<double> up = evaluate(module, args).grad;
    args[arg].set(e, saved - h);
    std::vector<double> down = evaluate(module, args).grad;
    args[arg].set(e, saved);
    for (size_t i = 0; i < p; ++i) {
      double numeric = (up[i] - down[i]) / (2 * h);
      EXPECT_NEAR(at.hessian[i * p + j], numeric,
                  1e-6 * std::max(1.0, std::abs(numeric)))
          << "H[" << i << "][" << j << "]";
    }
  }
  for (size_t i = 0; i < p; ++i)
    for (size_t j = 0; j < i; ++j)
      EXPECT_NEAR(at.hessian[i * p + j], at.hessian[j * p + i], 1e-12)
          << "symmetry of H[" << i << "][" << j << "]";
}

INSTANTIATE_TEST_SUITE_P(Models, HessianDifferences,
                         ::testing::Values(Model{"TanhMlpMse", kTanhMlp},
                                           Model{"SoftmaxCrossEntropy",
                                                 kSoftmaxRegression}),
                         [](const ::testing::TestParamInfo<Model> &info) {
                           return std::string(info.param.name);
                         });

} // namespace
