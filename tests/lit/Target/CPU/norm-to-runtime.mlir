// RUN: kiln-opt --kiln-select-library-calls=target=cpu --kiln-lower-to-runtime-calls --split-input-file %s | FileCheck %s
// RUN: kiln-opt --kiln-select-library-calls=target=cpu --split-input-file %s | FileCheck %s --check-prefix=CALLS

// f32 batch normalization calls the runtime's oneDNN primitives: operands,
// then one fresh buffer per result (the saved mean and variance last), then
// [batch, channels, spatial], the training flag, epsilon and momentum.

// CHECK-LABEL: func.func @training
// CHECK-DAG:     %[[N:.*]] = arith.constant 2 : i64
// CHECK-DAG:     %[[C:.*]] = arith.constant 3 : i64
// CHECK-DAG:     %[[S:.*]] = arith.constant 16 : i64
// CHECK-DAG:     %[[T:.*]] = arith.constant 1 : i64
// CHECK-DAG:     %[[EPS:.*]] = arith.constant 1.000000e-05 : f64
// CHECK-DAG:     %[[MOM:.*]] = arith.constant 1.000000e-01 : f64
// CHECK:         call @kiln_rt_batch_norm_forward_f32({{.*}}, %[[N]], %[[C]], %[[S]], %[[T]], %[[EPS]], %[[MOM]], %c0_i64, %c0_i64)
// CHECK-COUNT-3: bufferization.to_tensor
func.func @training(%x: tensor<2x3x4x4xf32>, %w: tensor<3xf32>, %b: tensor<3xf32>,
                    %m: tensor<3xf32>, %v: tensor<3xf32>) -> (tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>) {
  %0, %1, %2 = kiln.batch_norm %x, %w, %b, %m, %v {epsilon = 1.0e-05 : f64, momentum = 1.0e-01 : f64, training} : tensor<2x3x4x4xf32>, tensor<3xf32>
  return %0, %1, %2 : tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// The gradient of a [batch, features] batch norm (spatial size 1) reads
// the statistics its forward call saved.
// CHECK-LABEL: func.func @gradient
// CHECK-DAG:     %[[N:.*]] = arith.constant 8 : i64
// CHECK-DAG:     %[[C:.*]] = arith.constant 5 : i64
// CHECK-DAG:     %[[S:.*]] = arith.constant 1 : i64
// CHECK:         call @kiln_rt_batch_norm_forward_f32
// CHECK:         call @kiln_rt_batch_norm_backward_f32({{.*}}, %[[N]], %[[C]], %[[S]], %{{.*}}, %c0_i64)
// CHECK-NOT:     linalg.generic
// CALLS-LABEL: func.func @gradient
// CALLS:         %[[F:.*]]:5 = kiln.runtime_call "kiln_rt_batch_norm_forward_f32"(%arg1, %arg2, %arg3, %arg4, %arg5)
// CALLS:         kiln.runtime_call "kiln_rt_batch_norm_backward_f32"(%arg0, %arg1, %arg2, %[[F]]#3, %[[F]]#4)
func.func @gradient(%g: tensor<8x5xf32>, %x: tensor<8x5xf32>, %w: tensor<5xf32>, %b: tensor<5xf32>,
                    %m: tensor<5xf32>, %v: tensor<5xf32>) -> (tensor<8x5xf32>, tensor<8x5xf32>, tensor<5xf32>, tensor<5xf32>) {
  %y, %rm, %rv = kiln.batch_norm %x, %w, %b, %m, %v {epsilon = 1.0e-05 : f64, momentum = 1.0e-01 : f64, training} : tensor<8x5xf32>, tensor<5xf32>
  %0, %1, %2 = kiln.batch_norm_grad %g, %x, %w {epsilon = 1.0e-05 : f64} : tensor<8x5xf32>, tensor<5xf32>
  return %y, %0, %1, %2 : tensor<8x5xf32>, tensor<8x5xf32>, tensor<5xf32>, tensor<5xf32>
}

// -----

// A gradient without its forward call, or of another weight, keeps the
// linalg lowering, which recomputes the statistics.
// CALLS-LABEL: func.func @gradient_alone
// CALLS:         kiln.runtime_call "kiln_rt_batch_norm_forward_f32"
// CALLS:         kiln.batch_norm_grad %arg0, %arg1, %arg6
// CALLS-NOT:     kiln_rt_batch_norm_backward_f32
func.func @gradient_alone(%g: tensor<8x5xf32>, %x: tensor<8x5xf32>, %w: tensor<5xf32>, %b: tensor<5xf32>,
                          %m: tensor<5xf32>, %v: tensor<5xf32>, %w2: tensor<5xf32>) -> (tensor<8x5xf32>, tensor<8x5xf32>, tensor<5xf32>, tensor<5xf32>) {
  %y, %rm, %rv = kiln.batch_norm %x, %w, %b, %m, %v {epsilon = 1.0e-05 : f64, momentum = 1.0e-01 : f64, training} : tensor<8x5xf32>, tensor<5xf32>
  %0, %1, %2 = kiln.batch_norm_grad %g, %x, %w2 {epsilon = 1.0e-05 : f64} : tensor<8x5xf32>, tensor<5xf32>
  return %y, %0, %1, %2 : tensor<8x5xf32>, tensor<8x5xf32>, tensor<5xf32>, tensor<5xf32>
}
