// RUN: kiln-opt --kiln-insert-optimizer --split-input-file %s | FileCheck %s

// Full-batch methods are the runtime's (runtime/src/full_batch.cpp): with
// Newton's method, or plain SGD under a line search, @train_step keeps
// returning the loss, the gradients and the gradient norm, with no update
// and no optimizer state.

module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<newton, lr = 1.0>, tolerance = 1.0e-08>} {
  func.func @train_step(%w: tensor<3xf64> {kiln.role = #kiln.role<param>, kiln.name = "w"})
      -> (tensor<f64> {kiln.role = #kiln.role<loss>}, tensor<3xf64> {kiln.role = #kiln.role<grad>, kiln.name = "w"}, tensor<f64> {kiln.role = #kiln.role<grad_norm>})
      attributes {kiln.entry = #kiln.entry<train_step>} {
    %loss = arith.constant dense<0.0> : tensor<f64>
    %g = kiln.scale %w by 2.0 : tensor<3xf64>
    return %loss, %g, %loss : tensor<f64>, tensor<3xf64>, tensor<f64>
  }
}

// CHECK-LABEL: func.func @train_step
// CHECK-SAME:    (%[[W:.*]]: tensor<3xf64> {kiln.name = "w", kiln.role = #kiln.role<param>})
// CHECK-SAME:    -> (tensor<f64> {kiln.role = #kiln.role<loss>}, tensor<3xf64> {kiln.name = "w", kiln.role = #kiln.role<grad>}, tensor<f64> {kiln.role = #kiln.role<grad_norm>})
// CHECK:         %[[G:.*]] = kiln.scale %[[W]] by 2.000000e+00
// CHECK:         return %{{.*}}, %[[G]], %{{.*}}

// -----

module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 8.0, momentum = 0.0, nesterov = false, weight_decay = 0.0, decoupled_weight_decay = false>, line_search = #kiln.line_search<armijo, c = 1.0e-04, shrink = 5.0e-01, max_trials = 50>>} {
  func.func @train_step(%w: tensor<3xf32> {kiln.role = #kiln.role<param>, kiln.name = "w"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<3xf32> {kiln.role = #kiln.role<grad>, kiln.name = "w"})
      attributes {kiln.entry = #kiln.entry<train_step>} {
    %loss = arith.constant dense<0.0> : tensor<f32>
    %g = kiln.scale %w by 2.0 : tensor<3xf32>
    return %loss, %g : tensor<f32>, tensor<3xf32>
  }
}

// CHECK-LABEL: func.func @train_step
// CHECK-SAME:    -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<3xf32> {kiln.name = "w", kiln.role = #kiln.role<grad>})
// CHECK-NOT:     kiln.sub
// CHECK:         return
