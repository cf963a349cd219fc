// Shape rules of the convolution and pooling ops; messages name the shapes.
// RUN: kiln-opt %s --split-input-file --verify-diagnostics

func.func @conv_channels(%x: tensor<2x3x8x8xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error@+2 {{conv2d weight [4, 2, 3, 3] (groups = 1) expects 2 input channels, got input [2, 3, 8, 8]}}
  // expected-error@+1 {{'kiln.conv2d' op failed to infer returned types}}
  %0 = kiln.conv2d %x, %w strides = [1, 1] padding = [0, 0] dilations = [1, 1] groups = 1 : tensor<2x3x8x8xf32>, tensor<4x2x3x3xf32> -> tensor<2x4x6x6xf32>
  return
}

// -----

func.func @conv_groups_out(%x: tensor<2x4x8x8xf32>, %w: tensor<3x2x3x3xf32>) {
  // expected-error@+2 {{conv2d weight [3, 2, 3, 3] has 3 output channels, not divisible into 2 groups (input [2, 4, 8, 8])}}
  // expected-error@+1 {{'kiln.conv2d' op failed to infer returned types}}
  %0 = kiln.conv2d %x, %w strides = [1, 1] padding = [0, 0] dilations = [1, 1] groups = 2 : tensor<2x4x8x8xf32>, tensor<3x2x3x3xf32> -> tensor<2x3x6x6xf32>
  return
}

// -----

func.func @conv_kernel_too_large(%x: tensor<1x1x4x4xf32>, %w: tensor<1x1x3x3xf32>) {
  // expected-error@+2 {{conv2d kernel of weight [1, 1, 3, 3] (dilations [2, 2]) does not fit input [1, 1, 4, 4] padded by [0, 0]}}
  // expected-error@+1 {{'kiln.conv2d' op failed to infer returned types}}
  %0 = kiln.conv2d %x, %w strides = [1, 1] padding = [0, 0] dilations = [2, 2] groups = 1 : tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32> -> tensor<1x1x1x1xf32>
  return
}

// -----

func.func @conv_rank(%x: tensor<2x3x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+2 {{conv2d needs a 4-D input [batch, channels, height, width], got [2, 3, 8]}}
  // expected-error@+1 {{'kiln.conv2d' op failed to infer returned types}}
  %0 = kiln.conv2d %x, %w strides = [1, 1] padding = [0, 0] dilations = [1, 1] groups = 1 : tensor<2x3x8xf32>, tensor<4x3x3x3xf32> -> tensor<2x4x6x6xf32>
  return
}

// -----

func.func @conv_strides(%x: tensor<2x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+2 {{conv2d strides must be >= 1, got [0, 1]}}
  // expected-error@+1 {{'kiln.conv2d' op failed to infer returned types}}
  %0 = kiln.conv2d %x, %w strides = [0, 1] padding = [0, 0] dilations = [1, 1] groups = 1 : tensor<2x3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<2x4x6x6xf32>
  return
}

// -----

func.func @conv_padding_arity(%x: tensor<2x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+2 {{conv2d needs 2 padding (height, width), got [0]}}
  // expected-error@+1 {{'kiln.conv2d' op failed to infer returned types}}
  %0 = kiln.conv2d %x, %w strides = [1, 1] padding = [0] dilations = [1, 1] groups = 1 : tensor<2x3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<2x4x6x6xf32>
  return
}

// -----

func.func @conv_wrong_result(%x: tensor<2x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+2 {{'kiln.conv2d' op inferred type(s) 'tensor<2x4x4x4xf32>' are incompatible with return type(s) of operation 'tensor<2x4x8x8xf32>'}}
  // expected-error@+1 {{'kiln.conv2d' op failed to infer returned types}}
  %0 = kiln.conv2d %x, %w strides = [2, 2] padding = [1, 1] dilations = [1, 1] groups = 1 : tensor<2x3x8x8xf32>, tensor<4x3x3x3xf32> -> tensor<2x4x8x8xf32>
  return
}

// -----

