// RUN: kiln-opt --kiln-report-grad-norm %s | FileCheck %s

// The global L2 norm of the gradients, sqrt(sum of squares), is appended as
// a result for the runtime's step log.

module {
  func.func @train_step(%w: tensor<2x3xf32> {kiln.role = #kiln.role<param>, kiln.name = "w"},
                        %b: tensor<3xf32> {kiln.role = #kiln.role<param>, kiln.name = "b"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<2x3xf32> {kiln.role = #kiln.role<grad>, kiln.name = "w"},
          tensor<3xf32> {kiln.role = #kiln.role<grad>, kiln.name = "b"})
      attributes {kiln.entry = #kiln.entry<train_step>} {
    %loss = arith.constant dense<0.0> : tensor<f32>
    return %loss, %w, %b : tensor<f32>, tensor<2x3xf32>, tensor<3xf32>
  }
}

// CHECK-LABEL: func.func @train_step
// CHECK-SAME:    tensor<f32> {kiln.role = #kiln.role<grad_norm>})
// CHECK:         %[[WW:.*]] = kiln.mul %arg0, %arg0
// CHECK:         %[[SW:.*]] = kiln.reduce_sum %[[WW]] axes = [0, 1]
// CHECK:         %[[BB:.*]] = kiln.mul %arg1, %arg1
// CHECK:         %[[SB:.*]] = kiln.reduce_sum %[[BB]] axes = [0]
// CHECK:         %[[S:.*]] = kiln.add %[[SW]], %[[SB]]
// CHECK:         %[[N:.*]] = kiln.sqrt %[[S]]
// CHECK:         return %{{.*}}, %arg0, %arg1, %[[N]]
