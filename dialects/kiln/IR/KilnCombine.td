//===- KilnCombine.td - Canonicalization patterns ----------*- tablegen -*-===//
//
// Rewrites that canonicalize runs on kiln IR, in the style of the Toy
// tutorial's ToyCombine.td. Each one is exact: it moves no arithmetic, so
// it changes no number that a compiled program computes. The folders of
// identities (a reshape to the same type, a scale by 1, ...) are in
// KilnCombine.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMBINE_TD
#define KILN_COMBINE_TD

include "mlir/IR/PatternBase.td"
include "KilnOps.td"

// reshape(reshape(x)) = reshape(x): a reshape keeps the row-major order, so
// only the last shape matters.
def ReshapeOfReshape : Pat<(Kiln_ReshapeOp (Kiln_ReshapeOp $x)),
                           (Kiln_ReshapeOp $x)>;

// transpose(transpose(x, inner), outer) = transpose(x, inner o outer):
// result dimension i is x's dimension inner[outer[i]].
def ComposePermutations : NativeCodeCall<
    "::kiln::composePermutations($_builder, $0, $1)">;
def TransposeOfTranspose
    : Pat<(Kiln_TransposeOp (Kiln_TransposeOp $x, $inner), $outer),
          (Kiln_TransposeOp $x, (ComposePermutations $inner, $outer))>;

#endif // KILN_COMBINE_TD
