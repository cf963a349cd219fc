//===- CpuTarget.cpp - The host CPU with oneDNN ---------------------------===//
//
// Kiln's first target: code for the machine that compiles, with matrix
// products, convolutions, pooling and f32 batch normalization in the
// runtime's oneDNN kernels, everything else as loops that LLVM vectorizes
// (the large ones on all cores, through LLVM's OpenMP runtime), linked with
// the runtime libraries into a standalone binary.
//
// Math functions without an LLVM instruction (erf, tanh, log1p, expm1)
// become libm calls: binaries link -lm, and the JIT of the tests finds them
// in its own process.
//
//===----------------------------------------------------------------------===//
#include "compiler/Target/CPU/CpuTarget.h"

#include "compiler/Target/CPU/HostObjectEmitter.h"
#include "compiler/Target/CPU/LibraryCalls.h"
#include "compiler/Target/CPU/Passes.h"

#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/Program.h"

using namespace mlir;
using namespace kiln;

namespace {
/// Linalg on tensors to the LLVM dialect: runtime calls after the last CSE,
/// One-Shot Bufferize with results as out-parameters (the packed entry
/// points' convention), oneDNN for f32 matrix products, loops for the rest,
/// the large ones OpenMP worksharing loops (kiln-cpu-parallelize-loops).
/// convert-scf-to-openmp wraps each loop body in an alloca scope, a stack
/// save and restore per iteration that stops vectorization; canonicalize
/// inlines the scopes that hold no allocas, which the generated loops do
/// not make (tests/lit/Target/CPU/parallel-loops-to-openmp.mlir).
constexpr llvm::StringLiteral kCodegenPipeline =
    "kiln-lower-to-runtime-calls,"
    "one-shot-bufferize{bufferize-function-boundaries=1 "
    "function-boundary-type-conversion=identity-layout-map},"
    "buffer-results-to-out-params{hoist-static-allocs=1},"
    "buffer-deallocation-pipeline,kiln-cpu-matmul-to-runtime,"
    "convert-linalg-to-parallel-loops,kiln-cpu-parallelize-loops,"
    "convert-scf-to-openmp,canonicalize,lower-affine,convert-scf-to-cf,"
    "convert-math-to-libm,convert-math-to-llvm,expand-strided-metadata,"
    "finalize-memref-to-llvm,convert-arith-to-llvm,convert-index-to-llvm,"
    "convert-cf-to-llvm,convert-func-to-llvm{use-bare-ptr-memref-call-conv=1},"
    "convert-openmp-to-llvm,reconcile-unrealized-casts";

LogicalResult error(const Twine &message) {
  llvm::errs() << "kilnc: error: " << message << "\n";
  return failure();
}

class CpuTarget final : public Target {
public:
  StringRef name() const override { return "cpu"; }
  StringRef description() const override {
    return "this machine's CPU, with the runtime's oneDNN kernels";
  }

  void populateLibraryCallPatterns(RewritePatternSet &patterns) const override {
    cpu::populateConvLibraryCalls(patterns);
    cpu::populateBatchNormLibraryCalls(patterns);
  }

  LogicalResult
  buildKilnPipeline(OpPassManager &pm,
                    const CodegenOptions &options) const override {
    pm.addPass(cpu::createAssignLayouts({options.channelBlock}));
    if (options.fuse)
      pm.addPass(cpu::createFuseBatchNormRelu());
    return success();
  }

  LogicalResult buildCodegenPipeline(OpPassManager &pm) const override {
    return parsePassPipeline(kCodegenPipeline, pm);
  }

  LogicalResult emit(ModuleOp module, EmitKind kind,
                     llvm::raw_pwrite_stream &os) const override {
    return cpu::emitForHost(module, kind, os);
  }

  /// generated.o + the runtime archives built beside kilnc, in dependency
  /// order, and the runtime's system libraries (runtime/CMakeLists.txt).
  LogicalResult link(StringRef object, StringRef output) const override {
    llvm::ErrorOr<std::string> cxx = llvm::sys::findProgramByName("c++");
    if (!cxx)
      return error("cannot find `c++` to link the binary (install g++)");
    SmallVector<StringRef> args{*cxx, "-o", output, object, KILN_RT_MAIN,
                                KILN_RT_TRAIN, KILN_RT_PROGRAM, KILN_RT_DATA,
                                KILN_RT_KERNELS,
                                // Ahead of oneDNN: it serves oneDNN's GOMP_*
                                // calls too (runtime/CMakeLists.txt).
                                KILN_OPENMP_LIBRARY, "-ldnnl", "-lz",
                                "-llapack", // Newton's method (full_batch.cpp)
                                "-lm"};
    std::string message;
    int status =
        llvm::sys::ExecuteAndWait(*cxx, args, std::nullopt, {}, 0, 0, &message);
    if (status != 0)
      return error("linking " + output + " failed" +
                   (message.empty() ? "" : ": " + message));
    return success();
  }
};
} // namespace

void kiln::registerCpuTarget() {
  static const CpuTarget target;
  registerTarget(target);
  cpu::registerKilnCpuPasses();
}
