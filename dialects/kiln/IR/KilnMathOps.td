//===- KilnMathOps.td - Elementwise math of updates --------*- tablegen -*-===//
//
// Elementwise ops that optimizer updates (Adam, AdaGrad, RMSProp),
// learning-rate schedules and gradient clipping use: they run after the
// backward graph, so they are never differentiated and carry no VJP
// (GradientCheckTest lists them as not differentiable).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_MATH_OPS_TD
#define KILN_MATH_OPS_TD

include "KilnOpBase.td"

class Kiln_MathOp<string mnemonic>
    : Kiln_Op<mnemonic, [Pure, SameOperandsAndResultType, Elementwise,
                         InferTypeOpInterface]>;

def Kiln_SqrtOp : Kiln_MathOp<"sqrt"> {
  let summary = "sqrt(x), elementwise";
  let arguments = (ins Kiln_FloatTensor:$input);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Kiln_DivOp : Kiln_MathOp<"div"> {
  let summary = "elementwise quotient lhs / rhs";
  let arguments = (ins Kiln_FloatTensor:$lhs, Kiln_FloatTensor:$rhs);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($result)";
}

def Kiln_MaxOp : Kiln_MathOp<"max"> {
  let summary = "elementwise maximum (AMSGrad's running maximum)";
  let arguments = (ins Kiln_FloatTensor:$lhs, Kiln_FloatTensor:$rhs);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($result)";
}

def Kiln_AddScalarOp : Kiln_MathOp<"add_scalar"> {
  let summary = "adds a constant to every element (eps, 1 - beta^t)";
  let arguments = (ins Kiln_FloatTensor:$input, F64Attr:$value);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input `,` $value attr-dict `:` type($input)";
}

def Kiln_RpowOp : Kiln_MathOp<"rpow"> {
  let summary = "base ** x, elementwise: beta^t for bias correction";
  let arguments = (ins Kiln_FloatTensor:$input, F64Attr:$base);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input `base` $base attr-dict `:` type($input)";
}

def Kiln_PowOp : Kiln_MathOp<"pow"> {
  let summary = "x ** exponent, elementwise: (1 + decay * t)^-power";
  let arguments = (ins Kiln_FloatTensor:$input, F64Attr:$exponent);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input `exponent` $exponent attr-dict `:` type($input)";
}

def Kiln_FloorOp : Kiln_MathOp<"floor"> {
  let summary = "floor(x), elementwise: completed periods of a step schedule";
  let arguments = (ins Kiln_FloatTensor:$input);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Kiln_CosOp : Kiln_MathOp<"cos"> {
  let summary = "cos(x), elementwise: cosine annealing";
  let arguments = (ins Kiln_FloatTensor:$input);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

#endif // KILN_MATH_OPS_TD
