//===- StructureForwardTest.cpp - Structure ops against index arithmetic --===//
//
// concat, transpose, slice and slice_grad move elements only, so their
// results are compared exactly with positions computed by hand, in f32 and
// f64. Each input element is its own flat index, which makes every misplaced
// element visible.
//
//===----------------------------------------------------------------------===//
#include "ForwardEval.h"

#include <gtest/gtest.h>

using namespace kiln::testing;

namespace {
std::vector<double> iota(int count, double offset = 0) {
  std::vector<double> values;
  for (int i = 0; i < count; ++i)
    values.push_back(offset + i);
  return values;
}

class StructureForward : public ::testing::TestWithParam<std::string> {};

TEST_P(StructureForward, ConcatAlongMiddleAndLastAxis) {
  const std::string &element = GetParam();
  std::vector<double> a = iota(2 * 1 * 3), b = iota(2 * 2 * 3, 100);
  // Along axis 1: per sample, a's row then b's two rows.
  std::vector<double> expected;
  for (int s = 0; s < 2; ++s) {
    for (int k = 0; k < 3; ++k)
      expected.push_back(a[s * 3 + k]);
    for (int k = 0; k < 6; ++k)
      expected.push_back(b[s * 6 + k]);
  }
  Computation middle{"%a: tensor<2x1x3xELT>, %b: tensor<2x2x3xELT>",
                     "%out = kiln.concat %a, %b axis = 1 : tensor<2x1x3xELT>, "
                     "tensor<2x2x3xELT> -> tensor<2x3x3xELT>",
                     "tensor<2x3x3xELT>"};
  expectClose(evaluate(middle, element, {a, b}), expected, element);

  std::vector<double> c = iota(2 * 3 * 1, 200);
  expected.clear();
  for (int row = 0; row < 6; ++row) {
    expected.push_back(b[row * 2]);
    expected.push_back(b[row * 2 + 1]);
    expected.push_back(c[row]);
  }
  Computation last{"%b: tensor<2x3x2xELT>, %c: tensor<2x3x1xELT>",
                   "%out = kiln.concat %b, %c axis = 2 : tensor<2x3x2xELT>, "
                   "tensor<2x3x1xELT> -> tensor<2x3x3xELT>",
                   "tensor<2x3x3xELT>"};
  expectClose(evaluate(last, element, {b, c}), expected, element);
}

TEST_P(StructureForward, TransposeFollowsThePermutation) {
  const std::string &element = GetParam();
  std::vector<double> x = iota(2 * 3 * 4);
  // Result [4, 2, 3]: result[k, i, j] = x[i, j, k].
  std::vector<double> expected;
  for (int k = 0; k < 4; ++k)
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 3; ++j)
        expected.push_back(x[(i * 3 + j) * 4 + k]);
  Computation c{"%x: tensor<2x3x4xELT>",
                "%out = kiln.transpose %x permutation = [2, 0, 1] : "
                "tensor<2x3x4xELT> -> tensor<4x2x3xELT>",
                "tensor<4x2x3xELT>"};
  expectClose(evaluate(c, element, {x}), expected, element);
}

TEST_P(StructureForward, SliceFromTheStartAndInside) {
  const std::string &element = GetParam();
  std::vector<double> x = iota(3 * 6);
  for (int start : {0, 2}) {
    SCOPED_TRACE("start " + std::to_string(start));
    std::vector<double> expected;
    for (int row = 0; row < 3; ++row)
      for (int k = start; k < start + 3; ++k)
        expected.push_back(x[row * 6 + k]);
    Computation c{
        "%x: tensor<3x6xELT>",
        "%out = kiln.slice %x axis = 1 start = " + std::to_string(start) +
            " end = " + std::to_string(start + 3) +
            " : tensor<3x6xELT> -> tensor<3x3xELT>",
        "tensor<3x3xELT>"};
    expectClose(evaluate(c, element, {x}), expected, element);
  }
}

TEST_P(StructureForward, SliceGradPadsWithZeros) {
  const std::string &element = GetParam();
  std::vector<double> g = iota(2 * 2, 1);
  // [2, 2] placed at column 1 of [2, 4].
  std::vector<double> expected = {0, 1, 2, 0, 0, 3, 4, 0};
  Computation c{"%g: tensor<2x2xELT>",
                "%out = kiln.slice_grad %g axis = 1 start = 1 : "
                "tensor<2x2xELT> -> tensor<2x4xELT>",
                "tensor<2x4xELT>"};
  expectClose(evaluate(c, element, {g}), expected, element);
}

INSTANTIATE_TEST_SUITE_P(Types, StructureForward,
                         ::testing::Values("f32", "f64"));
} // namespace
