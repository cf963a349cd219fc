// RUN: kiln-opt --kiln-fuse-elementwise --split-input-file %s | FileCheck %s

// A matmul whose result is reshaped (the input gradient of a dense layer
// after a flatten) stays a linalg.matmul, so kiln-matmul-to-runtime can hand
// it to oneDNN; upstream's fusion would expand it into a contraction generic.

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// CHECK-LABEL: func.func @matmul_then_reshape
// CHECK:         linalg.matmul
// CHECK:         tensor.expand_shape
// CHECK-NOT:     linalg.generic
func.func @matmul_then_reshape(%a: tensor<8x4xf32>, %b: tensor<4x12xf32>) -> tensor<8x3x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<8x12xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<8x12xf32>) -> tensor<8x12xf32>
  %c = linalg.matmul ins(%a, %b : tensor<8x4xf32>, tensor<4x12xf32>) outs(%init : tensor<8x12xf32>) -> tensor<8x12xf32>
  %r = tensor.expand_shape %c [[0], [1, 2, 3]] output_shape [8, 3, 2, 2] : tensor<8x12xf32> into tensor<8x3x2x2xf32>
  return %r : tensor<8x3x2x2xf32>
}

// Elementwise generics still fuse into one.
// CHECK-LABEL: func.func @elementwise_chain
// CHECK:         linalg.generic
// CHECK:           arith.mulf
// CHECK:           arith.addf
// CHECK-NOT:     linalg.generic
func.func @elementwise_chain(%x: tensor<2x3x4x5xf32>, %y: tensor<2x3x4x5xf32>) -> tensor<2x3x4x5xf32> {
  %e = tensor.empty() : tensor<2x3x4x5xf32>
  %m = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %y : tensor<2x3x4x5xf32>, tensor<2x3x4x5xf32>) outs(%e : tensor<2x3x4x5xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %0 = arith.mulf %a, %b : f32
    linalg.yield %0 : f32
  } -> tensor<2x3x4x5xf32>
  %s = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%m, %x : tensor<2x3x4x5xf32>, tensor<2x3x4x5xf32>) outs(%e : tensor<2x3x4x5xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %0 = arith.addf %a, %b : f32
    linalg.yield %0 : f32
  } -> tensor<2x3x4x5xf32>
  return %s : tensor<2x3x4x5xf32>
}

// A broadcast feeding an elementwise op, and an elementwise op feeding a
// reshape, still fuse: the reshape folds into the generic by expansion.
#row = affine_map<(d0, d1) -> (d1)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>