func.func @backward_data_mismatch(%g: tensor<2x4x4x4xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{conv2d of result [2, 3, 10, 10] with weight [4, 3, 3, 3] gives [2, 4, 5, 5], which does not match grad [2, 4, 4, 4]}}
  %0 = kiln.conv2d_backward_data %g, %w strides = [2, 2] padding = [1, 1] dilations = [1, 1] groups = 1 : tensor<2x4x4x4xf32>, tensor<4x3x3x3xf32> -> tensor<2x3x10x10xf32>
  return
}

// -----

func.func @backward_data_channels(%g: tensor<2x4x4x4xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error@+1 {{conv2d weight [4, 3, 3, 3] (groups = 1) expects 3 input channels, got result [2, 2, 8, 8]}}
  %0 = kiln.conv2d_backward_data %g, %w strides = [2, 2] padding = [1, 1] dilations = [1, 1] groups = 1 : tensor<2x4x4x4xf32>, tensor<4x3x3x3xf32> -> tensor<2x2x8x8xf32>
  return
}

// -----

func.func @backward_weights_mismatch(%g: tensor<2x4x6x6xf32>, %x: tensor<2x3x8x8xf32>) {
  // expected-error@+1 {{conv2d of input [2, 3, 8, 8] with result [4, 3, 2, 2] gives [2, 4, 7, 7], which does not match grad [2, 4, 6, 6]}}
  %0 = kiln.conv2d_backward_weights %g, %x strides = [1, 1] padding = [0, 0] dilations = [1, 1] groups = 1 : tensor<2x4x6x6xf32>, tensor<2x3x8x8xf32> -> tensor<4x3x2x2xf32>
  return
}

// -----

func.func @pool_padding(%x: tensor<1x2x8x8xf32>) {
  // expected-error@+2 {{max_pool2d padding [2, 0] exceeds half the kernel [2, 2]}}
  // expected-error@+1 {{'kiln.max_pool2d' op failed to infer returned types}}
  %0 = kiln.max_pool2d %x kernel = [2, 2] strides = [2, 2] padding = [2, 0] : tensor<1x2x8x8xf32> -> tensor<1x2x6x4xf32>
  return
}

// -----

func.func @pool_too_large(%x: tensor<1x2x2x8xf32>) {
  // expected-error@+2 {{avg_pool2d kernel [3, 3] does not fit input [1, 2, 2, 8] padded by [0, 0]}}
  // expected-error@+1 {{'kiln.avg_pool2d' op failed to infer returned types}}
  %0 = kiln.avg_pool2d %x kernel = [3, 3] strides = [1, 1] padding = [0, 0] : tensor<1x2x2x8xf32> -> tensor<1x2x1x6xf32>
  return
}

// -----

func.func @max_pool_grad_mismatch(%g: tensor<1x2x3x3xf32>, %x: tensor<1x2x8x8xf32>) {
  // expected-error@+1 {{max_pool2d_grad: pooling input [1, 2, 8, 8] gives [1, 2, 4, 4], which does not match grad [1, 2, 3, 3]}}
  %0 = kiln.max_pool2d_grad %g, %x kernel = [2, 2] strides = [2, 2] padding = [0, 0] : tensor<1x2x3x3xf32>, tensor<1x2x8x8xf32>
  return
}

// -----

func.func @avg_pool_grad_mismatch(%g: tensor<1x2x4x4xf32>) {
  // expected-error@+1 {{pooling result [1, 2, 10, 10] gives [1, 2, 5, 5], which does not match grad [1, 2, 4, 4]}}
  %0 = kiln.avg_pool2d_grad %g kernel = [2, 2] strides = [2, 2] padding = [0, 0] : tensor<1x2x4x4xf32> -> tensor<1x2x10x10xf32>
  return
}

// -----

func.func @avg_pool_grad_element(%g: tensor<1x2x4x4xf32>) {
  // expected-error@+1 {{grad and result differ in element type}}
  %0 = kiln.avg_pool2d_grad %g kernel = [2, 2] strides = [2, 2] padding = [0, 0] : tensor<1x2x4x4xf32> -> tensor<1x2x8x8xf64>
  return
}
