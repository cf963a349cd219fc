// RUN: kiln-opt --convert-kiln-to-linalg --split-input-file %s | FileCheck %s

// Per-pixel cross-entropy with label smoothing: statistics over the class
// dimension 1, the class sum for the smoothing term, then one map over the
// label positions that reads the labelled logit.

// CHECK-DAG:   #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG:   #[[POS:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @pixels
func.func @pixels(%x: tensor<2x3x4xf32>, %y: tensor<2x4xi32>) -> tensor<2x4xf32> {
  // CHECK:       %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[POS]]], iterator_types = ["parallel", "reduction", "parallel"]}
  // CHECK:       %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[POS]], #[[POS]]], iterator_types = ["parallel", "reduction", "parallel"]}
  // CHECK:       %[[CLASSES:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[POS]]], iterator_types = ["parallel", "reduction", "parallel"]}
  // CHECK:       linalg.generic {{.*}} ins(%[[MAX]], %[[SUM]], %arg1, %[[CLASSES]]
  // CHECK:         %[[N:.*]] = linalg.index 0
  // CHECK:         %[[P:.*]] = linalg.index 1
  // CHECK:         %[[C:.*]] = arith.index_cast
  // CHECK:         tensor.extract %arg0[%[[N]], %[[C]], %[[P]]]
  // CHECK:         math.log
  // 1 - eps and eps / C:
  // CHECK:         arith.constant 0.899999976 : f32
  // CHECK:         arith.constant 0.0333333351 : f32
  %0 = kiln.softmax_cross_entropy %x, %y {label_smoothing = 0.1} : tensor<2x3x4xf32>, tensor<2x4xi32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// The gradient compares the class index with the label: 1 - eps + eps / C
// at the label, eps / C elsewhere.

// CHECK-LABEL: func.func @grad
func.func @grad(%g: tensor<4xf64>, %x: tensor<4x5xf64>, %y: tensor<4xi32>) -> tensor<4x5xf64> {
  // CHECK:       linalg.generic {{.*}} ins(%arg1, %{{.*}}, %{{.*}}, %arg0, %arg2
  // CHECK-DAG:     %[[OFF:.*]] = arith.constant 4.000000e-02 : f64
  // CHECK-DAG:     %[[ON:.*]] = arith.constant 0.8400{{[0-9]*}} : f64
  // CHECK-DAG:     %[[CLASS:.*]] = linalg.index 1
  // CHECK:         %[[IS:.*]] = arith.cmpi eq
  // CHECK:         arith.select %[[IS]], %[[ON]], %[[OFF]]
  %0 = kiln.softmax_cross_entropy_grad %g, %x, %y {label_smoothing = 0.2} : tensor<4xf64>, tensor<4x5xf64>, tensor<4xi32>
  return %0 : tensor<4x5xf64>
}

// -----

// CHECK-LABEL: func.func @binary
func.func @binary(%x: tensor<4x2xf32>, %t: tensor<4x2xf32>) -> tensor<4x2xf32> {
  // max(x, 0) - x t + log1p(exp(-|x|))
  // CHECK:       linalg.generic
  // CHECK:         arith.maximumf
  // CHECK:         math.absf
  // CHECK-NEXT:    arith.negf
  // CHECK-NEXT:    math.exp
  // CHECK-NEXT:    math.log1p
  // CHECK-NEXT:    arith.mulf
  // CHECK-NEXT:    arith.subf
  // CHECK-NEXT:    arith.addf
  %0 = kiln.bce_with_logits %x, %t : tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

// CHECK-LABEL: func.func @nll
func.func @nll(%x: tensor<4x5xf32>, %y: tensor<4xi32>) -> (tensor<4xf32>, tensor<4x5xf32>) {
  // CHECK:       linalg.generic {{.*}} ins(%arg1 : tensor<4xi32>)
  // CHECK:         tensor.extract %arg0
  // CHECK-NEXT:    arith.negf
  %0 = kiln.nll %x, %y : tensor<4x5xf32>, tensor<4xi32> -> tensor<4xf32>
  // CHECK:       linalg.generic {{.*}} ins(%{{.*}}, %arg1 : tensor<4xf32>, tensor<4xi32>) outs({{.*}} : tensor<4x5xf32>)
  // CHECK-DAG:     %[[NEG:.*]] = arith.negf
  // CHECK-DAG:     %[[IS:.*]] = arith.cmpi eq
  // CHECK:         arith.select %[[IS]], %[[NEG]], %cst
  %1 = kiln.nll_grad %0, %y : tensor<4xf32>, tensor<4xi32> -> tensor<4x5xf32>
  return %0, %1 : tensor<4xf32>, tensor<4x5xf32>
}
