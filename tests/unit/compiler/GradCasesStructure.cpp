//===- GradCasesStructure.cpp - Gradient checks of the structure ops ------===//
#include "GradCases.h"

using namespace kiln::testing;

std::vector<GradCase> kiln::testing::structureGradCases() {
  return {
      {"concat", "kiln.concat",
       "%p0: tensor<2x1x3xf64>, %p1: tensor<2x2x3xf64>, %p2: tensor<2x3x3xf64>",
       "%out = kiln.concat %p0, %p1, %p2 axis = 1 : tensor<2x1x3xf64>, "
       "tensor<2x2x3xf64>, tensor<2x3x3xf64> -> tensor<2x6x3xf64>",
       "tensor<2x6x3xf64>"},
      {"transpose", "kiln.transpose", "%p0: tensor<2x3x4xf64>",
       "%out = kiln.transpose %p0 permutation = [2, 0, 1] : tensor<2x3x4xf64> "
       "-> tensor<4x2x3xf64>",
       "tensor<4x2x3xf64>"},
      {"slice", "kiln.slice", "%p0: tensor<3x6xf64>",
       "%out = kiln.slice %p0 axis = 1 start = 1 end = 4 : tensor<3x6xf64> -> "
       "tensor<3x3xf64>",
       "tensor<3x3xf64>"},
      {"slice_grad", "kiln.slice_grad", "%p0: tensor<3x2xf64>",
       "%out = kiln.slice_grad %p0 axis = 0 start = 1 : tensor<3x2xf64> -> "
       "tensor<5x2xf64>",
       "tensor<5x2xf64>"},
  };
}
