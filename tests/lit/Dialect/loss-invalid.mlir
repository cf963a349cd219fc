// RUN: kiln-opt %s --split-input-file --verify-diagnostics

func.func @smoothing_range(%x: tensor<4x10xf32>, %y: tensor<4xi32>) {
  // expected-error@+1 {{'kiln.softmax_cross_entropy' op label_smoothing must be in [0, 1], got 1.5}}
  %0 = kiln.softmax_cross_entropy %x, %y {label_smoothing = 1.5} : tensor<4x10xf32>, tensor<4xi32> -> tensor<4xf32>
  return
}

// -----

func.func @pixel_labels(%x: tensor<2x3x4x4xf32>, %y: tensor<2x4xi32>) {
  // expected-error@+2 {{class scores [2, 3, 4, 4] need labels [2, 4, 4], got labels [2, 4]}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = kiln.softmax_cross_entropy %x, %y : tensor<2x3x4x4xf32>, tensor<2x4xi32> -> tensor<2x4x4xf32>
  return
}

// -----

func.func @nll_rank(%x: tensor<4xf32>, %y: tensor<4xi32>) {
  // expected-error@+2 {{class scores must be [batch, classes, ...], got [4]}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = kiln.nll %x, %y : tensor<4xf32>, tensor<4xi32> -> tensor<4xf32>
  return
}

// -----

func.func @nll_grad_shape(%g: tensor<3xf32>, %y: tensor<4xi32>) {
  // expected-error@+1 {{gradient [3] does not match the positions of scores [4, 10]}}
  %0 = kiln.nll_grad %g, %y : tensor<3xf32>, tensor<4xi32> -> tensor<4x10xf32>
  return
}

// -----

func.func @cross_entropy_grad_shape(%g: tensor<4x1xf32>, %x: tensor<4x10xf32>, %y: tensor<4xi32>) {
  // The result type is inferred while parsing, which reports the one error.
  // expected-error@+1 {{gradient [4, 1] does not match the positions of scores [4, 10]}}
  %0 = kiln.softmax_cross_entropy_grad %g, %x, %y : tensor<4x1xf32>, tensor<4x10xf32>, tensor<4xi32>
  return
}

// -----

func.func @bce_targets(%x: tensor<4x2xf32>, %t: tensor<4x1xf32>) {
  // expected-error@+1 {{'kiln.bce_with_logits' op requires the same type for all operands and results}}
  %0 = "kiln.bce_with_logits"(%x, %t) : (tensor<4x2xf32>, tensor<4x1xf32>) -> tensor<4x2xf32>
  return
}
