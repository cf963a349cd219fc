// RUN: kiln-opt --kiln-cpu-matmul-to-runtime %s | FileCheck %s

// CHECK: func.func private @kiln_rt_matmul_f32(!llvm.ptr, !llvm.ptr, !llvm.ptr, i64, i64, i64, i64, i64)

// CHECK-LABEL: func.func @products
func.func @products(%a: memref<4x6xf32>, %b: memref<5x6xf32>, %c: memref<4x5xf32>,
                    %d: memref<6x5xf32>, %e: memref<4x6xf64>, %f: memref<6x5xf64>,
                    %g: memref<4x5xf64>) {
  // f32 with a transposed rhs: M=4, N=5, K=6, flags (0, 1).
  // CHECK-DAG:   %[[M:.*]] = arith.constant 4 : i64
  // CHECK-DAG:   %[[N:.*]] = arith.constant 5 : i64
  // CHECK-DAG:   %[[K:.*]] = arith.constant 6 : i64
  // CHECK-DAG:   %[[F:.*]] = arith.constant 0 : i64
  // CHECK-DAG:   %[[T:.*]] = arith.constant 1 : i64
  // CHECK:       call @kiln_rt_matmul_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[M]], %[[N]], %[[K]], %[[F]], %[[T]])
  linalg.matmul_transpose_b ins(%a, %b : memref<4x6xf32>, memref<5x6xf32>) outs(%c : memref<4x5xf32>)
  // The zero fill right before an f32 product is dropped: the call
  // overwrites its output.
  // CHECK-NOT:   linalg.fill
  // CHECK:       call @kiln_rt_matmul_f32
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<4x5xf32>)
  linalg.matmul ins(%a, %d : memref<4x6xf32>, memref<6x5xf32>) outs(%c : memref<4x5xf32>)
  // A fill before a product that stays a loop nest is kept.
  // CHECK:       linalg.fill ins(%{{.*}} : f64) outs(%arg6
  %zero64 = arith.constant 0.0 : f64
  linalg.fill ins(%zero64 : f64) outs(%g : memref<4x5xf64>)
  // f64 stays a linalg op (it becomes loops):
  // CHECK:       linalg.matmul ins(%{{.*}}, %{{.*}} : memref<4x6xf64>, memref<6x5xf64>)
  linalg.matmul ins(%e, %f : memref<4x6xf64>, memref<6x5xf64>) outs(%g : memref<4x5xf64>)
  return
}
