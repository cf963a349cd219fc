// RUN: kiln-opt --kiln-insert-optimizer --split-input-file %s | FileCheck %s

// A cosine schedule over epochs with linear warm-up over steps: the step
// reads both clocks as 0-d arguments and computes the rate once, at the top;
// the rate is also returned for the runtime's log.
//   lr = (0.05 + 0.05 cos(pi epoch / 10)) * (0.1 + 0.9 min(step / 100, 1))

module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01, momentum = 0.0, nesterov = false, weight_decay = 0.0, decoupled_weight_decay = false>, schedule = #kiln.schedule<cosine, t_max = 10.0, eta_min = 0.0, per_step = false>, warmup = #kiln.warmup<linear, steps = 100.0, start_factor = 1.0e-01>>} {
  func.func @train_step(%w: tensor<3xf32> {kiln.role = #kiln.role<param>, kiln.name = "w"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<3xf32> {kiln.role = #kiln.role<grad>, kiln.name = "w"})
      attributes {kiln.entry = #kiln.entry<train_step>} {
    %loss = arith.constant dense<0.0> : tensor<f32>
    return %loss, %w : tensor<f32>, tensor<3xf32>
  }
}

// CHECK-LABEL: func.func @train_step
// CHECK-SAME:    %[[W:.*]]: tensor<3xf32> {kiln.name = "w", kiln.role = #kiln.role<param>}
// CHECK-SAME:    %[[EPOCH:.*]]: tensor<f32> {kiln.role = #kiln.role<epoch>}
// CHECK-SAME:    %[[STEP:.*]]: tensor<f32> {kiln.role = #kiln.role<step>}
// CHECK-SAME:    tensor<f32> {kiln.role = #kiln.role<lr>}
// CHECK:         %[[T:.*]] = kiln.scale %[[EPOCH]] by 0.31415926535897931
// CHECK:         %[[COS:.*]] = kiln.cos %[[T]]
// CHECK:         %[[ONE:.*]] = kiln.add_scalar %[[COS]], 1.000000e+00
// CHECK:         %[[LR:.*]] = kiln.scale %[[ONE]] by 5.000000e-02
// CHECK:         %[[P:.*]] = kiln.scale %[[STEP]] by 1.000000e-02
// CHECK:         %[[PC:.*]] = kiln.clamp %[[P]] {max = 1.000000e+00 : f64}
// CHECK:         %[[PS:.*]] = kiln.scale %[[PC]] by 9.000000e-01
// CHECK:         %[[F:.*]] = kiln.add_scalar %[[PS]], 1.000000e-01
// CHECK:         %[[RATE:.*]] = kiln.mul %[[LR]], %[[F]]
// CHECK:         %[[B:.*]] = kiln.broadcast %[[RATE]] axes = [0]
// CHECK:         %[[D:.*]] = kiln.mul %[[W]], %[[B]]
// CHECK:         %[[NEW:.*]] = kiln.sub %[[W]], %[[D]]
// CHECK:         return %{{.*}}, %[[NEW]], %[[RATE]]

// -----

// Parameter groups: biases take lr 0.5 and no decay, `frozen.*` is not
// updated (no state, no result); the rest use the optimizer's settings,
// here decoupled decay (SGDW). A step schedule counts epochs; each base rate
// gets its own decayed rate.

module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01, momentum = 9.0e-01, nesterov = false, weight_decay = 1.0e-02, decoupled_weight_decay = true>, schedule = #kiln.schedule<step, step_size = 2.0, gamma = 5.0e-01, per_step = false>, groups = [#kiln.param_group<patterns = ["*.bias"], frozen = false, optimizer = #kiln.optimizer<sgd, lr = 5.0e-01, momentum = 0.0, nesterov = false, weight_decay = 0.0, decoupled_weight_decay = false>>, #kiln.param_group<patterns = ["frozen.*"], frozen = true, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01, momentum = 9.0e-01, nesterov = false, weight_decay = 1.0e-02, decoupled_weight_decay = true>>]>} {
  func.func @train_step(%w: tensor<3xf32> {kiln.role = #kiln.role<param>, kiln.name = "fc.weight"},
                        %b: tensor<3xf32> {kiln.role = #kiln.role<param>, kiln.name = "fc.bias"},
                        %f: tensor<3xf32> {kiln.role = #kiln.role<param>, kiln.name = "frozen.weight"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<3xf32> {kiln.role = #kiln.role<grad>, kiln.name = "fc.weight"},
          tensor<3xf32> {kiln.role = #kiln.role<grad>, kiln.name = "fc.bias"}, tensor<3xf32> {kiln.role = #kiln.role<grad>, kiln.name = "frozen.weight"})
      attributes {kiln.entry = #kiln.entry<train_step>} {
    %loss = arith.constant dense<0.0> : tensor<f32>
    return %loss, %w, %b, %f : tensor<f32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
  }
}

// CHECK-LABEL: func.func @train_step
// CHECK-SAME:    %[[W:[^:]*]]: tensor<3xf32> {kiln.name = "fc.weight", kiln.role = #kiln.role<param>}
// CHECK-SAME:    %[[B:[^:]*]]: tensor<3xf32> {kiln.name = "fc.bias", kiln.role = #kiln.role<param>}
// CHECK-SAME:    {kiln.name = "frozen.weight", kiln.role = #kiln.role<param>}
// CHECK-SAME:    %[[EPOCH:[^:]*]]: tensor<f32> {kiln.role = #kiln.role<epoch>}
// CHECK-SAME:    %[[BUF:[^:]*]]: tensor<3xf32> {kiln.init = #kiln.init<zeros>, kiln.name = "fc.weight.momentum_buffer", kiln.role = #kiln.role<state>}
// CHECK-SAME:    -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<3xf32> {kiln.name = "fc.weight", kiln.role = #kiln.role<param>}, tensor<3xf32> {kiln.name = "fc.bias", kiln.role = #kiln.role<param>}, tensor<3xf32> {kiln.name = "fc.weight.momentum_buffer", kiln.role = #kiln.role<state>}, tensor<f32> {kiln.role = #kiln.role<lr>})
// CHECK:         %[[Q:.*]] = kiln.div %[[EPOCH]], %{{.*}}
// CHECK:         %[[K:.*]] = kiln.floor %[[Q]]
// CHECK:         %[[POW:.*]] = kiln.rpow %[[K]] base 5.000000e-01
// CHECK:         %[[LR:.*]] = kiln.scale %[[POW]] by 1.000000e-01
// The bias group's own rate, 0.5 * 0.5^floor(epoch / 2) (CSE, which
// kiln-train runs next, shares the clock arithmetic).
// CHECK:         %[[BPOW:.*]] = kiln.rpow %{{.*}} base 5.000000e-01
// CHECK:         %[[BLR:.*]] = kiln.scale %[[BPOW]] by 5.000000e-01
// SGDW: the weight shrinks by lr * weight_decay before the step.
// CHECK:         %[[LRD:.*]] = kiln.scale %[[LR]] by 1.000000e-02
// CHECK:         %[[BLRD:.*]] = kiln.broadcast %[[LRD]]
// CHECK:         %[[DEC:.*]] = kiln.mul %[[W]], %[[BLRD]]
// CHECK:         %[[SHRUNK:.*]] = kiln.sub %[[W]], %[[DEC]]
// CHECK:         kiln.sub %[[SHRUNK]],
// CHECK:         %[[BB:.*]] = kiln.broadcast %[[BLR]]
// CHECK:         %[[BSTEP:.*]] = kiln.mul %[[B]], %[[BB]]
// CHECK:         kiln.sub %[[B]], %[[BSTEP]]
// CHECK:         return {{.*}}, %[[LR]] :
