// RUN: kiln-opt %s | kiln-opt | FileCheck %s

// Activations print back as parsed; PyTorch's default hyper-parameters are
// elided.

// CHECK-LABEL: func.func @activations
func.func @activations(%x: tensor<4x5xf32>) {
  // CHECK: kiln.sigmoid %{{.*}} : tensor<4x5xf32>
  %0 = kiln.sigmoid %x : tensor<4x5xf32>
  // CHECK: kiln.tanh
  %1 = kiln.tanh %x : tensor<4x5xf32>
  // CHECK: kiln.leaky_relu %{{.*}} : tensor<4x5xf32>
  %2 = kiln.leaky_relu %x {negative_slope = 0.01} : tensor<4x5xf32>
  // CHECK: kiln.elu %{{.*}} {alpha = 5.000000e-01 : f64} : tensor<4x5xf32>
  %3 = kiln.elu %x {alpha = 0.5} : tensor<4x5xf32>
  // CHECK: kiln.softplus %{{.*}} {threshold = 1.000000e+01 : f64} : tensor<4x5xf32>
  %4 = kiln.softplus %x {beta = 1.0, threshold = 10.0} : tensor<4x5xf32>
  // CHECK: kiln.softplus_grad %{{.*}}, %{{.*}} {beta = 2.000000e+00 : f64} : tensor<4x5xf32>
  %5 = kiln.softplus_grad %x, %x {beta = 2.0} : tensor<4x5xf32>
  // CHECK: kiln.softsign_grad
  %6 = kiln.softsign_grad %x, %x : tensor<4x5xf32>
  // CHECK: kiln.gelu_grad
  %7 = kiln.gelu_grad %x, %x : tensor<4x5xf32>
  // CHECK: kiln.log_softmax %{{.*}} axis = 1 : tensor<4x5xf32>
  %8 = kiln.log_softmax %x axis = 1 : tensor<4x5xf32>
  return
}
