//===- KilnOpBase.td - Shared classes of kiln ops ----------*- tablegen -*-===//
//
// The op classes every family of kiln ops (core, convolution, normalization,
// activations, losses, structure) builds on.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_OP_BASE_TD
#define KILN_OP_BASE_TD

include "KilnDialect.td"
include "KilnInterfaces.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// An op that builds its vector-Jacobian product (DifferentiableOpInterface).
def Differentiable : DeclareOpInterfaceMethods<Kiln_DifferentiableOpInterface>;

class Kiln_InferredOp<string mnemonic, list<Trait> traits = []>
    : Kiln_Op<mnemonic, !listconcat(traits, [Pure, InferTypeOpAdaptor])>;

// Ops whose operands and result share one type; ODS infers the result type.
class Kiln_SameTypeOp<string mnemonic, list<Trait> traits = []>
    : Kiln_Op<mnemonic, !listconcat(traits, [Pure, Differentiable,
                                             SameOperandsAndResultType,
                                             InferTypeOpInterface])>;

// Ops that compute each element of the result from the elements at the same
// index of their operands alone, so they run on any layout of a tensor
// (kiln-cpu-assign-layouts keeps them on channel-blocked feature maps).
class Kiln_ElementwiseOp<string mnemonic>
    : Kiln_SameTypeOp<mnemonic, [Elementwise]>;

#endif // KILN_OP_BASE_TD
