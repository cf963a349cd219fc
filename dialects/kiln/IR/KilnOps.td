//===- KilnOps.td - Operations of the kiln dialect ---------*- tablegen -*-===//
//
// Every op works on whole, statically shaped tensors. Result types are
// inferred (InferTypeOpInterface), so the same shape rules serve the
// frontend, which builds ops without spelling result types, and the
// verifier, which checks parsed IR against them.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_OPS_TD
#define KILN_OPS_TD

include "KilnOpBase.td"

//===----------------------------------------------------------------------===//
// Structure
//===----------------------------------------------------------------------===//

def Kiln_ReshapeOp : Kiln_Op<"reshape", [Pure, Differentiable]> {
  let summary = "reinterprets a tensor with another shape of the same size";
  let description = [{
    Row-major order is kept, so `flatten` of a `[B, 1, 28, 28]` image batch is
    a reshape to `[B, 784]`.
  }];
  let arguments = (ins Kiln_FloatTensor:$input);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Kiln_BroadcastOp : Kiln_Op<"broadcast", [Pure, Differentiable]> {
  let summary = "replicates a tensor along new dimensions";
  let description = [{
    `axes` are the dimensions of the result that the input lacks; the other
    result dimensions equal the input's, in order. It is the adjoint of
    `kiln.reduce_sum` with the same axes.
  }];
  let arguments = (ins Kiln_FloatTensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat =
      "$input `axes` `=` $axes attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Kiln_ReduceSumOp : Kiln_InferredOp<"reduce_sum", [Differentiable]> {
  let summary = "sums a tensor over the given dimensions, dropping them";
  let arguments = (ins Kiln_FloatTensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat =
      "$input `axes` `=` $axes attr-dict `:` type($input) `->` type($result)";
}

//===----------------------------------------------------------------------===//
// Elementwise arithmetic
//===----------------------------------------------------------------------===//

class Kiln_ElementwiseBinaryOp<string mnemonic> : Kiln_ElementwiseOp<mnemonic> {
  let arguments = (ins Kiln_FloatTensor:$lhs, Kiln_FloatTensor:$rhs);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($result)";
}

def Kiln_AddOp : Kiln_ElementwiseBinaryOp<"add"> {
  let summary = "elementwise sum";
}
def Kiln_SubOp : Kiln_ElementwiseBinaryOp<"sub"> {
  let summary = "elementwise difference";
}
def Kiln_MulOp : Kiln_ElementwiseBinaryOp<"mul"> {
  let summary = "elementwise product";
}

def Kiln_ScaleOp : Kiln_ElementwiseOp<"scale"> {
  let summary = "multiplies every element by a constant";
  let arguments = (ins Kiln_FloatTensor:$input, F64Attr:$factor);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat =
      "$input `by` $factor attr-dict `:` type($input)";
  let hasFolder = 1;
}

// Gradient clipping (kiln-clip-gradients) applies it to gradients after the
// backward graph is built, so it needs no VJP (GradientCheckTest lists it as
// not differentiable).
def Kiln_ClampOp : Kiln_Op<"clamp", [Pure, SameOperandsAndResultType,
                                     InferTypeOpInterface]> {
  let summary = "limits every element to [min, max]; either bound may be absent";
  let arguments = (ins Kiln_FloatTensor:$input, OptionalAttr<F64Attr>:$min,
                       OptionalAttr<F64Attr>:$max);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

def Kiln_MatmulOp : Kiln_InferredOp<"matmul", [Differentiable]> {
  let summary = "matrix product of optionally transposed 2-D operands";
  let description = [{
    `result = op(lhs) * op(rhs)` where `op` transposes its operand when the
    matching unit attribute is present. A linear layer is
    `matmul(x, weight) {transpose_rhs}` since weights are stored `[out, in]`.
  }];
  let arguments = (ins Kiln_FloatTensor:$lhs, Kiln_FloatTensor:$rhs,
                       UnitAttr:$transpose_lhs, UnitAttr:$transpose_rhs);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) "
                       "`->` type($result)";
}

def Kiln_BiasAddOp : Kiln_InferredOp<"bias_add", [Differentiable]> {
  let summary = "adds a per-channel bias along dimension 1";
  let arguments = (ins Kiln_FloatTensor:$input, Kiln_FloatTensor:$bias);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input `,` $bias attr-dict `:` type($input) `,` "
                       "type($bias)";
}

def Kiln_ReluOp : Kiln_ElementwiseOp<"relu"> {
  let summary = "max(x, 0)";
  let arguments = (ins Kiln_FloatTensor:$input);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Kiln_ReluGradOp : Kiln_ElementwiseOp<"relu_grad"> {
  let summary = "passes `grad` where `input` > 0, zero elsewhere";
  let arguments = (ins Kiln_FloatTensor:$grad, Kiln_FloatTensor:$input);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$grad `,` $input attr-dict `:` type($input)";
}

//===----------------------------------------------------------------------===//
// Op families in their own files
//===----------------------------------------------------------------------===//

include "KilnActivationOps.td"
include "KilnConvOps.td"
include "KilnLossOps.td"
include "KilnNormOps.td"
include "KilnMathOps.td"
include "KilnRandomOps.td"
include "KilnRuntimeOps.td"
include "KilnStructureOps.td"

#endif // KILN_OPS_TD
