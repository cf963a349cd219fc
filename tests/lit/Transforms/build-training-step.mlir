// RUN: kiln-opt --kiln-build-training-step %s | FileCheck %s

// A one-layer classifier: the pass keeps @model, adds @train_step returning
// the loss and one gradient per parameter, built from each op's VJP.

module {
  func.func @model(%x: tensor<4x3xf32> {kiln.role = #kiln.role<input>, kiln.name = "x"},
                   %y: tensor<4xi32> {kiln.role = #kiln.role<label>, kiln.name = "y"},
                   %w: tensor<2x3xf32> {kiln.role = #kiln.role<param>, kiln.name = "fc.weight"},
                   %b: tensor<2xf32> {kiln.role = #kiln.role<param>, kiln.name = "fc.bias"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>},
          tensor<4xf32> {kiln.role = #kiln.role<sample_loss>},
          tensor<4x2xf32> {kiln.role = #kiln.role<logits>})
      attributes {kiln.entry = #kiln.entry<eval>} {
    %0 = kiln.matmul %x, %w {transpose_rhs} : tensor<4x3xf32>, tensor<2x3xf32> -> tensor<4x2xf32>
    %1 = kiln.bias_add %0, %b : tensor<4x2xf32>, tensor<2xf32>
    %2 = kiln.relu %1 : tensor<4x2xf32>
    %3 = kiln.softmax_cross_entropy %2, %y : tensor<4x2xf32>, tensor<4xi32> -> tensor<4xf32>
    %4 = kiln.reduce_sum %3 axes = [0] : tensor<4xf32> -> tensor<f32>
    %5 = kiln.scale %4 by 2.500000e-01 : tensor<f32>
    return %5, %3, %2 : tensor<f32>, tensor<4xf32>, tensor<4x2xf32>
  }
}

// CHECK-LABEL: func.func @model
// CHECK-SAME:    kiln.entry = #kiln.entry<eval>

// CHECK-LABEL: func.func @train_step
// CHECK-SAME:    -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<2x3xf32> {kiln.name = "fc.weight", kiln.role = #kiln.role<grad>}, tensor<2xf32> {kiln.name = "fc.bias", kiln.role = #kiln.role<grad>})
// CHECK-SAME:    kiln.entry = #kiln.entry<train_step>
// CHECK:         %[[LOGITS:.*]] = kiln.relu
// CHECK:         %[[LOSS:.*]] = kiln.scale
// The seed of the backward sweep, d loss / d loss:
// CHECK:         %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<f32>
// Backward, in reverse order of the forward ops:
// CHECK:         %[[DMEAN:.*]] = kiln.scale %[[ONE]] by 2.500000e-01
// CHECK:         %[[DSAMPLE:.*]] = kiln.broadcast %[[DMEAN]] axes = [0] : tensor<f32> -> tensor<4xf32>
// CHECK:         %[[DLOGITS:.*]] = kiln.softmax_cross_entropy_grad %[[DSAMPLE]], %[[LOGITS]], %arg1
// CHECK:         %[[DPRE:.*]] = kiln.relu_grad %[[DLOGITS]], %{{.*}} : tensor<4x2xf32>
// CHECK:         %[[DB:.*]] = kiln.reduce_sum %[[DPRE]] axes = [0] : tensor<4x2xf32> -> tensor<2xf32>
// The weight gradient is dY^T X, with the transpose as an attribute:
// CHECK:         %[[DW:.*]] = kiln.matmul %[[DPRE]], %arg0 {transpose_lhs} : tensor<4x2xf32>, tensor<4x3xf32> -> tensor<2x3xf32>
// The input needs no gradient, so dX is not built:
// CHECK-NOT:     kiln.matmul %[[DPRE]], %arg2
// CHECK:         return %[[LOSS]], %[[DW]], %[[DB]]
