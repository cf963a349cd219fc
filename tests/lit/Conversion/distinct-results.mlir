// RUN: kiln-opt --kiln-distinct-results %s | FileCheck %s

// Results that would share a buffer are copied: a value returned twice, an
// argument and a constant. A freshly computed result is left alone.

// CHECK-LABEL: func.func @step
func.func @step(%a: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
    attributes {kiln.entry = #kiln.entry<train_step>} {
  %cst = arith.constant dense<0.0> : tensor<3xf32>
  %e = tensor.empty() : tensor<3xf32>
  // CHECK:     %[[FRESH:.*]] = linalg.copy ins(%arg0
  %fresh = linalg.copy ins(%a : tensor<3xf32>) outs(%e : tensor<3xf32>) -> tensor<3xf32>
  // CHECK:     %[[SECOND:.*]] = linalg.copy ins(%[[FRESH]]
  // CHECK:     %[[ARG:.*]] = linalg.copy ins(%arg0
  // CHECK:     %[[CST:.*]] = linalg.copy ins(%cst
  // CHECK:     return %[[FRESH]], %[[SECOND]], %[[ARG]], %[[CST]]
  return %fresh, %fresh, %a, %cst : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// Functions that are not entry points keep their results.
// CHECK-LABEL: func.func @helper
// CHECK-NEXT:  return %arg0
func.func @helper(%a: tensor<3xf32>) -> tensor<3xf32> {
  return %a : tensor<3xf32>
}
