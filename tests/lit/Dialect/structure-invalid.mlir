// RUN: kiln-opt %s --split-input-file --verify-diagnostics

func.func @concat_shapes(%a: tensor<2x3xf32>, %b: tensor<3x3xf32>) {
  // expected-error@+2 {{concat along axis 1 cannot join [2, 3] and [3, 3]}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = kiln.concat %a, %b axis = 1 : tensor<2x3xf32>, tensor<3x3xf32> -> tensor<2x6xf32>
  return
}

// -----

func.func @concat_axis(%a: tensor<2x3xf32>) {
  // expected-error@+2 {{concat axis 2 is out of range for [2, 3]}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = kiln.concat %a axis = 2 : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @transpose_permutation(%x: tensor<2x3x4xf32>) {
  // expected-error@+2 {{[0, 2, 2] is not a permutation of the 3 dimensions of [2, 3, 4]}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = kiln.transpose %x permutation = [0, 2, 2] : tensor<2x3x4xf32> -> tensor<2x4x4xf32>
  return
}

// -----

func.func @slice_range(%x: tensor<2x3xf32>) {
  // expected-error@+2 {{slice [2, 4) is empty or out of range for size 3 of [2, 3]}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = kiln.slice %x axis = 1 start = 2 end = 4 : tensor<2x3xf32> -> tensor<2x2xf32>
  return
}

// -----

func.func @slice_grad_fit(%g: tensor<2x2xf32>) {
  // expected-error@+1 {{'kiln.slice_grad' op cannot place [2, 2] at 2 along axis 1 of [2, 3]}}
  %0 = kiln.slice_grad %g axis = 1 start = 2 : tensor<2x2xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @block_partial(%x: tensor<2x12x3x3xf32>) -> tensor<2x1x3x3x16xf32> {
  // expected-error@+2 {{'kiln.block_channels' op failed to infer returned types}}
  // expected-error@+1 {{block_channels needs [N, C, H, W] with C a multiple of the block 16, got [2, 12, 3, 3]}}
  %b = kiln.block_channels %x block = 16 : tensor<2x12x3x3xf32> -> tensor<2x1x3x3x16xf32>
  return %b : tensor<2x1x3x3x16xf32>
}

// -----

func.func @unblock_rank(%x: tensor<2x16x3x3xf32>) -> tensor<2x16x3x3xf32> {
  // expected-error@+2 {{'kiln.unblock_channels' op failed to infer returned types}}
  // expected-error@+1 {{unblock_channels needs [N, C / b, H, W, b], got [2, 16, 3, 3]}}
  %u = kiln.unblock_channels %x : tensor<2x16x3x3xf32> -> tensor<2x16x3x3xf32>
  return %u : tensor<2x16x3x3xf32>
}
