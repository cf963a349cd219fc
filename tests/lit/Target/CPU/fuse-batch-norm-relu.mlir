// RUN: kiln-opt %s --kiln-cpu-fuse-batch-norm-relu --split-input-file | FileCheck %s
//
// Input as kiln-cpu-assign-layouts leaves it: batch-norm calls on
// channel-blocked maps [2, 16 / 16, 4, 4, 16], ReLU and its gradient between.

// The training forward call applies the ReLU and returns its mask (a bit
// per element: 512 bits), and the gradient through ReLU and batch norm is
// one call that reads the saved statistics, the mask and the bias (the
// ReLU's mask depends on it).
// CHECK-LABEL: func.func @fused
// CHECK-NOT:     kiln.relu
// CHECK:         %[[Y:.*]]:6 = kiln.runtime_call "kiln_rt_batch_norm_relu_forward_f32"(%arg0, %arg1, %arg2, %arg3, %arg4)
// CHECK-SAME:      {batch = 2 : i64, channels = 16 : i64, epsilon = 1.000000e-05 : f64, layout = 16 : i64, momentum = 1.000000e-01 : f64, spatial = 16 : i64}
// CHECK-SAME:      -> (tensor<2x1x4x4x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<64xi8>)
// CHECK:         %[[G:.*]]:3 = kiln.runtime_call "kiln_rt_batch_norm_relu_backward_f32"(%arg5, %arg0, %arg1, %arg2, %[[Y]]#3, %[[Y]]#4, %[[Y]]#5)
// CHECK-SAME:      epsilon = 1.000000e-05 : f64, layout = 16 : i64
// CHECK-NOT:     kiln.relu_grad
// CHECK:         return %[[Y]]#0, %[[G]]#0, %[[G]]#1, %[[G]]#2
func.func @fused(%x: tensor<2x1x4x4x16xf32>, %w: tensor<16xf32>, %b: tensor<16xf32>, %m: tensor<16xf32>, %v: tensor<16xf32>, %g: tensor<2x1x4x4x16xf32>)
    -> (tensor<2x1x4x4x16xf32>, tensor<2x1x4x4x16xf32>, tensor<16xf32>, tensor<16xf32>) {
  %y:5 = kiln.runtime_call "kiln_rt_batch_norm_forward_f32"(%x, %w, %b, %m, %v) {batch = 2 : i64, channels = 16 : i64, epsilon = 1.0e-05 : f64, layout = 16 : i64, momentum = 1.0e-01 : f64, relu = 0 : i64, spatial = 16 : i64, training = 1 : i64}
      : (tensor<2x1x4x4x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> (tensor<2x1x4x4x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>)
  %r = kiln.relu %y#0 : tensor<2x1x4x4x16xf32>
  %d = kiln.relu_grad %g, %y#0 : tensor<2x1x4x4x16xf32>
  %dx:3 = kiln.runtime_call "kiln_rt_batch_norm_backward_f32"(%d, %x, %w, %y#3, %y#4) {batch = 2 : i64, channels = 16 : i64, epsilon = 1.0e-05 : f64, layout = 16 : i64, spatial = 16 : i64}
      : (tensor<2x1x4x4x16xf32>, tensor<2x1x4x4x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> (tensor<2x1x4x4x16xf32>, tensor<16xf32>, tensor<16xf32>)
  return %r, %dx#0, %dx#1, %dx#2 : tensor<2x1x4x4x16xf32>, tensor<2x1x4x4x16xf32>, tensor<16xf32>, tensor<16xf32>
}

// -----

// The normalized map is also returned: nothing fuses.
// CHECK-LABEL: func.func @also_used
// CHECK:         "kiln_rt_batch_norm_forward_f32"{{.*}}relu = 0 : i64
// CHECK:         kiln.relu
func.func @also_used(%x: tensor<2x1x4x4x16xf32>, %w: tensor<16xf32>) -> (tensor<2x1x4x4x16xf32>, tensor<2x1x4x4x16xf32>) {
  %y:5 = kiln.runtime_call "kiln_rt_batch_norm_forward_f32"(%x, %w, %w, %w, %w) {batch = 2 : i64, channels = 16 : i64, epsilon = 1.0e-05 : f64, layout = 16 : i64, momentum = 1.0e-01 : f64, relu = 0 : i64, spatial = 16 : i64, training = 1 : i64}
      : (tensor<2x1x4x4x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> (tensor<2x1x4x4x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>)
  %r = kiln.relu %y#0 : tensor<2x1x4x4x16xf32>
  return %r, %y#0 : tensor<2x1x4x4x16xf32>, tensor<2x1x4x4x16xf32>
}

// -----

// The ReLU's gradient feeds something other than the batch norm's backward
// call: it needs the normalized map, so nothing fuses.
// CHECK-LABEL: func.func @gradient_elsewhere
// CHECK:         "kiln_rt_batch_norm_forward_f32"{{.*}}relu = 0 : i64
// CHECK:         kiln.relu
// CHECK:         kiln.relu_grad
func.func @gradient_elsewhere(%x: tensor<2x1x4x4x16xf32>, %w: tensor<16xf32>, %g: tensor<2x1x4x4x16xf32>) -> (tensor<2x1x4x4x16xf32>, tensor<2x1x4x4x16xf32>) {
  %y:5 = kiln.runtime_call "kiln_rt_batch_norm_forward_f32"(%x, %w, %w, %w, %w) {batch = 2 : i64, channels = 16 : i64, epsilon = 1.0e-05 : f64, layout = 16 : i64, momentum = 1.0e-01 : f64, relu = 0 : i64, spatial = 16 : i64, training = 1 : i64}
      : (tensor<2x1x4x4x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> (tensor<2x1x4x4x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>)
  %r = kiln.relu %y#0 : tensor<2x1x4x4x16xf32>
  %d = kiln.relu_grad %g, %y#0 : tensor<2x1x4x4x16xf32>
  return %r, %d : tensor<2x1x4x4x16xf32>, tensor<2x1x4x4x16xf32>
}

// -----

// Maps left in NCHW (their channels do not fill blocks) run oneDNN's plain
// kernel, which is slower with the ReLU than without: nothing fuses.
// CHECK-LABEL: func.func @plain
// CHECK:         "kiln_rt_batch_norm_forward_f32"{{.*}}layout = 0 : i64{{.*}}relu = 0 : i64
// CHECK:         kiln.relu
func.func @plain(%x: tensor<8x16xf32>, %w: tensor<16xf32>) -> tensor<8x16xf32> {
  %y:5 = kiln.runtime_call "kiln_rt_batch_norm_forward_f32"(%x, %w, %w, %w, %w) {batch = 8 : i64, channels = 16 : i64, epsilon = 1.0e-05 : f64, layout = 0 : i64, momentum = 1.0e-01 : f64, relu = 0 : i64, spatial = 1 : i64, training = 1 : i64}
      : (tensor<8x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> (tensor<8x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>)
  %r = kiln.relu %y#0 : tensor<8x16xf32>
  return %r : tensor<8x16xf32>
}

// -----

// Inference form: only the forward call, which applies the ReLU.
// CHECK-LABEL: func.func @inference
// CHECK:         "kiln_rt_batch_norm_forward_f32"{{.*}}relu = 1 : i64{{.*}}training = 0 : i64
// CHECK-NOT:     kiln.relu
func.func @inference(%x: tensor<2x1x4x4x16xf32>, %w: tensor<16xf32>) -> tensor<2x1x4x4x16xf32> {
  %y:5 = kiln.runtime_call "kiln_rt_batch_norm_forward_f32"(%x, %w, %w, %w, %w) {batch = 2 : i64, channels = 16 : i64, epsilon = 1.0e-05 : f64, layout = 16 : i64, momentum = 1.0e-01 : f64, relu = 0 : i64, spatial = 16 : i64, training = 0 : i64}
      : (tensor<2x1x4x4x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> (tensor<2x1x4x4x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>)
  %r = kiln.relu %y#0 : tensor<2x1x4x4x16xf32>
  return %r : tensor<2x1x4x4x16xf32>
}

// -----

// A backward call that reads other statistics than this forward call's is
// not its gradient: nothing fuses.
// CHECK-LABEL: func.func @other_statistics
// CHECK:         "kiln_rt_batch_norm_forward_f32"{{.*}}relu = 0 : i64
// CHECK:         kiln.relu
// CHECK:         "kiln_rt_batch_norm_backward_f32"
func.func @other_statistics(%x: tensor<2x1x4x4x16xf32>, %w: tensor<16xf32>, %g: tensor<2x1x4x4x16xf32>, %s: tensor<16xf32>)
    -> (tensor<2x1x4x4x16xf32>, tensor<2x1x4x4x16xf32>) {
  %y:5 = kiln.runtime_call "kiln_rt_batch_norm_forward_f32"(%x, %w, %w, %w, %w) {batch = 2 : i64, channels = 16 : i64, epsilon = 1.0e-05 : f64, layout = 16 : i64, momentum = 1.0e-01 : f64, relu = 0 : i64, spatial = 16 : i64, training = 1 : i64}
      : (tensor<2x1x4x4x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> (tensor<2x1x4x4x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>)
  %r = kiln.relu %y#0 : tensor<2x1x4x4x16xf32>
  %d = kiln.relu_grad %g, %y#0 : tensor<2x1x4x4x16xf32>
  %dx:3 = kiln.runtime_call "kiln_rt_batch_norm_backward_f32"(%d, %x, %w, %s, %s) {batch = 2 : i64, channels = 16 : i64, epsilon = 1.0e-05 : f64, layout = 16 : i64, spatial = 16 : i64}
      : (tensor<2x1x4x4x16xf32>, tensor<2x1x4x4x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> (tensor<2x1x4x4x16xf32>, tensor<16xf32>, tensor<16xf32>)
  return %r, %dx#0 : tensor<2x1x4x4x16xf32>, tensor<2x1x4x4x16xf32>
}

// -----

// A training forward whose ReLU has no gradient in the step (nothing before
// it is trained) still takes the training call with its mask, which nobody
// reads: the plain call's `relu` is for inference only.
// CHECK-LABEL: func.func @training_without_gradient
// CHECK:         %[[Y:.*]]:6 = kiln.runtime_call "kiln_rt_batch_norm_relu_forward_f32"
// CHECK-NOT:     kiln.relu
// CHECK:         return %[[Y]]#0
func.func @training_without_gradient(%x: tensor<2x1x4x4x16xf32>, %w: tensor<16xf32>) -> tensor<2x1x4x4x16xf32> {
  %y:5 = kiln.runtime_call "kiln_rt_batch_norm_forward_f32"(%x, %w, %w, %w, %w) {batch = 2 : i64, channels = 16 : i64, epsilon = 1.0e-05 : f64, layout = 16 : i64, momentum = 1.0e-01 : f64, relu = 0 : i64, spatial = 16 : i64, training = 1 : i64}
      : (tensor<2x1x4x4x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> (tensor<2x1x4x4x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>)
  %r = kiln.relu %y#0 : tensor<2x1x4x4x16xf32>
  return %r : tensor<2x1x4x4x16xf32>
}
