//===- KilnRandomOps.td - Ops with random behaviour --------*- tablegen -*-===//
//
// Randomness comes from a counter-based generator: each element's random
// number is a hash of (seed, stream, element index). Nothing is stored
// between forward and backward passes, runs are reproducible, and the
// backward pass regenerates exactly the forward pass's mask.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RANDOM_OPS_TD
#define KILN_RANDOM_OPS_TD

include "KilnOpBase.td"

def Kiln_DropoutOp : Kiln_Op<"dropout", [Pure, Differentiable,
    DeclareOpInterfaceMethods<Kiln_TrainingModeOpInterface>,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "inverted dropout";
  let description = [{
    In the training form each element is kept with probability `1 - rate`
    and scaled by `1 / (1 - rate)`, else zeroed (inverted dropout, as
    torch.nn.Dropout); in the inference form the op is the identity. The
    mask depends on `seed` (one value per training step), `stream` (distinct
    per dropout op) and the element's index only.
  }];
  let arguments = (ins Kiln_FloatTensor:$input, Kiln_SeedTensor:$seed,
                       F64Attr:$rate, I64Attr:$stream, UnitAttr:$training);
  let results = (outs Kiln_FloatTensor:$result);
  let assemblyFormat = "$input `,` $seed attr-dict `:` type($input)";
  let hasVerifier = 1;
}

#endif // KILN_RANDOM_OPS_TD
