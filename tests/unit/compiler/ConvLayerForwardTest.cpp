//===- ConvLayerForwardTest.cpp - Convolution layers, end to end ----------===//
//
// Builds one convolution or pooling layer with the frontend, compiles it and
// checks its f32 values against PyTorch's definitions: conv1d through its
// reshaped Conv1d weight, conv2d's "same" padding with dilation and groups,
// conv_transpose2d's [in, out, k, k] weight and output size (checked by
// scattering each input element, as ConvTranspose2d is defined), the pooling
// defaults and global average pooling.
//
//===----------------------------------------------------------------------===//
#include "ConvNaive.h"
#include "ModelEval.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace kiln::testing;

namespace {
/// Deterministic values in [-1, 1), as f32 sees them.
std::vector<double> values(int64_t count, int salt) {
  std::vector<double> v;
  for (int64_t i = 0; i < count; ++i)
    v.push_back(static_cast<float>(std::sin(1.7 * i + salt)));
  return v;
}

int64_t product(const Shape &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

/// Checks the f32 values of `layer` (bound to `out`) on an input x of
/// `shape`, with `params` as its parameters in declaration order.
void expectLayer(const Shape &shape, const std::string &layer,
                 const std::vector<std::vector<double>> &params,
                 const std::vector<double> &expected) {
  // mse compares the flattened output with the label and returns it.
  std::string dims;
  for (int64_t d : shape)
    dims += (dims.empty() ? "" : ", ") + std::to_string(d);
  int64_t batch = shape[0];
  std::string model =
      "model m {\n  input x: f32[" + dims + "]\n  label t: f32[" +
      std::to_string(batch) + ", " + std::to_string(expected.size() / batch) +
      "]\n  out = " + layer + "\n  h = flatten(out)\n  loss = mse(h, t)\n}";
  SCOPED_TRACE(model);
  std::vector<std::vector<double>> args{values(product(shape), 0),
                                        std::vector<double>(expected.size())};
  args.insert(args.end(), params.begin(), params.end());
  std::vector<std::vector<double>> results = evaluateModel(model, args);
  ASSERT_EQ(results.size(), 3u);
  ASSERT_EQ(results[2].size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(results[2][i], expected[i],
                1e-5 * std::max(1.0, std::abs(expected[i])))
        << "element " << i;
}

/// Adds bias[c] to each channel c of the NC... tensor `y`.
void addBias(Tensor &y, const std::vector<double> &bias) {
  int64_t inner = product(y.shape) / (y.shape[0] * y.shape[1]);
  for (size_t i = 0; i < y.data.size(); ++i)
    y.data[i] += bias[i / inner % y.shape[1]];
}

TEST(ConvLayerForward, Conv1dUsesConv1dWeights) {
  // x [2, 3, 10], weight [4, 3, 3] as torch.nn.Conv1d, stride 2, padding 1.
  std::vector<double> w = values(36, 1), b = values(4, 2);
  Tensor x({2, 3, 1, 10}), weight({4, 3, 1, 3});
  x.data = values(60, 0);
  weight.data = w;
  ForwardCase conv{"", "kiln.conv2d", {}, {2, 4, 1, 5}, {1, 2}, {0, 1}};
  std::vector<Tensor> operands{x, weight};
  Tensor y = naiveResult(conv, operands);
  addBias(y, b);
  expectLayer({2, 3, 10}, "conv1d(x, 4, 3, stride = 2, padding = 1)", {w, b},
              y.data);
}

TEST(ConvLayerForward, Conv2dSamePaddingWithDilationAndGroups) {
  std::vector<double> w = values(36, 3);
  Tensor x({1, 4, 5, 5}), weight({2, 2, 3, 3});
  x.data = values(100, 0);
  weight.data = w;
  // "same" pads dilation * (kernel - 1) / 2 = 2 on each side.
  ForwardCase conv{"",     "kiln.conv2d", {}, {1, 2, 5, 5}, {1, 1}, {2, 2},
                   {2, 2}, {0, 0},        2};
  std::vector<Tensor> operands{x, weight};
  expectLayer({1, 4, 5, 5},
              "conv2d(x, 2, 3, padding = \"same\", dilation = 2, groups = 2, "
              "bias = false)",
              {w}, naiveResult(conv, operands).data);
}

TEST(ConvLayerForward, ConvTranspose2dScattersEachInput) {
  // x [1, 2, 3, 3] to 3 channels, kernel 3, stride 2, padding 1,
  // output_padding 1: (3 - 1) * 2 - 2 + 2 + 1 + 1 = 6.
  std::vector<double> w = values(54, 4), b = values(3, 5);
  Tensor x({1, 2, 3, 3}), weight({2, 3, 3, 3}), y({1, 3, 6, 6});
  x.data = values(18, 0);
  weight.data = w;
  for (int64_t c = 0; c < 2; ++c)
    for (int64_t i = 0; i < 3; ++i)
      for (int64_t j = 0; j < 3; ++j)
        for (int64_t o = 0; o < 3; ++o)
          for (int64_t kh = 0; kh < 3; ++kh)
            for (int64_t kw = 0; kw < 3; ++kw) {
              int64_t h = i * 2 - 1 + kh, v = j * 2 - 1 + kw;
              if (y.inside(h, v))
                y.at(0, o, h, v) += x.at(0, c, i, j) * weight.at(c, o, kh, kw);
            }
  addBias(y, b);
  expectLayer({1, 2, 3, 3},
              "conv_transpose2d(x, 3, 3, stride = 2, padding = 1, "
              "output_padding = 1)",
              {w, b}, y.data);
}

TEST(ConvLayerForward, PoolStrideDefaultsToKernel) {
  Tensor x({2, 3, 4, 6});
  x.data = values(144, 0);
  ForwardCase pool{
      "", "kiln.max_pool2d", {}, {2, 3, 2, 3}, {2, 2}, {0, 0}, {1, 1}, {2, 2}};
  std::vector<Tensor> operands{x};
  expectLayer({2, 3, 4, 6}, "max_pool2d(x, 2)", {},
              naiveResult(pool, operands).data);
  pool.op = "kiln.avg_pool2d";
  expectLayer({2, 3, 4, 6}, "avg_pool2d(x, 2)", {},
              naiveResult(pool, operands).data);
}

TEST(ConvLayerForward, GlobalAvgPoolAveragesEachChannel) {
  std::vector<double> x = values(2 * 3 * 4 * 5, 0), expected(6, 0.0);
  for (size_t i = 0; i < x.size(); ++i)
    expected[i / 20] += x[i] / 20;
  expectLayer({2, 3, 4, 5}, "global_avg_pool(x)", {}, expected);
}
} // namespace
