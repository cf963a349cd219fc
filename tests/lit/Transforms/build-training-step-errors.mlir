// RUN: kiln-opt --kiln-build-training-step --split-input-file --verify-diagnostics %s

// An op on the gradient path without a VJP is reported with its location.
module {
  func.func @model(%w: tensor<2x2xf32> {kiln.role = #kiln.role<param>, kiln.name = "w"},
                   %g: tensor<2x2xf32> {kiln.role = #kiln.role<input>})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}) attributes {kiln.entry = #kiln.entry<eval>} {
    // expected-note@+1 {{`kiln.gelu_grad` has no vector-Jacobian product}}
    %0 = kiln.gelu_grad %g, %w : tensor<2x2xf32>
    // expected-error@+1 {{cannot differentiate the loss: 1 op on the gradient path has no gradient}}
    %1 = kiln.reduce_sum %0 axes = [0, 1] : tensor<2x2xf32> -> tensor<f32>
    return %1 : tensor<f32>
  }
}

// -----

// expected-error@+1 {{no function is marked kiln.entry = #kiln.entry<eval>}}
module {
}
