// RUN: kiln-opt --kiln-build-training-step --canonicalize %s | FileCheck %s

// A frozen parameter group (`group = params("fc1.*", frozen = true)`):
// fc1's parameters stay arguments but get no gradient, so the backward graph
// stops at fc1's output gradient; its weight gradient (a matmul with the
// input) is never built.

module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01, momentum = 0.0, nesterov = false, weight_decay = 0.0, decoupled_weight_decay = false>, groups = [#kiln.param_group<patterns = ["fc1.*"], frozen = true, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01, momentum = 0.0, nesterov = false, weight_decay = 0.0, decoupled_weight_decay = false>>]>} {
  func.func @model(%x: tensor<4x3xf32> {kiln.role = #kiln.role<input>, kiln.name = "x"},
                   %y: tensor<4xi32> {kiln.role = #kiln.role<label>, kiln.name = "y"},
                   %w1: tensor<5x3xf32> {kiln.role = #kiln.role<param>, kiln.name = "fc1.weight"},
                   %w2: tensor<2x5xf32> {kiln.role = #kiln.role<param>, kiln.name = "fc2.weight"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>})
      attributes {kiln.entry = #kiln.entry<eval>} {
    %0 = kiln.matmul %x, %w1 {transpose_rhs} : tensor<4x3xf32>, tensor<5x3xf32> -> tensor<4x5xf32>
    %1 = kiln.relu %0 : tensor<4x5xf32>
    %2 = kiln.matmul %1, %w2 {transpose_rhs} : tensor<4x5xf32>, tensor<2x5xf32> -> tensor<4x2xf32>
    %3 = kiln.softmax_cross_entropy %2, %y : tensor<4x2xf32>, tensor<4xi32> -> tensor<4xf32>
    %4 = kiln.reduce_sum %3 axes = [0] : tensor<4xf32> -> tensor<f32>
    return %4 : tensor<f32>
  }
}

// CHECK-LABEL: func.func @train_step
// CHECK-SAME:    -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<2x5xf32> {kiln.name = "fc2.weight", kiln.role = #kiln.role<grad>})
// CHECK:         kiln.matmul %{{.*}}, %arg2 {transpose_rhs}
// CHECK:         kiln.matmul %{{.*}}, %arg3 {transpose_rhs}
// CHECK:         kiln.softmax_cross_entropy_grad
// CHECK-NEXT:    %[[G2:.*]] = kiln.matmul %{{.*}}, %{{.*}} {transpose_lhs} : tensor<4x2xf32>, tensor<4x5xf32> -> tensor<2x5xf32>
// CHECK-NEXT:    return %{{.*}}, %[[G2]]
