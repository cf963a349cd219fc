// RUN: kiln-opt --convert-kiln-to-linalg --split-input-file %s | FileCheck %s

// normalize: the mean and the variance reduce the trailing dimensions into
// one statistic per leading index; the output map reads them back.
// CHECK-DAG:   #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG:   #[[LEAD:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
// CHECK-LABEL: func.func @normalize
func.func @normalize(%x: tensor<2x3x4x5xf32>) -> tensor<2x3x4x5xf32> {
  // CHECK:       %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[LEAD]]], iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%arg0
  // 1 / 20 elements per statistic.
  // CHECK:         arith.constant 5.000000e-02 : f32
  // CHECK:       linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "reduction"]
  // CHECK:         arith.subf
  // CHECK:         arith.mulf
  // CHECK:       math.sqrt
  // CHECK:       %[[Y:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[LEAD]], #[[LEAD]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
  // CHECK:       return %[[Y]]
  %0 = kiln.normalize %x axis = 2 : tensor<2x3x4x5xf32>
  return %0 : tensor<2x3x4x5xf32>
}

// -----

// The gradient recomputes the statistics and sums g and g * xhat per
// statistic before one elementwise map.
// CHECK-LABEL: func.func @normalize_grad
func.func @normalize_grad(%g: tensor<4x6xf64>, %x: tensor<4x6xf64>) -> tensor<4x6xf64> {
  // CHECK-COUNT-4: iterator_types = ["parallel", "reduction"]
  // CHECK:       %[[DX:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
  // CHECK:         arith.constant 6.000000e+00 : f64
  // CHECK:       return %[[DX]]
  %0 = kiln.normalize_grad %g, %x axis = 1 {epsilon = 1.0e-03} : tensor<4x6xf64>
  return %0 : tensor<4x6xf64>
}

// -----

// Local response normalization: a gather summing the squares of the window
// [c - 1, c] (size 2 hangs one channel before), clamped at the edges; then
// x * (1 + 1e-4 / 2 * sum)^-0.75.
// CHECK-LABEL: func.func @lrn
func.func @lrn(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  // CHECK:       %[[SUMS:.*]] = linalg.generic {{.*}} outs(
  // CHECK:         %[[C:.*]] = linalg.index 1
  // CHECK:         %[[PREV:.*]] = arith.addi %[[C]], %c-1
  // CHECK:         %[[LOW:.*]] = arith.maxsi %[[PREV]], %c0
  // CHECK:         %[[AT:.*]] = arith.minsi %[[LOW]], %c2
  // CHECK:         %[[IN:.*]] = arith.cmpi eq, %[[PREV]], %[[AT]]
  // CHECK:         %[[V:.*]] = tensor.extract %arg0[%{{.*}}, %[[AT]], %{{.*}}]
  // CHECK:         %[[SQ:.*]] = arith.mulf %[[V]], %[[V]]
  // CHECK:         arith.select %[[IN]], %[[SQ]]
  // CHECK:         tensor.extract
  // CHECK-NOT:     tensor.extract
  // CHECK:         linalg.yield
  // CHECK:       %[[Y:.*]] = linalg.generic {{.*}} ins(%arg0, %[[SUMS]]
  // CHECK:         arith.constant 5.000000e-05 : f32
  // CHECK:         arith.constant -7.500000e-01 : f32
  // CHECK:         math.powf
  // CHECK:       return %[[Y]]
  %0 = kiln.local_response_norm %x size = 2 : tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// Its gradient sums g x s^(-beta - 1) over the mirrored window [c, c + 1].
// CHECK-LABEL: func.func @lrn_grad
func.func @lrn_grad(%g: tensor<2x3xf32>, %x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK:       %[[SUMS:.*]] = linalg.generic
  // CHECK:         arith.addi %{{.*}}, %c-1
  // CHECK:       %[[T:.*]] = linalg.generic {{.*}} ins(%arg0, %arg1, %[[SUMS]]
  // CHECK:         arith.constant -1.750000e+00 : f32
  // CHECK:       %[[SPREAD:.*]] = linalg.generic
  // CHECK-NOT:     %c-1
  // CHECK:         arith.addi %{{.*}}, %c1
  // CHECK:         tensor.extract %[[T]]
  // CHECK:       %[[DX:.*]] = linalg.generic {{.*}} ins(%arg0, %arg1, %[[SUMS]], %[[SPREAD]]
  // CHECK:       return %[[DX]]
  %0 = kiln.local_response_norm_grad %g, %x size = 2 : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// rsqrt is 1 / sqrt(x): math.rsqrt has no f64 lowering to LLVM.
// CHECK-LABEL: func.func @rsqrt
func.func @rsqrt(%x: tensor<3xf64>) -> tensor<3xf64> {
  // CHECK:       linalg.generic
  // CHECK:         %[[ROOT:.*]] = math.sqrt
  // CHECK:         arith.divf %{{.*}}, %[[ROOT]] : f64
  %0 = kiln.rsqrt %x : tensor<3xf64>
  return %0 : tensor<3xf64>
}
