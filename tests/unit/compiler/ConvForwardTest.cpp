//===- ConvForwardTest.cpp - Convolution and pooling against naive loops --===//
//
// Compiles a function holding one convolution or pooling op with the real
// CPU pipeline (ForwardEval.h), runs it in f32 (oneDNN, where channel counts of
// 16 and more make oneDNN pick blocked layouts and reorder) and in f64 (the
// runtime's reference loops), and compares every element with the naive loops
// of ConvNaive.cpp. Max-pooling cases with small integer inputs check PyTorch's
// tie rule.
//
//===----------------------------------------------------------------------===//
#include "ConvNaive.h"
#include "ForwardEval.h"

#include "llvm/ADT/StringRef.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace kiln::testing;

namespace {
bool isConv(const ForwardCase &c) {
  return llvm::StringRef(c.op).starts_with("kiln.conv2d");
}

std::string tensorType(const Shape &shape) {
  std::string text = "tensor<";
  for (int64_t dim : shape)
    text += std::to_string(dim) + "x";
  return text + "ELT>";
}

std::string pairText(Pair p) {
  return "[" + std::to_string(p[0]) + ", " + std::to_string(p[1]) + "]";
}

/// `%out = op(%a0, ...)` with the case's attributes.
Computation computation(const ForwardCase &c) {
  std::string args, uses, types;
  for (size_t i = 0; i < c.operands.size(); ++i) {
    std::string name = "%a" + std::to_string(i);
    std::string type = tensorType(c.operands[i]);
    args += (i ? ", " : "") + name + ": " + type;
    uses += (i ? ", " : "") + name;
    types += (i ? ", " : "") + type;
  }
  std::string attrs = isConv(c) ? " strides = " + pairText(c.strides) +
                                      " padding = " + pairText(c.padding) +
                                      " dilations = " + pairText(c.dilations) +
                                      " groups = " + std::to_string(c.groups)
                                : " kernel = " + pairText(c.kernel) +
                                      " strides = " + pairText(c.strides) +
                                      " padding = " + pairText(c.padding);
  std::string result = tensorType(c.result);
  // max_pool2d_grad takes its result type from its input.
  bool spellsResult = llvm::StringRef(c.op) != "kiln.max_pool2d_grad";
  return {args,
          "%out = " + std::string(c.op) + " " + uses + attrs + " : " + types +
              (spellsResult ? " -> " + result : ""),
          result};
}

class ConvForward
    : public ::testing::TestWithParam<std::tuple<ForwardCase, const char *>> {};

TEST_P(ConvForward, MatchesNaiveLoops) {
  auto [c, element] = GetParam();
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  std::vector<std::vector<double>> values;
  std::vector<Tensor> inputs;
  for (const Shape &shape : c.operands) {
    inputs.emplace_back(shape);
    for (double &v : inputs.back().data)
      v = c.ties ? std::floor(uniform(rng) * 3) : uniform(rng);
    // The reference sees the inputs as rounded to the element type.
    inputs.back().data = asElement(inputs.back().data, element);
    values.push_back(inputs.back().data);
  }
  std::vector<double> actual = evaluate(computation(c), element, values);
  Tensor expected = naiveResult(c, inputs);
  ASSERT_EQ(actual.size(), expected.data.size());
  // oneDNN sums hundreds of f32 products in its own order.
  double tolerance = llvm::StringRef(element) == "f32" ? 1e-4 : 1e-12;
  for (size_t e = 0; e < actual.size(); ++e)
    ASSERT_NEAR(actual[e], expected.data[e],
                tolerance * std::max(1.0, std::abs(expected.data[e])))
        << c.name << " " << element << " element " << e;
}

const ForwardCase kCases[] = {
    {"conv2d_padding1",
     "kiln.conv2d",
     {{2, 3, 9, 8}, {8, 3, 3, 3}},
     {2, 8, 9, 8},
     {1, 1},
     {1, 1}},
    {"conv2d_blocked_stride2_groups2",
     "kiln.conv2d",
     {{2, 16, 11, 11}, {32, 8, 3, 3}},
     {2, 32, 6, 6},
     {2, 2},
     {1, 1},
     {1, 1},
     {0, 0},
     2},
    {"conv2d_dilation2_uneven",
     "kiln.conv2d",
     {{1, 4, 12, 10}, {6, 4, 3, 2}},
     {1, 6, 12, 10},
     {1, 1},
     {2, 1},
     {2, 2}},
    {"conv2d_1x1",
     "kiln.conv2d",
     {{4, 32, 7, 7}, {16, 32, 1, 1}},
     {4, 16, 7, 7},
     {1, 1},
     {0, 0}},
    {"conv2d_backward_data_output_padding",
     "kiln.conv2d_backward_data",
     {{2, 8, 5, 5}, {8, 4, 3, 3}},
     {2, 4, 10, 10},
     {2, 2},
     {1, 1}},
    {"conv2d_backward_data_blocked_groups2",
     "kiln.conv2d_backward_data",
     {{2, 16, 6, 6}, {16, 8, 3, 3}},
     {2, 16, 6, 6},
     {1, 1},
     {1, 1},
     {1, 1},
     {0, 0},
     2},
    {"conv2d_backward_weights_stride2",
     "kiln.conv2d_backward_weights",
     {{2, 8, 5, 5}, {2, 4, 10, 10}},
     {8, 4, 3, 3},
     {2, 2},
     {1, 1}},
    {"conv2d_backward_weights_dilation2_groups2",
     "kiln.conv2d_backward_weights",
     {{1, 6, 4, 4}, {1, 4, 8, 8}},
     {6, 2, 3, 3},
     {1, 1},
     {0, 0},
     {2, 2},
     {0, 0},
     2},
    {"conv2d_backward_weights_blocked",
     "kiln.conv2d_backward_weights",
     {{2, 32, 7, 7}, {2, 16, 7, 7}},
     {32, 16, 3, 3},
     {1, 1},
     {1, 1}},
    {"max_pool2d_overlapping_ties",
     "kiln.max_pool2d",
     {{2, 3, 9, 9}},
     {2, 3, 5, 5},
     {2, 2},
     {1, 1},
     {1, 1},
     {3, 3},
     1,
     true},
    {"max_pool2d_2x2",
     "kiln.max_pool2d",
     {{2, 16, 8, 8}},
     {2, 16, 4, 4},
     {2, 2},
     {0, 0},
     {1, 1},
     {2, 2}},
    {"max_pool2d_grad_overlapping_ties",
     "kiln.max_pool2d_grad",
     {{2, 3, 5, 5}, {2, 3, 9, 9}},
     {2, 3, 9, 9},
     {2, 2},
     {1, 1},
     {1, 1},
     {3, 3},
     1,
     true},
    {"max_pool2d_grad_2x2",
     "kiln.max_pool2d_grad",
     {{2, 16, 4, 4}, {2, 16, 8, 8}},
     {2, 16, 8, 8},
     {2, 2},
     {0, 0},
     {1, 1},
     {2, 2}},
    {"avg_pool2d_overlapping",
     "kiln.avg_pool2d",
     {{2, 3, 9, 8}},
     {2, 3, 5, 4},
     {2, 2},
     {1, 1},
     {1, 1},
     {3, 3}},
    {"avg_pool2d_grad_overlapping",
     "kiln.avg_pool2d_grad",
     {{2, 3, 5, 4}},
     {2, 3, 9, 8},
     {2, 2},
     {1, 1},
     {1, 1},
     {3, 3}},
};

INSTANTIATE_TEST_SUITE_P(Ops, ConvForward,
                         ::testing::Combine(::testing::ValuesIn(kCases),
                                            ::testing::Values("f32", "f64")),
                         [](const auto &info) {
                           return std::string(std::get<0>(info.param).name) +
                                  "_" + std::get<1>(info.param);
                         });
} // namespace
