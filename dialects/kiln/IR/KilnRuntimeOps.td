//===- KilnRuntimeOps.td - Calls of runtime kernels --------*- tablegen -*-===//
//
// A target hands some ops to kernels of the runtime (oneDNN convolutions on
// the CPU). It rewrites them, on tensors, into kiln.runtime_call, which the
// dialect checks against the runtime's table of kernels
// (RuntimeFunctions.h); kiln-lower-to-runtime-calls makes the call itself
// after the last CSE.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_OPS_TD
#define KILN_RUNTIME_OPS_TD

include "KilnOpBase.td"

def Kiln_RuntimeCallOp : Kiln_Op<"runtime_call", [Pure]> {
  let summary = "a runtime kernel applied to tensors";
  let description = [{
    `callee` is a kernel of runtime/include/kiln/abi/runtime_calls.def. The
    operands are its input buffers and the results its output buffers, each
    in the table's order, with the table's element types; `scalars` holds
    each of its scalar parameters by name (i64 or f64). The kernel writes
    every output in full and reads nothing else, so the op is pure.

    ```mlir
    %y = kiln.runtime_call "kiln_rt_max_pool2d_forward_f32"(%x)
        {batch = 8 : i64, channels = 4 : i64, ...}
        : (tensor<8x4x6x6xf32>) -> tensor<8x4x3x3xf32>
    ```
  }];
  let arguments = (ins StrAttr:$callee, Variadic<AnyRankedTensor>:$inputs,
                       DictionaryAttr:$scalars);
  let results = (outs Variadic<AnyRankedTensor>:$outputs);
  let assemblyFormat = "$callee `(` $inputs `)` $scalars attr-dict `:` "
                       "functional-type($inputs, $outputs)";
  let hasVerifier = 1;
  let builders = [
    OpBuilder<(ins "::mlir::TypeRange":$outputs, "::kiln::rt::Kernel":$kernel,
                   "::mlir::ValueRange":$inputs,
                   "::mlir::DictionaryAttr":$scalars)>
  ];
  let extraClassDeclaration = [{
    /// The kernel called; the verifier guarantees it exists.
    const ::kiln::rt::RuntimeFunction &getFunction();
  }];
}

#endif // KILN_RUNTIME_OPS_TD
