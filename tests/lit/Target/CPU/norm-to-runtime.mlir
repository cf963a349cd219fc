// RUN: kiln-opt --kiln-select-library-calls=target=cpu --kiln-lower-to-runtime-calls --split-input-file %s | FileCheck %s

// f32 batch normalization calls the runtime's oneDNN primitives: operands,
// then one fresh buffer per result, then [batch, channels, spatial], the
// training flag, epsilon and momentum.

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

// The gradient of a [batch, features] batch norm: spatial size 1.
// CHECK-LABEL: func.func @gradient
// CHECK-DAG:     %[[N:.*]] = arith.constant 8 : i64
// CHECK-DAG:     %[[C:.*]] = arith.constant 5 : i64
// CHECK-DAG:     %[[S:.*]] = arith.constant 1 : i64
// CHECK:         call @kiln_rt_batch_norm_backward_f32({{.*}}, %[[N]], %[[C]], %[[S]], %{{.*}}, %c0_i64)
// CHECK-NOT:     linalg.generic
func.func @gradient(%g: tensor<8x5xf32>, %x: tensor<8x5xf32>, %w: tensor<5xf32>) -> (tensor<8x5xf32>, tensor<5xf32>, tensor<5xf32>) {
  %0, %1, %2 = kiln.batch_norm_grad %g, %x, %w {epsilon = 1.0e-05 : f64} : tensor<8x5xf32>, tensor<5xf32>
  return %0, %1, %2 : tensor<8x5xf32>, tensor<5xf32>, tensor<5xf32>
}
