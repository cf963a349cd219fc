//===- GradCasesLoss.cpp - Gradient checks of the loss ops ----------------===//
//
// The harness fills labels with i % 3, so every case has at least three
// classes. bce_with_logits is checked with respect to its targets too.
// Cross-entropy without smoothing is a core case (GradCasesCore.cpp).
//
//===----------------------------------------------------------------------===//
#include "GradCases.h"

using namespace kiln::testing;

std::vector<GradCase> kiln::testing::lossGradCases() {
  return {
      {"softmax_cross_entropy_smoothed", "kiln.softmax_cross_entropy",
       "%p0: tensor<4x5xf64>",
       "%out = kiln.softmax_cross_entropy %p0, %labels "
       "{label_smoothing = 0.2} : tensor<4x5xf64>, tensor<4xi32> -> "
       "tensor<4xf64>",
       "tensor<4xf64>"},
      {"softmax_cross_entropy_pixels", "kiln.softmax_cross_entropy",
       "%p0: tensor<2x3x2x2xf64>",
       "%out = kiln.softmax_cross_entropy %p0, %labels "
       "{label_smoothing = 0.1} : tensor<2x3x2x2xf64>, tensor<2x2x2xi32> -> "
       "tensor<2x2x2xf64>",
       "tensor<2x2x2xf64>", "tensor<2x2x2xi32>"},
      // Checked with respect to both the incoming gradient and the logits.
      {"softmax_cross_entropy_grad", "kiln.softmax_cross_entropy_grad",
       "%p0: tensor<4xf64>, %p1: tensor<4x5xf64>",
       "%out = kiln.softmax_cross_entropy_grad %p0, %p1, %labels "
       "{label_smoothing = 0.1} : tensor<4xf64>, tensor<4x5xf64>, "
       "tensor<4xi32>",
       "tensor<4x5xf64>"},
      {"bce_with_logits", "kiln.bce_with_logits",
       "%p0: tensor<4x3xf64>, %p1: tensor<4x3xf64>",
       "%out = kiln.bce_with_logits %p0, %p1 : tensor<4x3xf64>",
       "tensor<4x3xf64>"},
      {"nll", "kiln.nll", "%p0: tensor<4x5xf64>",
       "%out = kiln.nll %p0, %labels : tensor<4x5xf64>, tensor<4xi32> -> "
       "tensor<4xf64>",
       "tensor<4xf64>"},
      {"nll_grad", "kiln.nll_grad", "%p0: tensor<2x3xf64>",
       "%out = kiln.nll_grad %p0, %labels : tensor<2x3xf64>, "
       "tensor<2x3xi32> -> tensor<2x4x3xf64>",
       "tensor<2x4x3xf64>", "tensor<2x3xi32>"},
  };
}
