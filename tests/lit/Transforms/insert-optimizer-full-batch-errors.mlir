// RUN: kiln-opt --kiln-insert-optimizer --verify-diagnostics %s

// A line search compares the train step's loss with eval's at trial points,
// so both must compute one function: dropout (or batch statistics) in the
// training form would make them differ.

module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, optimizer = #kiln.optimizer<sgd, lr = 8.0, momentum = 0.0, nesterov = false, weight_decay = 0.0, decoupled_weight_decay = false>, line_search = #kiln.line_search<armijo, c = 1.0e-04, shrink = 5.0e-01, max_trials = 50>>} {
  func.func @train_step(%x: tensor<4x3xf32> {kiln.role = #kiln.role<input>, kiln.name = "x"},
                        %seed: tensor<i64> {kiln.role = #kiln.role<rng>},
                        %w: tensor<4x3xf32> {kiln.role = #kiln.role<param>, kiln.name = "w"})
      -> (tensor<f32> {kiln.role = #kiln.role<loss>}, tensor<4x3xf32> {kiln.role = #kiln.role<grad>, kiln.name = "w"})
      attributes {kiln.entry = #kiln.entry<train_step>} {
    // expected-error@+1 {{'kiln.dropout' op behaves differently while training (batch statistics, dropout masks); a line search evaluates one deterministic loss, so the model must have no batch normalization or dropout}}
    %0 = kiln.dropout %x, %seed {rate = 5.0e-01 : f64, stream = 1 : i64, training} : tensor<4x3xf32>
    %1 = kiln.mul %0, %w : tensor<4x3xf32>
    %2 = kiln.reduce_sum %1 axes = [0, 1] : tensor<4x3xf32> -> tensor<f32>
    return %2, %0 : tensor<f32>, tensor<4x3xf32>
  }
}
