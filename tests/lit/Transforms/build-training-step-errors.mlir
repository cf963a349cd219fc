// RUN: kiln-opt --kiln-build-training-step --split-input-file --verify-diagnostics %s

// An op on the gradient path without a VJP is reported with its location.
module {
  func.func @model(%y: tensor<2xi32> {kiln.role = "label"},
                   %w: tensor<2x2xf32> {kiln.role = "param", kiln.name = "w"},
                   %g: tensor<2xf32> {kiln.role = "input"})
      -> (tensor<f32> {kiln.output = "loss"}) attributes {kiln.entry = "eval"} {
    // expected-note@+1 {{`kiln.softmax_cross_entropy_grad` has no vector-Jacobian product}}
    %0 = kiln.softmax_cross_entropy_grad %g, %w, %y : tensor<2xf32>, tensor<2x2xf32>, tensor<2xi32>
    // expected-error@+1 {{cannot differentiate the loss: 1 op on the gradient path has no gradient}}
    %1 = kiln.reduce_sum %0 axes = [0, 1] : tensor<2x2xf32> -> tensor<f32>
    return %1 : tensor<f32>
  }
}

// -----

// expected-error@+1 {{no function is marked kiln.entry = "eval"}}
module {
}
