// RUN: kiln-opt --convert-kiln-to-linalg --split-input-file %s | FileCheck %s

// Batch normalization in f64 (f32 calls oneDNN: norm-to-runtime.mlir).
// Inference form: one elementwise map with the running statistics; the new
// statistics are the old ones.
// CHECK-LABEL: func.func @inference
func.func @inference(%x: tensor<4x3xf64>, %w: tensor<3xf64>, %b: tensor<3xf64>,
                     %m: tensor<3xf64>, %v: tensor<3xf64>) -> (tensor<4x3xf64>, tensor<3xf64>) {
  // CHECK:       %[[INV:.*]] = linalg.generic {{.*}} ins(%arg4
  // CHECK:         math.sqrt
  // CHECK:       %[[Y:.*]] = linalg.generic {{.*}} ins(%arg0, %arg3, %[[INV]], %arg1, %arg2
  // CHECK:       return %[[Y]], %arg3
  %0, %1, %2 = kiln.batch_norm %x, %w, %b, %m, %v {epsilon = 1.0e-05 : f64, momentum = 1.0e-01 : f64} : tensor<4x3xf64>, tensor<3xf64>
  return %0, %1 : tensor<4x3xf64>, tensor<3xf64>
}

// -----

// Training form: per-channel reductions over the batch and spatial dims.
// CHECK-LABEL: func.func @training
func.func @training(%x: tensor<2x3x4x4xf64>, %w: tensor<3xf64>, %b: tensor<3xf64>,
                    %m: tensor<3xf64>, %v: tensor<3xf64>) -> (tensor<2x3x4x4xf64>, tensor<3xf64>, tensor<3xf64>) {
  // CHECK:       linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "reduction", "reduction"]
  // CHECK:         arith.addf {{.*}} fastmath<reassoc> : f64
  // CHECK:       linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "reduction", "reduction"]
  // CHECK:         arith.addf {{.*}} fastmath<reassoc> : f64
  // Running statistics: (1 - 0.1) * running + 0.1 * batch (variance unbiased by 32/31).
  // CHECK:       arith.constant 9.000000e-01 : f64
  %0, %1, %2 = kiln.batch_norm %x, %w, %b, %m, %v {epsilon = 1.0e-05 : f64, momentum = 1.0e-01 : f64, training} : tensor<2x3x4x4xf64>, tensor<3xf64>
  return %0, %1, %2 : tensor<2x3x4x4xf64>, tensor<3xf64>, tensor<3xf64>
}

// -----

// Dropout: the identity at inference, a hashed mask in training.
// CHECK-LABEL: func.func @dropout
func.func @dropout(%x: tensor<8xf32>, %s: tensor<i64>) -> (tensor<8xf32>, tensor<8xf32>) {
  // CHECK:       %[[SEED:.*]] = tensor.extract %arg1[] : tensor<i64>
  // CHECK:       %[[MASKED:.*]] = linalg.generic
  // CHECK:         linalg.index 0
  // CHECK:         arith.shrui
  // CHECK:         arith.cmpf oge
  // CHECK:         arith.select
  // CHECK:       return %arg0, %[[MASKED]]
  %0 = kiln.dropout %x, %s {rate = 2.5e-01 : f64, stream = 3 : i64} : tensor<8xf32>
  %1 = kiln.dropout %x, %s {rate = 2.5e-01 : f64, stream = 3 : i64, training} : tensor<8xf32>
  return %0, %1 : tensor<8xf32>, tensor<8xf32>
}
