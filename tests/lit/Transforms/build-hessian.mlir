// RUN: kiln-opt --kiln-build-hessian --split-input-file %s | FileCheck %s

// Newton's method: @hessian returns the loss, the gradients in parameter
// order and the 3 x 3 Hessian over fc.weight [1, 2] then fc.bias [1]. Row i
// is the gradient of the flat gradient's element i, differentiated again
// from a one-hot seed (slice_grad). @model stays for evaluation.

module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<newton, lr = 1.0>>} {
  func.func @model(%x: tensor<4x2xf32> {kiln.role = #kiln.role<input>, kiln.name = "x"},
                   %t: tensor<4x1xf32> {kiln.role = #kiln.role<label>, kiln.name = "t"},
                   %w: tensor<1x2xf32> {kiln.role = #kiln.role<param>, kiln.name = "fc.weight"},
                   %b: tensor<1xf32> {kiln.role = #kiln.role<param>, kiln.name = "fc.bias"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<4x1xf32> {kiln.role = #kiln.role<logits>})
      attributes {kiln.entry = #kiln.entry<eval>} {
    %z = kiln.matmul %x, %w {transpose_rhs} : tensor<4x2xf32>, tensor<1x2xf32> -> tensor<4x1xf32>
    %zb = kiln.bias_add %z, %b : tensor<4x1xf32>, tensor<1xf32>
    %l = kiln.bce_with_logits %zb, %t : tensor<4x1xf32>
    %s = kiln.reduce_sum %l axes = [0, 1] : tensor<4x1xf32> -> tensor<f32>
    %loss = kiln.scale %s by 0.25 : tensor<f32>
    return %loss, %zb : tensor<f32>, tensor<4x1xf32>
  }
}

// CHECK-LABEL: func.func @model
// CHECK-SAME:    -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<4x1xf32> {kiln.role = #kiln.role<logits>}) attributes {kiln.entry = #kiln.entry<eval>}

// CHECK-LABEL: func.func @hessian
// CHECK-SAME:    (%arg0: tensor<4x2xf32> {kiln.name = "x", kiln.role = #kiln.role<input>}, %arg1: tensor<4x1xf32> {kiln.name = "t", kiln.role = #kiln.role<label>}, %arg2: tensor<1x2xf32> {kiln.name = "fc.weight", kiln.role = #kiln.role<param>}, %arg3: tensor<1xf32> {kiln.name = "fc.bias", kiln.role = #kiln.role<param>})
// CHECK-SAME:    -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<1x2xf32> {kiln.name = "fc.weight", kiln.role = #kiln.role<grad>}, tensor<1xf32> {kiln.name = "fc.bias", kiln.role = #kiln.role<grad>}, tensor<3x3xf32> {kiln.role = #kiln.role<hessian>})
// CHECK-SAME:    attributes {kiln.entry = #kiln.entry<hessian>}
// CHECK:         %[[LOSS:.*]] = kiln.scale
// CHECK:         %[[DB:.*]] = kiln.reduce_sum %{{.*}} axes = [0] : tensor<4x1xf32> -> tensor<1xf32>
// CHECK:         %[[DW:.*]] = kiln.matmul %{{.*}}, %arg0 {transpose_lhs}
// The first row: the one-hot seed of element 0, through the gradient graph.
// CHECK:         kiln.slice_grad %{{.*}} axis = 0 start = 0 : tensor<1xf32> -> tensor<3xf32>
// CHECK:         %[[ROW0:.*]] = kiln.reshape %{{.*}} : tensor<3xf32> -> tensor<1x3xf32>
// CHECK:         kiln.slice_grad %{{.*}} axis = 0 start = 1 : tensor<1xf32> -> tensor<3xf32>
// CHECK:         %[[ROW1:.*]] = kiln.reshape %{{.*}} : tensor<3xf32> -> tensor<1x3xf32>
// CHECK:         kiln.slice_grad %{{.*}} axis = 0 start = 2 : tensor<1xf32> -> tensor<3xf32>
// CHECK:         %[[ROW2:.*]] = kiln.reshape %{{.*}} : tensor<3xf32> -> tensor<1x3xf32>
// CHECK:         %[[H:.*]] = kiln.concat %[[ROW0]], %[[ROW1]], %[[ROW2]] axis = 0 : tensor<1x3xf32>, tensor<1x3xf32>, tensor<1x3xf32> -> tensor<3x3xf32>
// CHECK:         return %[[LOSS]], %[[DW]], %[[DB]], %[[H]]

// -----

// Cross-entropy's gradient is differentiated again through the VJP of
// softmax_cross_entropy_grad.

module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<newton>>} {
  func.func @model(%x: tensor<2x3xf32> {kiln.role = #kiln.role<input>, kiln.name = "x"},
                   %y: tensor<2xi32> {kiln.role = #kiln.role<label>, kiln.name = "y"},
                   %b: tensor<3xf32> {kiln.role = #kiln.role<param>, kiln.name = "b"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}) attributes {kiln.entry = #kiln.entry<eval>} {
    %z = kiln.bias_add %x, %b : tensor<2x3xf32>, tensor<3xf32>
    %l = kiln.softmax_cross_entropy %z, %y : tensor<2x3xf32>, tensor<2xi32> -> tensor<2xf32>
    %s = kiln.reduce_sum %l axes = [0] : tensor<2xf32> -> tensor<f32>
    return %s : tensor<f32>
  }
}

// CHECK-LABEL: func.func @hessian
// CHECK-SAME:    -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<3xf32> {kiln.name = "b", kiln.role = #kiln.role<grad>}, tensor<3x3xf32> {kiln.role = #kiln.role<hessian>})
// CHECK:         kiln.softmax_cross_entropy_grad
// CHECK:         kiln.softmax %{{.*}} axis = 1
// CHECK:         kiln.concat {{.*}} -> tensor<3x3xf32>

// -----

// Other optimizers need no Hessian: the module is unchanged.

module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 1.0>>} {
  func.func @model(%w: tensor<2xf32> {kiln.role = #kiln.role<param>, kiln.name = "w"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}) attributes {kiln.entry = #kiln.entry<eval>} {
    %s = kiln.reduce_sum %w axes = [0] : tensor<2xf32> -> tensor<f32>
    return %s : tensor<f32>
  }
}

// CHECK-LABEL: func.func @model
// CHECK-NOT:   @hessian

// -----

module {
  func.func @model(%w: tensor<2xf32> {kiln.role = #kiln.role<param>, kiln.name = "w"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}) attributes {kiln.entry = #kiln.entry<eval>} {
    %s = kiln.reduce_sum %w axes = [0] : tensor<2xf32> -> tensor<f32>
    return %s : tensor<f32>
  }
}

// CHECK-LABEL: func.func @model
// CHECK-NOT:   @hessian
