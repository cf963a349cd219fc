// RUN: kiln-opt %s --split-input-file --verify-diagnostics

func.func @matmul_mismatch(%a: tensor<4x3xf32>, %b: tensor<2x5xf32>) {
  // expected-error@+2 {{matmul contracts 3 features of [4, 3] with 2 of [2, 5]}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = kiln.matmul %a, %b : tensor<4x3xf32>, tensor<2x5xf32> -> tensor<4x5xf32>
  return
}

// -----

func.func @matmul_wrong_result(%a: tensor<4x3xf32>, %b: tensor<3x5xf32>) {
  // expected-error@+2 {{inferred type(s) 'tensor<4x5xf32>' are incompatible with return type(s) of operation 'tensor<4x4xf32>'}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = kiln.matmul %a, %b : tensor<4x3xf32>, tensor<3x5xf32> -> tensor<4x4xf32>
  return
}

// -----

func.func @bias_mismatch(%a: tensor<4x3xf32>, %b: tensor<4xf32>) {
  // expected-error@+1 {{bias [4] does not match the channels (dimension 1) of [4, 3]}}
  %0 = kiln.bias_add %a, %b : tensor<4x3xf32>, tensor<4xf32>
  return
}

// -----

func.func @reshape_size(%a: tensor<4x3xf32>) {
  // expected-error@+1 {{cannot reshape [4, 3] (12 elements) to [5, 2] (10 elements)}}
  %0 = kiln.reshape %a : tensor<4x3xf32> -> tensor<5x2xf32>
  return
}

// -----

func.func @labels_batch(%l: tensor<4x10xf32>, %y: tensor<3xi32>) {
  // expected-error@+2 {{class scores [4, 10] need labels [4], got labels [3]}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = kiln.softmax_cross_entropy %l, %y : tensor<4x10xf32>, tensor<3xi32> -> tensor<4xf32>
  return
}

// -----

func.func @reduce_axis(%a: tensor<4x3xf32>) {
  // expected-error@+2 {{reduce_sum axis 2 is out of range for [4, 3]}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = kiln.reduce_sum %a axes = [2] : tensor<4x3xf32> -> tensor<4x3xf32>
  return
}

// -----

func.func @broadcast_shape(%a: tensor<3xf32>) {
  // expected-error@+1 {{input [3] does not match result [4, 5] outside axes}}
  %0 = kiln.broadcast %a axes = [0] : tensor<3xf32> -> tensor<4x5xf32>
  return
}
