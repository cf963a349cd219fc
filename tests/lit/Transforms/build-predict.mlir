// RUN: kiln-opt --kiln-build-predict --split-input-file %s | FileCheck %s

// Class scores: @predict takes the inputs, parameters and buffers but no
// label, keeps batch norm in its inference form, drops dropout (the identity
// in inference) with its seed and the loss, and returns the logits and their
// softmax over dimension 1.

module {
  func.func @model(%x: tensor<4x3xf32> {kiln.role = #kiln.role<input>, kiln.name = "x"},
                   %y: tensor<4xi32> {kiln.role = #kiln.role<label>, kiln.name = "y"},
                   %w: tensor<3xf32> {kiln.role = #kiln.role<param>, kiln.name = "bn.weight"},
                   %b: tensor<3xf32> {kiln.role = #kiln.role<param>, kiln.name = "bn.bias"},
                   %m: tensor<3xf32> {kiln.role = #kiln.role<buffer>, kiln.name = "bn.running_mean"},
                   %v: tensor<3xf32> {kiln.role = #kiln.role<buffer>, kiln.name = "bn.running_var"},
                   %seed: tensor<i64> {kiln.role = #kiln.role<rng>, kiln.name = "rng"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>},
          tensor<4x3xf32> {kiln.role = #kiln.role<logits>, kiln.prediction = #kiln.prediction<class_scores>})
      attributes {kiln.entry = #kiln.entry<eval>} {
    %0, %1, %2 = kiln.batch_norm %x, %w, %b, %m, %v {epsilon = 1.0e-05 : f64, momentum = 1.0e-01 : f64} : tensor<4x3xf32>, tensor<3xf32>
    %3 = kiln.dropout %0, %seed {rate = 5.0e-01 : f64, stream = 1 : i64} : tensor<4x3xf32>
    %4 = kiln.softmax_cross_entropy %3, %y : tensor<4x3xf32>, tensor<4xi32> -> tensor<4xf32>
    %5 = kiln.reduce_sum %4 axes = [0] : tensor<4xf32> -> tensor<f32>
    return %5, %3 : tensor<f32>, tensor<4x3xf32>
  }
}

// The model function stays as it was.
// CHECK-LABEL: func.func @model
// CHECK:         kiln.softmax_cross_entropy

// CHECK-LABEL: func.func @predict
// CHECK-SAME:    (%[[X:[^:]*]]: tensor<4x3xf32> {kiln.name = "x", kiln.role = #kiln.role<input>}, %[[W:[^:]*]]: tensor<3xf32> {kiln.name = "bn.weight", kiln.role = #kiln.role<param>}, %{{.*}}: tensor<3xf32> {kiln.name = "bn.bias", kiln.role = #kiln.role<param>}, %{{.*}}: tensor<3xf32> {kiln.name = "bn.running_mean", kiln.role = #kiln.role<buffer>}, %{{.*}}: tensor<3xf32> {kiln.name = "bn.running_var", kiln.role = #kiln.role<buffer>})
// CHECK-SAME:    -> (tensor<4x3xf32> {kiln.prediction = #kiln.prediction<class_scores>, kiln.role = #kiln.role<logits>}, tensor<4x3xf32> {kiln.role = #kiln.role<probabilities>})
// CHECK-SAME:    attributes {kiln.entry = #kiln.entry<predict>}
// CHECK:         %[[N:.*]], %{{.*}}, %{{.*}} = kiln.batch_norm %[[X]], %[[W]]
// CHECK-NOT:     training
// CHECK-NOT:     kiln.dropout
// CHECK-NOT:     kiln.softmax_cross_entropy
// CHECK:         %[[P:.*]] = kiln.softmax %[[N]] axis = 1
// CHECK:         return %[[N]], %[[P]]

// -----

// Binary logits: the sigmoid of each logit.

module {
  func.func @model(%x: tensor<4x2xf64> {kiln.role = #kiln.role<input>, kiln.name = "x"},
                   %y: tensor<4x1xf64> {kiln.role = #kiln.role<label>, kiln.name = "y"},
                   %w: tensor<2x1xf64> {kiln.role = #kiln.role<param>, kiln.name = "w"})
      -> (tensor<f64> {kiln.role = #kiln.role<loss>},
          tensor<4x1xf64> {kiln.role = #kiln.role<logits>, kiln.prediction = #kiln.prediction<binary_logits>})
      attributes {kiln.entry = #kiln.entry<eval>} {
    %0 = kiln.matmul %x, %w : tensor<4x2xf64>, tensor<2x1xf64> -> tensor<4x1xf64>
    %1 = kiln.bce_with_logits %0, %y : tensor<4x1xf64>
    %2 = kiln.reduce_sum %1 axes = [0, 1] : tensor<4x1xf64> -> tensor<f64>
    return %2, %0 : tensor<f64>, tensor<4x1xf64>
  }
}

// CHECK-LABEL: func.func @predict
// CHECK-SAME:    (%[[X:[^:]*]]: tensor<4x2xf64> {kiln.name = "x", kiln.role = #kiln.role<input>}, %[[W:[^:]*]]: tensor<2x1xf64> {kiln.name = "w", kiln.role = #kiln.role<param>})
// CHECK-SAME:    -> (tensor<4x1xf64> {kiln.prediction = #kiln.prediction<binary_logits>, kiln.role = #kiln.role<logits>}, tensor<4x1xf64> {kiln.role = #kiln.role<probabilities>})
// CHECK:         %[[Z:.*]] = kiln.matmul %[[X]], %[[W]]
// CHECK:         %[[P:.*]] = kiln.sigmoid %[[Z]]
// CHECK:         return %[[Z]], %[[P]]

// -----

// Regression values: the logits alone.

module {
  func.func @model(%x: tensor<4x2xf64> {kiln.role = #kiln.role<input>, kiln.name = "x"},
                   %y: tensor<4x1xf64> {kiln.role = #kiln.role<label>, kiln.name = "y"},
                   %w: tensor<2x1xf64> {kiln.role = #kiln.role<param>, kiln.name = "w"})
      -> (tensor<f64> {kiln.role = #kiln.role<loss>},
          tensor<4x1xf64> {kiln.role = #kiln.role<logits>, kiln.prediction = #kiln.prediction<values>})
      attributes {kiln.entry = #kiln.entry<eval>} {
    %0 = kiln.matmul %x, %w : tensor<4x2xf64>, tensor<2x1xf64> -> tensor<4x1xf64>
    %1 = kiln.sub %0, %y : tensor<4x1xf64>
    %2 = kiln.mul %1, %1 : tensor<4x1xf64>
    %3 = kiln.reduce_sum %2 axes = [0, 1] : tensor<4x1xf64> -> tensor<f64>
    return %3, %0 : tensor<f64>, tensor<4x1xf64>
  }
}

// CHECK-LABEL: func.func @predict
// CHECK-SAME:    -> (tensor<4x1xf64> {kiln.prediction = #kiln.prediction<values>, kiln.role = #kiln.role<logits>})
// CHECK-SAME:    {
// CHECK-NOT:     kiln.sub
// CHECK:         return
