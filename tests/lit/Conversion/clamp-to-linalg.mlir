// RUN: kiln-opt --convert-kiln-to-linalg %s | FileCheck %s

// kiln.clamp (gradient clipping) is one elementwise generic: maximumf with
// the lower bound, then minimumf with the upper one; an absent bound emits
// nothing.

// CHECK-LABEL: func.func @both_bounds
// CHECK:         linalg.generic
// CHECK:           %[[LO:.*]] = arith.constant -5.000000e-01 : f32
// CHECK:           %[[MAX:.*]] = arith.maximumf %{{.*}}, %[[LO]] : f32
// CHECK:           %[[HI:.*]] = arith.constant 5.000000e-01 : f32
// CHECK:           %[[MIN:.*]] = arith.minimumf %[[MAX]], %[[HI]] : f32
// CHECK:           linalg.yield %[[MIN]] : f32
func.func @both_bounds(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = kiln.clamp %x {min = -0.5 : f64, max = 0.5 : f64} : tensor<4xf32>
  return %y : tensor<4xf32>
}

// CHECK-LABEL: func.func @upper_bound_only
// CHECK:         linalg.generic
// CHECK-NOT:       arith.maximumf
// CHECK:           arith.minimumf %{{.*}}, %{{.*}} : f64
func.func @upper_bound_only(%x: tensor<f64>) -> tensor<f64> {
  %y = kiln.clamp %x {max = 1.0 : f64} : tensor<f64>
  return %y : tensor<f64>
}
