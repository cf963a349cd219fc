// RUN: kiln-opt %s | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @structure
func.func @structure(%a: tensor<2x1x3xf32>, %b: tensor<2x2x3xf32>) {
  // CHECK: kiln.concat %{{.*}}, %{{.*}} axis = 1 : tensor<2x1x3xf32>, tensor<2x2x3xf32> -> tensor<2x3x3xf32>
  %0 = kiln.concat %a, %b axis = 1 : tensor<2x1x3xf32>, tensor<2x2x3xf32> -> tensor<2x3x3xf32>
  // CHECK: kiln.transpose %{{.*}} permutation = [0, 2, 1] : tensor<2x3x3xf32> -> tensor<2x3x3xf32>
  %1 = kiln.transpose %0 permutation = [0, 2, 1] : tensor<2x3x3xf32> -> tensor<2x3x3xf32>
  // CHECK: kiln.slice %{{.*}} axis = 2 start = 1 end = 3 : tensor<2x3x3xf32> -> tensor<2x3x2xf32>
  %2 = kiln.slice %1 axis = 2 start = 1 end = 3 : tensor<2x3x3xf32> -> tensor<2x3x2xf32>
  // CHECK: kiln.slice_grad %{{.*}} axis = 2 start = 1 : tensor<2x3x2xf32> -> tensor<2x3x3xf32>
  %3 = kiln.slice_grad %2 axis = 2 start = 1 : tensor<2x3x2xf32> -> tensor<2x3x3xf32>
  return
}
