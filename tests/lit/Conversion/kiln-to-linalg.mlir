// RUN: kiln-opt --convert-kiln-to-linalg --split-input-file %s | FileCheck %s

// A linear layer, ReLU and the stable softmax cross-entropy.

// CHECK-DAG:   #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG:   #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @layers
func.func @layers(%x: tensor<4x6xf32>, %w: tensor<5x6xf32>, %b: tensor<5xf32>, %y: tensor<4xi32>) -> (tensor<4xf32>, tensor<4x5xf32>) {
  // CHECK:       %[[ZERO:.*]] = linalg.fill
  // CHECK:       %[[MM:.*]] = linalg.matmul_transpose_b ins(%arg0, %arg1 : tensor<4x6xf32>, tensor<5x6xf32>) outs(%[[ZERO]] : tensor<4x5xf32>)
  %0 = kiln.matmul %x, %w {transpose_rhs} : tensor<4x6xf32>, tensor<5x6xf32> -> tensor<4x5xf32>
  // CHECK:       %[[BIAS:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[COL]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[MM]], %arg2
  // CHECK:         arith.addf
  %1 = kiln.bias_add %0, %b : tensor<4x5xf32>, tensor<5xf32>
  // CHECK:       %[[RELU:.*]] = linalg.generic {{.*}} ins(%[[BIAS]]
  // CHECK:         arith.maximumf
  %2 = kiln.relu %1 : tensor<4x5xf32>
  // Row maximum, then sum of exp(x - max), then log(sum) + max - x[label]:
  // CHECK:       %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[RELU]]
  // CHECK:         arith.maximumf
  // CHECK:       %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[RELU]], %[[MAX]]
  // CHECK:         math.exp
  // CHECK:       linalg.generic {{.*}} ins(%[[MAX]], %[[SUM]], %arg3
  // CHECK:         tensor.extract %[[RELU]]
  // CHECK:         math.log
  %3 = kiln.softmax_cross_entropy %2, %y : tensor<4x5xf32>, tensor<4xi32> -> tensor<4xf32>
  return %3, %2 : tensor<4xf32>, tensor<4x5xf32>
}

// -----

// Structure ops: reshape through a 1-D view, reductions and broadcasts.

// CHECK-LABEL: func.func @structure
func.func @structure(%x: tensor<4x2x3xf32>) -> tensor<4x6xf32> {
  // CHECK:       %[[FLAT:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1, 2]] : tensor<4x2x3xf32> into tensor<24xf32>
  // CHECK:       %[[VIEW:.*]] = tensor.expand_shape %[[FLAT]] {{\[\[}}0, 1]] output_shape [4, 6] : tensor<24xf32> into tensor<4x6xf32>
  %0 = kiln.reshape %x : tensor<4x2x3xf32> -> tensor<4x6xf32>
  // Sums are reassociable, so LLVM may vectorize them.
  // CHECK:       linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]
  // CHECK:         arith.addf {{.*}} fastmath<reassoc> : f32
  %1 = kiln.reduce_sum %0 axes = [0] : tensor<4x6xf32> -> tensor<6xf32>
  // CHECK:       linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
  %2 = kiln.broadcast %1 axes = [0] : tensor<6xf32> -> tensor<4x6xf32>
  // CHECK:       arith.mulf
  %3 = kiln.scale %2 by 2.0 : tensor<4x6xf32>
  return %3 : tensor<4x6xf32>
}

// -----

// Both operands transposed: lhs^T is materialised so one named op remains.

// CHECK:       #[[SWAP:.*]] = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-LABEL: func.func @transpose_both
func.func @transpose_both(%a: tensor<3x4xf64>, %b: tensor<5x3xf64>) -> tensor<4x5xf64> {
  // CHECK:       %[[AT:.*]] = linalg.generic {indexing_maps = [#[[SWAP]], {{.*}} ins(%arg0 : tensor<3x4xf64>) outs({{.*}} : tensor<4x3xf64>)
  // CHECK:       linalg.matmul_transpose_b ins(%[[AT]], %arg1
  %0 = kiln.matmul %a, %b {transpose_lhs, transpose_rhs} : tensor<3x4xf64>, tensor<5x3xf64> -> tensor<4x5xf64>
  return %0 : tensor<4x5xf64>
}
