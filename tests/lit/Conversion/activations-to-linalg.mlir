// RUN: kiln-opt --convert-kiln-to-linalg --split-input-file %s | FileCheck %s

// Elementwise activations: one generic each, with PyTorch's formulas.

// CHECK-LABEL: func.func @elementwise
func.func @elementwise(%x: tensor<4x5xf32>) -> (tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>) {
  // sigmoid: 1 / (1 + exp(-x))
  // CHECK:       linalg.generic
  // CHECK:         arith.negf
  // CHECK:         math.exp
  // CHECK:         arith.addf
  // CHECK:         arith.divf
  %0 = kiln.sigmoid %x : tensor<4x5xf32>
  // CHECK:       linalg.generic
  // CHECK:         math.tanh
  %1 = kiln.tanh %x : tensor<4x5xf32>
  // CHECK:       linalg.generic
  // CHECK:         %[[SLOPE:.*]] = arith.constant 2.000000e-01 : f32
  // CHECK-DAG:     %[[NEG:.*]] = arith.mulf %{{.*}}, %[[SLOPE]]
  // CHECK-DAG:     %[[POS:.*]] = arith.cmpf ogt
  // CHECK:         arith.select %[[POS]], %{{.*}}, %[[NEG]]
  %2 = kiln.leaky_relu %x {negative_slope = 0.2} : tensor<4x5xf32>
  // CHECK:       linalg.generic
  // CHECK:         math.expm1
  // CHECK:         arith.select
  %3 = kiln.elu %x : tensor<4x5xf32>
  // CHECK:       linalg.generic
  // CHECK:         math.absf
  // CHECK:         arith.divf
  %4 = kiln.softsign %x : tensor<4x5xf32>
  // softplus is linear above the threshold (20 by default).
  // CHECK:       linalg.generic
  // CHECK:         math.exp
  // CHECK:         math.log1p
  // CHECK:         arith.constant 2.000000e+01 : f32
  // CHECK:         arith.select
  %5 = kiln.softplus %x : tensor<4x5xf32>
  // gelu: x * 0.5 * (1 + erf(x / sqrt(2)))
  // CHECK:       linalg.generic
  // CHECK:         arith.constant 0.707106769 : f32
  // CHECK:         math.erf
  %6 = kiln.gelu %x : tensor<4x5xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>
}

// -----

// The softmax family along an inner axis: the maximum, then the sum of
// exp(x - max), both dropping the axis, then one elementwise map.

// CHECK-DAG:   #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG:   #[[DROP:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @softmax
func.func @softmax(%x: tensor<2x3x4xf64>) -> (tensor<2x3x4xf64>, tensor<2x3x4xf64>) {
  // CHECK:       %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[DROP]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%arg0
  // CHECK:         arith.maximumf
  // CHECK:       %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[DROP]], #[[DROP]]], iterator_types = ["parallel", "reduction", "parallel"]} ins(%arg0, %[[MAX]]
  // CHECK:         math.exp
  // CHECK:       linalg.generic {indexing_maps = [#[[ID]], #[[DROP]], #[[DROP]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg0, %[[MAX]], %[[SUM]]
  // CHECK:         arith.subf
  // CHECK-NEXT:    math.exp
  // CHECK-NEXT:    arith.divf
  %0 = kiln.softmax %x axis = 1 : tensor<2x3x4xf64>
  // CHECK:       linalg.generic {indexing_maps = [#[[ID]], #[[DROP]], #[[DROP]], #[[ID]]]
  // CHECK:         arith.subf
  // CHECK-NEXT:    math.log
  // CHECK-NEXT:    arith.subf
  %1 = kiln.log_softmax %x axis = 1 : tensor<2x3x4xf64>
  return %0, %1 : tensor<2x3x4xf64>, tensor<2x3x4xf64>
}
