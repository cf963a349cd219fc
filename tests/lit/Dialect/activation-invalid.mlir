// RUN: kiln-opt %s --split-input-file --verify-diagnostics

func.func @softmax_axis(%x: tensor<4x5xf32>) {
  // expected-error@+1 {{'kiln.softmax' op axis 2 is out of range for [4, 5]}}
  %0 = kiln.softmax %x axis = 2 : tensor<4x5xf32>
  return
}

// -----

func.func @log_softmax_scalar(%x: tensor<f32>) {
  // expected-error@+1 {{'kiln.log_softmax' op axis 0 is out of range for []}}
  %0 = kiln.log_softmax %x axis = 0 : tensor<f32>
  return
}

// -----

func.func @softplus_beta(%x: tensor<4xf32>) {
  // expected-error@+1 {{'kiln.softplus' op beta must be positive, got 0}}
  %0 = kiln.softplus %x {beta = 0.0} : tensor<4xf32>
  return
}

// -----

func.func @gelu_grad_types(%g: tensor<4xf32>, %x: tensor<4xf64>) {
  // expected-error@+1 {{'kiln.gelu_grad' op requires the same type for all operands and results}}
  %0 = "kiln.gelu_grad"(%g, %x) : (tensor<4xf32>, tensor<4xf64>) -> tensor<4xf32>
  return
}
