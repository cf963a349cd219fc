// RUN: kiln-opt %s | kiln-opt | FileCheck %s

// Every op prints and parses back.

// CHECK-LABEL: func.func @all_ops
func.func @all_ops(%x: tensor<4x2x3xf32>, %w: tensor<5x6xf32>, %b: tensor<5xf32>,
                   %y: tensor<4xi32>, %g: tensor<4xf64>, %l: tensor<4x5xf64>) {
  // CHECK: kiln.reshape %{{.*}} : tensor<4x2x3xf32> -> tensor<4x6xf32>
  %0 = kiln.reshape %x : tensor<4x2x3xf32> -> tensor<4x6xf32>
  // CHECK: kiln.matmul %{{.*}}, %{{.*}} {transpose_rhs} : tensor<4x6xf32>, tensor<5x6xf32> -> tensor<4x5xf32>
  %1 = kiln.matmul %0, %w {transpose_rhs} : tensor<4x6xf32>, tensor<5x6xf32> -> tensor<4x5xf32>
  // CHECK: kiln.bias_add %{{.*}}, %{{.*}} : tensor<4x5xf32>, tensor<5xf32>
  %2 = kiln.bias_add %1, %b : tensor<4x5xf32>, tensor<5xf32>
  // CHECK: kiln.relu %{{.*}} : tensor<4x5xf32>
  %3 = kiln.relu %2 : tensor<4x5xf32>
  // CHECK: kiln.relu_grad %{{.*}}, %{{.*}} : tensor<4x5xf32>
  %4 = kiln.relu_grad %3, %2 : tensor<4x5xf32>
  // CHECK: kiln.add {{.*}} : tensor<4x5xf32>
  %5 = kiln.add %3, %4 : tensor<4x5xf32>
  // CHECK: kiln.sub {{.*}} : tensor<4x5xf32>
  %6 = kiln.sub %5, %4 : tensor<4x5xf32>
  // CHECK: kiln.mul {{.*}} : tensor<4x5xf32>
  %7 = kiln.mul %6, %5 : tensor<4x5xf32>
  // CHECK: kiln.scale %{{.*}} by 5.000000e-01 : tensor<4x5xf32>
  %8 = kiln.scale %7 by 0.5 : tensor<4x5xf32>
  // CHECK: kiln.reduce_sum %{{.*}} axes = [0] : tensor<4x5xf32> -> tensor<5xf32>
  %9 = kiln.reduce_sum %8 axes = [0] : tensor<4x5xf32> -> tensor<5xf32>
  // CHECK: kiln.broadcast %{{.*}} axes = [0] : tensor<5xf32> -> tensor<4x5xf32>
  %10 = kiln.broadcast %9 axes = [0] : tensor<5xf32> -> tensor<4x5xf32>
  // CHECK: kiln.softmax_cross_entropy %{{.*}}, %{{.*}} : tensor<4x5xf32>, tensor<4xi32> -> tensor<4xf32>
  %11 = kiln.softmax_cross_entropy %10, %y : tensor<4x5xf32>, tensor<4xi32> -> tensor<4xf32>
  // CHECK: kiln.softmax_cross_entropy_grad %{{.*}}, %{{.*}}, %{{.*}} : tensor<4xf64>, tensor<4x5xf64>, tensor<4xi32>
  %12 = kiln.softmax_cross_entropy_grad %g, %l, %y : tensor<4xf64>, tensor<4x5xf64>, tensor<4xi32>
  return
}
