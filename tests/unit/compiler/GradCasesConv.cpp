//===- GradCasesConv.cpp - Gradient checks of convolution and pooling -----===//
//
// Small f64 shapes that still exercise every index rule: strides, padding,
// dilation, groups, output sizes that a stride rounds down (the extra row
// that transposed convolution's output_padding adds) and overlapping pooling
// windows.
//
//===----------------------------------------------------------------------===//
#include "GradCases.h"

using namespace kiln::testing;

std::vector<GradCase> kiln::testing::convGradCases() {
  return {
      {"conv2d", "kiln.conv2d",
       "%p0: tensor<2x3x5x5xf64>, %p1: tensor<4x3x3x3xf64>",
       "%out = kiln.conv2d %p0, %p1 strides = [1, 1] padding = [0, 0] "
       "dilations = [1, 1] groups = 1 : tensor<2x3x5x5xf64>, "
       "tensor<4x3x3x3xf64> -> tensor<2x4x3x3xf64>",
       "tensor<2x4x3x3xf64>"},
      {"conv2d_stride2_padding1", "kiln.conv2d",
       "%p0: tensor<1x2x6x5xf64>, %p1: tensor<3x2x3x2xf64>",
       "%out = kiln.conv2d %p0, %p1 strides = [2, 2] padding = [1, 1] "
       "dilations = [1, 1] groups = 1 : tensor<1x2x6x5xf64>, "
       "tensor<3x2x3x2xf64> -> tensor<1x3x3x3xf64>",
       "tensor<1x3x3x3xf64>"},
      {"conv2d_dilation2", "kiln.conv2d",
       "%p0: tensor<1x2x7x6xf64>, %p1: tensor<2x2x3x3xf64>",
       "%out = kiln.conv2d %p0, %p1 strides = [1, 1] padding = [1, 0] "
       "dilations = [2, 2] groups = 1 : tensor<1x2x7x6xf64>, "
       "tensor<2x2x3x3xf64> -> tensor<1x2x5x2xf64>",
       "tensor<1x2x5x2xf64>"},
      {"conv2d_groups2", "kiln.conv2d",
       "%p0: tensor<2x4x5x5xf64>, %p1: tensor<6x2x3x3xf64>",
       "%out = kiln.conv2d %p0, %p1 strides = [2, 2] padding = [1, 1] "
       "dilations = [1, 1] groups = 2 : tensor<2x4x5x5xf64>, "
       "tensor<6x2x3x3xf64> -> tensor<2x6x3x3xf64>",
       "tensor<2x6x3x3xf64>"},
      // A result of 6 rows where 5 would give the same 3 output rows: the
      // output_padding = 1 case of a transposed convolution.
      {"conv2d_backward_data_output_padding", "kiln.conv2d_backward_data",
       "%p0: tensor<1x4x3x3xf64>, %p1: tensor<4x2x3x3xf64>",
       "%out = kiln.conv2d_backward_data %p0, %p1 strides = [2, 2] "
       "padding = [1, 1] dilations = [1, 1] groups = 1 : tensor<1x4x3x3xf64>, "
       "tensor<4x2x3x3xf64> -> tensor<1x2x6x5xf64>",
       "tensor<1x2x6x5xf64>"},
      {"conv2d_backward_data_groups_dilation", "kiln.conv2d_backward_data",
       "%p0: tensor<2x4x3x3xf64>, %p1: tensor<4x1x2x2xf64>",
       "%out = kiln.conv2d_backward_data %p0, %p1 strides = [1, 1] "
       "padding = [0, 0] dilations = [2, 2] groups = 2 : "
       "tensor<2x4x3x3xf64>, tensor<4x1x2x2xf64> -> tensor<2x2x5x5xf64>",
       "tensor<2x2x5x5xf64>"},
      {"conv2d_backward_weights", "kiln.conv2d_backward_weights",
       "%p0: tensor<2x3x3x3xf64>, %p1: tensor<2x2x5x5xf64>",
       "%out = kiln.conv2d_backward_weights %p0, %p1 strides = [1, 1] "
       "padding = [0, 0] dilations = [1, 1] groups = 1 : "
       "tensor<2x3x3x3xf64>, tensor<2x2x5x5xf64> -> tensor<3x2x3x3xf64>",
       "tensor<3x2x3x3xf64>"},
      {"conv2d_backward_weights_strided_groups", "kiln.conv2d_backward_weights",
       "%p0: tensor<1x4x3x3xf64>, %p1: tensor<1x2x6x6xf64>",
       "%out = kiln.conv2d_backward_weights %p0, %p1 strides = [2, 2] "
       "padding = [1, 1] dilations = [1, 1] groups = 2 : "
       "tensor<1x4x3x3xf64>, tensor<1x2x6x6xf64> -> tensor<4x1x3x3xf64>",
       "tensor<4x1x3x3xf64>"},
      {"max_pool2d", "kiln.max_pool2d", "%p0: tensor<2x2x4x6xf64>",
       "%out = kiln.max_pool2d %p0 kernel = [2, 2] strides = [2, 2] "
       "padding = [0, 0] : tensor<2x2x4x6xf64> -> tensor<2x2x2x3xf64>",
       "tensor<2x2x2x3xf64>"},
      // AlexNet's overlapping windows (kernel 3, stride 2), padded.
      {"max_pool2d_overlapping", "kiln.max_pool2d", "%p0: tensor<1x2x7x7xf64>",
       "%out = kiln.max_pool2d %p0 kernel = [3, 3] strides = [2, 2] "
       "padding = [1, 1] : tensor<1x2x7x7xf64> -> tensor<1x2x4x4xf64>",
       "tensor<1x2x4x4xf64>"},
      {"avg_pool2d_overlapping", "kiln.avg_pool2d", "%p0: tensor<2x2x7x6xf64>",
       "%out = kiln.avg_pool2d %p0 kernel = [3, 3] strides = [2, 2] "
       "padding = [1, 1] : tensor<2x2x7x6xf64> -> tensor<2x2x4x3xf64>",
       "tensor<2x2x4x3xf64>"},
      {"avg_pool2d_grad", "kiln.avg_pool2d_grad", "%p0: tensor<2x2x4x4xf64>",
       "%out = kiln.avg_pool2d_grad %p0 kernel = [3, 3] strides = [2, 2] "
       "padding = [1, 1] : tensor<2x2x4x4xf64> -> tensor<2x2x8x7xf64>",
       "tensor<2x2x8x7xf64>"},
  };
}
