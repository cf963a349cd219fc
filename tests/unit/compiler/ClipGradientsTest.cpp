//===- ClipGradientsTest.cpp - kiln-clip-gradients against f64 values -----===//
//
// Compiles a model whose gradients are known in closed form, with
// `kiln-build-training-step,kiln-clip-gradients`, runs the training step
// through the JIT and compares the clipped gradients with PyTorch's
// definitions evaluated here in f64 (clip_grad_value_, clip_grad_norm_ and
// its per-tensor variant). Each kind runs with a threshold below the
// gradients' size (clipped) and one above it (unchanged).
//
//===----------------------------------------------------------------------===//
#include "JitHarness.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

using namespace kiln::testing;

namespace {
/// loss = sum(w1 * x) + sum(w2 * 3 flat(x)), so d loss / d w1 = x and
/// d loss / d w2 = 3 flat(x): gradients of two shapes and two norms.
std::string buildModule(const std::string &clip) {
  std::string attrs =
      clip.empty() ? ""
                   : " attributes {kiln.train = #kiln.train<epochs = 1, seed "
                     "= 0, optimizer = #kiln.optimizer<sgd, lr = 0.1>, clip "
                     "= " +
                         clip + ">}";
  return "module" + attrs + R"( {
func.func @model(%w1: tensor<2x3xf64> {kiln.role = #kiln.role<param>, kiln.name = "w1"},
                 %w2: tensor<6xf64> {kiln.role = #kiln.role<param>, kiln.name = "w2"},
                 %x: tensor<2x3xf64> {kiln.role = #kiln.role<input>})
    -> (tensor<f64> {kiln.role = #kiln.role<loss>}) attributes {kiln.entry = #kiln.entry<eval>} {
  %a = kiln.mul %w1, %x : tensor<2x3xf64>
  %sa = kiln.reduce_sum %a axes = [0, 1] : tensor<2x3xf64> -> tensor<f64>
  %xf = kiln.reshape %x : tensor<2x3xf64> -> tensor<6xf64>
  %x3 = kiln.scale %xf by 3.0 : tensor<6xf64>
  %b = kiln.mul %w2, %x3 : tensor<6xf64>
  %sb = kiln.reduce_sum %b axes = [0] : tensor<6xf64> -> tensor<f64>
  %loss = kiln.add %sa, %sb : tensor<f64>
  return %loss : tensor<f64>
}
})";
}

using Grads = std::vector<std::vector<double>>;

double sumOfSquares(const std::vector<double> &g) {
  double sum = 0;
  for (double v : g)
    sum += v * v;
  return sum;
}

void scale(std::vector<double> &g, double norm, double maxNorm) {
  // torch.nn.utils.clip_grad_norm_ divides by norm + 1e-6.
  double factor = std::min(1.0, maxNorm / (norm + 1e-6));
  for (double &v : g)
    v *= factor;
}

/// PyTorch's clipping of `grads`, in f64.
Grads reference(const std::string &kind, double threshold, Grads grads) {
  if (kind == "value") {
    for (auto &g : grads)
      for (double &v : g)
        v = std::clamp(v, -threshold, threshold);
  } else if (kind == "global_norm") {
    double total = 0;
    for (auto &g : grads)
      total += sumOfSquares(g);
    for (auto &g : grads)
      scale(g, std::sqrt(total), threshold);
  } else if (kind == "tensor_norm") {
    for (auto &g : grads)
      scale(g, std::sqrt(sumOfSquares(g)), threshold);
  }
  return grads;
}

struct ClipCase {
  const char *name;
  const char *kind; // "" for no clipping
  double threshold;
  /// Whether some gradient is above the threshold.
  bool clips;
};

void PrintTo(const ClipCase &c, std::ostream *os) { *os << c.name; }

class ClipGradients : public ::testing::TestWithParam<ClipCase> {};

TEST_P(ClipGradients, MatchesPyTorch) {
  const ClipCase &c = GetParam();
  std::string clip;
  if (*c.kind) {
    // PyTorch's argument name for the threshold.
    std::string key =
        std::string(c.kind) == "value" ? "clip_value" : "max_norm";
    clip = "#kiln.clip<" + std::string(c.kind) + ", " + key + " = " +
           std::to_string(c.threshold) + ">";
  }
  CompiledModule module;
  ASSERT_EQ(module.compile(buildModule(clip),
                           "kiln-build-training-step,kiln-clip-gradients"),
            "");

  // x = (i - 2.5) / 10: ||g1|| = 0.418, ||g2|| = 1.255, total 1.323,
  // largest element of g2 0.75.
  std::vector<HostBuffer> args = module.makeArguments("eval");
  ASSERT_EQ(args.size(), 3u);
  std::vector<double> x;
  for (int64_t i = 0; i < 6; ++i) {
    x.push_back((i - 2.5) / 10);
    args[2].set(i, x.back());
    args[0].set(i, 0.5);
    args[1].set(i, -0.25);
  }
  Grads raw{x, x};
  for (double &v : raw[1])
    v *= 3;
  Grads expected = reference(c.kind, c.threshold, raw);

  std::vector<HostBuffer> results = module.makeResults("train_step");
  ASSERT_EQ(results.size(), 3u); // loss, d w1, d w2
  ASSERT_EQ(module.call("train_step", args, results), "");
  bool changed = false;
  for (size_t p = 0; p < 2; ++p)
    for (int64_t e = 0; e < 6; ++e) {
      EXPECT_NEAR(results[p + 1].get(e), expected[p][e], 1e-12)
          << c.name << ": d loss / d w" << p + 1 << "[" << e << "]";
      changed |= expected[p][e] != raw[p][e];
    }
  EXPECT_EQ(changed, c.clips) << "the case does not test what it says";
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, ClipGradients,
    ::testing::Values(ClipCase{"none", "", 0, false},
                      ClipCase{"value_below", "value", 1.0, false},
                      ClipCase{"value_above", "value", 0.2, true},
                      ClipCase{"global_norm_below", "global_norm", 10.0, false},
                      ClipCase{"global_norm_above", "global_norm", 0.5, true},
                      ClipCase{"tensor_norm_below", "tensor_norm", 10.0, false},
                      ClipCase{"tensor_norm_above", "tensor_norm", 0.5, true}),
    [](const ::testing::TestParamInfo<ClipCase> &info) {
      return std::string(info.param.name);
    });
} // namespace
