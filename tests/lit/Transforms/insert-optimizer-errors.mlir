// RUN: kiln-opt --kiln-insert-optimizer --split-input-file --verify-diagnostics %s

// expected-error@+1 {{unknown optimizer `sgdd`}}
module attributes {kiln.train = {optimizer = {name = "sgdd"}}} {
  func.func @train_step() -> (tensor<f32> {kiln.output = "loss"}) attributes {kiln.entry = "train_step"} {
    %loss = arith.constant dense<0.0> : tensor<f32>
    return %loss : tensor<f32>
  }
}

// -----

// expected-error@+1 {{optimizer `sgd`: `momentum` is missing}}
module attributes {kiln.train = {optimizer = {name = "sgd", lr = 1.0 : f64}}} {
  func.func @train_step() -> (tensor<f32> {kiln.output = "loss"}) attributes {kiln.entry = "train_step"} {
    %loss = arith.constant dense<0.0> : tensor<f32>
    return %loss : tensor<f32>
  }
}

// -----

// expected-error@+1 {{no @train_step: run kiln-build-training-step first}}
module attributes {kiln.train = {optimizer = {name = "sgd"}}} {
}

// -----

module attributes {kiln.train = {optimizer = {name = "sgd", lr = 1.0e-01 : f64, momentum = 0.0 : f64, nesterov = false, weight_decay = 0.0 : f64, decoupled_weight_decay = false}, groups = [{patterns = ["*"], frozen = true, optimizer = {name = "sgd", lr = 1.0e-01 : f64, momentum = 0.0 : f64, nesterov = false, weight_decay = 0.0 : f64, decoupled_weight_decay = false}}]}} {
  // expected-error@+1 {{every parameter is frozen: there is nothing to train}}
  func.func @train_step(%w: tensor<3xf32> {kiln.role = "param", kiln.name = "w"})
      -> (tensor<f32> {kiln.output = "loss"}) attributes {kiln.entry = "train_step"} {
    %loss = arith.constant dense<0.0> : tensor<f32>
    return %loss : tensor<f32>
  }
}
