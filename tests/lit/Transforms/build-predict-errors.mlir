// RUN: kiln-opt --kiln-build-predict --split-input-file --verify-diagnostics %s

// expected-error@+1 {{@predict needs one logits result of the model function, got 0}}
func.func @model(%x: tensor<4xf64> {kiln.role = #kiln.role<input>, kiln.name = "x"})
    -> (tensor<f64> {kiln.role = #kiln.role<loss>}) attributes {kiln.entry = #kiln.entry<eval>} {
  %0 = kiln.reduce_sum %x axes = [0] : tensor<4xf64> -> tensor<f64>
  return %0 : tensor<f64>
}

// -----

// expected-error@+1 {{the logits result has no kiln.prediction: what do they predict?}}
func.func @model(%x: tensor<4xf64> {kiln.role = #kiln.role<input>, kiln.name = "x"})
    -> (tensor<f64> {kiln.role = #kiln.role<loss>}, tensor<4xf64> {kiln.role = #kiln.role<logits>})
    attributes {kiln.entry = #kiln.entry<eval>} {
  %0 = kiln.reduce_sum %x axes = [0] : tensor<4xf64> -> tensor<f64>
  return %0, %x : tensor<f64>, tensor<4xf64>
}

// -----

// expected-error@+1 {{the logits depend on the label `y`: there is nothing to predict}}
func.func @model(%x: tensor<4xf64> {kiln.role = #kiln.role<input>, kiln.name = "x"},
                 %y: tensor<4xf64> {kiln.role = #kiln.role<label>, kiln.name = "y"})
    -> (tensor<f64> {kiln.role = #kiln.role<loss>},
        tensor<4xf64> {kiln.role = #kiln.role<logits>, kiln.prediction = #kiln.prediction<values>})
    attributes {kiln.entry = #kiln.entry<eval>} {
  %0 = kiln.sub %x, %y : tensor<4xf64>
  %1 = kiln.reduce_sum %0 axes = [0] : tensor<4xf64> -> tensor<f64>
  return %1, %0 : tensor<f64>, tensor<4xf64>
}
