//===- GradCasesCore.cpp - Gradient checks of the core kiln ops -----------===//
#include "GradCases.h"

using namespace kiln::testing;

std::vector<GradCase> kiln::testing::coreGradCases() {
  return {
      {"reshape", "kiln.reshape", "%p0: tensor<2x3x4xf64>",
       "%out = kiln.reshape %p0 : tensor<2x3x4xf64> -> tensor<6x4xf64>",
       "tensor<6x4xf64>"},
      {"broadcast", "kiln.broadcast", "%p0: tensor<3xf64>",
       "%out = kiln.broadcast %p0 axes = [0, 2] : tensor<3xf64> -> "
       "tensor<2x3x4xf64>",
       "tensor<2x3x4xf64>"},
      {"reduce_sum", "kiln.reduce_sum", "%p0: tensor<4x3x2xf64>",
       "%out = kiln.reduce_sum %p0 axes = [1] : tensor<4x3x2xf64> -> "
       "tensor<4x2xf64>",
       "tensor<4x2xf64>"},
      {"add", "kiln.add", "%p0: tensor<3x4xf64>, %p1: tensor<3x4xf64>",
       "%out = kiln.add %p0, %p1 : tensor<3x4xf64>", "tensor<3x4xf64>"},
      {"sub", "kiln.sub", "%p0: tensor<3x4xf64>, %p1: tensor<3x4xf64>",
       "%out = kiln.sub %p0, %p1 : tensor<3x4xf64>", "tensor<3x4xf64>"},
      {"mul", "kiln.mul", "%p0: tensor<3x4xf64>, %p1: tensor<3x4xf64>",
       "%out = kiln.mul %p0, %p1 : tensor<3x4xf64>", "tensor<3x4xf64>"},
      {"scale", "kiln.scale", "%p0: tensor<5xf64>",
       "%out = kiln.scale %p0 by -1.5 : tensor<5xf64>", "tensor<5xf64>"},
      {"matmul", "kiln.matmul", "%p0: tensor<4x3xf64>, %p1: tensor<3x5xf64>",
       "%out = kiln.matmul %p0, %p1 : tensor<4x3xf64>, tensor<3x5xf64> -> "
       "tensor<4x5xf64>",
       "tensor<4x5xf64>"},
      {"matmul_transpose_lhs", "kiln.matmul",
       "%p0: tensor<3x4xf64>, %p1: tensor<3x5xf64>",
       "%out = kiln.matmul %p0, %p1 {transpose_lhs} : tensor<3x4xf64>, "
       "tensor<3x5xf64> -> tensor<4x5xf64>",
       "tensor<4x5xf64>"},
      {"matmul_transpose_rhs", "kiln.matmul",
       "%p0: tensor<4x3xf64>, %p1: tensor<5x3xf64>",
       "%out = kiln.matmul %p0, %p1 {transpose_rhs} : tensor<4x3xf64>, "
       "tensor<5x3xf64> -> tensor<4x5xf64>",
       "tensor<4x5xf64>"},
      {"matmul_transpose_both", "kiln.matmul",
       "%p0: tensor<3x4xf64>, %p1: tensor<5x3xf64>",
       "%out = kiln.matmul %p0, %p1 {transpose_lhs, transpose_rhs} : "
       "tensor<3x4xf64>, tensor<5x3xf64> -> tensor<4x5xf64>",
       "tensor<4x5xf64>"},
      {"bias_add", "kiln.bias_add",
       "%p0: tensor<2x3x2x2xf64>, %p1: tensor<3xf64>",
       "%out = kiln.bias_add %p0, %p1 : tensor<2x3x2x2xf64>, tensor<3xf64>",
       "tensor<2x3x2x2xf64>"},
      {"relu", "kiln.relu", "%p0: tensor<4x5xf64>",
       "%out = kiln.relu %p0 : tensor<4x5xf64>", "tensor<4x5xf64>"},
      {"relu_grad", "kiln.relu_grad",
       "%p0: tensor<4x5xf64>, %p1: tensor<4x5xf64>",
       "%out = kiln.relu_grad %p0, %p1 : tensor<4x5xf64>", "tensor<4x5xf64>"},
      {"softmax_cross_entropy", "kiln.softmax_cross_entropy",
       "%p0: tensor<4x5xf64>",
       "%out = kiln.softmax_cross_entropy %p0, %labels : tensor<4x5xf64>, "
       "tensor<4xi32> -> tensor<4xf64>",
       "tensor<4xf64>"},
  };
}
