// RUN: kiln-opt %s --canonicalize --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @reshape_of_reshape
// CHECK-SAME:    (%[[X:.*]]: tensor<4x6xf32>)
// CHECK-NEXT:    %[[R:.*]] = kiln.reshape %[[X]] : tensor<4x6xf32> -> tensor<2x12xf32>
// CHECK-NEXT:    return %[[R]]
func.func @reshape_of_reshape(%x: tensor<4x6xf32>) -> tensor<2x12xf32> {
  %0 = kiln.reshape %x : tensor<4x6xf32> -> tensor<24xf32>
  %1 = kiln.reshape %0 : tensor<24xf32> -> tensor<2x12xf32>
  return %1 : tensor<2x12xf32>
}

// -----

// A reshape back to the start is no reshape at all.
// CHECK-LABEL: func.func @reshape_round_trip
// CHECK-SAME:    (%[[X:.*]]: tensor<4x6xf32>)
// CHECK-NEXT:    return %[[X]]
func.func @reshape_round_trip(%x: tensor<4x6xf32>) -> tensor<4x6xf32> {
  %0 = kiln.reshape %x : tensor<4x6xf32> -> tensor<24xf32>
  %1 = kiln.reshape %0 : tensor<24xf32> -> tensor<4x6xf32>
  return %1 : tensor<4x6xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_of_transpose
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT:    %[[T:.*]] = kiln.transpose %[[X]] permutation = [2, 1, 0] : tensor<2x3x4xf32> -> tensor<4x3x2xf32>
// CHECK-NEXT:    return %[[T]]
func.func @transpose_of_transpose(%x: tensor<2x3x4xf32>) -> tensor<4x3x2xf32> {
  // [1, 2, 0] gives 3x4x2; then [1, 0, 2] of that takes x's dims [2, 1, 0].
  %0 = kiln.transpose %x permutation = [1, 2, 0] : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
  %1 = kiln.transpose %0 permutation = [1, 0, 2] : tensor<3x4x2xf32> -> tensor<4x3x2xf32>
  return %1 : tensor<4x3x2xf32>
}

// -----

// A transpose and its inverse cancel.
// CHECK-LABEL: func.func @transpose_and_inverse
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT:    return %[[X]]
func.func @transpose_and_inverse(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = kiln.transpose %x permutation = [1, 2, 0] : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
  %1 = kiln.transpose %0 permutation = [2, 0, 1] : tensor<3x4x2xf32> -> tensor<2x3x4xf32>
  return %1 : tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @identities
// CHECK-SAME:    (%[[X:.*]]: tensor<4x6xf32>)
// CHECK-NEXT:    return %[[X]], %[[X]]
func.func @identities(%x: tensor<4x6xf32>) -> (tensor<4x6xf32>, tensor<4x6xf32>) {
  %0 = kiln.scale %x by 1.0 : tensor<4x6xf32>
  %1 = kiln.broadcast %0 axes = [] : tensor<4x6xf32> -> tensor<4x6xf32>
  %2 = kiln.transpose %x permutation = [0, 1] : tensor<4x6xf32> -> tensor<4x6xf32>
  return %1, %2 : tensor<4x6xf32>, tensor<4x6xf32>
}

// -----

// What is not an identity stays.
// CHECK-LABEL: func.func @not_identities
// CHECK:         kiln.scale %{{.*}} by -1.000000e+00
// CHECK:         kiln.broadcast %{{.*}} axes = [0]
// CHECK:         kiln.transpose %{{.*}} permutation = [1, 0]
func.func @not_identities(%x: tensor<4x6xf32>) -> (tensor<4x6xf32>, tensor<3x4x6xf32>, tensor<6x4xf32>) {
  %0 = kiln.scale %x by -1.0 : tensor<4x6xf32>
  %1 = kiln.broadcast %x axes = [0] : tensor<4x6xf32> -> tensor<3x4x6xf32>
  %2 = kiln.transpose %x permutation = [1, 0] : tensor<4x6xf32> -> tensor<6x4xf32>
  return %0, %1, %2 : tensor<4x6xf32>, tensor<3x4x6xf32>, tensor<6x4xf32>
}

// -----

// Blocking the channels of a map unblocked with the same block, and the
// reverse, are the map itself.
// CHECK-LABEL: func.func @block_of_unblock
// CHECK-SAME:    (%[[X:.*]]: tensor<2x2x3x3x16xf32>, %[[Y:.*]]: tensor<2x32x3x3xf32>)
// CHECK-NEXT:    return %[[X]], %[[Y]]
func.func @block_of_unblock(%x: tensor<2x2x3x3x16xf32>, %y: tensor<2x32x3x3xf32>) -> (tensor<2x2x3x3x16xf32>, tensor<2x32x3x3xf32>) {
  %p = kiln.unblock_channels %x : tensor<2x2x3x3x16xf32> -> tensor<2x32x3x3xf32>
  %b = kiln.block_channels %p block = 16 : tensor<2x32x3x3xf32> -> tensor<2x2x3x3x16xf32>
  %c = kiln.block_channels %y block = 8 : tensor<2x32x3x3xf32> -> tensor<2x4x3x3x8xf32>
  %u = kiln.unblock_channels %c : tensor<2x4x3x3x8xf32> -> tensor<2x32x3x3xf32>
  return %b, %u : tensor<2x2x3x3x16xf32>, tensor<2x32x3x3xf32>
}

// -----

// Another block size is another layout.
// CHECK-LABEL: func.func @reblock
// CHECK:         kiln.unblock_channels
// CHECK:         kiln.block_channels
func.func @reblock(%x: tensor<2x2x3x3x16xf32>) -> tensor<2x4x3x3x8xf32> {
  %p = kiln.unblock_channels %x : tensor<2x2x3x3x16xf32> -> tensor<2x32x3x3xf32>
  %b = kiln.block_channels %p block = 8 : tensor<2x32x3x3xf32> -> tensor<2x4x3x3x8xf32>
  return %b : tensor<2x4x3x3x8xf32>
}
