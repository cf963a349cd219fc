// RUN: kiln-opt %s | kiln-opt | FileCheck %s

// The normalization ops print back as parsed; PyTorch's default epsilon and
// LocalResponseNorm hyper-parameters are elided.

// CHECK-LABEL: func.func @normalizations
func.func @normalizations(%x: tensor<2x6x3x3xf32>, %w: tensor<4x5xf64>) {
  // CHECK: kiln.normalize %{{.*}} axis = 2 : tensor<2x6x3x3xf32>
  %0 = kiln.normalize %x axis = 2 {epsilon = 1.0e-05} : tensor<2x6x3x3xf32>
  // CHECK: kiln.normalize %{{.*}} axis = 1 {epsilon = 1.000000e-03 : f64} : tensor<2x6x3x3xf32>
  %1 = kiln.normalize %x axis = 1 {epsilon = 1.0e-03} : tensor<2x6x3x3xf32>
  // CHECK: kiln.normalize_grad %{{.*}}, %{{.*}} axis = 3 : tensor<2x6x3x3xf32>
  %2 = kiln.normalize_grad %0, %x axis = 3 : tensor<2x6x3x3xf32>
  // CHECK: kiln.local_response_norm %{{.*}} size = 5 : tensor<2x6x3x3xf32>
  %3 = kiln.local_response_norm %x size = 5 {alpha = 1.0e-04, beta = 0.75, k = 1.0} : tensor<2x6x3x3xf32>
  // CHECK: kiln.local_response_norm %{{.*}} size = 2 {alpha = 1.000000e-02 : f64, beta = 5.000000e-01 : f64, k = 2.000000e+00 : f64} : tensor<2x6x3x3xf32>
  %4 = kiln.local_response_norm %x size = 2 {alpha = 0.01, beta = 0.5, k = 2.0} : tensor<2x6x3x3xf32>
  // CHECK: kiln.local_response_norm_grad %{{.*}}, %{{.*}} size = 3 {beta = 2.000000e+00 : f64} : tensor<2x6x3x3xf32>
  %5 = kiln.local_response_norm_grad %4, %x size = 3 {beta = 2.0} : tensor<2x6x3x3xf32>
  // CHECK: kiln.rsqrt %{{.*}} : tensor<4x5xf64>
  %6 = kiln.rsqrt %w : tensor<4x5xf64>
  return
}
