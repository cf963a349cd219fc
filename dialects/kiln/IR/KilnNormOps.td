//===- KilnNormOps.td - Normalization ops ------------------*- tablegen -*-===//
//
// Batch normalization over the channel dimension (dimension 1) has an
// inference form (running statistics) and a training form (batch
// statistics, and new running statistics as extra results). Layer, group and
// instance normalization share `normalize`; local response normalization and
// weight normalization's `rsqrt` complete the family. Each differentiable op
// has a gradient op (no VJP itself: only second-order methods would need it)
// except rsqrt, whose VJP is a short composition.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_NORM_OPS_TD
#define KILN_NORM_OPS_TD

include "KilnOpBase.td"

def TrainingMode : DeclareOpInterfaceMethods<Kiln_TrainingModeOpInterface,
                                             ["getStateUpdates"]>;

def Kiln_BatchNormOp : Kiln_InferredOp<"batch_norm",
    [Differentiable, TrainingMode,
     AllTypesMatch<["weight", "bias", "running_mean", "running_var"]>]> {
  let summary = "batch normalization over every dimension but channels";
  let description = [{
    `y = (x - mean) / sqrt(var + epsilon) * weight + bias` per channel
    (dimension 1), as torch.nn.BatchNorm1d/2d. In the inference form `mean`
    and `var` are the running statistics and the new statistics equal them.
    In the training form (`training`) they are the batch's mean and biased
    variance, and the new running statistics are
    `(1 - momentum) * running + momentum * batch`, using the unbiased
    variance `var * n / (n - 1)` as PyTorch does.
  }];
  let arguments = (ins Kiln_FloatTensor:$input, Kiln_FloatTensor:$weight,
                       Kiln_FloatTensor:$bias, Kiln_FloatTensor:$running_mean,
                       Kiln_FloatTensor:$running_var, F64Attr:$epsilon,
                       F64Attr:$momentum, UnitAttr:$training);
  let results = (outs Kiln_FloatTensor:$result,
                      Kiln_FloatTensor:$new_running_mean,
                      Kiln_FloatTensor:$new_running_var);
  let assemblyFormat = [{
    $input `,` $weight `,` $bias `,` $running_mean `,` $running_var attr-dict
    `:` type($input) `,` type($weight)
  }];
}

def Kiln_BatchNormGradOp : Kiln_InferredOp<"batch_norm_grad",
    [AllTypesMatch<["grad", "input"]>]> {
  let summary = "gradients of training-form batch normalization";
  let description = [{
    For `grad` of the output, returns the gradients of the input, weight and
    bias, with the batch statistics recomputed from `input`:
    `dx = weight * invstd / n * (n * g - sum(g) - xhat * sum(g * xhat))`,
    `dweight = sum(g * xhat)`, `dbias = sum(g)`.
  }];
  let arguments = (ins Kiln_FloatTensor:$grad, Kiln_FloatTensor:$input,
                       Kiln_FloatTensor:$weight, F64Attr:$epsilon);
  let results = (outs Kiln_FloatTensor:$input_grad,
                      Kiln_FloatTensor:$weight_grad,
                      Kiln_FloatTensor:$bias_grad);
  let assemblyFormat = [{
    $grad `,` $input `,` $weight attr-dict `:` type($input) `,` type($weight)
  }];
}

// Layer, group and instance normalization are `normalize` over trailing
// dimensions (group normalization through a reshape) followed by an affine
// map written with broadcast, mul and add, which fuse into one loop.
def Kiln_NormalizeOp : Kiln_SameTypeOp<"normalize"> {
  let summary = "standardizes over the dimensions from `axis` on";
  let description = [{
    `y = (x - mean) / sqrt(var + epsilon)` with the mean and biased variance
    of `x` over dimensions `axis` to the last, separately for each index of
    the dimensions before `axis` (torch.nn.functional.layer_norm without
    weight and bias, over `x.shape[axis:]`).
  }];
  let arguments = (ins Kiln_FloatTensor:$input, I64Attr:$axis,
                       DefaultValuedAttr<F64Attr, "1e-5">:$epsilon);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input `axis` `=` $axis attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Kiln_NormalizeGradOp : Kiln_Op<"normalize_grad",
    [Pure, SameOperandsAndResultType, InferTypeOpInterface]> {
  let summary = "gradient of `normalize` with respect to its input";
  let description = [{
    With the statistics recomputed from `input`, `n` elements per statistic
    and `xhat` the normalized input:
    `dx = invstd / n * (n * g - sum(g) - xhat * sum(g * xhat))`.
  }];
  let arguments = (ins Kiln_FloatTensor:$grad, Kiln_FloatTensor:$input,
                       I64Attr:$axis,
                       DefaultValuedAttr<F64Attr, "1e-5">:$epsilon);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$grad `,` $input `axis` `=` $axis attr-dict `:` "
                       "type($input)";
  let hasVerifier = 1;
}

def Kiln_LocalResponseNormOp : Kiln_SameTypeOp<"local_response_norm"> {
  let summary = "divides by the power of a window sum of squares across "
                "channels";
  let description = [{
    torch.nn.LocalResponseNorm on `[N, C, ...]`:
    `y_c = x_c / (k + alpha / size * sum_{c'} x_{c'}^2)^beta` over the
    channels `c'` in `[c - size / 2, c + (size - 1) / 2]`, zero outside
    `[0, C)`.
  }];
  let arguments = (ins Kiln_FloatTensor:$input, I64Attr:$size,
                       DefaultValuedAttr<F64Attr, "1e-4">:$alpha,
                       DefaultValuedAttr<F64Attr, "0.75">:$beta,
                       DefaultValuedAttr<F64Attr, "1.0">:$k);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input `size` `=` $size attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Kiln_LocalResponseNormGradOp : Kiln_Op<"local_response_norm_grad",
    [Pure, SameOperandsAndResultType, InferTypeOpInterface]> {
  let summary = "gradient of `local_response_norm` with respect to its input";
  let description = [{
    With `s_c = k + alpha / size * sum_{c'} x_{c'}^2` (the forward window):
    `dx_j = g_j s_j^-beta - 2 alpha beta / size * x_j *
    sum_c g_c x_c s_c^(-beta - 1)`, the last sum over the channels `c` whose
    window holds `j`: `[j - (size - 1) / 2, j + size / 2]`.
  }];
  let arguments = (ins Kiln_FloatTensor:$grad, Kiln_FloatTensor:$input,
                       I64Attr:$size,
                       DefaultValuedAttr<F64Attr, "1e-4">:$alpha,
                       DefaultValuedAttr<F64Attr, "0.75">:$beta,
                       DefaultValuedAttr<F64Attr, "1.0">:$k);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$grad `,` $input `size` `=` $size attr-dict `:` "
                       "type($input)";
  let hasVerifier = 1;
}

// Weight normalization is built from existing ops around this one:
// w = g * v * rsqrt(sum(v * v)).
def Kiln_RsqrtOp : Kiln_SameTypeOp<"rsqrt"> {
  let summary = "1 / sqrt(x), elementwise";
  let arguments = (ins Kiln_FloatTensor:$input);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

#endif // KILN_NORM_OPS_TD
