//===- KilnLossOps.td - Per-element loss functions ---------*- tablegen -*-===//
//
// Loss ops return one loss per sample (or per position, for per-pixel
// classification); reductions over the batch are separate kiln ops, so
// evaluation can read per-sample losses and the frontend chooses the
// reduction. Class labels are i32 indices into dimension 1 of the scores,
// whose other dimensions the labels repeat: [N] for [N, C], [N, H, W] for
// [N, C, H, W], as torch.nn.CrossEntropyLoss and NLLLoss.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_LOSS_OPS_TD
#define KILN_LOSS_OPS_TD

include "KilnOpBase.td"

def Kiln_SoftmaxCrossEntropyOp
    : Kiln_InferredOp<"softmax_cross_entropy", [Differentiable]> {
  let summary = "cross-entropy of softmax(logits) over dimension 1 and labels";
  let description = [{
    For logits `[N, C, ...]` and class indices `[N, ...]`, returns per
    position `(1 - eps) * (lse - x[label]) + eps * mean_c(lse - x[c])`, where
    `lse` is the logsumexp over the classes and `eps` the label smoothing,
    as torch.nn.CrossEntropyLoss(label_smoothing = eps).
  }];
  let arguments = (ins Kiln_FloatTensor:$logits, Kiln_IndexTensor:$labels,
                       DefaultValuedAttr<F64Attr, "0.0">:$label_smoothing);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$logits `,` $labels attr-dict `:` type($logits) `,` "
                       "type($labels) `->` type($result)";
  let hasVerifier = 1;
}

def Kiln_SoftmaxCrossEntropyGradOp
    : Kiln_InferredOp<"softmax_cross_entropy_grad", [Differentiable]> {
  let summary = "gradient of softmax_cross_entropy with respect to logits";
  let description = [{
    `result[n, c, ...] = grad[n, ...] * (softmax(logits)[n, c, ...] - q)`
    with `q = (1 - eps) * (c == labels[n, ...]) + eps / C`. Differentiable,
    so that second-order methods (Newton) can differentiate a cross-entropy
    gradient again.
  }];
  let arguments = (ins Kiln_FloatTensor:$grad, Kiln_FloatTensor:$logits,
                       Kiln_IndexTensor:$labels,
                       DefaultValuedAttr<F64Attr, "0.0">:$label_smoothing);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$grad `,` $logits `,` $labels attr-dict `:` "
                       "type($grad) `,` type($logits) `,` type($labels)";
  let hasVerifier = 1;
}

def Kiln_BceWithLogitsOp : Kiln_SameTypeOp<"bce_with_logits"> {
  let summary = "binary cross-entropy of sigmoid(logits) and targets";
  let description = [{
    Per element `max(x, 0) - x * t + log(1 + exp(-|x|))`, the stable form of
    `-(t log sigmoid(x) + (1 - t) log(1 - sigmoid(x)))`, as
    torch.nn.BCEWithLogitsLoss. Targets are probabilities in [0, 1].
  }];
  let arguments = (ins Kiln_FloatTensor:$logits, Kiln_FloatTensor:$targets);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$logits `,` $targets attr-dict `:` type($logits)";
}

def Kiln_NllOp : Kiln_InferredOp<"nll", [Differentiable]> {
  let summary = "negative log-likelihood: -log_probs[n, label, ...]";
  let description = [{
    For log-probabilities `[N, C, ...]` and class indices `[N, ...]`,
    returns `-log_probs[n, labels[n, ...], ...]` per position, as
    torch.nn.NLLLoss.
  }];
  let arguments = (ins Kiln_FloatTensor:$log_probs, Kiln_IndexTensor:$labels);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$log_probs `,` $labels attr-dict `:` "
                       "type($log_probs) `,` type($labels) `->` type($result)";
}

def Kiln_NllGradOp : Kiln_Op<"nll_grad", [Pure, Differentiable]> {
  let summary = "scatters -grad to the labelled class, zero elsewhere";
  let description = [{
    `result[n, c, ...] = -grad[n, ...] * (c == labels[n, ...])`: the VJP of
    `kiln.nll`. It is linear in `grad` and its own VJP is `kiln.nll`. The
    result type names the number of classes.
  }];
  let arguments = (ins Kiln_FloatTensor:$grad, Kiln_IndexTensor:$labels);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$grad `,` $labels attr-dict `:` type($grad) `,` "
                       "type($labels) `->` type($result)";
  let hasVerifier = 1;
}

#endif // KILN_LOSS_OPS_TD
