// RUN: kiln-opt %s --convert-linalg-to-parallel-loops --kiln-cpu-parallelize-loops --convert-scf-to-openmp --canonicalize | FileCheck %s
//
// The CPU target's loop lowering (CpuTarget.cpp's codegen pipeline): an
// elementwise op on 128 x 784 elements becomes one OpenMP worksharing loop
// over its rows, each row a plain loop, with no alloca scope left inside
// (its stack save and restore per iteration would stop LLVM from
// vectorizing). A small op stays a sequential loop nest.

// CHECK-LABEL: func.func @large
// CHECK:         omp.parallel {
// CHECK-NEXT:      omp.wsloop {
// CHECK-NEXT:        omp.loop_nest (%[[I:.*]]) : index = (%c0) to (%c128) step (%c1) {
// CHECK-NEXT:          scf.for %[[J:.*]] = %c0 to %c784 step %c1 {
// CHECK-NEXT:            memref.load %arg0[%[[I]], %[[J]]]
// CHECK-NOT:     alloca_scope
func.func @large(%a: memref<128x784xf32>, %b: memref<128x784xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<128x784xf32>) outs(%b : memref<128x784xf32>) {
  ^bb0(%x: f32, %y: f32):
    %r = arith.maximumf %x, %x : f32
    linalg.yield %r : f32
  }
  return
}

// CHECK-LABEL: func.func @small
// CHECK-NOT:     omp.
// CHECK:         scf.for
// CHECK-NEXT:      scf.for
func.func @small(%a: memref<16x32xf32>, %b: memref<16x32xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<16x32xf32>) outs(%b : memref<16x32xf32>) {
  ^bb0(%x: f32, %y: f32):
    %r = arith.maximumf %x, %x : f32
    linalg.yield %r : f32
  }
  return
}