// CHECK-LABEL: func.func @broadcast_and_reshape
// CHECK:         linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "parallel"]
// CHECK:           arith.addf
// CHECK-NOT:     linalg.generic
// CHECK-NOT:     tensor.expand_shape
func.func @broadcast_and_reshape(%x: tensor<4x6xf32>, %b: tensor<6xf32>) -> tensor<4x2x3xf32> {
  %e = tensor.empty() : tensor<4x6xf32>
  %bb = linalg.generic {indexing_maps = [#row, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%b : tensor<6xf32>) outs(%e : tensor<4x6xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<4x6xf32>
  %s = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x, %bb : tensor<4x6xf32>, tensor<4x6xf32>) outs(%e : tensor<4x6xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %0 = arith.addf %a, %c : f32
    linalg.yield %0 : f32
  } -> tensor<4x6xf32>
  %r = tensor.expand_shape %s [[0], [1, 2]] output_shape [4, 2, 3] : tensor<4x6xf32> into tensor<4x2x3xf32>
  return %r : tensor<4x2x3xf32>
}

// A producer the consumer reads at every element of a dimension it lacks (a
// scalar: Adam's bias correction from the step count) stays a separate op:
// fused, its powf would run once per element instead of once.
#scalar = affine_map<(d0, d1) -> ()>

// CHECK-LABEL: func.func @scalar_producer
// CHECK:         %[[C:.*]] = linalg.generic
// CHECK-SAME:      iterator_types = []
// CHECK:           math.powf
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%arg0, %[[C]] : tensor<4x6xf32>, tensor<f32>)
// CHECK-NOT:       math.powf
// CHECK:           arith.mulf
func.func @scalar_producer(%x: tensor<4x6xf32>, %t: tensor<f32>) -> tensor<4x6xf32> {
  %e0 = tensor.empty() : tensor<f32>
  %beta = arith.constant 0.9 : f32
  %c = linalg.generic {indexing_maps = [affine_map<() -> ()>, affine_map<() -> ()>], iterator_types = []}
      ins(%t : tensor<f32>) outs(%e0 : tensor<f32>) {
  ^bb0(%a: f32, %o: f32):
    %0 = math.powf %beta, %a : f32
    linalg.yield %0 : f32
  } -> tensor<f32>
  %e = tensor.empty() : tensor<4x6xf32>
  %s = linalg.generic {indexing_maps = [#id2, #scalar, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x, %c : tensor<4x6xf32>, tensor<f32>) outs(%e : tensor<4x6xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %0 = arith.mulf %a, %b : f32
    linalg.yield %0 : f32
  } -> tensor<4x6xf32>
  return %s : tensor<4x6xf32>
}

// -----

// A producer that the step also returns (an optimizer's new moment) fuses
// into the op that reads it (the new weight): the fused op returns both, so
// the moment is computed once and the update is one loop.
#id1 = affine_map<(d0) -> (d0)>

// CHECK-LABEL: func.func @shared_producer
// CHECK:         %[[F:.*]]:2 = linalg.generic
// CHECK:           arith.mulf
// CHECK:           arith.addf
// CHECK:           arith.subf
// CHECK:           linalg.yield
// CHECK-NOT:     linalg.generic
// CHECK:         return %[[F]]#1, %[[F]]#0
func.func @shared_producer(%w: tensor<64xf32>, %g: tensor<64xf32>, %m: tensor<64xf32>) -> (tensor<64xf32>, tensor<64xf32>) {
  %e = tensor.empty() : tensor<64xf32>
  %c = arith.constant 0.9 : f32
  %m2 = linalg.generic {indexing_maps = [#id1, #id1, #id1], iterator_types = ["parallel"]}
      ins(%m, %g : tensor<64xf32>, tensor<64xf32>) outs(%e : tensor<64xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %0 = arith.mulf %a, %c : f32
    %1 = arith.addf %0, %b : f32
    linalg.yield %1 : f32
  } -> tensor<64xf32>
  %w2 = linalg.generic {indexing_maps = [#id1, #id1, #id1], iterator_types = ["parallel"]}
      ins(%w, %m2 : tensor<64xf32>, tensor<64xf32>) outs(%e : tensor<64xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %0 = arith.subf %a, %b : f32
    linalg.yield %0 : f32
  } -> tensor<64xf32>
  return %w2, %m2 : tensor<64xf32>, tensor<64xf32>
}

// Two generics reading the producer, or another user before the consumer
// (which could not read a result defined after it): no fusion.
// CHECK-LABEL: func.func @shared_with_two_generics
// CHECK-COUNT-3: linalg.generic
func.func @shared_with_two_generics(%w: tensor<64xf32>, %g: tensor<64xf32>) -> (tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) {
  %e = tensor.empty() : tensor<64xf32>
  %p = linalg.generic {indexing_maps = [#id1, #id1, #id1], iterator_types = ["parallel"]}
      ins(%w, %g : tensor<64xf32>, tensor<64xf32>) outs(%e : tensor<64xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %0 = arith.mulf %a, %b : f32
    linalg.yield %0 : f32
  } -> tensor<64xf32>
  %q = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%p : tensor<64xf32>) outs(%e : tensor<64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %0 = arith.addf %a, %a : f32
    linalg.yield %0 : f32
  } -> tensor<64xf32>
  %r = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%p : tensor<64xf32>) outs(%e : tensor<64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %0 = arith.subf %a, %a : f32
    linalg.yield %0 : f32
  } -> tensor<64xf32>
  return %p, %q, %r : tensor<64xf32>, tensor<64xf32>, tensor<64xf32>
}

// CHECK-LABEL: func.func @user_before_consumer
// CHECK:         linalg.generic
// CHECK:         tensor.insert_slice
// CHECK:         linalg.generic
func.func @user_before_consumer(%w: tensor<64xf32>, %big: tensor<128xf32>) -> (tensor<128xf32>, tensor<64xf32>) {
  %e = tensor.empty() : tensor<64xf32>
  %p = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%w : tensor<64xf32>) outs(%e : tensor<64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %0 = arith.mulf %a, %a : f32
    linalg.yield %0 : f32
  } -> tensor<64xf32>
  %s = tensor.insert_slice %p into %big[0] [64] [1] : tensor<64xf32> into tensor<128xf32>
  %q = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%p : tensor<64xf32>) outs(%e : tensor<64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %0 = arith.addf %a, %a : f32
    linalg.yield %0 : f32
  } -> tensor<64xf32>
  return %s, %q : tensor<128xf32>, tensor<64xf32>
}

// -----

// The consumer reads the shared producer twice, at different indices
// (p + transpose(p), p also returned): fused, p would be computed twice
// in the one loop, once per index, so the ops stay apart. (Read twice at the same indices, the
// canonicalizer merges the operands first and the fusion is sound.)
#idsq = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>

// CHECK-LABEL: func.func @shared_read_twice
// CHECK:         %[[P:.*]] = linalg.generic
// CHECK:         linalg.generic {{.*}} ins(%[[P]], %[[P]] :
// CHECK:         return %[[P]]
func.func @shared_read_twice(%x: tensor<8x8xf32>) -> (tensor<8x8xf32>, tensor<8x8xf32>) {
  %e = tensor.empty() : tensor<8x8xf32>
  %p = linalg.generic {indexing_maps = [#idsq, #idsq], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %0 = arith.addf %a, %a : f32
    linalg.yield %0 : f32
  } -> tensor<8x8xf32>
  %q = linalg.generic {indexing_maps = [#idsq, #tr, #idsq], iterator_types = ["parallel", "parallel"]}
      ins(%p, %p : tensor<8x8xf32>, tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %0 = arith.addf %a, %b : f32
    linalg.yield %0 : f32
  } -> tensor<8x8xf32>
  return %p, %q : tensor<8x8xf32>, tensor<8x8xf32>
}
