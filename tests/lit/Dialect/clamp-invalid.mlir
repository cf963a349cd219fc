// RUN: kiln-opt --split-input-file --verify-diagnostics %s

func.func @clamp_without_bounds(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error@+1 {{'kiln.clamp' op needs a `min` or a `max` bound}}
  %y = kiln.clamp %x : tensor<3xf32>
  return %y : tensor<3xf32>
}

// -----

func.func @clamp_empty_range(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error@+1 {{'kiln.clamp' op min 1.000000e+00 exceeds max -1.000000e+00}}
  %y = kiln.clamp %x {min = 1.0 : f64, max = -1.0 : f64} : tensor<3xf32>
  return %y : tensor<3xf32>
}
