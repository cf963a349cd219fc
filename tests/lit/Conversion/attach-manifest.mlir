// RUN: kiln-opt --kiln-attach-manifest %s | FileCheck %s

// The manifest lists buffers in signature order with names, shapes,
// element types and initialisers, the metric the logits support, and what
// the runtime reads of the recipes. Everything it spells (roles, entry
// points, metrics, initialisers, datasets) is spelled as the ABI table
// (program.def) does.

module attributes {kiln.model = "tiny",
    kiln.train = #kiln.train<epochs = 2, seed = 7, optimizer = #kiln.optimizer<sgd, lr = 0.1>,
                             schedule = #kiln.schedule<reduce_on_plateau, patience = 3>, val_split = 0.25>,
    kiln.data = #kiln.data<dataset = #kiln.dataset<fashion_mnist, mean = 0.5>,
                           targets = #kiln.targets<classes>>} {
  func.func @model(%x: tensor<4x3xf32> {kiln.role = #kiln.role<input>, kiln.name = "x"},
                   %y: tensor<4xi32> {kiln.role = #kiln.role<label>, kiln.name = "y"},
                   %w: tensor<2x3xf32> {kiln.role = #kiln.role<param>, kiln.name = "fc.weight", kiln.init = #kiln.init<uniform, low = -5.0e-01, high = 5.0e-01>})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>},
          tensor<4x2xf32> {kiln.role = #kiln.role<logits>, kiln.prediction = #kiln.prediction<class_scores>})
      attributes {kiln.entry = #kiln.entry<eval>} {
    %0 = kiln.matmul %x, %w {transpose_rhs} : tensor<4x3xf32>, tensor<2x3xf32> -> tensor<4x2xf32>
    %1 = kiln.softmax_cross_entropy %0, %y : tensor<4x2xf32>, tensor<4xi32> -> tensor<4xf32>
    %2 = kiln.reduce_sum %1 axes = [0] : tensor<4xf32> -> tensor<f32>
    return %2, %0 : tensor<f32>, tensor<4x2xf32>
  }
  func.func @train_step(%x: tensor<4x3xf32> {kiln.role = #kiln.role<input>, kiln.name = "x"},
                        %w: tensor<2x3xf32> {kiln.role = #kiln.role<param>, kiln.name = "fc.weight"},
                        %m: tensor<2x3xf32> {kiln.role = #kiln.role<state>, kiln.name = "fc.weight.momentum_buffer", kiln.init = #kiln.init<zeros>})
      attributes {kiln.entry = #kiln.entry<train_step>} {
    return
  }
}

// CHECK: kiln.manifest = "{
// CHECK-SAME: \22data\22:{\22dataset\22:\22fashion_mnist\22,\22dir\22:\22/usr/share/datasets/fashion-mnist\22,\22normalize\22:{\22mean\22:0.5,\22std\22:1},\22targets\22:{\22kind\22:\22classes\22}}
// CHECK-SAME: \22entries\22:{\22eval\22:{\22args\22:[{\22dtype\22:\22f32\22,\22name\22:\22x\22,\22role\22:\22input\22,\22shape\22:[4,3]},{\22dtype\22:\22i32\22,\22name\22:\22y\22,\22role\22:\22label\22,\22shape\22:[4]},{\22dtype\22:\22f32\22,\22name\22:\22fc.weight\22,\22role\22:\22param\22,\22shape\22:[2,3]}]
// CHECK-SAME: \22metrics\22:[\22accuracy\22]
// CHECK-SAME: \22results\22:[{\22dtype\22:\22f32\22,\22role\22:\22loss\22,\22shape\22:[]},{\22dtype\22:\22f32\22,\22role\22:\22logits\22,\22shape\22:[4,2]}]}
// CHECK-SAME: \22train_step\22:{\22args\22:[{{.*}}{\22dtype\22:\22f32\22,\22name\22:\22fc.weight.momentum_buffer\22,\22role\22:\22state\22,\22shape\22:[2,3]}],\22results\22:[]}}
// CHECK-SAME: \22input\22:{\22dtype\22:\22f32\22,\22name\22:\22x\22,\22shape\22:[4,3]}
// CHECK-SAME: \22kiln_abi\22:2
// CHECK-SAME: \22label\22:{\22classes\22:2,\22dtype\22:\22i32\22,\22name\22:\22y\22,\22shape\22:[4]}
// CHECK-SAME: \22model\22:\22tiny\22
// CHECK-SAME: \22params\22:[{\22dtype\22:\22f32\22,\22init\22:{\22high\22:0.5,\22kind\22:\22uniform\22,\22low\22:-0.5},\22name\22:\22fc.weight\22,\22shape\22:[2,3]}]
// CHECK-SAME: \22state\22:[{\22dtype\22:\22f32\22,\22init\22:{\22kind\22:\22zeros\22},\22name\22:\22fc.weight.momentum_buffer\22,\22shape\22:[2,3]}]
// The plateau's min_lr is the compiled step's; the runtime reads the rest.
// CHECK-SAME: \22train\22:{\22epochs\22:2,\22plateau\22:{\22cooldown\22:0,\22factor\22:0.10000000000000001,\22patience\22:3,\22threshold\22:0.0001},\22seed\22:7,\22val_split\22:0.25}
