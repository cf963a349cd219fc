// RUN: kiln-opt --kiln-insert-optimizer --split-input-file %s | FileCheck %s

// SGD with heavy-ball momentum and coupled weight decay, PyTorch's form:
//   g = grad + wd * p;  buf = momentum * buf + g;  p = p - lr * buf

module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01, momentum = 9.0e-01, nesterov = false, weight_decay = 1.0e-02, decoupled_weight_decay = false>>} {
  func.func @train_step(%w: tensor<3xf32> {kiln.role = #kiln.role<param>, kiln.name = "w"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<3xf32> {kiln.role = #kiln.role<grad>, kiln.name = "w"})
      attributes {kiln.entry = #kiln.entry<train_step>} {
    %loss = arith.constant dense<0.0> : tensor<f32>
    %g = kiln.scale %w by 2.0 : tensor<3xf32>
    return %loss, %g : tensor<f32>, tensor<3xf32>
  }
}

// CHECK-LABEL: func.func @train_step
// CHECK-SAME:    %[[W:.*]]: tensor<3xf32> {kiln.name = "w", kiln.role = #kiln.role<param>}
// CHECK-SAME:    %[[BUF:.*]]: tensor<3xf32> {kiln.init = #kiln.init<zeros>, kiln.name = "w.momentum_buffer", kiln.role = #kiln.role<state>}
// CHECK-SAME:    -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<3xf32> {kiln.name = "w", kiln.role = #kiln.role<param>}, tensor<3xf32> {kiln.name = "w.momentum_buffer", kiln.role = #kiln.role<state>}, tensor<f32> {kiln.role = #kiln.role<lr>})
// CHECK:         %[[G:.*]] = kiln.scale %[[W]] by 2.000000e+00
// CHECK:         %[[DECAY:.*]] = kiln.scale %[[W]] by 1.000000e-02
// CHECK:         %[[GD:.*]] = kiln.add %[[G]], %[[DECAY]]
// CHECK:         %[[MB:.*]] = kiln.scale %[[BUF]] by 9.000000e-01
// CHECK:         %[[NEWBUF:.*]] = kiln.add %[[MB]], %[[GD]]
// CHECK:         %[[STEP:.*]] = kiln.scale %[[NEWBUF]] by 1.000000e-01
// CHECK:         %[[NEWW:.*]] = kiln.sub %[[W]], %[[STEP]]
// CHECK:         return %{{.*}}, %[[NEWW]], %[[NEWBUF]]

// -----

// Nesterov: the step is g + momentum * buf.
module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01, momentum = 5.0e-01, nesterov = true, weight_decay = 0.0, decoupled_weight_decay = false>>} {
  func.func @train_step(%w: tensor<3xf32> {kiln.role = #kiln.role<param>, kiln.name = "w"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<3xf32> {kiln.role = #kiln.role<grad>, kiln.name = "w"})
      attributes {kiln.entry = #kiln.entry<train_step>} {
    %loss = arith.constant dense<0.0> : tensor<f32>
    return %loss, %w : tensor<f32>, tensor<3xf32>
  }
}

// CHECK-LABEL: func.func @train_step
// CHECK:         %[[MB:.*]] = kiln.scale %arg1 by 5.000000e-01
// CHECK:         %[[BUF:.*]] = kiln.add %[[MB]], %arg0
// CHECK:         %[[LOOK:.*]] = kiln.scale %[[BUF]] by 5.000000e-01
// CHECK:         %[[DIR:.*]] = kiln.add %arg0, %[[LOOK]]
// CHECK:         %[[STEP:.*]] = kiln.scale %[[DIR]] by 1.000000e-01
// CHECK:         kiln.sub %arg0, %[[STEP]]

// -----

// Plain SGD keeps no state.
module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01, momentum = 0.0, nesterov = false, weight_decay = 0.0, decoupled_weight_decay = false>>} {
  func.func @train_step(%w: tensor<3xf32> {kiln.role = #kiln.role<param>, kiln.name = "w"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<3xf32> {kiln.role = #kiln.role<grad>, kiln.name = "w"})
      attributes {kiln.entry = #kiln.entry<train_step>} {
    %loss = arith.constant dense<0.0> : tensor<f32>
    return %loss, %w : tensor<f32>, tensor<3xf32>
  }
}

// CHECK-LABEL: func.func @train_step
// CHECK-SAME:    (%{{.*}}: tensor<3xf32> {kiln.name = "w", kiln.role = #kiln.role<param>}) -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<3xf32> {kiln.name = "w", kiln.role = #kiln.role<param>}, tensor<f32> {kiln.role = #kiln.role<lr>})
// CHECK:         %[[STEP:.*]] = kiln.scale %arg0 by 1.000000e-01
// CHECK:         kiln.sub %arg0, %[[STEP]]
