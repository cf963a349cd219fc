// RUN: kiln-opt %s --kiln-cpu-parallelize-loops="min-iterations=1024" --split-input-file | FileCheck %s
//
// Input as convert-linalg-to-parallel-loops leaves it: one scf.parallel per
// group of parallel dimensions, scf.for for reduction dimensions.

// A large 1-D loop (an elementwise op collapsed to one dimension) stays
// parallel as it is.
// CHECK-LABEL: func.func @large_1d
// CHECK:         scf.parallel (%{{.*}}) = (%c0) to (%c4096) step (%c1)
// CHECK-NOT:     scf.for
func.func @large_1d(%a: memref<4096xf32>, %b: memref<4096xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4096 = arith.constant 4096 : index
  scf.parallel (%i) = (%c0) to (%c4096) step (%c1) {
    %x = memref.load %a[%i] : memref<4096xf32>
    %y = arith.addf %x, %x : f32
    memref.store %y, %b[%i] : memref<4096xf32>
    scf.reduce
  }
  return
}

// -----

// A loop under the threshold becomes a sequential nest.
// CHECK-LABEL: func.func @small
// CHECK-NOT:     scf.parallel
// CHECK:         scf.for %[[I:.*]] = %c0 to %c16 step %c1
// CHECK-NEXT:      scf.for %[[J:.*]] = %c0 to %c32 step %c1
// CHECK-NEXT:        memref.load %{{.*}}[%[[I]], %[[J]]]
func.func @small(%a: memref<16x32xf32>, %b: memref<16x32xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c16, %c32) step (%c1, %c1) {
    %x = memref.load %a[%i, %j] : memref<16x32xf32>
    memref.store %x, %b[%i, %j] : memref<16x32xf32>
    scf.reduce
  }
  return
}

// -----

// A large 2-D loop keeps its outer dimension parallel; the inner one becomes
// a plain loop for the vectorizer.
// CHECK-LABEL: func.func @large_2d
// CHECK:         scf.parallel (%[[I:.*]]) = (%c0) to (%c128) step (%c1)
// CHECK-NEXT:      scf.for %[[J:.*]] = %c0 to %c784 step %c1
// CHECK-NEXT:        memref.load %{{.*}}[%[[I]], %[[J]]]
func.func @large_2d(%a: memref<128x784xf32>, %b: memref<128x784xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c128 = arith.constant 128 : index
  %c784 = arith.constant 784 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c128, %c784) step (%c1, %c1) {
    %x = memref.load %a[%i, %j] : memref<128x784xf32>
    memref.store %x, %b[%i, %j] : memref<128x784xf32>
    scf.reduce
  }
  return
}

// -----

// Leading dimensions stay parallel until they give at least 64 iterations:
// 2 x 8 = 16 is not enough, 2 x 8 x 16 is, and the innermost stays serial.
// CHECK-LABEL: func.func @short_outer
// CHECK:         scf.parallel (%{{.*}}, %{{.*}}, %{{.*}}) = (%c0, %c0, %c0) to (%c2, %c8, %c16)
// CHECK-NEXT:      scf.for %{{.*}} = %c0 to %c32 step %c1
func.func @short_outer(%a: memref<2x8x16x32xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%n, %c, %h, %w) = (%c0, %c0, %c0, %c0) to (%c2, %c8, %c16, %c32) step (%c1, %c1, %c1, %c1) {
    memref.store %zero, %a[%n, %c, %h, %w] : memref<2x8x16x32xf32>
    scf.reduce
  }
  return
}

// -----

// The iterations of the whole nest count: 8 outputs, each a sum over 256
// (8 x 256 = 2048 >= 1024), so the parallel loop stays and its reduction
// loop inside it too.
// CHECK-LABEL: func.func @reduction_inside
// CHECK:         scf.parallel (%{{.*}}) = (%c0) to (%c8) step (%c1)
// CHECK:           scf.for %{{.*}} = %c0 to %c256 step %c1
func.func @reduction_inside(%a: memref<256x8xf32>, %sum: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c256 = arith.constant 256 : index
  scf.parallel (%j) = (%c0) to (%c8) step (%c1) {
    scf.for %i = %c0 to %c256 step %c1 {
      %x = memref.load %a[%i, %j] : memref<256x8xf32>
      %s = memref.load %sum[%j] : memref<8xf32>
      %t = arith.addf %s, %x : f32
      memref.store %t, %sum[%j] : memref<8xf32>
    }
    scf.reduce
  }
  return
}

// -----

// A parallel loop nested in a parallel one is always sequential.
// CHECK-LABEL: func.func @nested
// CHECK:         scf.parallel (%{{.*}}) = (%c0) to (%c64) step (%c1)
// CHECK-NOT:       scf.parallel
// CHECK:           scf.for %{{.*}} = %c0 to %c64 step %c1
func.func @nested(%a: memref<64x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
    scf.parallel (%j) = (%c0) to (%c64) step (%c1) {
      memref.store %zero, %a[%i, %j] : memref<64x64xf32>
      scf.reduce
    }
    scf.reduce
  }
  return
}

// -----

// A parallel loop inside a serial one (a reduction dimension outside) is
// outermost among the parallel loops; its own nest's size counts.
// CHECK-LABEL: func.func @inside_serial
// CHECK:         scf.for %{{.*}} = %c0 to %c4 step %c1
// CHECK-NEXT:      scf.parallel (%{{.*}}) = (%c0) to (%c2048) step (%c1)
func.func @inside_serial(%a: memref<4x2048xf32>, %sum: memref<2048xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c2048 = arith.constant 2048 : index
  scf.for %k = %c0 to %c4 step %c1 {
    scf.parallel (%i) = (%c0) to (%c2048) step (%c1) {
      %x = memref.load %a[%k, %i] : memref<4x2048xf32>
      %s = memref.load %sum[%i] : memref<2048xf32>
      %t = arith.addf %s, %x : f32
      memref.store %t, %sum[%i] : memref<2048xf32>
      scf.reduce
    }
  }
  return
}

// -----

// A loop that carries a reduction (the linalg lowering makes none) is left
// as it is.
// CHECK-LABEL: func.func @carries_reduction
// CHECK:         scf.parallel (%{{.*}}) = (%c0) to (%c4096) step (%c1) init (%{{.*}}) -> f32
func.func @carries_reduction(%a: memref<4096xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4096 = arith.constant 4096 : index
  %zero = arith.constant 0.0 : f32
  %sum = scf.parallel (%i) = (%c0) to (%c4096) step (%c1) init (%zero) -> f32 {
    %x = memref.load %a[%i] : memref<4096xf32>
    scf.reduce(%x : f32) {
    ^bb0(%l: f32, %r: f32):
      %s = arith.addf %l, %r : f32
      scf.reduce.return %s : f32
    }
  }
  return %sum : f32
}
