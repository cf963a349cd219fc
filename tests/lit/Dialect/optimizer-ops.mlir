// RUN: kiln-opt %s | kiln-opt | FileCheck %s

// The optimizer and schedule arithmetic ops print back as parsed; results take the
// operands' type, 0-d tensors (the step count) included.

// CHECK-LABEL: func.func @optimizer_arithmetic
func.func @optimizer_arithmetic(%x: tensor<4x5xf32>, %y: tensor<4x5xf32>, %t: tensor<f64>) {
  // CHECK: kiln.sqrt %{{.*}} : tensor<4x5xf32>
  %0 = kiln.sqrt %x : tensor<4x5xf32>
  // CHECK: kiln.div %{{.*}}, %{{.*}} : tensor<4x5xf32>
  %1 = kiln.div %x, %y : tensor<4x5xf32>
  // CHECK: kiln.max %{{.*}}, %{{.*}} : tensor<4x5xf32>
  %2 = kiln.max %x, %y : tensor<4x5xf32>
  // CHECK: kiln.add_scalar %{{.*}}, 1.000000e-08 : tensor<4x5xf32>
  %3 = kiln.add_scalar %x, 1.0e-08 : tensor<4x5xf32>
  // CHECK: kiln.rpow %{{.*}} base 9.000000e-01 : tensor<f64>
  %4 = kiln.rpow %t base 0.9 : tensor<f64>
  // CHECK: kiln.pow %{{.*}} exponent -7.500000e-01 : tensor<f64>
  %5 = kiln.pow %t exponent -0.75 : tensor<f64>
  // CHECK: kiln.floor %{{.*}} : tensor<f64>
  %6 = kiln.floor %t : tensor<f64>
  // CHECK: kiln.cos %{{.*}} : tensor<f64>
  %7 = kiln.cos %t : tensor<f64>
  return
}
