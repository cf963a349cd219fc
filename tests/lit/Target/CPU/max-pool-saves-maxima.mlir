// RUN: kiln-opt %s --kiln-select-library-calls=target=cpu --split-input-file | FileCheck %s
//
// An f32 max pooling with its gradient in the same step: the forward call
// returns where each window's maximum was (oneDNN's workspace, one byte per
// output element for windows under 256 elements) and the gradient reads it
// instead of pooling again.

// CHECK-LABEL: func.func @with_gradient
// CHECK:         %[[F:.*]]:2 = kiln.runtime_call "kiln_rt_max_pool2d_forward_training_f32"(%arg0)
// CHECK-SAME:      -> (tensor<2x3x3x2xf32>, tensor<36xi8>)
// CHECK:         %[[G:.*]] = kiln.runtime_call "kiln_rt_max_pool2d_backward_saved_f32"(%arg1, %[[F]]#1)
// CHECK-SAME:      channels = 3 : i64
// CHECK:         return %[[F]]#0, %[[G]]
func.func @with_gradient(%x: tensor<2x3x5x4xf32>, %g: tensor<2x3x3x2xf32>) -> (tensor<2x3x3x2xf32>, tensor<2x3x5x4xf32>) {
  %y = kiln.max_pool2d %x kernel = [3, 2] strides = [2, 2] padding = [1, 0] : tensor<2x3x5x4xf32> -> tensor<2x3x3x2xf32>
  %d = kiln.max_pool2d_grad %g, %x kernel = [3, 2] strides = [2, 2] padding = [1, 0] : tensor<2x3x3x2xf32>, tensor<2x3x5x4xf32>
  return %y, %d : tensor<2x3x3x2xf32>, tensor<2x3x5x4xf32>
}

// -----

// Inference: the plain forward call, no workspace.
// CHECK-LABEL: func.func @inference
// CHECK:         kiln.runtime_call "kiln_rt_max_pool2d_forward_f32"(%arg0)
func.func @inference(%x: tensor<2x3x5x4xf32>) -> tensor<2x3x3x2xf32> {
  %y = kiln.max_pool2d %x kernel = [3, 2] strides = [2, 2] padding = [1, 0] : tensor<2x3x5x4xf32> -> tensor<2x3x3x2xf32>
  return %y : tensor<2x3x3x2xf32>
}

// -----

// A gradient of another window, or without a forward call, pools again.
// CHECK-LABEL: func.func @other_window
// CHECK:         kiln.runtime_call "kiln_rt_max_pool2d_forward_f32"(%arg0)
// CHECK:         kiln.runtime_call "kiln_rt_max_pool2d_backward_f32"(%arg1, %arg0)
func.func @other_window(%x: tensor<2x3x5x4xf32>, %g: tensor<2x3x2x2xf32>) -> (tensor<2x3x3x2xf32>, tensor<2x3x5x4xf32>) {
  %y = kiln.max_pool2d %x kernel = [3, 2] strides = [2, 2] padding = [1, 0] : tensor<2x3x5x4xf32> -> tensor<2x3x3x2xf32>
  %d = kiln.max_pool2d_grad %g, %x kernel = [2, 2] strides = [2, 2] padding = [0, 0] : tensor<2x3x2x2xf32>, tensor<2x3x5x4xf32>
  return %y, %d : tensor<2x3x3x2xf32>, tensor<2x3x5x4xf32>
}

// -----

// Windows of 256 elements or more: four bytes per output element.
// CHECK-LABEL: func.func @large_window
// CHECK:         kiln.runtime_call "kiln_rt_max_pool2d_forward_training_f32"
// CHECK-SAME:      -> (tensor<1x2x1x1xf32>, tensor<8xi8>)
func.func @large_window(%x: tensor<1x2x16x16xf32>, %g: tensor<1x2x1x1xf32>) -> (tensor<1x2x1x1xf32>, tensor<1x2x16x16xf32>) {
  %y = kiln.max_pool2d %x kernel = [16, 16] strides = [16, 16] padding = [0, 0] : tensor<1x2x16x16xf32> -> tensor<1x2x1x1xf32>
  %d = kiln.max_pool2d_grad %g, %x kernel = [16, 16] strides = [16, 16] padding = [0, 0] : tensor<1x2x1x1xf32>, tensor<1x2x16x16xf32>
  return %y, %d : tensor<1x2x1x1xf32>, tensor<1x2x16x16xf32>
}
