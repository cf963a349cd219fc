// RUN: kiln-opt %s | kiln-opt | FileCheck %s

// Every convolution and pooling op prints and parses back; the forward ops
// infer their result types from the attributes, with PyTorch's output size
// (H + 2p - d(k - 1) - 1) / s + 1 rounded down.

// CHECK-LABEL: func.func @conv_ops
func.func @conv_ops(%x: tensor<2x4x7x7xf32>, %w: tensor<6x2x3x3xf32>) {
  // CHECK: kiln.conv2d %{{.*}}, %{{.*}} strides = [2, 2] padding = [1, 1] dilations = [1, 1] groups = 2 : tensor<2x4x7x7xf32>, tensor<6x2x3x3xf32> -> tensor<2x6x4x4xf32>
  %y = kiln.conv2d %x, %w strides = [2, 2] padding = [1, 1] dilations = [1, 1] groups = 2 : tensor<2x4x7x7xf32>, tensor<6x2x3x3xf32> -> tensor<2x6x4x4xf32>
  // A stride of 2 maps 7 and 8 rows to 4: the result type says which.
  // CHECK: kiln.conv2d_backward_data %{{.*}}, %{{.*}} strides = [2, 2] padding = [1, 1] dilations = [1, 1] groups = 2 : tensor<2x6x4x4xf32>, tensor<6x2x3x3xf32> -> tensor<2x4x8x8xf32>
  %dx = kiln.conv2d_backward_data %y, %w strides = [2, 2] padding = [1, 1] dilations = [1, 1] groups = 2 : tensor<2x6x4x4xf32>, tensor<6x2x3x3xf32> -> tensor<2x4x8x8xf32>
  // CHECK: kiln.conv2d_backward_weights %{{.*}}, %{{.*}} strides = [2, 2] padding = [1, 1] dilations = [1, 1] groups = 2 : tensor<2x6x4x4xf32>, tensor<2x4x7x7xf32> -> tensor<6x2x3x3xf32>
  %dw = kiln.conv2d_backward_weights %y, %x strides = [2, 2] padding = [1, 1] dilations = [1, 1] groups = 2 : tensor<2x6x4x4xf32>, tensor<2x4x7x7xf32> -> tensor<6x2x3x3xf32>
  // CHECK: kiln.max_pool2d %{{.*}} kernel = [3, 3] strides = [2, 2] padding = [1, 1] : tensor<2x4x7x7xf32> -> tensor<2x4x4x4xf32>
  %p = kiln.max_pool2d %x kernel = [3, 3] strides = [2, 2] padding = [1, 1] : tensor<2x4x7x7xf32> -> tensor<2x4x4x4xf32>
  // CHECK: kiln.max_pool2d_grad %{{.*}}, %{{.*}} kernel = [3, 3] strides = [2, 2] padding = [1, 1] : tensor<2x4x4x4xf32>, tensor<2x4x7x7xf32>
  %dp = kiln.max_pool2d_grad %p, %x kernel = [3, 3] strides = [2, 2] padding = [1, 1] : tensor<2x4x4x4xf32>, tensor<2x4x7x7xf32>
  // CHECK: kiln.avg_pool2d %{{.*}} kernel = [2, 3] strides = [2, 1] padding = [0, 1] : tensor<2x4x7x7xf32> -> tensor<2x4x3x7xf32>
  %a = kiln.avg_pool2d %x kernel = [2, 3] strides = [2, 1] padding = [0, 1] : tensor<2x4x7x7xf32> -> tensor<2x4x3x7xf32>
  // CHECK: kiln.avg_pool2d_grad %{{.*}} kernel = [2, 3] strides = [2, 1] padding = [0, 1] : tensor<2x4x3x7xf32> -> tensor<2x4x6x7xf32>
  %da = kiln.avg_pool2d_grad %a kernel = [2, 3] strides = [2, 1] padding = [0, 1] : tensor<2x4x3x7xf32> -> tensor<2x4x6x7xf32>
  return
}
