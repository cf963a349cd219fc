// RUN: kiln-opt --convert-kiln-to-linalg --split-input-file %s | FileCheck %s

// transpose reads through the permutation, so it stays fusable.

// CHECK-DAG:   #[[READ:.*]] = affine_map<(d0, d1, d2) -> (d1, d2, d0)>
// CHECK-DAG:   #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @transpose
func.func @transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  // CHECK:       linalg.generic {indexing_maps = [#[[READ]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg0 : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<4x2x3xf32>)
  %0 = kiln.transpose %x permutation = [2, 0, 1] : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  return %0 : tensor<4x2x3xf32>
}

// -----

// concat gathers from each input at its offset along the axis, with the
// index clamped into the input, and selects the input that owns the
// position.

// CHECK-LABEL: func.func @concat
func.func @concat(%a: tensor<2x1xf32>, %b: tensor<2x3xf32>) -> tensor<2x4xf32> {
  // CHECK:       linalg.generic {{.*}} outs(%{{.*}} : tensor<2x4xf32>)
  // CHECK:         %[[J:.*]] = linalg.index 1
  // CHECK:         tensor.extract %arg0
  // CHECK:         %[[SHIFTED:.*]] = arith.subi %[[J]], %c1
  // CHECK:         arith.maxsi %[[SHIFTED]]
  // CHECK:         %[[CLAMPED:.*]] = arith.minsi
  // CHECK:         %[[INSIDE:.*]] = arith.cmpi eq, %[[SHIFTED]], %[[CLAMPED]]
  // CHECK:         %[[B:.*]] = tensor.extract %arg1
  // CHECK:         arith.select %[[INSIDE]], %[[B]]
  %0 = kiln.concat %a, %b axis = 1 : tensor<2x1xf32>, tensor<2x3xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @slices
func.func @slices(%x: tensor<3x6xf64>) -> (tensor<3x2xf64>, tensor<3x6xf64>) {
  // slice reads at the index plus start:
  // CHECK:       linalg.generic {{.*}} outs(%{{.*}} : tensor<3x2xf64>)
  // CHECK:         %[[J:.*]] = linalg.index 1
  // CHECK:         %[[AT:.*]] = arith.addi %[[J]], %c4
  // CHECK:         tensor.extract %arg0[%{{.*}}, %[[AT]]]
  %0 = kiln.slice %x axis = 1 start = 4 end = 6 : tensor<3x6xf64> -> tensor<3x2xf64>
  // slice_grad places it back, zero elsewhere:
  // CHECK:       linalg.generic {{.*}} outs(%{{.*}} : tensor<3x6xf64>)
  // CHECK:         arith.subi %{{.*}}, %c4
  // CHECK:         tensor.extract
  // CHECK:         arith.select %{{.*}}, %{{.*}}, %cst
  %1 = kiln.slice_grad %0 axis = 1 start = 4 : tensor<3x2xf64> -> tensor<3x6xf64>
  return %0, %1 : tensor<3x2xf64>, tensor<3x6xf64>
}

// -----

// Channel blocking splits the channel index: result (n, cb, h, w, c) reads
// channel cb * 8 + c; unblocking reads block c floordiv 8, lane c mod 8.
// CHECK-DAG: #[[BLOCK:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1 * 8 + d4, d2, d3)>
// CHECK-DAG: #[[UNBLOCK:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1 floordiv 8, d2, d3, d1 mod 8)>
// CHECK-LABEL: func.func @channel_blocking
// CHECK:         linalg.generic {indexing_maps = [#[[BLOCK]],
// CHECK:         linalg.generic {indexing_maps = [#[[UNBLOCK]],
func.func @channel_blocking(%x: tensor<2x16x3x3xf32>) -> tensor<2x16x3x3xf32> {
  %b = kiln.block_channels %x block = 8 : tensor<2x16x3x3xf32> -> tensor<2x2x3x3x8xf32>
  %r = kiln.relu %b : tensor<2x2x3x3x8xf32>
  %u = kiln.unblock_channels %r : tensor<2x2x3x3x8xf32> -> tensor<2x16x3x3xf32>
  return %u : tensor<2x16x3x3xf32>
}
