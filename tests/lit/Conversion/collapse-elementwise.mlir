// RUN: kiln-opt %s --convert-kiln-to-linalg --kiln-collapse-elementwise --split-input-file | FileCheck %s

// ReLU on a channel-blocked map runs as one loop over its 4608 elements,
// through views of its operand and result.
// CHECK-LABEL: func.func @relu_blocked
// CHECK:         %[[FLAT:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1, 2, 3, 4]] : tensor<4x2x6x6x16xf32> into tensor<4608xf32>
// CHECK:         %[[R:.*]] = linalg.generic {{{.*}}iterator_types = ["parallel"]} ins(%[[FLAT]] : tensor<4608xf32>)
// CHECK:         tensor.expand_shape %[[R]] {{\[\[}}0, 1, 2, 3, 4]]
func.func @relu_blocked(%x: tensor<4x2x6x6x16xf32>) -> tensor<4x2x6x6x16xf32> {
  %y = kiln.relu %x : tensor<4x2x6x6x16xf32>
  return %y : tensor<4x2x6x6x16xf32>
}

// -----

// A scalar operand (0-d) does not prevent it.
// CHECK-LABEL: func.func @scaled_sum
// CHECK:         linalg.generic {{{.*}}iterator_types = ["parallel"]}
// CHECK-SAME:      tensor<24xf32>, tensor<24xf32>
func.func @scaled_sum(%a: tensor<2x3x4xf32>, %b: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %s = kiln.add %a, %b : tensor<2x3x4xf32>
  %t = kiln.scale %s by 2.0 : tensor<2x3x4xf32>
  return %t : tensor<2x3x4xf32>
}

// -----

// A broadcast reads its operand at other indices: its loops stay nested.
// CHECK-LABEL: func.func @bias
// CHECK-NOT:     tensor.collapse_shape
// CHECK:         iterator_types = ["parallel", "parallel"]
func.func @bias(%x: tensor<8x5xf32>, %b: tensor<5xf32>) -> tensor<8x5xf32> {
  %y = kiln.bias_add %x, %b : tensor<8x5xf32>, tensor<5xf32>
  return %y : tensor<8x5xf32>
}

// -----

// A long innermost loop already vectorizes: nothing changes.
// CHECK-LABEL: func.func @long_rows
// CHECK-NOT:     tensor.collapse_shape
// CHECK:         iterator_types = ["parallel", "parallel"]
func.func @long_rows(%x: tensor<8x784xf32>) -> tensor<8x784xf32> {
  %y = kiln.relu %x : tensor<8x784xf32>
  return %y : tensor<8x784xf32>
}
