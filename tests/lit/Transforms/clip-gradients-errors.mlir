// RUN: kiln-opt --kiln-clip-gradients --split-input-file --verify-diagnostics %s

// expected-error@+1 {{the clip recipe of kiln.train has no known kind (value, global_norm, tensor_norm)}}
module attributes {kiln.train = {clip = {kind = "norm", max_norm = 1.0 : f64}}} {
}

// -----

// expected-error@+1 {{clip `global_norm` needs a positive `max_norm`}}
module attributes {kiln.train = {clip = {kind = "global_norm", max_norm = 0.0 : f64}}} {
}

// -----

// expected-error@+1 {{no @train_step: run kiln-build-training-step first}}
module attributes {kiln.train = {clip = {kind = "value", clip_value = 1.0 : f64}}} {
}
