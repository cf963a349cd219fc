// RUN: kiln-opt %s --split-input-file --verify-diagnostics

// kiln.runtime_call is checked against runtime_calls.def, the table the
// runtime's C declarations come from: a call the runtime could not take
// does not verify.

func.func @unknown(%a: tensor<4x6xf32>) -> tensor<4x6xf32> {
  // expected-error@+1 {{calls `kiln_rt_softmax_f32`, which is not a kernel of runtime_calls.def}}
  %0 = kiln.runtime_call "kiln_rt_softmax_f32"(%a) {} : (tensor<4x6xf32>) -> tensor<4x6xf32>
  return %0 : tensor<4x6xf32>
}

// -----

func.func @inputs(%a: tensor<4x6xf32>) -> tensor<4x5xf32> {
  // expected-error@+1 {{`kiln_rt_matmul_f32` takes 2 input buffers, got 1}}
  %0 = kiln.runtime_call "kiln_rt_matmul_f32"(%a) {m = 4 : i64, n = 5 : i64, k = 6 : i64, transpose_a = 0 : i64, transpose_b = 0 : i64} : (tensor<4x6xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

func.func @outputs(%a: tensor<4x6xf32>, %b: tensor<6x5xf32>) {
  // expected-error@+1 {{`kiln_rt_matmul_f32` takes 1 output buffer, got 0}}
  kiln.runtime_call "kiln_rt_matmul_f32"(%a, %b) {m = 4 : i64, n = 5 : i64, k = 6 : i64, transpose_a = 0 : i64, transpose_b = 0 : i64} : (tensor<4x6xf32>, tensor<6x5xf32>) -> ()
  return
}

// -----

func.func @element_type(%a: tensor<4x6xf64>, %b: tensor<6x5xf32>) -> tensor<4x5xf32> {
  // expected-error@+1 {{input `a` of `kiln_rt_matmul_f32` must hold 'f32', got 'f64'}}
  %0 = kiln.runtime_call "kiln_rt_matmul_f32"(%a, %b) {m = 4 : i64, n = 5 : i64, k = 6 : i64, transpose_a = 0 : i64, transpose_b = 0 : i64} : (tensor<4x6xf64>, tensor<6x5xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

func.func @missing_scalar(%a: tensor<4x6xf32>, %b: tensor<6x5xf32>) -> tensor<4x5xf32> {
  // expected-error@+1 {{`kiln_rt_matmul_f32` needs the scalar `transpose_b` as an i64}}
  %0 = kiln.runtime_call "kiln_rt_matmul_f32"(%a, %b) {m = 4 : i64, n = 5 : i64, k = 6 : i64, transpose_a = 0 : i64} : (tensor<4x6xf32>, tensor<6x5xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

func.func @scalar_type(%a: tensor<4x6xf32>, %b: tensor<6x5xf32>) -> tensor<4x5xf32> {
  // expected-error@+1 {{`kiln_rt_matmul_f32` needs the scalar `m` as an i64}}
  %0 = kiln.runtime_call "kiln_rt_matmul_f32"(%a, %b) {m = 4.0 : f64, n = 5 : i64, k = 6 : i64, transpose_a = 0 : i64, transpose_b = 0 : i64} : (tensor<4x6xf32>, tensor<6x5xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

func.func @extra_scalar(%a: tensor<4x6xf32>, %b: tensor<6x5xf32>) -> tensor<4x5xf32> {
  // expected-error@+1 {{`kiln_rt_matmul_f32` has no scalar `alpha`}}
  %0 = kiln.runtime_call "kiln_rt_matmul_f32"(%a, %b) {m = 4 : i64, n = 5 : i64, k = 6 : i64, transpose_a = 0 : i64, transpose_b = 0 : i64, alpha = 1.0 : f64} : (tensor<4x6xf32>, tensor<6x5xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}
