// Convolution and pooling become runtime calls on tensors: each operand is
// read through a read-only buffer, the result is a fresh buffer, and the
// geometry of the forward op follows in runtime_calls.def's order.
// RUN: kiln-opt %s --kiln-select-library-calls=target=cpu --kiln-lower-to-runtime-calls --canonicalize | FileCheck %s
//
// The calls read buffers through pointers, which deallocation cannot see: the
// lowering relies on the pipeline's deallocation freeing buffers only at the
// end of their block, after the calls that read them.
// RUN: kiln-opt %s --pass-pipeline="builtin.module(kiln-select-library-calls{target=cpu},kiln-lower-to-runtime-calls,one-shot-bufferize{bufferize-function-boundaries=1 function-boundary-type-conversion=identity-layout-map},buffer-results-to-out-params{hoist-static-allocs=1},buffer-deallocation-pipeline)" | FileCheck %s --check-prefix=DEALLOC

// CHECK-DAG: func.func private @kiln_rt_conv2d_forward_f32(!llvm.ptr, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64)
// CHECK-DAG: func.func private @kiln_rt_max_pool2d_forward_f32(!llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64)

// Geometry: batch 2, 4 channels of 9x7 in, 6 channels of 5x3 out, kernel 3x3,
// strides (2, 1), padding (1, 0), dilations (1, 2), 2 groups.
// CHECK-LABEL: func.func @conv2d(
// CHECK-SAME:      %[[X:.*]]: tensor<2x4x9x7xf32>, %[[W:.*]]: tensor<6x2x3x3xf32>
// CHECK:         %[[XB:.*]] = bufferization.to_memref %[[X]] read_only : memref<2x4x9x7xf32>
// CHECK:         %[[WB:.*]] = bufferization.to_memref %[[W]] read_only : memref<6x2x3x3xf32>
// CHECK:         %[[Y:.*]] = memref.alloc() : memref<2x6x5x3xf32>
// CHECK:         %[[XI:.*]] = memref.extract_aligned_pointer_as_index %[[XB]]
// CHECK:         %[[XL:.*]] = arith.index_cast %[[XI]] : index to i64
// CHECK:         %[[XP:.*]] = llvm.inttoptr %[[XL]] : i64 to !llvm.ptr
// CHECK:         %[[WP:.*]] = llvm.inttoptr
// CHECK:         %[[YP:.*]] = llvm.inttoptr
// CHECK:         call @kiln_rt_conv2d_forward_f32(%[[XP]], %[[WP]], %[[YP]], %c2_i64, %c4_i64, %c9_i64, %c7_i64, %c6_i64, %c5_i64, %c3_i64, %c3_i64, %c3_i64, %c2_i64, %c1_i64, %c1_i64, %c0_i64, %c1_i64, %c2_i64, %c2_i64, %c0_i64, %c0_i64)
// CHECK:         %[[T:.*]] = bufferization.to_tensor %[[Y]] restrict writable : memref<2x6x5x3xf32>
// CHECK:         return %[[T]]
func.func @conv2d(%x: tensor<2x4x9x7xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<2x6x5x3xf32> {
  %y = kiln.conv2d %x, %w strides = [2, 1] padding = [1, 0] dilations = [1, 2] groups = 2 : tensor<2x4x9x7xf32>, tensor<6x2x3x3xf32> -> tensor<2x6x5x3xf32>
  return %y : tensor<2x6x5x3xf32>
}

// The same geometry; the result is the (larger, output-padded) input.
// CHECK-LABEL: func.func @conv2d_backward_data(
// CHECK:         memref.alloc() : memref<2x4x10x7xf64>
// CHECK:         call @kiln_rt_conv2d_backward_data_f64(%{{.*}}, %{{.*}}, %{{.*}}, %c2_i64, %c4_i64, %c10_i64, %c7_i64, %c6_i64, %c5_i64, %c3_i64, %c3_i64, %c3_i64, %c2_i64, %c1_i64, %c1_i64, %c0_i64, %c1_i64, %c2_i64, %c2_i64)
func.func @conv2d_backward_data(%g: tensor<2x6x5x3xf64>, %w: tensor<6x2x3x3xf64>) -> tensor<2x4x10x7xf64> {
  %y = kiln.conv2d_backward_data %g, %w strides = [2, 1] padding = [1, 0] dilations = [1, 2] groups = 2 : tensor<2x6x5x3xf64>, tensor<6x2x3x3xf64> -> tensor<2x4x10x7xf64>
  return %y : tensor<2x4x10x7xf64>
}

// CHECK-LABEL: func.func @conv2d_backward_weights(
// CHECK:         memref.alloc() : memref<6x2x3x3xf32>
// CHECK:         call @kiln_rt_conv2d_backward_weights_f32(%{{.*}}, %{{.*}}, %{{.*}}, %c2_i64, %c4_i64, %c9_i64, %c7_i64, %c6_i64, %c5_i64, %c3_i64, %c3_i64, %c3_i64, %c2_i64, %c1_i64, %c1_i64, %c0_i64, %c1_i64, %c2_i64, %c2_i64, %c0_i64, %c0_i64)
func.func @conv2d_backward_weights(%g: tensor<2x6x5x3xf32>, %x: tensor<2x4x9x7xf32>) -> tensor<6x2x3x3xf32> {
  %y = kiln.conv2d_backward_weights %g, %x strides = [2, 1] padding = [1, 0] dilations = [1, 2] groups = 2 : tensor<2x6x5x3xf32>, tensor<2x4x9x7xf32> -> tensor<6x2x3x3xf32>
  return %y : tensor<6x2x3x3xf32>
}

// Pooling geometry: batch 1, 3 channels, 5x4 in, 3x2 out, kernel (3, 2),
// strides (2, 2), padding (1, 0).
// CHECK-LABEL: func.func @max_pool2d(
// CHECK:         call @kiln_rt_max_pool2d_forward_f32(%{{.*}}, %{{.*}}, %c1_i64, %c3_i64, %c5_i64, %c4_i64, %c3_i64, %c2_i64, %c3_i64, %c2_i64, %c2_i64, %c2_i64, %c1_i64, %c0_i64, %c0_i64)
func.func @max_pool2d(%x: tensor<1x3x5x4xf32>) -> tensor<1x3x3x2xf32> {
  %y = kiln.max_pool2d %x kernel = [3, 2] strides = [2, 2] padding = [1, 0] : tensor<1x3x5x4xf32> -> tensor<1x3x3x2xf32>
  return %y : tensor<1x3x3x2xf32>
}

// CHECK-LABEL: func.func @max_pool2d_grad(
// CHECK:         call @kiln_rt_max_pool2d_backward_f32(%{{.*}}, %{{.*}}, %{{.*}}, %c1_i64, %c3_i64, %c5_i64, %c4_i64, %c3_i64, %c2_i64, %c3_i64, %c2_i64, %c2_i64, %c2_i64, %c1_i64, %c0_i64, %c0_i64)
func.func @max_pool2d_grad(%g: tensor<1x3x3x2xf32>, %x: tensor<1x3x5x4xf32>) -> tensor<1x3x5x4xf32> {
  %y = kiln.max_pool2d_grad %g, %x kernel = [3, 2] strides = [2, 2] padding = [1, 0] : tensor<1x3x3x2xf32>, tensor<1x3x5x4xf32>
  return %y : tensor<1x3x5x4xf32>
}

// CHECK-LABEL: func.func @avg_pool2d(
// CHECK:         call @kiln_rt_avg_pool2d_forward_f64(%{{.*}}, %{{.*}}, %c1_i64, %c3_i64, %c5_i64, %c4_i64, %c3_i64, %c2_i64, %c3_i64, %c2_i64, %c2_i64, %c2_i64, %c1_i64, %c0_i64)
func.func @avg_pool2d(%x: tensor<1x3x5x4xf64>) -> tensor<1x3x3x2xf64> {
  %y = kiln.avg_pool2d %x kernel = [3, 2] strides = [2, 2] padding = [1, 0] : tensor<1x3x5x4xf64> -> tensor<1x3x3x2xf64>
  return %y : tensor<1x3x3x2xf64>
}

// CHECK-LABEL: func.func @avg_pool2d_grad(
// CHECK:         memref.alloc() : memref<1x3x6x5xf32>
// CHECK:         call @kiln_rt_avg_pool2d_backward_f32(%{{.*}}, %{{.*}}, %c1_i64, %c3_i64, %c6_i64, %c5_i64, %c3_i64, %c2_i64, %c3_i64, %c2_i64, %c2_i64, %c2_i64, %c1_i64, %c0_i64, %c0_i64)
func.func @avg_pool2d_grad(%g: tensor<1x3x3x2xf32>) -> tensor<1x3x6x5xf32> {
  %y = kiln.avg_pool2d_grad %g kernel = [3, 2] strides = [2, 2] padding = [1, 0] : tensor<1x3x3x2xf32> -> tensor<1x3x6x5xf32>
  return %y : tensor<1x3x6x5xf32>
}

// A convolution feeding pooling: the intermediate buffer is freed after both
// calls.
// DEALLOC-LABEL: func.func @conv_then_pool(
// DEALLOC:         %[[Y:.*]] = memref.alloc() : memref<1x2x4x4xf32>
// DEALLOC:         call @kiln_rt_conv2d_forward_f32
// DEALLOC:         call @kiln_rt_max_pool2d_forward_f32
// DEALLOC:         memref.dealloc %[[Y]]
// DEALLOC-NEXT:    return
func.func @conv_then_pool(%x: tensor<1x1x6x6xf32>, %w: tensor<2x1x3x3xf32>) -> tensor<1x2x2x2xf32> {
  %y = kiln.conv2d %x, %w strides = [1, 1] padding = [0, 0] dilations = [1, 1] groups = 1 : tensor<1x1x6x6xf32>, tensor<2x1x3x3xf32> -> tensor<1x2x4x4xf32>
  %p = kiln.max_pool2d %y kernel = [2, 2] strides = [2, 2] padding = [0, 0] : tensor<1x2x4x4xf32> -> tensor<1x2x2x2xf32>
  return %p : tensor<1x2x2x2xf32>
}
