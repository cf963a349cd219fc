//===- KilnConvOps.td - Convolution and pooling ops --------*- tablegen -*-===//
//
// 2-D convolution and pooling on NCHW tensors with PyTorch's semantics:
// symmetric zero padding, output size floor((H + 2p - d(k - 1) - 1) / s) + 1.
// The backward ops are ops of their own so that backward graphs stay readable
// kiln IR and so that the lowering can hand each direction to the matching
// oneDNN primitive. Result types that padding makes ambiguous (a convolution
// maps several input sizes to one output size) are spelled out and verified;
// the others are inferred.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_CONV_OPS_TD
#define KILN_CONV_OPS_TD

include "KilnOpBase.td"

// The geometry every convolution op carries: per spatial dimension (height,
// width) the stride, the zero padding added on both sides and the dilation,
// then the number of channel groups.
defvar Kiln_ConvAttrs = (ins DenseI64ArrayAttr:$strides,
                             DenseI64ArrayAttr:$padding,
                             DenseI64ArrayAttr:$dilations, I64Attr:$groups);
defvar Kiln_ConvAttrFormat = "`strides` `=` $strides `padding` `=` $padding "
                             "`dilations` `=` $dilations `groups` `=` $groups";

// Pooling windows: kernel size, stride and padding per spatial dimension.
defvar Kiln_PoolAttrs = (ins DenseI64ArrayAttr:$kernel,
                             DenseI64ArrayAttr:$strides,
                             DenseI64ArrayAttr:$padding);
defvar Kiln_PoolAttrFormat = "`kernel` `=` $kernel `strides` `=` $strides "
                             "`padding` `=` $padding";

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

def Kiln_Conv2DOp : Kiln_InferredOp<"conv2d", [Differentiable]> {
  let summary = "2-D cross-correlation of NCHW input with OIHW weights";
  let description = [{
    `input [N, C, H, W]` and `weight [O, C / groups, KH, KW]` give
    `[N, O, OH, OW]` with `OH = (H + 2 ph - dh (KH - 1) - 1) / sh + 1`
    (rounded down), as torch.nn.functional.conv2d. Bias is a separate
    `kiln.bias_add`.
  }];
  let arguments = !con((ins Kiln_FloatTensor:$input, Kiln_FloatTensor:$weight),
                       Kiln_ConvAttrs);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = !strconcat("$input `,` $weight ", Kiln_ConvAttrFormat,
      " attr-dict `:` type($input) `,` type($weight) `->` type($result)");
}

def Kiln_Conv2DBackwardDataOp
    : Kiln_Op<"conv2d_backward_data", [Pure, Differentiable]> {
  let summary = "gradient of conv2d with respect to its input";
  let description = [{
    Maps `grad [N, O, OH, OW]` back through `weight [O, C / groups, KH, KW]`
    to the input-shaped result `[N, C, H, W]`: the adjoint of `kiln.conv2d`
    with the same weight and attributes. Several `H` give the same `OH` when
    the stride exceeds 1, so the result type is explicit; the verifier checks
    that `conv2d` of it has the shape of `grad`. It is also the forward op of
    a transposed convolution (ConvTranspose2d), whose `output_padding` picks
    the larger sizes.
  }];
  let arguments = !con((ins Kiln_FloatTensor:$grad, Kiln_FloatTensor:$weight),
                       Kiln_ConvAttrs);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = !strconcat("$grad `,` $weight ", Kiln_ConvAttrFormat,
      " attr-dict `:` type($grad) `,` type($weight) `->` type($result)");
  let hasVerifier = 1;
}

def Kiln_Conv2DBackwardWeightsOp
    : Kiln_Op<"conv2d_backward_weights", [Pure, Differentiable]> {
  let summary = "gradient of conv2d with respect to its weight";
  let description = [{
    Correlates `grad [N, O, OH, OW]` with `input [N, C, H, W]` into the
    weight-shaped result `[O, C / groups, KH, KW]`. The kernel size is not
    determined by the operands alone, so the result type is explicit; the
    verifier checks that `conv2d` of the input with it has the shape of
    `grad`.
  }];
  let arguments = !con((ins Kiln_FloatTensor:$grad, Kiln_FloatTensor:$input),
                       Kiln_ConvAttrs);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = !strconcat("$grad `,` $input ", Kiln_ConvAttrFormat,
      " attr-dict `:` type($grad) `,` type($input) `->` type($result)");
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

def Kiln_MaxPool2DOp : Kiln_InferredOp<"max_pool2d", [Differentiable]> {
  let summary = "maximum over 2-D windows of an NCHW tensor";
  let description = [{
    As torch.nn.functional.max_pool2d (no dilation, rounding down): padding
    counts as -infinity, and may be at most half the kernel so that every
    window sees one element of the input.
  }];
  let arguments = !con((ins Kiln_FloatTensor:$input), Kiln_PoolAttrs);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = !strconcat("$input ", Kiln_PoolAttrFormat,
      " attr-dict `:` type($input) `->` type($result)");
}

def Kiln_MaxPool2DGradOp : Kiln_InferredOp<"max_pool2d_grad"> {
  let summary = "gradient of max_pool2d with respect to its input";
  let description = [{
    Adds each element of `grad` to the position of its window's maximum in
    `input` (the first one on ties, as PyTorch); the result has the type of
    `input`.
  }];
  let arguments =
      !con((ins Kiln_FloatTensor:$grad, Kiln_FloatTensor:$input),
           Kiln_PoolAttrs);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = !strconcat("$grad `,` $input ", Kiln_PoolAttrFormat,
      " attr-dict `:` type($grad) `,` type($input)");
}

def Kiln_AvgPool2DOp : Kiln_InferredOp<"avg_pool2d", [Differentiable]> {
  let summary = "mean over 2-D windows of an NCHW tensor";
  let description = [{
    As torch.nn.functional.avg_pool2d with its defaults: padding counts as
    zeros and every window divides by `KH * KW` (count_include_pad).
  }];
  let arguments = !con((ins Kiln_FloatTensor:$input), Kiln_PoolAttrs);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = !strconcat("$input ", Kiln_PoolAttrFormat,
      " attr-dict `:` type($input) `->` type($result)");
}

def Kiln_AvgPool2DGradOp
    : Kiln_Op<"avg_pool2d_grad", [Pure, Differentiable]> {
  let summary = "gradient of avg_pool2d with respect to its input";
  let description = [{
    Spreads each element of `grad` evenly over its window. Like
    `conv2d_backward_data`, the input size is ambiguous, so the result type
    is explicit and verified.
  }];
  let arguments = !con((ins Kiln_FloatTensor:$grad), Kiln_PoolAttrs);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = !strconcat("$grad ", Kiln_PoolAttrFormat,
      " attr-dict `:` type($grad) `->` type($result)");
  let hasVerifier = 1;
}

#endif // KILN_CONV_OPS_TD
