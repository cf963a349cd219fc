// RUN: kiln-opt %s --split-input-file --verify-diagnostics

func.func @normalize_batch_axis(%x: tensor<4x5xf32>) {
  // expected-error@+1 {{'kiln.normalize' op axis 0 is not a dimension of [4, 5] after the first}}
  %0 = kiln.normalize %x axis = 0 : tensor<4x5xf32>
  return
}

// -----

func.func @normalize_axis_out_of_range(%x: tensor<4x5xf32>) {
  // expected-error@+1 {{'kiln.normalize' op axis 2 is not a dimension of [4, 5] after the first}}
  %0 = kiln.normalize %x axis = 2 : tensor<4x5xf32>
  return
}

// -----

func.func @normalize_epsilon(%x: tensor<4x5xf32>) {
  // expected-error@+1 {{'kiln.normalize' op epsilon must not be negative, got -1.000000e-05}}
  %0 = kiln.normalize %x axis = 1 {epsilon = -1.0e-05} : tensor<4x5xf32>
  return
}

// -----

func.func @normalize_grad_axis(%g: tensor<4x5xf32>, %x: tensor<4x5xf32>) {
  // expected-error@+1 {{'kiln.normalize_grad' op axis 3 is not a dimension of [4, 5] after the first}}
  %0 = kiln.normalize_grad %g, %x axis = 3 : tensor<4x5xf32>
  return
}

// -----

func.func @normalize_grad_types(%g: tensor<4x5xf32>, %x: tensor<4x6xf32>) {
  // expected-error@+1 {{'kiln.normalize_grad' op requires the same type for all operands and results}}
  %0 = "kiln.normalize_grad"(%g, %x) {axis = 1 : i64} : (tensor<4x5xf32>, tensor<4x6xf32>) -> tensor<4x5xf32>
  return
}

// -----

func.func @lrn_needs_channels(%x: tensor<4xf32>) {
  // expected-error@+1 {{'kiln.local_response_norm' op needs [batch, channels, ...], got [4]}}
  %0 = kiln.local_response_norm %x size = 3 : tensor<4xf32>
  return
}

// -----

func.func @lrn_size(%x: tensor<4x5xf32>) {
  // expected-error@+1 {{'kiln.local_response_norm' op size must be positive, got 0}}
  %0 = kiln.local_response_norm %x size = 0 : tensor<4x5xf32>
  return
}

// -----

func.func @lrn_alpha(%x: tensor<4x5xf32>) {
  // expected-error@+1 {{'kiln.local_response_norm' op alpha must not be negative, got -1.000000e+00}}
  %0 = kiln.local_response_norm %x size = 3 {alpha = -1.0} : tensor<4x5xf32>
  return
}

// -----

func.func @lrn_grad_k(%g: tensor<4x5xf32>, %x: tensor<4x5xf32>) {
  // expected-error@+1 {{'kiln.local_response_norm_grad' op k must be positive, got 0.000000e+00}}
  %0 = kiln.local_response_norm_grad %g, %x size = 3 {k = 0.0} : tensor<4x5xf32>
  return
}

// -----

func.func @rsqrt_types(%x: tensor<4xf32>) {
  // expected-error@+1 {{'kiln.rsqrt' op requires the same type for all operands and results}}
  %0 = "kiln.rsqrt"(%x) : (tensor<4xf32>) -> tensor<4xf64>
  return
}
