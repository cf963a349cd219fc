// RUN: kiln-opt --kiln-build-hessian --split-input-file --verify-diagnostics %s

// The Hessian has P^2 elements: more than 512 parameters are refused.
module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<newton>>} {
  // expected-error@+1 {{Newton's method needs the P x P Hessian; this model has 513 parameters, more than 512}}
  func.func @model(%x: tensor<513xf32> {kiln.role = #kiln.role<input>},
                   %w: tensor<512xf32> {kiln.role = #kiln.role<param>, kiln.name = "w"},
                   %b: tensor<1xf32> {kiln.role = #kiln.role<param>, kiln.name = "b"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}) attributes {kiln.entry = #kiln.entry<eval>} {
    %0 = kiln.concat %w, %b axis = 0 : tensor<512xf32>, tensor<1xf32> -> tensor<513xf32>
    %1 = kiln.mul %0, %x : tensor<513xf32>
    %2 = kiln.reduce_sum %1 axes = [0] : tensor<513xf32> -> tensor<f32>
    return %2 : tensor<f32>
  }
}

// -----

// Ops with a training form (batch normalization, dropout) are refused:
// Newton's method is for small convex models.
module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<newton>>} {
  func.func @model(%x: tensor<4x3xf32> {kiln.role = #kiln.role<input>, kiln.name = "x"},
                   %w: tensor<3xf32> {kiln.role = #kiln.role<param>, kiln.name = "w"},
                   %seed: tensor<i64> {kiln.role = #kiln.role<rng>, kiln.name = "rng"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}) attributes {kiln.entry = #kiln.entry<eval>} {
    // expected-error@+1 {{'kiln.dropout' op behaves differently while training (batch statistics, dropout masks); Newton's method evaluates one deterministic loss, so the model must have no batch normalization or dropout}}
    %0 = kiln.dropout %x, %seed {rate = 5.0e-01 : f64, stream = 1 : i64} : tensor<4x3xf32>
    %1 = kiln.reduce_sum %0 axes = [0] : tensor<4x3xf32> -> tensor<3xf32>
    %2 = kiln.mul %1, %w : tensor<3xf32>
    %3 = kiln.reduce_sum %2 axes = [0] : tensor<3xf32> -> tensor<f32>
    return %3 : tensor<f32>
  }
}

// -----

module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<newton>>} {
  // expected-error@+1 {{Newton's method needs parameters of one element type: the Hessian is one tensor}}
  func.func @model(%w: tensor<2xf32> {kiln.role = #kiln.role<param>, kiln.name = "w"},
                   %v: tensor<2xf64> {kiln.role = #kiln.role<param>, kiln.name = "v"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}) attributes {kiln.entry = #kiln.entry<eval>} {
    %0 = kiln.reduce_sum %w axes = [0] : tensor<2xf32> -> tensor<f32>
    return %0 : tensor<f32>
  }
}

// -----

// expected-error@+1 {{no function is marked kiln.entry = #kiln.entry<eval>}}
module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<newton>>} {
}
