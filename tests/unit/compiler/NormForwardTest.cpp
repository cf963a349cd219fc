//===- NormForwardTest.cpp - Normalization ops against naive references ---===//
//
// Runs kiln.normalize over each possible first dimension, group
// normalization composed as the frontend builds it, kiln.local_response_norm
// with odd, even and wider-than-channels windows, and rsqrt, compiled with
// the CPU pipeline in f32 and f64; then the layers (layer_norm, group_norm,
// instance_norm, lrn, weight_norm of linear and conv2d) built by the
// frontend, in f32 with non-trivial parameters. Results are compared with
// straightforward loops in double precision written from PyTorch's
// definitions.
//
//===----------------------------------------------------------------------===//
#include "ConvNaive.h"
#include "ForwardEval.h"
#include "ModelEval.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

using namespace kiln::testing;

namespace {
/// `count` values in [-2, 2) in a scrambled order, rounded to `element`.
std::vector<double> values(int count, const std::string &element,
                           int seed = 0) {
  std::vector<double> result;
  for (int i = 0; i < count; ++i)
    result.push_back(((i * 37 + seed * 11) % 29) / 7.25 - 2);
  return asElement(result, element);
}

/// (x - mean) / sqrt(var + eps) of each group of elements: `groupOf` maps an
/// element's index to its group, one of `groups`.
std::vector<double> standardized(const std::vector<double> &x, int groups,
                                 const std::function<int(int)> &groupOf,
                                 double eps) {
  std::vector<double> sum(groups), squares(groups), count(groups);
  for (size_t i = 0; i < x.size(); ++i) {
    sum[groupOf(i)] += x[i];
    count[groupOf(i)] += 1;
  }
  for (size_t i = 0; i < x.size(); ++i) {
    int g = groupOf(i);
    double d = x[i] - sum[g] / count[g];
    squares[g] += d * d;
  }
  std::vector<double> y;
  for (size_t i = 0; i < x.size(); ++i) {
    int g = groupOf(i);
    y.push_back((x[i] - sum[g] / count[g]) /
                std::sqrt(squares[g] / count[g] + eps));
  }
  return y;
}

/// torch.nn.LocalResponseNorm's parameters and definition.
struct ResponseNorm {
  int size;
  double alpha, beta, k;

