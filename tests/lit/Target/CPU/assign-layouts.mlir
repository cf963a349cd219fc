// kiln-cpu-assign-layouts keeps the feature maps between oneDNN kernels in
// blocks of 16 channels: no reorder between two convolutions and the ReLU
// between them, one before the flatten, none at a one-channel input.
// RUN: kiln-opt %s --kiln-select-library-calls=target=cpu --kiln-cpu-assign-layouts=block=16 --split-input-file | FileCheck %s
// Block 1 keeps NCHW.
// RUN: kiln-opt %s --kiln-select-library-calls=target=cpu --kiln-cpu-assign-layouts=block=1 --split-input-file | FileCheck %s --check-prefix=PLAIN
// PLAIN-NOT: block_channels
// The runtime's kernels take blocks of 8 and 16.
// RUN: not kiln-opt %s --kiln-cpu-assign-layouts=block=4 --split-input-file 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: error: channel block 4 is not one the runtime's kernels take: use 0 (this machine's), 1 (NCHW), 8 or 16

// CHECK-LABEL: func.func @chain
// CHECK:         %[[C1:.*]] = kiln.runtime_call "kiln_rt_conv2d_forward_f32"(%arg0, %arg1)
// CHECK-SAME:      input_layout = 0 : i64
// CHECK-SAME:      output_layout = 16 : i64
// CHECK-SAME:      -> tensor<2x2x6x6x16xf32>
// CHECK-NEXT:    %[[R:.*]] = kiln.relu %[[C1]] : tensor<2x2x6x6x16xf32>
// CHECK-NEXT:    %[[C2:.*]] = kiln.runtime_call "kiln_rt_conv2d_forward_f32"(%[[R]], %arg2)
// CHECK-SAME:      input_layout = 16 : i64
// CHECK-SAME:      output_layout = 16 : i64
// CHECK-NEXT:    %[[P:.*]] = kiln.unblock_channels %[[C2]] : tensor<2x1x6x6x16xf32> -> tensor<2x16x6x6xf32>
// CHECK-NEXT:    kiln.reshape %[[P]]
func.func @chain(%x: tensor<2x1x6x6xf32>, %w1: tensor<32x1x3x3xf32>, %w2: tensor<16x32x3x3xf32>) -> tensor<2x576xf32> {
  %c1 = kiln.conv2d %x, %w1 strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 1 : tensor<2x1x6x6xf32>, tensor<32x1x3x3xf32> -> tensor<2x32x6x6xf32>
  %r = kiln.relu %c1 : tensor<2x32x6x6xf32>
  %c2 = kiln.conv2d %r, %w2 strides = [1, 1] padding = [1, 1] dilations = [1, 1] groups = 1 : tensor<2x32x6x6xf32>, tensor<16x32x3x3xf32> -> tensor<2x16x6x6xf32>
  %h = kiln.reshape %c2 : tensor<2x16x6x6xf32> -> tensor<2x576xf32>
  return %h : tensor<2x576xf32>
}

// -----

// A sum with a map that comes from outside stays NCHW: blocking the
// argument would cost the reorder it saves.
// CHECK-LABEL: func.func @mixed_sum
// CHECK:         %[[Y:.*]] = kiln.runtime_call "kiln_rt_max_pool2d_forward_f32"
// CHECK-SAME:      layout = 16 : i64
// CHECK-NEXT:    %[[P:.*]] = kiln.unblock_channels %[[Y]]
// CHECK-NEXT:    kiln.add %[[P]], %arg1 : tensor<1x16x2x2xf32>
func.func @mixed_sum(%x: tensor<1x16x4x4xf32>, %s: tensor<1x16x2x2xf32>) -> tensor<1x16x2x2xf32> {
  %y = kiln.max_pool2d %x kernel = [2, 2] strides = [2, 2] padding = [0, 0] : tensor<1x16x4x4xf32> -> tensor<1x16x2x2xf32>
  %z = kiln.add %y, %s : tensor<1x16x2x2xf32>
  return %z : tensor<1x16x2x2xf32>
}

// -----

// Channels that do not fill whole blocks and f64 (the reference kernels)
// stay NCHW. [batch, features] batch norm is blocked as it is: with one
// spatial position, row-major [8, 16] is [8, 16 / 16, 1, 1, 16].
// CHECK-LABEL: func.func @unblockable
// CHECK-NOT:     block_channels
// CHECK:         "kiln_rt_max_pool2d_forward_f32"{{.*}}layout = 0 : i64
// CHECK:         "kiln_rt_batch_norm_forward_f32"{{.*}}layout = 16 : i64{{.*}} -> (tensor<8x16xf32>,
// CHECK:         "kiln_rt_max_pool2d_forward_f64"
// CHECK-NOT:     block_channels
func.func @unblockable(%x: tensor<1x12x4x4xf32>, %f: tensor<8x16xf32>, %v: tensor<16xf32>, %d: tensor<1x16x4x4xf64>) -> (tensor<1x12x2x2xf32>, tensor<8x16xf32>, tensor<1x16x2x2xf64>) {
  %y = kiln.max_pool2d %x kernel = [2, 2] strides = [2, 2] padding = [0, 0] : tensor<1x12x4x4xf32> -> tensor<1x12x2x2xf32>
  %n, %m, %s = kiln.batch_norm %f, %v, %v, %v, %v {epsilon = 1.0e-05 : f64, momentum = 1.0e-01 : f64, training} : tensor<8x16xf32>, tensor<16xf32>
  %e = kiln.max_pool2d %d kernel = [2, 2] strides = [2, 2] padding = [0, 0] : tensor<1x16x4x4xf64> -> tensor<1x16x2x2xf64>
  return %y, %n, %e : tensor<1x12x2x2xf32>, tensor<8x16xf32>, tensor<1x16x2x2xf64>
}
