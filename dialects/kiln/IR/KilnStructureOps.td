//===- KilnStructureOps.td - Concat, transpose and slice ---*- tablegen -*-===//
//
// Ops that move elements without arithmetic, for residual and dense
// connections and for rearranging feature maps. Each VJP is another
// structure op (slices for concat, the inverse permutation for transpose,
// zero-padding for slice), so backward graphs stay differentiable.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_STRUCTURE_OPS_TD
#define KILN_STRUCTURE_OPS_TD

include "KilnOpBase.td"

def Kiln_ConcatOp : Kiln_InferredOp<"concat", [Differentiable]> {
  let summary = "joins tensors along `axis`";
  let description = [{
    All inputs have the result's rank, element type and sizes except along
    `axis`, where the result's size is their sum (torch.cat).
  }];
  let arguments = (ins Variadic<Kiln_FloatTensor>:$inputs, I64Attr:$axis);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$inputs `axis` `=` $axis attr-dict `:` type($inputs) "
                       "`->` type($result)";
}

def Kiln_TransposeOp : Kiln_InferredOp<"transpose", [Differentiable]> {
  let summary = "permutes dimensions";
  let description = [{
    Result dimension `i` is input dimension `permutation[i]`
    (torch.permute).
  }];
  let arguments = (ins Kiln_FloatTensor:$input,
                       DenseI64ArrayAttr:$permutation);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input `permutation` `=` $permutation attr-dict `:` "
                       "type($input) `->` type($result)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Kiln_SliceOp : Kiln_InferredOp<"slice", [Differentiable]> {
  let summary = "the elements in [start, end) along `axis`";
  let arguments = (ins Kiln_FloatTensor:$input, I64Attr:$axis, I64Attr:$start,
                       I64Attr:$end);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input `axis` `=` $axis `start` `=` $start `end` `=` "
                       "$end attr-dict `:` type($input) `->` type($result)";
}

def Kiln_SliceGradOp : Kiln_Op<"slice_grad", [Pure, Differentiable]> {
  let summary = "places `grad` at `start` along `axis` of a zero tensor";
  let description = [{
    The VJP of `kiln.slice`: zero-pads `grad` along `axis` to the result
    type, with `start` zeros before it. Its own VJP is `kiln.slice`.
  }];
  let arguments = (ins Kiln_FloatTensor:$grad, I64Attr:$axis, I64Attr:$start);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$grad `axis` `=` $axis `start` `=` $start attr-dict "
                       "`:` type($grad) `->` type($result)";
  let hasVerifier = 1;
}

#endif // KILN_STRUCTURE_OPS_TD
