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
