// RUN: kiln-opt %s --kiln-lower-to-runtime-calls | FileCheck %s

// A hand-written kiln.runtime_call becomes a call of the runtime's C
// function: the declaration comes from runtime_calls.def, the buffers are
// passed as pointers in the table's order (inputs, then fresh outputs) and
// the scalars follow by name in the table's order, whatever the order of
// the dictionary.

// CHECK: func.func private @kiln_rt_matmul_f32(!llvm.ptr, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64)
// CHECK-LABEL: func.func @product
// CHECK-DAG:     %[[M:.*]] = arith.constant 4 : i64
// CHECK-DAG:     %[[N:.*]] = arith.constant 5 : i64
// CHECK-DAG:     %[[K:.*]] = arith.constant 6 : i64
// CHECK-DAG:     %[[TA:.*]] = arith.constant 0 : i64
// CHECK-DAG:     %[[TB:.*]] = arith.constant 1 : i64
// CHECK:         %[[C:.*]] = memref.alloc() : memref<4x5xf32>
// CHECK:         call @kiln_rt_matmul_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[M]], %[[N]], %[[K]], %[[TA]], %[[TB]])
// CHECK:         bufferization.to_tensor %[[C]] restrict writable
func.func @product(%a: tensor<4x6xf32>, %b: tensor<5x6xf32>) -> tensor<4x5xf32> {
  %0 = kiln.runtime_call "kiln_rt_matmul_f32"(%a, %b) {transpose_b = 1 : i64, k = 6 : i64, n = 5 : i64, m = 4 : i64, transpose_a = 0 : i64} : (tensor<4x6xf32>, tensor<5x6xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}
