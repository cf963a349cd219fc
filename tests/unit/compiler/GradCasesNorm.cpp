//===- GradCasesNorm.cpp - Gradient checks of normalization and dropout ---===//
//
// Modal ops are checked in their training form, which is what the training
// step differentiates. The running statistics are buffers. Compositions the
// frontend builds (group and weight normalization) are checked whole.
//
//===----------------------------------------------------------------------===//
#include "GradCases.h"

std::vector<kiln::testing::GradCase> kiln::testing::normGradCases() {
  return {
      {"batch_norm_2d", "kiln.batch_norm",
       "%p0: tensor<5x3xf64>, %p1: tensor<3xf64>, %p2: tensor<3xf64>, "
       "%p3: tensor<3xf64> buffer, %p4: tensor<3xf64> buffer",
       "%out, %newMean, %newVar = kiln.batch_norm %p0, %p1, %p2, %p3, %p4 "
       "{epsilon = "
       "1.0e-05 : f64, momentum = 1.0e-01 : f64, training} : "
       "tensor<5x3xf64>, tensor<3xf64>",
       "tensor<5x3xf64>"},
      {"batch_norm_4d", "kiln.batch_norm",
       "%p0: tensor<2x3x2x2xf64>, %p1: tensor<3xf64>, %p2: tensor<3xf64>, "
       "%p3: tensor<3xf64> buffer, %p4: tensor<3xf64> buffer",
       "%out, %newMean, %newVar = kiln.batch_norm %p0, %p1, %p2, %p3, %p4 "
       "{epsilon = "
       "1.0e-05 : f64, momentum = 1.0e-01 : f64, training} : "
       "tensor<2x3x2x2xf64>, tensor<3xf64>",
       "tensor<2x3x2x2xf64>"},
      {"dropout", "kiln.dropout", "%p0: tensor<6x7xf64>",
       "%seed = arith.constant dense<7> : tensor<i64>\n  %out = kiln.dropout "
       "%p0, %seed {rate = 3.0e-01 : f64, stream = 2 : i64, training} : "
       "tensor<6x7xf64>",
       "tensor<6x7xf64>"},
      {"normalize_rows", "kiln.normalize", "%p0: tensor<4x5xf64>",
       "%out = kiln.normalize %p0 axis = 1 : tensor<4x5xf64>",
       "tensor<4x5xf64>"},
      {"normalize_trailing", "kiln.normalize", "%p0: tensor<2x3x2x3xf64>",
       "%out = kiln.normalize %p0 axis = 2 {epsilon = 1.0e-03} : "
       "tensor<2x3x2x3xf64>",
       "tensor<2x3x2x3xf64>"},
      // Group normalization as the frontend builds it (3 groups of 2
      // channels, per-channel affine): weight and bias gradients included.
      {"group_norm_affine", "kiln.normalize",
       "%p0: tensor<2x6x2x2xf64>, %p1: tensor<6xf64>, %p2: tensor<6xf64>",
       "%v = kiln.reshape %p0 : tensor<2x6x2x2xf64> -> tensor<2x3x8xf64>\n  "
       "%n = kiln.normalize %v axis = 2 : tensor<2x3x8xf64>\n  "
       "%y = kiln.reshape %n : tensor<2x3x8xf64> -> tensor<2x6x2x2xf64>\n  "
       "%scale = kiln.broadcast %p1 axes = [0, 2, 3] : tensor<6xf64> -> "
       "tensor<2x6x2x2xf64>\n  "
       "%shift = kiln.broadcast %p2 axes = [0, 2, 3] : tensor<6xf64> -> "
       "tensor<2x6x2x2xf64>\n  "
       "%z = kiln.mul %y, %scale : tensor<2x6x2x2xf64>\n  "
       "%out = kiln.add %z, %shift : tensor<2x6x2x2xf64>",
       "tensor<2x6x2x2xf64>"},
      // A large alpha makes the cross-channel term of the gradient matter.
      {"lrn_odd_window", "kiln.local_response_norm", "%p0: tensor<2x5x2x2xf64>",
       "%out = kiln.local_response_norm %p0 size = 3 {alpha = 0.5} : "
       "tensor<2x5x2x2xf64>",
       "tensor<2x5x2x2xf64>"},
      {"lrn_even_window", "kiln.local_response_norm", "%p0: tensor<3x4x3xf64>",
       "%out = kiln.local_response_norm %p0 size = 2 {alpha = 0.8, beta = "
       "1.5, k = 2.0} : tensor<3x4x3xf64>",
       "tensor<3x4x3xf64>"},
      {"lrn_wider_than_channels", "kiln.local_response_norm",
       "%p0: tensor<2x3xf64>",
       "%out = kiln.local_response_norm %p0 size = 6 {alpha = 0.9} : "
       "tensor<2x3xf64>",
       "tensor<2x3xf64>"},
      {"rsqrt", "kiln.rsqrt", "%p0: tensor<3x4xf64>",
       "%sq = kiln.mul %p0, %p0 : tensor<3x4xf64>\n  "
       "%out = kiln.rsqrt %sq : tensor<3x4xf64>",
       "tensor<3x4xf64>"},
      // Weight normalization as the frontend builds it: g [3, 1], v [3, 4].
      {"weight_norm", "kiln.rsqrt",
       "%p0: tensor<3x1xf64>, %p1: tensor<3x4xf64>",
       "%sq = kiln.mul %p1, %p1 : tensor<3x4xf64>\n  "
       "%norm2 = kiln.reduce_sum %sq axes = [1] : tensor<3x4xf64> -> "
       "tensor<3xf64>\n  "
       "%inv = kiln.rsqrt %norm2 : tensor<3xf64>\n  "
       "%g = kiln.reshape %p0 : tensor<3x1xf64> -> tensor<3xf64>\n  "
       "%f = kiln.mul %g, %inv : tensor<3xf64>\n  "
       "%fb = kiln.broadcast %f axes = [1] : tensor<3xf64> -> "
       "tensor<3x4xf64>\n  "
       "%out = kiln.mul %p1, %fb : tensor<3x4xf64>",
       "tensor<3x4xf64>"},
  };
}
