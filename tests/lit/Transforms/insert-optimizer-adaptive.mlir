// RUN: kiln-opt --kiln-insert-optimizer --split-input-file %s | FileCheck %s

// The adaptive optimizers (Adam, AdamW, AdaGrad, RMSProp) in PyTorch's form;
// docs/training.md writes out each update.

// Adam with coupled weight decay and AMSGrad. The step count is a 0-d state
// tensor; bias corrections 1 - beta^t are computed on it and broadcast.
module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<adam, lr = 1.0e-03, beta1 = 9.0e-01, beta2 = 9.990000e-01, eps = 1.0e-08, weight_decay = 1.0e-02, amsgrad = true>>} {
  func.func @train_step(%w: tensor<3xf32> {kiln.role = #kiln.role<param>, kiln.name = "w"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<3xf32> {kiln.role = #kiln.role<grad>, kiln.name = "w"})
      attributes {kiln.entry = #kiln.entry<train_step>} {
    %loss = arith.constant dense<0.0> : tensor<f32>
    %g = kiln.scale %w by 2.0 : tensor<3xf32>
    return %loss, %g : tensor<f32>, tensor<3xf32>
  }
}

// CHECK-LABEL: func.func @train_step
// CHECK-SAME:    %[[W:[a-z0-9]+]]: tensor<3xf32> {kiln.name = "w", kiln.role = #kiln.role<param>}
// CHECK-SAME:    %[[T:[a-z0-9]+]]: tensor<f32> {kiln.init = #kiln.init<zeros>, kiln.name = "w.step", kiln.role = #kiln.role<state>}
// CHECK-SAME:    %[[M:[a-z0-9]+]]: tensor<3xf32> {kiln.init = #kiln.init<zeros>, kiln.name = "w.exp_avg", kiln.role = #kiln.role<state>}
// CHECK-SAME:    %[[V:[a-z0-9]+]]: tensor<3xf32> {kiln.init = #kiln.init<zeros>, kiln.name = "w.exp_avg_sq", kiln.role = #kiln.role<state>}
// CHECK-SAME:    %[[VMAX:[a-z0-9]+]]: tensor<3xf32> {kiln.init = #kiln.init<zeros>, kiln.name = "w.max_exp_avg_sq", kiln.role = #kiln.role<state>}
// CHECK:         %[[G:.*]] = kiln.scale %[[W]] by 2.000000e+00
// CHECK:         %[[DECAY:.*]] = kiln.scale %[[W]] by 1.000000e-02
// CHECK:         %[[GD:.*]] = kiln.add %[[G]], %[[DECAY]]
// CHECK:         %[[T1:.*]] = kiln.add_scalar %[[T]], 1.000000e+00 : tensor<f32>
// CHECK:         %[[NEWM:.*]] = kiln.add
// CHECK:         %[[GG:.*]] = kiln.mul %[[GD]], %[[GD]]
// CHECK:         %[[NEWV:.*]] = kiln.add
// CHECK:         %[[NEWVMAX:.*]] = kiln.max %[[VMAX]], %[[NEWV]]
// CHECK:         %[[P2:.*]] = kiln.rpow %[[T1]] base 0.99899999999999999 : tensor<f32>
// CHECK:         %[[SQ2:.*]] = kiln.sqrt
// CHECK:         %[[BC2:.*]] = kiln.broadcast %[[SQ2]] axes = [0] : tensor<f32> -> tensor<3xf32>
// CHECK:         %[[ROOT:.*]] = kiln.sqrt %[[NEWVMAX]]
// CHECK:         %[[Q:.*]] = kiln.div %[[ROOT]], %[[BC2]]
// CHECK:         %[[DENOM:.*]] = kiln.add_scalar %[[Q]], 1.000000e-08
// CHECK:         kiln.rpow %[[T1]] base 9.000000e-01 : tensor<f32>
// CHECK:         %[[BC1:.*]] = kiln.broadcast
// CHECK:         %[[MHAT:.*]] = kiln.div %[[NEWM]], %[[BC1]]
// CHECK:         %[[DIR:.*]] = kiln.div %[[MHAT]], %[[DENOM]]
// CHECK:         %[[STEP:.*]] = kiln.scale %[[DIR]] by 1.000000e-03
// CHECK:         %[[NEWW:.*]] = kiln.sub %[[W]], %[[STEP]]
// CHECK:         return %{{.*}}, %[[NEWW]], %[[T1]], %[[NEWM]], %[[NEWV]], %[[NEWVMAX]]

// -----

// AdamW: the parameter shrinks by lr * weight_decay before the Adam step and
// the gradient is left alone; no max_exp_avg_sq without AMSGrad.
module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<adamw, lr = 1.0e-03, beta1 = 9.0e-01, beta2 = 9.990000e-01, eps = 1.0e-08, weight_decay = 1.0e-02, amsgrad = false>>} {
  func.func @train_step(%w: tensor<3xf32> {kiln.role = #kiln.role<param>, kiln.name = "w"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<3xf32> {kiln.role = #kiln.role<grad>, kiln.name = "w"})
      attributes {kiln.entry = #kiln.entry<train_step>} {
    %loss = arith.constant dense<0.0> : tensor<f32>
    %g = kiln.scale %w by 2.0 : tensor<3xf32>
    return %loss, %g : tensor<f32>, tensor<3xf32>
  }
}

// CHECK-LABEL: func.func @train_step
// CHECK-NOT:     max_exp_avg_sq
// CHECK:         %[[G:.*]] = kiln.scale %arg0 by 2.000000e+00
// CHECK:         %[[DECAY:.*]] = kiln.scale %arg0 by 1.000000e-05
// CHECK:         %[[SHRUNK:.*]] = kiln.sub %arg0, %[[DECAY]]
// CHECK:         %[[GG:.*]] = kiln.mul %[[G]], %[[G]]
// CHECK-NOT:     kiln.max
// CHECK:         %[[STEP:.*]] = kiln.scale %{{.*}} by 1.000000e-03
// CHECK:         kiln.sub %[[SHRUNK]], %[[STEP]]

// -----

// AdaGrad with learning-rate decay (which needs the step count) and a
// nonzero initial accumulator (a constant init for the runtime).
module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<adagrad, lr = 1.0e-02, lr_decay = 1.0e-01, weight_decay = 0.0, initial_accumulator_value = 5.0e-01, eps = 1.0e-10>>} {
  func.func @train_step(%w: tensor<3xf32> {kiln.role = #kiln.role<param>, kiln.name = "w"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<3xf32> {kiln.role = #kiln.role<grad>, kiln.name = "w"})
      attributes {kiln.entry = #kiln.entry<train_step>} {
    %loss = arith.constant dense<0.0> : tensor<f32>
    %g = kiln.scale %w by 2.0 : tensor<3xf32>
    return %loss, %g : tensor<f32>, tensor<3xf32>
  }
}

// CHECK-LABEL: func.func @train_step
// CHECK-SAME:    %[[T:[a-z0-9]+]]: tensor<f32> {kiln.init = #kiln.init<zeros>, kiln.name = "w.step", kiln.role = #kiln.role<state>}
// CHECK-SAME:    %[[SUM:[a-z0-9]+]]: tensor<3xf32> {kiln.init = #kiln.init<constant, value = 5.000000e-01>, kiln.name = "w.sum", kiln.role = #kiln.role<state>}
// CHECK:         %[[G:.*]] = kiln.scale %arg0 by 2.000000e+00
// CHECK:         %[[T1:.*]] = kiln.add_scalar %[[T]], 1.000000e+00
// CHECK:         %[[GG:.*]] = kiln.mul %[[G]], %[[G]]
// CHECK:         %[[NEWSUM:.*]] = kiln.add %[[SUM]], %[[GG]]
// CHECK:         %[[ROOT:.*]] = kiln.sqrt %[[NEWSUM]]
// CHECK:         %[[STD:.*]] = kiln.add_scalar %[[ROOT]], 1.000000e-10
// CHECK:         %[[DIR:.*]] = kiln.div %[[G]], %[[STD]]
// CHECK:         %[[ELAPSED:.*]] = kiln.add_scalar %[[T1]], -1.000000e+00 : tensor<f32>
// CHECK:         %[[DECAYED:.*]] = kiln.scale %[[ELAPSED]] by 1.000000e-01
// CHECK:         %[[DIVISOR:.*]] = kiln.add_scalar %[[DECAYED]], 1.000000e+00
// CHECK:         %[[SPREAD:.*]] = kiln.broadcast %[[DIVISOR]] axes = [0]
// CHECK:         %[[SCALED:.*]] = kiln.div %[[DIR]], %[[SPREAD]]
// CHECK:         %[[STEP:.*]] = kiln.scale %[[SCALED]] by 1.000000e-02
// CHECK:         %[[NEWW:.*]] = kiln.sub %arg0, %[[STEP]]
// CHECK:         return %{{.*}}, %[[NEWW]], %[[T1]], %[[NEWSUM]]

// -----

// AdaGrad's defaults keep only the sum: the step count is read by lr_decay
// alone.
module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<adagrad, lr = 1.0e-02, lr_decay = 0.0, weight_decay = 0.0, initial_accumulator_value = 0.0, eps = 1.0e-10>>} {
  func.func @train_step(%w: tensor<3xf32> {kiln.role = #kiln.role<param>, kiln.name = "w"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<3xf32> {kiln.role = #kiln.role<grad>, kiln.name = "w"})
      attributes {kiln.entry = #kiln.entry<train_step>} {
    %loss = arith.constant dense<0.0> : tensor<f32>
    return %loss, %w : tensor<f32>, tensor<3xf32>
  }
}

// CHECK-LABEL: func.func @train_step
// CHECK-SAME:    (%{{[a-z0-9]+}}: tensor<3xf32> {kiln.name = "w", kiln.role = #kiln.role<param>}, %{{[a-z0-9]+}}: tensor<3xf32> {kiln.init = #kiln.init<zeros>, kiln.name = "w.sum", kiln.role = #kiln.role<state>})
// CHECK-NOT:     kiln.broadcast
// CHECK:         return

// -----

// Centered RMSProp with momentum: state in PyTorch's order square_avg,
// momentum_buffer, grad_avg; the denominator uses the variance estimate.
module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<rmsprop, lr = 1.0e-02, alpha = 9.9e-01, eps = 1.0e-08, weight_decay = 0.0, momentum = 9.0e-01, centered = true>>} {
  func.func @train_step(%w: tensor<3xf32> {kiln.role = #kiln.role<param>, kiln.name = "w"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<3xf32> {kiln.role = #kiln.role<grad>, kiln.name = "w"})
      attributes {kiln.entry = #kiln.entry<train_step>} {
    %loss = arith.constant dense<0.0> : tensor<f32>
    %g = kiln.scale %w by 2.0 : tensor<3xf32>
    return %loss, %g : tensor<f32>, tensor<3xf32>
  }
}

// CHECK-LABEL: func.func @train_step
// CHECK-SAME:    %[[SQ:[a-z0-9]+]]: tensor<3xf32> {kiln.init = #kiln.init<zeros>, kiln.name = "w.square_avg", kiln.role = #kiln.role<state>}
// CHECK-SAME:    %[[BUF:[a-z0-9]+]]: tensor<3xf32> {kiln.init = #kiln.init<zeros>, kiln.name = "w.momentum_buffer", kiln.role = #kiln.role<state>}
// CHECK-SAME:    %[[GAVG:[a-z0-9]+]]: tensor<3xf32> {kiln.init = #kiln.init<zeros>, kiln.name = "w.grad_avg", kiln.role = #kiln.role<state>}
// CHECK:         %[[G:.*]] = kiln.scale %arg0 by 2.000000e+00
// CHECK:         %[[GG:.*]] = kiln.mul %[[G]], %[[G]]
// CHECK:         kiln.scale %[[SQ]] by 0.98999999999999999
// CHECK:         %[[NEWSQ:.*]] = kiln.add
// CHECK:         kiln.scale %[[GAVG]] by 0.98999999999999999
// CHECK:         %[[NEWGAVG:.*]] = kiln.add
// CHECK:         %[[MEAN2:.*]] = kiln.mul %[[NEWGAVG]], %[[NEWGAVG]]
// CHECK:         %[[VAR:.*]] = kiln.sub %[[NEWSQ]], %[[MEAN2]]
// CHECK:         %[[ROOT:.*]] = kiln.sqrt %[[VAR]]
// CHECK:         %[[AVG:.*]] = kiln.add_scalar %[[ROOT]], 1.000000e-08
// CHECK:         %[[SCALED:.*]] = kiln.div %[[G]], %[[AVG]]
// CHECK:         %[[MB:.*]] = kiln.scale %[[BUF]] by 9.000000e-01
// CHECK:         %[[NEWBUF:.*]] = kiln.add %[[MB]], %[[SCALED]]
// CHECK:         %[[STEP:.*]] = kiln.scale %[[NEWBUF]] by 1.000000e-02
// CHECK:         %[[NEWW:.*]] = kiln.sub %arg0, %[[STEP]]
// CHECK:         return %{{.*}}, %[[NEWW]], %[[NEWSQ]], %[[NEWBUF]], %[[NEWGAVG]]
