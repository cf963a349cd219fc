// RUN: kiln-opt --kiln-clip-gradients --split-input-file --verify-diagnostics %s

// A malformed clip recipe never reaches the pass: the attribute's verifier
// rejects it (tests/lit/Dialect/recipe-invalid.mlir). What the pass checks is
// the graph it rewrites.

// expected-error@+1 {{no @train_step: run kiln-build-training-step first}}
module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01>, clip = #kiln.clip<value, clip_value = 1.0>>} {
}

// -----

module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01>, clip = #kiln.clip<global_norm, max_norm = 1.0>>} {
  // expected-error@+1 {{global_norm clipping needs gradients of one element type}}
  func.func @train_step(%w: tensor<3xf32> {kiln.role = #kiln.role<param>, kiln.name = "w"},
                        %v: tensor<3xf64> {kiln.role = #kiln.role<param>, kiln.name = "v"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<3xf32> {kiln.role = #kiln.role<grad>, kiln.name = "w"},
          tensor<3xf64> {kiln.role = #kiln.role<grad>, kiln.name = "v"})
      attributes {kiln.entry = #kiln.entry<train_step>} {
    %loss = arith.constant dense<0.0> : tensor<f32>
    return %loss, %w, %v : tensor<f32>, tensor<3xf32>, tensor<3xf64>
  }
}
