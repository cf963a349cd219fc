// RUN: kiln-opt %s --pass-pipeline="builtin.module(kiln-select-library-calls{target=cpu},convert-kiln-to-linalg,canonicalize,cse,kiln-lower-to-runtime-calls)" | FileCheck %s

// A batch norm and its gradient both read %x. Each runtime call must read it
// through its own bufferization.to_memref, placed at the call: the pipeline
// lowers to calls after the last CSE, which would merge the two, and One-Shot
// Bufferize would then see only the first read and could let an in-place
// write (here the elementwise op between the calls) reuse %x's buffer.

// CHECK-LABEL: func.func @forward_and_backward
// CHECK:         bufferization.to_memref %arg0 read_only
// CHECK:         call @kiln_rt_batch_norm_forward_f32
// CHECK:         linalg.generic
// CHECK:         bufferization.to_memref %arg0 read_only
// CHECK:         call @kiln_rt_batch_norm_backward_f32
func.func @forward_and_backward(%x: tensor<4x3x2x2xf32>, %w: tensor<3xf32>, %b: tensor<3xf32>,
                                %m: tensor<3xf32>, %v: tensor<3xf32>) -> (tensor<4x3x2x2xf32>, tensor<3xf32>) {
  %y, %m2, %v2 = kiln.batch_norm %x, %w, %b, %m, %v {epsilon = 1.0e-05 : f64, momentum = 1.0e-01 : f64, training} : tensor<4x3x2x2xf32>, tensor<3xf32>
  %g = kiln.scale %y by 2.0 : tensor<4x3x2x2xf32>
  %dx, %dw, %db = kiln.batch_norm_grad %g, %x, %w {epsilon = 1.0e-05 : f64} : tensor<4x3x2x2xf32>, tensor<3xf32>
  return %dx, %dw : tensor<4x3x2x2xf32>, tensor<3xf32>
}
