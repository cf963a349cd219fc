//===- GradCasesActivation.cpp - Gradient checks of the activations -------===//
//
// Hyper-parameters differ from PyTorch's defaults where that exercises more:
// softplus' small threshold puts elements on both sides of it, and the
// softmax family runs along an inner axis of a 3-D tensor.
//
//===----------------------------------------------------------------------===//
#include "GradCases.h"

using namespace kiln::testing;

std::vector<GradCase> kiln::testing::activationGradCases() {
  return {
      {"sigmoid", "kiln.sigmoid", "%p0: tensor<4x5xf64>",
       "%out = kiln.sigmoid %p0 : tensor<4x5xf64>", "tensor<4x5xf64>"},
      {"tanh", "kiln.tanh", "%p0: tensor<4x5xf64>",
       "%out = kiln.tanh %p0 : tensor<4x5xf64>", "tensor<4x5xf64>"},
      {"leaky_relu", "kiln.leaky_relu", "%p0: tensor<4x5xf64>",
       "%out = kiln.leaky_relu %p0 {negative_slope = 0.2} : tensor<4x5xf64>",
       "tensor<4x5xf64>"},
      {"elu", "kiln.elu", "%p0: tensor<4x5xf64>",
       "%out = kiln.elu %p0 {alpha = 1.5} : tensor<4x5xf64>",
       "tensor<4x5xf64>"},
      {"softsign", "kiln.softsign", "%p0: tensor<4x5xf64>",
       "%out = kiln.softsign %p0 : tensor<4x5xf64>", "tensor<4x5xf64>"},
      {"softplus", "kiln.softplus", "%p0: tensor<4x5xf64>",
       "%out = kiln.softplus %p0 {beta = 2.0, threshold = 0.9} : "
       "tensor<4x5xf64>",
       "tensor<4x5xf64>"},
      {"gelu", "kiln.gelu", "%p0: tensor<4x5xf64>",
       "%out = kiln.gelu %p0 : tensor<4x5xf64>", "tensor<4x5xf64>"},
      {"softmax", "kiln.softmax", "%p0: tensor<2x3x4xf64>",
       "%out = kiln.softmax %p0 axis = 1 : tensor<2x3x4xf64>",
       "tensor<2x3x4xf64>"},
      {"log_softmax", "kiln.log_softmax", "%p0: tensor<2x3x4xf64>",
       "%out = kiln.log_softmax %p0 axis = 2 : tensor<2x3x4xf64>",
       "tensor<2x3x4xf64>"},
  };
}
