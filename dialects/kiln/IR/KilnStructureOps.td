//===- KilnStructureOps.td - Concat, transpose, slice, layouts -*- tablegen -*-//
//
// Ops that move elements without arithmetic, for residual and dense
// connections and for rearranging feature maps. Each VJP is another
// structure op (slices for concat, the inverse permutation for transpose,
// zero-padding for slice), so backward graphs stay differentiable. The
// channel-blocking pair changes only how a feature map is stored; targets
// insert it after autodiff (kiln-cpu-assign-layouts), so it has no VJP.
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

def Kiln_BlockChannelsOp : Kiln_InferredOp<"block_channels"> {
  let summary = "stores the channels of a feature map in blocks";
  let description = [{
    `[N, C, H, W]` to `[N, C / block, H, W, block]` with
    `result[n, c / block, h, w, c % block] = input[n, c, h, w]`, oneDNN's
    `nChw{block}c`; C is a multiple of `block`. Elementwise ops may run on
    blocked feature maps as they are.
  }];
  let arguments = (ins Kiln_FloatTensor:$input, I64Attr:$block);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input `block` `=` $block attr-dict `:` type($input) "
                       "`->` type($result)";
  let hasFolder = 1;
  let extraClassDeclaration = [{
    /// The blocked type of `nchw` ([N, C, H, W], C a multiple of `block`).
    static ::mlir::RankedTensorType blockedType(::mlir::RankedTensorType nchw,
                                                int64_t block);
  }];
}

def Kiln_UnblockChannelsOp : Kiln_InferredOp<"unblock_channels"> {
  let summary = "the NCHW feature map of a channel-blocked one";
  let description = [{
    The inverse of `kiln.block_channels`: `[N, C / b, H, W, b]` to
    `[N, C, H, W]`, where b is the last dimension.
  }];
  let arguments = (ins Kiln_FloatTensor:$input);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
}

#endif // KILN_STRUCTURE_OPS_TD
