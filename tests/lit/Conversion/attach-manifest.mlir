// RUN: kiln-opt --kiln-attach-manifest %s | FileCheck %s

// The manifest lists buffers in signature order with names, shapes and
// initialisers, and copies the recipes.

module attributes {kiln.model = "tiny", kiln.train = {epochs = 2 : i64, seed = 7 : i64}} {
  func.func @model(%x: tensor<4x3xf32> {kiln.role = "input", kiln.name = "x"},
                   %y: tensor<4xi32> {kiln.role = "label", kiln.name = "y"},
                   %w: tensor<2x3xf32> {kiln.role = "param", kiln.name = "fc.weight", kiln.init = {kind = "uniform", low = -5.0e-01 : f64, high = 5.0e-01 : f64}})
      -> (tensor<f32> {kiln.output = "loss"}, tensor<4x2xf32> {kiln.output = "logits"})
      attributes {kiln.entry = "eval"} {
    %0 = kiln.matmul %x, %w {transpose_rhs} : tensor<4x3xf32>, tensor<2x3xf32> -> tensor<4x2xf32>
    %1 = kiln.softmax_cross_entropy %0, %y : tensor<4x2xf32>, tensor<4xi32> -> tensor<4xf32>
    %2 = kiln.reduce_sum %1 axes = [0] : tensor<4xf32> -> tensor<f32>
    return %2, %0 : tensor<f32>, tensor<4x2xf32>
  }
  func.func @train_step(%x: tensor<4x3xf32> {kiln.role = "input", kiln.name = "x"},
                        %w: tensor<2x3xf32> {kiln.role = "param", kiln.name = "fc.weight"},
                        %m: tensor<2x3xf32> {kiln.role = "state", kiln.name = "fc.weight.momentum_buffer", kiln.init = {kind = "zeros"}})
      attributes {kiln.entry = "train_step"} {
    return
  }
}

// CHECK: kiln.manifest = "{
// CHECK-SAME: \22input\22:{\22dtype\22:\22f32\22,\22name\22:\22x\22,\22shape\22:[4,3]}
// CHECK-SAME: \22kiln_abi\22:1
// CHECK-SAME: \22label\22:{\22classes\22:2,\22dtype\22:\22i32\22,\22name\22:\22y\22,\22shape\22:[4]}
// CHECK-SAME: \22model\22:\22tiny\22
// CHECK-SAME: \22params\22:[{\22dtype\22:\22f32\22,\22init\22:{\22high\22:0.5,\22kind\22:\22uniform\22,\22low\22:-0.5},\22name\22:\22fc.weight\22,\22shape\22:[2,3]}]
// CHECK-SAME: \22state\22:[{\22dtype\22:\22f32\22,\22init\22:{\22kind\22:\22zeros\22},\22name\22:\22fc.weight.momentum_buffer\22,\22shape\22:[2,3]}]
// CHECK-SAME: \22train\22:{\22epochs\22:2,\22seed\22:7}
