// RUN: kiln-opt --kiln-build-training-step %s | FileCheck %s

// The training step switches batch normalization and dropout to their
// training form and returns the new running statistics as buffer results;
// @model keeps the inference form.

module {
  func.func @model(%x: tensor<4x3xf32> {kiln.role = #kiln.role<input>, kiln.name = "x"},
                   %y: tensor<4xi32> {kiln.role = #kiln.role<label>, kiln.name = "y"},
                   %w: tensor<3xf32> {kiln.role = #kiln.role<param>, kiln.name = "bn.weight"},
                   %b: tensor<3xf32> {kiln.role = #kiln.role<param>, kiln.name = "bn.bias"},
                   %m: tensor<3xf32> {kiln.role = #kiln.role<buffer>, kiln.name = "bn.running_mean"},
                   %v: tensor<3xf32> {kiln.role = #kiln.role<buffer>, kiln.name = "bn.running_var"},
                   %seed: tensor<i64> {kiln.role = #kiln.role<rng>, kiln.name = "rng"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}) attributes {kiln.entry = #kiln.entry<eval>} {
    %0, %1, %2 = kiln.batch_norm %x, %w, %b, %m, %v {epsilon = 1.0e-05 : f64, momentum = 1.0e-01 : f64} : tensor<4x3xf32>, tensor<3xf32>
    %3 = kiln.dropout %0, %seed {rate = 5.0e-01 : f64, stream = 1 : i64} : tensor<4x3xf32>
    %4 = kiln.softmax_cross_entropy %3, %y : tensor<4x3xf32>, tensor<4xi32> -> tensor<4xf32>
    %5 = kiln.reduce_sum %4 axes = [0] : tensor<4xf32> -> tensor<f32>
    return %5 : tensor<f32>
  }
}

// CHECK-LABEL: func.func @model
// CHECK:         kiln.batch_norm
// CHECK-NOT:     training
// CHECK-SAME:    : tensor<4x3xf32>, tensor<3xf32>
// CHECK:         kiln.dropout
// CHECK-NOT:     training
// CHECK-SAME:    : tensor<4x3xf32>

// CHECK-LABEL: func.func @train_step
// CHECK-SAME:    -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<3xf32> {kiln.name = "bn.weight", kiln.role = #kiln.role<grad>}, tensor<3xf32> {kiln.name = "bn.bias", kiln.role = #kiln.role<grad>}, tensor<3xf32> {kiln.name = "bn.running_mean", kiln.role = #kiln.role<buffer>}, tensor<3xf32> {kiln.name = "bn.running_var", kiln.role = #kiln.role<buffer>})
// CHECK:         %[[Y:.*]], %[[MEAN:.*]], %[[VAR:.*]] = kiln.batch_norm {{.*}}training}
// CHECK:         %[[D:.*]] = kiln.dropout %[[Y]], %arg6 {{.*}}training}
// The VJP of dropout is dropout with the same seed and stream:
// CHECK:         %[[DD:.*]] = kiln.dropout %{{.*}}, %arg6 {rate = 5.000000e-01 : f64, stream = 1 : i64, training}
// CHECK:         %[[DX:.*]], %[[DW:.*]], %[[DB:.*]] = kiln.batch_norm_grad %[[DD]], %arg0, %arg2
// CHECK:         return %{{.*}}, %[[DW]], %[[DB]], %[[MEAN]], %[[VAR]]
