//===- KilnDialect.td - The kiln graph dialect -------------*- tablegen -*-===//
//
// The kiln dialect is Kiln's graph IR: whole-tensor operations on ranked,
// statically shaped tensors, close to the layers a user writes. Training
// passes (autodiff, optimizer insertion) work at this level so that
// `kiln-opt --mlir-print-ir-after-all` shows each step in readable form.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_DIALECT_TD
#define KILN_DIALECT_TD

include "mlir/IR/OpBase.td"

def Kiln_Dialect : Dialect {
  let name = "kiln";
  let cppNamespace = "::kiln";
  let summary = "Kiln's graph IR for training and inference";
  let dependentDialects = ["::mlir::arith::ArithDialect"];
  let useDefaultAttributePrinterParser = 1;
  // The kiln.* attributes of modules, functions, arguments and results
  // (KilnAttrs.td) are checked wherever they appear.
  let hasOperationAttrVerify = 1;
  let hasRegionArgAttrVerify = 1;
  let hasRegionResultAttrVerify = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
  }];
}

class Kiln_Op<string mnemonic, list<Trait> traits = []>
    : Op<Kiln_Dialect, mnemonic, traits>;

// Floating-point tensors carry activations, parameters and gradients; f64 is
// accepted everywhere so gradient checks can be tight.
def Kiln_FloatTensor : RankedTensorOf<[F32, F64]>;
def Kiln_IndexTensor : RankedTensorOf<[I32]>;
// The per-step seed of random ops such as dropout.
def Kiln_SeedTensor : 0DTensorOf<[I64]>, BuildableType<
    "::mlir::RankedTensorType::get({}, $_builder.getIntegerType(64))">;

#endif // KILN_DIALECT_TD
