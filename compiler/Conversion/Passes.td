//===- Passes.td - Lowering kiln IR to native code ---------*- tablegen -*-===//
//
// The CPU lowering: kiln ops become linalg on tensors, bufferization makes
// them loops over buffers, matrix products go to oneDNN through the runtime,
// and the entry points get the runtime's packed C calling convention.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_CONVERSION_PASSES_TD
#define KILN_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def AttachManifest : Pass<"kiln-attach-manifest", "mlir::ModuleOp"> {
  let summary = "Describes the program's buffers as JSON for the runtime";
  let description = [{
    Serialises the entry points' inputs, parameters with their initialisers,
    optimizer state and the training and data recipes into the module's
    `kiln.manifest` string attribute (format in docs/abi.md). It runs while
    argument attributes still say what each buffer is.
  }];
}

def ConvertKilnToLinalg : Pass<"convert-kiln-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lowers kiln ops to linalg, tensor and arith ops on tensors";
  let description = [{
    Every kiln op but those that run in the runtime (convolutions, pooling,
    f32 batch normalization), which kiln-lower-to-runtime-calls lowers after
    the last CSE.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::tensor::TensorDialect"
  ];
}

def LowerToRuntimeCalls : Pass<"kiln-lower-to-runtime-calls",
                               "mlir::ModuleOp"> {
  let summary = "Turns convolutions, pooling and f32 batch norm into runtime calls";
  let description = [{
    Each op becomes, still on tensors, `bufferization.to_memref` of its
    operands, fresh result buffers and a call of the runtime function
    (compiler/Conversion/RuntimeCalls.h). Runs right before One-Shot
    Bufferize, after the last CSE: CSE would merge identical `to_memref`
    ops of two calls, and a merged one no longer marks the second call's
    read, so bufferization could reuse the buffer in between.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::bufferization::BufferizationDialect",
    "::mlir::func::FuncDialect", "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect"
  ];
}

def FuseElementwise : Pass<"kiln-fuse-elementwise"> {
  let summary = "Fuses elementwise linalg.generic ops, leaving named ops alone";
  let description = [{
    linalg-fuse-elementwise-ops restricted to producers and consumers that
    are linalg.generic or reshapes: named ops such as linalg.matmul keep
    their form, so kiln-matmul-to-runtime still hands them to oneDNN instead
    of a reshape fusion turning them into contraction generics.
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def DistinctResults : Pass<"kiln-distinct-results", "mlir::ModuleOp"> {
  let summary = "Copies entry-point results that would share a buffer";
  let description = [{
    Runs on linalg-on-tensors IR before bufferization: a result of a
    `kiln.entry` function that is returned twice, is an argument, or is not
    computed by a linalg op is copied into a new tensor, so every result gets
    its own output buffer.
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect"
  ];
}

def MatmulToRuntime : Pass<"kiln-matmul-to-runtime", "mlir::ModuleOp"> {
  let summary = "Calls oneDNN through the runtime for f32 matrix products";
  let description = [{
    Runs after bufferization: replaces f32 `linalg.matmul`,
    `linalg.matmul_transpose_a` and `linalg.matmul_transpose_b` on dense
    buffers with calls to `kiln_rt_matmul`. Other element types stay as
    linalg ops and become loops.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::func::FuncDialect",
    "::mlir::LLVM::LLVMDialect", "::mlir::memref::MemRefDialect"
  ];
}

def EmitEntryPoints : Pass<"kiln-emit-entry-points", "mlir::ModuleOp"> {
  let summary = "Adds the runtime's packed entry points and the manifest";
  let description = [{
    Runs on the LLVM dialect. For each function marked `kiln.entry = NAME`
    adds `void kiln_NAME(void **buffers)` that calls it with one pointer per
    buffer, and turns the `kiln.manifest` attribute into the NUL-terminated
    global `kiln_manifest`.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // KILN_CONVERSION_PASSES_TD
