// RUN: kiln-opt --kiln-clip-gradients --split-input-file %s | FileCheck %s

// By value (clip_grad_value_): each gradient element clamped to [-v, v]; the
// loss and buffers pass through.

module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01>, clip = #kiln.clip<value, clip_value = 5.0e-01>>} {
  func.func @train_step(%w: tensor<3xf32> {kiln.role = #kiln.role<param>, kiln.name = "w"},
                        %m: tensor<3xf32> {kiln.role = #kiln.role<buffer>, kiln.name = "m"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<3xf32> {kiln.role = #kiln.role<grad>, kiln.name = "w"},
          tensor<3xf32> {kiln.role = #kiln.role<buffer>, kiln.name = "m"})
      attributes {kiln.entry = #kiln.entry<train_step>} {
    %loss = arith.constant dense<0.0> : tensor<f32>
    %g = kiln.scale %w by 2.0 : tensor<3xf32>
    return %loss, %g, %m : tensor<f32>, tensor<3xf32>, tensor<3xf32>
  }
}

// CHECK-LABEL: func.func @train_step
// CHECK:         %[[LOSS:.*]] = arith.constant
// CHECK:         %[[G:.*]] = kiln.scale %arg0 by 2.000000e+00
// CHECK:         %[[C:.*]] = kiln.clamp %[[G]] {max = 5.000000e-01 : f64, min = -5.000000e-01 : f64} : tensor<3xf32>
// CHECK:         return %[[LOSS]], %[[C]], %arg1

// -----

// By global L2 norm (clip_grad_norm_): one factor
// min(1, max_norm / (sqrt(sum of all g^2) + 1e-6)) scales every gradient.

module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01>, clip = #kiln.clip<global_norm, max_norm = 5.0>>} {
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
// CHECK:         %[[WSQ:.*]] = kiln.mul %arg0, %arg0 : tensor<2x3xf32>
// CHECK:         %[[WSUM:.*]] = kiln.reduce_sum %[[WSQ]] axes = [0, 1] : tensor<2x3xf32> -> tensor<f32>
// CHECK:         %[[BSQ:.*]] = kiln.mul %arg1, %arg1 : tensor<3xf32>
// CHECK:         %[[BSUM:.*]] = kiln.reduce_sum %[[BSQ]] axes = [0] : tensor<3xf32> -> tensor<f32>
// CHECK:         %[[TOTAL:.*]] = kiln.add %[[WSUM]], %[[BSUM]] : tensor<f32>
// CHECK:         %[[NORM:.*]] = kiln.sqrt %[[TOTAL]] : tensor<f32>
// CHECK:         %[[DEN:.*]] = kiln.add_scalar %[[NORM]], 9.9999999999999995E-7 : tensor<f32>
// CHECK:         %[[MAX:.*]] = arith.constant dense<5.000000e+00> : tensor<f32>
// CHECK:         %[[RATIO:.*]] = kiln.div %[[MAX]], %[[DEN]] : tensor<f32>
// CHECK:         %[[F:.*]] = kiln.clamp %[[RATIO]] {max = 1.000000e+00 : f64} : tensor<f32>
// CHECK:         %[[FW:.*]] = kiln.broadcast %[[F]] axes = [0, 1] : tensor<f32> -> tensor<2x3xf32>
// CHECK:         %[[W:.*]] = kiln.mul %arg0, %[[FW]] : tensor<2x3xf32>
// CHECK:         %[[FB:.*]] = kiln.broadcast %[[F]] axes = [0] : tensor<f32> -> tensor<3xf32>
// CHECK:         %[[B:.*]] = kiln.mul %arg1, %[[FB]] : tensor<3xf32>
// CHECK:         return %{{.*}}, %[[W]], %[[B]]

// -----

// Per-tensor norm: each gradient gets the factor of its own norm.

module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01>, clip = #kiln.clip<tensor_norm, max_norm = 1.0>>} {
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
// CHECK:         %[[WSUM:.*]] = kiln.reduce_sum %{{.*}} axes = [0, 1]
// CHECK:         %[[WNORM:.*]] = kiln.sqrt %[[WSUM]]
// CHECK:         %[[WF:.*]] = kiln.clamp %{{.*}} {max = 1.000000e+00 : f64}
// CHECK:         %[[FW:.*]] = kiln.broadcast %[[WF]] axes = [0, 1]
// CHECK:         %[[W:.*]] = kiln.mul %arg0, %[[FW]]
// CHECK:         %[[BSUM:.*]] = kiln.reduce_sum %{{.*}} axes = [0]
// CHECK:         %[[BNORM:.*]] = kiln.sqrt %[[BSUM]]
// CHECK:         %[[BF:.*]] = kiln.clamp %{{.*}} {max = 1.000000e+00 : f64}
// CHECK:         %[[FB:.*]] = kiln.broadcast %[[BF]] axes = [0]
// CHECK:         %[[B:.*]] = kiln.mul %arg1, %[[FB]]
// CHECK:         return %{{.*}}, %[[W]], %[[B]]

// -----

// No clip in the recipe: the step is unchanged.

module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01>>} {
  func.func @train_step(%w: tensor<3xf32> {kiln.role = #kiln.role<param>, kiln.name = "w"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<3xf32> {kiln.role = #kiln.role<grad>, kiln.name = "w"})
      attributes {kiln.entry = #kiln.entry<train_step>} {
    %loss = arith.constant dense<0.0> : tensor<f32>
    return %loss, %w : tensor<f32>, tensor<3xf32>
  }
}

// CHECK-LABEL: func.func @train_step
// CHECK-NEXT:    %[[LOSS:.*]] = arith.constant
// CHECK-NEXT:    return %[[LOSS]], %arg0 : tensor<f32>, tensor<3xf32>
