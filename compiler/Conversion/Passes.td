//===- Passes.td - Lowering kiln IR to native code ---------*- tablegen -*-===//
//
// The lowering every target shares: the manifest, library calls chosen by
// the target, kiln ops to linalg on tensors, runtime calls on buffers, and
// the runtime's packed C calling convention for the entry points. What lies
// between linalg and the LLVM dialect is the target's (compiler/Target).
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
    Every kiln op; `kiln.runtime_call`s, which kiln-select-library-calls
    made of the ops the target's runtime runs, stay for
    kiln-lower-to-runtime-calls.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::tensor::TensorDialect"
  ];
}

def SelectLibraryCalls : Pass<"kiln-select-library-calls", "mlir::ModuleOp"> {
  let summary = "Hands the ops a target's runtime runs to kiln.runtime_call";
  let description = [{
    Applies the target's library-call patterns (compiler/Target/Target.h)
    to kiln IR: on the CPU, convolutions, pooling and f32 batch
    normalization become `kiln.runtime_call`s of oneDNN kernels. Runs before
    convert-kiln-to-linalg, which lowers every other kiln op.
  }];
  let options = [
    Option<"targetName", "target", "std::string", /*default=*/"\"cpu\"",
           "the target whose kernels to call (kilnc --help lists them)">
  ];
  let dependentDialects = ["::kiln::KilnDialect"];
}

def LowerToRuntimeCalls : Pass<"kiln-lower-to-runtime-calls",
                               "mlir::ModuleOp"> {
  let summary = "Turns kiln.runtime_call into calls of the kernels on buffers";
  let description = [{
    Each `kiln.runtime_call` becomes, still on tensors,
    `bufferization.to_memref` of its inputs, fresh output buffers and a call
    of the kernel with the scalars in the order of runtime_calls.def
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

def CollapseElementwise : Pass<"kiln-collapse-elementwise"> {
  let summary = "Runs elementwise linalg.generic ops as one loop over all "
                "elements";
  let description = [{
    Collapses every dimension of a linalg.generic whose loops are all
    parallel, the innermost shorter than 64, and whose indexing maps are
    identities (or 0-d scalars) into one, through tensor.collapse_shape and
    tensor.expand_shape: one long loop that LLVM vectorizes, where nested
    loops with a short innermost trip count (a feature map's width, a block
    of channels) were unrolled into scalar code.
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect"
  ];
}

def FuseElementwise : Pass<"kiln-fuse-elementwise"> {
  let summary = "Fuses elementwise linalg.generic ops, leaving named ops alone";
  let description = [{
    linalg-fuse-elementwise-ops restricted to producers and consumers that
    are linalg.generic or reshapes: named ops such as linalg.matmul keep
    their form, so kiln-cpu-matmul-to-runtime still hands them to oneDNN instead
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

def EmitEntryPoints : Pass<"kiln-emit-entry-points", "mlir::ModuleOp"> {
  let summary = "Adds the runtime's packed entry points and the manifest";
  let description = [{
    Runs on the LLVM dialect. For each function marked
    `kiln.entry = #kiln.entry<NAME>` adds `void kiln_NAME(void **buffers)`
    that calls it with one pointer per buffer, the table
    `kiln_entry_points` of those wrappers in the order of program.def, and
    turns the `kiln.manifest` attribute into the NUL-terminated global
    `kiln_manifest` (runtime/include/kiln/abi.h).
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // KILN_CONVERSION_PASSES_TD
