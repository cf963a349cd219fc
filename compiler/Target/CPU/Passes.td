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

def FuseBatchNormRelu : Pass<"kiln-cpu-fuse-batch-norm-relu",
                              "mlir::ModuleOp"> {
  let summary = "Runs ReLU and its gradient inside oneDNN's batch normalization";
  let description = [{
    Runs on kiln IR after kiln-cpu-assign-layouts: a kiln.relu of an f32
    batch-normalization forward call on channel-blocked maps becomes the
    call's `relu` scalar, or, with the ReLU's gradient feeding the matching
    backward call, kiln_rt_batch_norm_relu_forward_f32, which returns the
    ReLU's mask that kiln_rt_batch_norm_relu_backward_f32 then applies, when
    nothing else reads the normalized map.
  }];
}

def AssignLayouts : Pass<"kiln-cpu-assign-layouts", "mlir::ModuleOp"> {
  let summary = "Keeps feature maps between oneDNN kernels channel-blocked";
  let description = [{
    Runs on kiln IR after kiln-select-library-calls: f32 runtime calls of
    convolution, batch normalization and pooling take feature maps whose
    channels are a multiple of `block` in oneDNN's nChw{block}c layout,
    elementwise ops between them run on the blocked maps, and
    kiln.block_channels / kiln.unblock_channels remain only where a plain
    layout is needed.
  }];
  let options = [
    Option<"block", "block", "int64_t", /*default=*/"0",
           "channels per block: 0 for this machine's vector width (16 with "
           "AVX-512, else 8), 1 to keep NCHW">
  ];
}

def ParallelizeLoops : Pass<"kiln-cpu-parallelize-loops", "mlir::ModuleOp"> {
  let summary = "Keeps the large parallel loops parallel, serializes the rest";
  let description = [{
    Runs after convert-linalg-to-parallel-loops and before
    convert-scf-to-openmp: an outermost `scf.parallel` whose loop nest runs
    at least `min-iterations` innermost iterations stays parallel, so it
    becomes an OpenMP worksharing loop over all cores; nested and small
    `scf.parallel` loops become `scf.for` nests, since starting the thread
    team costs more than they take.
  }];
  let options = [
    Option<"minIterations", "min-iterations", "int64_t",
           /*default=*/"32768",
           "innermost iterations a loop nest needs to run in parallel">
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
}

#endif // KILN_TARGET_CPU_PASSES_TD
