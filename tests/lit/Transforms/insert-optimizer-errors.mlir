// RUN: kiln-opt --kiln-insert-optimizer --split-input-file --verify-diagnostics %s

// A malformed optimizer recipe never reaches the pass: the attribute's
// verifier rejects it (tests/lit/Dialect/recipe-invalid.mlir). What the pass
// checks is the graph it rewrites.

// expected-error@+1 {{no @train_step: run kiln-build-training-step first}}
module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01>>} {
}

// -----

module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01>>} {
  // expected-error@+1 {{the model has no parameters to train}}
  func.func @train_step() -> (tensor<f32> {kiln.role = #kiln.role<loss>}) attributes {kiln.entry = #kiln.entry<train_step>} {
    %loss = arith.constant dense<0.0> : tensor<f32>
    return %loss : tensor<f32>
  }
}

// -----

module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01>>} {
  // expected-error@+1 {{the optimizer needs parameters of one element type, got 'f32' and 'f64'}}
  func.func @train_step(%w: tensor<3xf32> {kiln.role = #kiln.role<param>, kiln.name = "w"},
                        %v: tensor<3xf64> {kiln.role = #kiln.role<param>, kiln.name = "v"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}) attributes {kiln.entry = #kiln.entry<train_step>} {
    %loss = arith.constant dense<0.0> : tensor<f32>
    return %loss : tensor<f32>
  }
}

// -----

module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01>>} {
  // expected-error@+1 {{gradient result 1 names no parameter argument}}
  func.func @train_step(%w: tensor<3xf32> {kiln.role = #kiln.role<param>, kiln.name = "w"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<3xf32> {kiln.role = #kiln.role<grad>, kiln.name = "u"})
      attributes {kiln.entry = #kiln.entry<train_step>} {
    %loss = arith.constant dense<0.0> : tensor<f32>
    return %loss, %w : tensor<f32>, tensor<3xf32>
  }
}

// -----

module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01>, groups = [#kiln.param_group<patterns = ["*"], frozen = true, optimizer = #kiln.optimizer<sgd, lr = 1.0e-01>>]>} {
  // expected-error@+1 {{every parameter is frozen: there is nothing to train}}
  func.func @train_step(%w: tensor<3xf32> {kiln.role = #kiln.role<param>, kiln.name = "w"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}) attributes {kiln.entry = #kiln.entry<train_step>} {
    %loss = arith.constant dense<0.0> : tensor<f32>
    return %loss : tensor<f32>
  }
}
