// RUN: kiln-opt --convert-kiln-to-linalg %s | FileCheck %s

// Each optimizer arithmetic op is one elementwise generic around one scalar
// op; rpow raises the constant base to the element (math.powf).

// CHECK-LABEL: func.func @ops
// CHECK:         linalg.generic
// CHECK:           math.sqrt %{{.*}} : f32
// CHECK:         linalg.generic
// CHECK:           arith.divf %{{.*}}, %{{.*}} : f32
// CHECK:         linalg.generic
// CHECK:           arith.maximumf %{{.*}}, %{{.*}} : f32
// CHECK:         linalg.generic
// CHECK:           %[[EPS:.*]] = arith.constant 9.99999993E-9 : f32
// CHECK:           arith.addf %{{.*}}, %[[EPS]] : f32
func.func @ops(%x: tensor<3xf32>, %y: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %0 = kiln.sqrt %x : tensor<3xf32>
  %1 = kiln.div %x, %y : tensor<3xf32>
  %2 = kiln.max %x, %y : tensor<3xf32>
  %3 = kiln.add_scalar %x, 1.0e-08 : tensor<3xf32>
  return %0, %1, %2, %3 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// CHECK-LABEL: func.func @step_power
// CHECK:         linalg.generic
// CHECK:           %[[BASE:.*]] = arith.constant 0.99899999999999999 : f64
// CHECK:           math.powf %[[BASE]], %{{.*}} : f64
func.func @step_power(%t: tensor<f64>) -> tensor<f64> {
  %0 = kiln.rpow %t base 0.999 : tensor<f64>
  return %0 : tensor<f64>
}

// The schedule arithmetic: powers with a constant exponent, floor, cosine.
// CHECK-LABEL: func.func @schedule
// CHECK:         linalg.generic
// CHECK:           %[[E:.*]] = arith.constant -5.000000e-01 : f32
// CHECK:           math.powf %{{.*}}, %[[E]] : f32
// CHECK:         linalg.generic
// CHECK:           math.floor %{{.*}} : f32
// CHECK:         linalg.generic
// CHECK:           math.cos %{{.*}} : f32
func.func @schedule(%t: tensor<f32>) -> (tensor<f32>, tensor<f32>, tensor<f32>) {
  %0 = kiln.pow %t exponent -0.5 : tensor<f32>
  %1 = kiln.floor %t : tensor<f32>
  %2 = kiln.cos %t : tensor<f32>
  return %0, %1, %2 : tensor<f32>, tensor<f32>, tensor<f32>
}
