//===- KilnActivationOps.td - Activation functions ---------*- tablegen -*-===//
//
// Elementwise activations and the softmax family, with PyTorch's definitions
// and default hyper-parameters. Most VJPs are compositions of kiln ops, so
// backward graphs can be differentiated again; softsign, softplus and gelu
// have a gradient op each because their derivatives are no short
// composition (softplus': its linear region has slope exactly 1).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_ACTIVATION_OPS_TD
#define KILN_ACTIVATION_OPS_TD

include "KilnOpBase.td"

class Kiln_ActivationOp<string mnemonic> : Kiln_ElementwiseOp<mnemonic> {
  let arguments = (ins Kiln_FloatTensor:$input);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

// The derivative of an activation times `grad`; linear in `grad`. These ops
// have no VJP: only second-order methods would need it.
class Kiln_ActivationGradOp<string mnemonic>
    : Kiln_Op<mnemonic, [Pure, SameOperandsAndResultType, Elementwise,
                         InferTypeOpInterface]> {
  let arguments = (ins Kiln_FloatTensor:$grad, Kiln_FloatTensor:$input);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$grad `,` $input attr-dict `:` type($input)";
}

def Kiln_SigmoidOp : Kiln_ActivationOp<"sigmoid"> {
  let summary = "1 / (1 + exp(-x))";
}

def Kiln_TanhOp : Kiln_ActivationOp<"tanh"> {
  let summary = "hyperbolic tangent";
}

def Kiln_LeakyReluOp : Kiln_ActivationOp<"leaky_relu"> {
  let summary = "x where x > 0, negative_slope * x elsewhere";
  let arguments = (ins Kiln_FloatTensor:$input,
                       DefaultValuedAttr<F64Attr, "0.01">:$negative_slope);
}

def Kiln_EluOp : Kiln_ActivationOp<"elu"> {
  let summary = "x where x > 0, alpha * (exp(x) - 1) elsewhere";
  let arguments = (ins Kiln_FloatTensor:$input,
                       DefaultValuedAttr<F64Attr, "1.0">:$alpha);
}

def Kiln_SoftsignOp : Kiln_ActivationOp<"softsign"> {
  let summary = "x / (1 + |x|)";
}

def Kiln_SoftsignGradOp : Kiln_ActivationGradOp<"softsign_grad"> {
  let summary = "grad / (1 + |input|)^2";
}

def Kiln_SoftplusOp : Kiln_ActivationOp<"softplus"> {
  let summary = "log(1 + exp(beta * x)) / beta, x where beta * x > threshold";
  let description = [{
    As torch.nn.Softplus: above the threshold the function is linear, which
    avoids overflow in exp.
  }];
  let arguments = (ins Kiln_FloatTensor:$input,
                       DefaultValuedAttr<F64Attr, "1.0">:$beta,
                       DefaultValuedAttr<F64Attr, "20.0">:$threshold);
  let hasVerifier = 1;
}

def Kiln_SoftplusGradOp : Kiln_ActivationGradOp<"softplus_grad"> {
  let summary = "grad * sigmoid(beta * input), grad where beta * input > "
                "threshold";
  let arguments = (ins Kiln_FloatTensor:$grad, Kiln_FloatTensor:$input,
                       DefaultValuedAttr<F64Attr, "1.0">:$beta,
                       DefaultValuedAttr<F64Attr, "20.0">:$threshold);
}

def Kiln_GeluOp : Kiln_ActivationOp<"gelu"> {
  let summary = "x * Phi(x), Phi the standard normal CDF (exact, with erf)";
}

def Kiln_GeluGradOp : Kiln_ActivationGradOp<"gelu_grad"> {
  let summary = "grad * (Phi(input) + input * phi(input))";
}

class Kiln_SoftmaxFamilyOp<string mnemonic> : Kiln_SameTypeOp<mnemonic> {
  let arguments = (ins Kiln_FloatTensor:$input, I64Attr:$axis);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input `axis` `=` $axis attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Kiln_SoftmaxOp : Kiln_SoftmaxFamilyOp<"softmax"> {
  let summary = "exp(x) / sum(exp(x)) along `axis`";
  let description = [{
    Computed stably as `exp(x - max) / sum(exp(x - max))`.
  }];
}

def Kiln_LogSoftmaxOp : Kiln_SoftmaxFamilyOp<"log_softmax"> {
  let summary = "x - log(sum(exp(x))) along `axis`";
  let description = [{
    Computed stably as `x - max - log(sum(exp(x - max)))`.
  }];
}

#endif // KILN_ACTIVATION_OPS_TD
