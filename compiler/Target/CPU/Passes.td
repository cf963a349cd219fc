//===- Passes.td - Passes of the CPU target ----------------*- tablegen -*-===//
#ifndef KILN_TARGET_CPU_PASSES_TD
#define KILN_TARGET_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def MatmulToRuntime : Pass<"kiln-cpu-matmul-to-runtime", "mlir::ModuleOp"> {
  let summary = "Calls oneDNN through the runtime for f32 matrix products";
  let description = [{
    Runs after bufferization: replaces f32 `linalg.matmul`,
    `linalg.matmul_transpose_a` and `linalg.matmul_transpose_b` on dense
    buffers with calls to `kiln_rt_matmul_f32`. Other element types stay as
    linalg ops and become loops.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::func::FuncDialect",
    "::mlir::LLVM::LLVMDialect", "::mlir::memref::MemRefDialect"
  ];
}

#endif // KILN_TARGET_CPU_PASSES_TD