  /// The result for x [n, channels, positions]: the window of channel c is
  /// [c - size / 2, c + (size - 1) / 2], zero-padded.
  std::vector<double> reference(const std::vector<double> &x, int n,
                                int channels, int positions) const {
    std::vector<double> y;
    auto at = [&](int s, int c, int p) {
      return x[(s * channels + c) * positions + p];
    };
    for (int s = 0; s < n; ++s)
      for (int c = 0; c < channels; ++c)
        for (int p = 0; p < positions; ++p) {
          double sum = 0;
          for (int o = c - size / 2; o <= c + (size - 1) / 2; ++o)
            if (o >= 0 && o < channels)
              sum += at(s, o, p) * at(s, o, p);
          y.push_back(at(s, c, p) / std::pow(k + alpha / size * sum, beta));
        }
    return y;
  }
};

class NormForward : public ::testing::TestWithParam<std::string> {};

TEST_P(NormForward, NormalizeOverTrailingDimensions) {
  const std::string &element = GetParam();
  std::vector<double> x = values(2 * 3 * 4 * 5, element);
  // Elements per statistic for axis 1, 2, 3 of [2, 3, 4, 5].
  const int inner[] = {0, 60, 20, 5};
  for (int axis = 1; axis < 4; ++axis) {
    SCOPED_TRACE("axis " + std::to_string(axis));
    Computation c{"%x: tensor<2x3x4x5xELT>",
                  "%out = kiln.normalize %x axis = " + std::to_string(axis) +
                      " {epsilon = 0.01} : tensor<2x3x4x5xELT>",
                  "tensor<2x3x4x5xELT>"};
    std::vector<double> expected = standardized(
        x, 120 / inner[axis], [&](int i) { return i / inner[axis]; }, 0.01);
    expectClose(evaluate(c, element, {x}), expected, element);
  }
}

/// torch.nn.GroupNorm(3, 6) on [2, 6, 2, 2] with weight and bias, as the
/// frontend builds it: a [2, 3, 8] view normalized, then the affine map.
TEST_P(NormForward, GroupNormWithAffine) {
  const std::string &element = GetParam();
  std::vector<double> x = values(48, element), w = values(6, element, 1),
                      b = values(6, element, 2);
  Computation c{
      "%x: tensor<2x6x2x2xELT>, %w: tensor<6xELT>, %b: tensor<6xELT>",
      "%v = kiln.reshape %x : tensor<2x6x2x2xELT> -> tensor<2x3x8xELT>\n"
      "  %n = kiln.normalize %v axis = 2 : tensor<2x3x8xELT>\n"
      "  %y = kiln.reshape %n : tensor<2x3x8xELT> -> tensor<2x6x2x2xELT>\n"
      "  %wb = kiln.broadcast %w axes = [0, 2, 3] : tensor<6xELT> -> "
      "tensor<2x6x2x2xELT>\n"
      "  %bb = kiln.broadcast %b axes = [0, 2, 3] : tensor<6xELT> -> "
      "tensor<2x6x2x2xELT>\n"
      "  %z = kiln.mul %y, %wb : tensor<2x6x2x2xELT>\n"
      "  %out = kiln.add %z, %bb : tensor<2x6x2x2xELT>",
      "tensor<2x6x2x2xELT>"};
  // Element (n, ch, p) is in group n * 3 + ch / 2.
  std::vector<double> expected = standardized(
      x, 6, [](int i) { return (i / 24) * 3 + (i / 4 % 6) / 2; }, 1e-5);
  for (size_t i = 0; i < expected.size(); ++i)
    expected[i] = expected[i] * w[i / 4 % 6] + b[i / 4 % 6];
  expectClose(evaluate(c, element, {x, w, b}), expected, element);
}

/// torch.nn.LocalResponseNorm on [2, C, 3] with C = 5: the window of channel
/// c is [c - size / 2, c + (size - 1) / 2], zero-padded.
TEST_P(NormForward, LocalResponseNormWindows) {
  const std::string &element = GetParam();
  std::vector<double> x = values(2 * 5 * 3, element);
  struct Case {
    ResponseNorm lrn;
    const char *attrs;
  };
  const Case cases[] = {
      {{3, 1e-4, 0.75, 1.0}, ""},
      {{2, 0.5, 0.75, 1.0}, " {alpha = 0.5}"},
      {{4, 0.9, 1.5, 2.0}, " {alpha = 0.9, beta = 1.5, k = 2.0}"},
      {{11, 0.3, 0.5, 0.5}, " {alpha = 0.3, beta = 0.5, k = 0.5}"}};
  for (const Case &c : cases) {
    SCOPED_TRACE("size " + std::to_string(c.lrn.size));
    Computation computation{"%x: tensor<2x5x3xELT>",
                            "%out = kiln.local_response_norm %x size = " +
                                std::to_string(c.lrn.size) + c.attrs +
                                " : tensor<2x5x3xELT>",
                            "tensor<2x5x3xELT>"};
    expectClose(evaluate(computation, element, {x}),
                c.lrn.reference(x, 2, 5, 3), element);
  }
}

TEST_P(NormForward, Rsqrt) {
  const std::string &element = GetParam();
  std::vector<double> x =
      asElement({1e-6, 0.01, 0.25, 1, 2, 3.5, 100, 1e6}, element);
  Computation c{"%x: tensor<8xELT>", "%out = kiln.rsqrt %x : tensor<8xELT>",
                "tensor<8xELT>"};
  std::vector<double> expected;
  for (double v : x)
    expected.push_back(1 / std::sqrt(v));
  expectClose(evaluate(c, element, {x}), expected, element);
}

INSTANTIATE_TEST_SUITE_P(Types, NormForward, ::testing::Values("f32", "f64"));

/// Checks the f32 values of `layer`, bound to `out` on the input x of
/// `shape`, built by the frontend, with `params` as its parameters in
/// declaration order.
void expectLayer(const std::string &shape, const std::string &layer,
                 const std::vector<double> &x,
                 const std::vector<std::vector<double>> &params,
                 const std::vector<double> &expected) {
  // mse compares the flattened output with zeros and returns it.
  int batch = std::stoi(shape);
  std::string model =
      "model m {\n  input x: f32[" + shape + "]\n  label t: f32[" +
      std::to_string(batch) + ", " + std::to_string(expected.size() / batch) +
      "]\n  out = " + layer + "\n  h = flatten(out)\n  loss = mse(h, t)\n}";
  SCOPED_TRACE(model);
  std::vector<std::vector<double>> args{x,
                                        std::vector<double>(expected.size())};
  args.insert(args.end(), params.begin(), params.end());
  std::vector<std::vector<double>> results = evaluateModel(model, args);
  ASSERT_EQ(results.size(), 3u);
  expectClose(results[2], expected, "f32");
}

TEST(NormLayerForward, LayerNormOverEveryFeatureWithAffine) {
  std::vector<double> x = values(24, "f32"), w = values(12, "f32", 1),
                      b = values(12, "f32", 2);
  std::vector<double> expected = standardized(
      x, 2, [](int i) { return i / 12; }, 1e-5);
  for (size_t i = 0; i < expected.size(); ++i)
    expected[i] = expected[i] * w[i % 12] + b[i % 12];
  expectLayer("2, 3, 4", "layer_norm(x)", x, {w, b}, expected);
}

TEST(NormLayerForward, LayerNormOverTheLastDimension) {
  std::vector<double> x = values(24, "f32");
  expectLayer("2, 3, 4", "layer_norm(x, dims = 1, eps = 0.01, affine = false)",
              x, {},
              standardized(
                  x, 6, [](int i) { return i / 4; }, 0.01));
}

TEST(NormLayerForward, GroupNormPerSampleAndGroup) {
  std::vector<double> x = values(48, "f32"), w = values(6, "f32", 1),
                      b = values(6, "f32", 2);
  // Element (n, c, p) of [2, 6, 2, 2] is in group n * 2 + c / 3.
  std::vector<double> expected = standardized(
      x, 4, [](int i) { return (i / 24) * 2 + (i / 4 % 6) / 3; }, 1e-3);
  for (size_t i = 0; i < expected.size(); ++i)
    expected[i] = expected[i] * w[i / 4 % 6] + b[i / 4 % 6];
  expectLayer("2, 6, 2, 2", "group_norm(x, 2, eps = 0.001)", x, {w, b},
              expected);
}

TEST(NormLayerForward, InstanceNormWithAndWithoutAffine) {
  std::vector<double> x = values(54, "f32"), w = values(3, "f32", 1),
                      b = values(3, "f32", 2);
  // One statistic per (sample, channel) of [2, 3, 3, 3].
  std::vector<double> expected = standardized(
      x, 6, [](int i) { return i / 9; }, 1e-5);
  expectLayer("2, 3, 3, 3", "instance_norm(x)", x, {}, expected);
  for (size_t i = 0; i < expected.size(); ++i)
    expected[i] = expected[i] * w[i / 9 % 3] + b[i / 9 % 3];
  expectLayer("2, 3, 3, 3", "instance_norm(x, affine = true)", x, {w, b},
              expected);
}

TEST(NormLayerForward, LocalResponseNorm) {
  std::vector<double> x = values(30, "f32");
  expectLayer("2, 5, 3", "lrn(x, 3, alpha = 0.2, beta = 0.6, k = 1.5)", x, {},
              ResponseNorm{3, 0.2, 0.6, 1.5}.reference(x, 2, 5, 3));
}

/// g * v / ||v|| per row (output) of v [rows, rest].
std::vector<double> weightNormalized(const std::vector<double> &g,
                                     const std::vector<double> &v) {
  size_t rest = v.size() / g.size();
  std::vector<double> w;
  for (size_t row = 0; row < g.size(); ++row) {
    double squares = 0;
    for (size_t i = 0; i < rest; ++i)
      squares += v[row * rest + i] * v[row * rest + i];
    for (size_t i = 0; i < rest; ++i)
      w.push_back(g[row] * v[row * rest + i] / std::sqrt(squares));
  }
  return w;
}

TEST(NormLayerForward, LinearWithWeightNorm) {
  std::vector<double> x = values(12, "f32"), g = {0.5, -1.25},
                      v = values(8, "f32", 1), b = values(2, "f32", 2);
  std::vector<double> w = weightNormalized(g, v), expected;
  for (int n = 0; n < 3; ++n)
    for (int o = 0; o < 2; ++o) {
      double sum = b[o];
      for (int i = 0; i < 4; ++i)
        sum += x[n * 4 + i] * w[o * 4 + i];
      expected.push_back(sum);
    }
  expectLayer("3, 4", "linear(x, 2, weight_norm = true)", x, {g, v, b},
              expected);
}

TEST(NormLayerForward, Conv2dWithWeightNorm) {
  std::vector<double> x = values(18, "f32"), g = {1.5, 0.75},
                      v = values(16, "f32", 1);
  ForwardCase conv{"conv",       "kiln.conv2d", {{1, 2, 3, 3}, {2, 2, 2, 2}},
                   {1, 2, 2, 2}, {1, 1},        {0, 0}};
  std::vector<Tensor> operands{Tensor(conv.operands[0]),
                               Tensor(conv.operands[1])};
  operands[0].data = x;
  operands[1].data = weightNormalized(g, v);
  expectLayer("1, 2, 3, 3", "conv2d(x, 2, 2, bias = false, weight_norm = true)",
              x, {g, v}, naiveResult(conv, operands).data);
}
} // namespace
