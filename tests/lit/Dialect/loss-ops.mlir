// RUN: kiln-opt %s | kiln-opt | FileCheck %s

// CHECK-LABEL: func.func @losses
func.func @losses(%x: tensor<2x3x4xf32>, %y: tensor<2x4xi32>, %t: tensor<2x3x4xf32>) {
  // No label smoothing is the default and is elided.
  // CHECK: kiln.softmax_cross_entropy %{{.*}}, %{{.*}} : tensor<2x3x4xf32>, tensor<2x4xi32> -> tensor<2x4xf32>
  %0 = kiln.softmax_cross_entropy %x, %y {label_smoothing = 0.0} : tensor<2x3x4xf32>, tensor<2x4xi32> -> tensor<2x4xf32>
  // CHECK: kiln.softmax_cross_entropy_grad %{{.*}}, %{{.*}}, %{{.*}} {label_smoothing = 1.000000e-01 : f64} : tensor<2x4xf32>, tensor<2x3x4xf32>, tensor<2x4xi32>
  %1 = kiln.softmax_cross_entropy_grad %0, %x, %y {label_smoothing = 0.1} : tensor<2x4xf32>, tensor<2x3x4xf32>, tensor<2x4xi32>
  // CHECK: kiln.bce_with_logits %{{.*}}, %{{.*}} : tensor<2x3x4xf32>
  %2 = kiln.bce_with_logits %x, %t : tensor<2x3x4xf32>
  // CHECK: kiln.nll %{{.*}}, %{{.*}} : tensor<2x3x4xf32>, tensor<2x4xi32> -> tensor<2x4xf32>
  %3 = kiln.nll %x, %y : tensor<2x3x4xf32>, tensor<2x4xi32> -> tensor<2x4xf32>
  // CHECK: kiln.nll_grad %{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<2x4xi32> -> tensor<2x3x4xf32>
  %4 = kiln.nll_grad %3, %y : tensor<2x4xf32>, tensor<2x4xi32> -> tensor<2x3x4xf32>
  return
}
