//===- Pipelines.cpp - Kiln's pass pipelines and registration -------------===//
//
// Pipelines are written in MLIR's textual pipeline syntax so that the exact
// sequence a user sees in docs/ir.md can be pasted into kiln-opt.
//
// Math functions without an LLVM instruction (erf, tanh, log1p, expm1)
// become libm calls: binaries link -lm, and the JIT of the tests finds them
// in its own process.
//
// Release LLVM builds have no assertions: an interface model that is not
// registered crashes instead of reporting an error. Registering everything
// upstream offers keeps every pass in the pipelines safe.
//
//===----------------------------------------------------------------------===//
#include "compiler/Pipelines/Pipelines.h"

#include "compiler/Conversion/Passes.h"
#include "compiler/Transforms/Passes.h"
#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

using namespace mlir;

namespace {
constexpr llvm::StringLiteral kTrainingPipeline =
    "kiln-build-training-step,kiln-report-grad-norm,kiln-clip-gradients,"
    "kiln-build-hessian,kiln-insert-optimizer,canonicalize,cse";

constexpr llvm::StringLiteral kCpuLoweringPipeline =
    "kiln-attach-manifest,convert-kiln-to-linalg,canonicalize,cse,"
    "kiln-fuse-elementwise,kiln-distinct-results,kiln-lower-to-runtime-calls,"
    "one-shot-bufferize{bufferize-function-boundaries=1 "
    "function-boundary-type-conversion=identity-layout-map},"
    "buffer-results-to-out-params{hoist-static-allocs=1},"
    "buffer-deallocation-pipeline,kiln-matmul-to-runtime,"
    "convert-linalg-to-loops,lower-affine,convert-scf-to-cf,"
    "convert-math-to-libm,convert-math-to-llvm,expand-strided-metadata,"
    "finalize-memref-to-llvm,convert-arith-to-llvm,convert-index-to-llvm,"
    "convert-cf-to-llvm,convert-func-to-llvm{use-bare-ptr-memref-call-conv=1},"
    "reconcile-unrealized-casts,kiln-emit-entry-points";
} // namespace

LogicalResult kiln::buildTrainingPipeline(OpPassManager &pm) {
  return parsePassPipeline(kTrainingPipeline, pm);
}

LogicalResult kiln::buildCpuLoweringPipeline(OpPassManager &pm) {
  return parsePassPipeline(kCpuLoweringPipeline, pm);
}

void kiln::registerKilnDialects(DialectRegistry &registry) {
  registry.insert<KilnDialect>();
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
}

void kiln::registerKilnPasses() {
  // Registration is global; callers (tools, the driver, tests) need not know
  // whether another one registered already.
  static bool registered = false;
  if (registered)
    return;
  registered = true;
  registerAllPasses();
  registerBuildTrainingStep();
  registerReportGradientNorm();
  registerClipGradients();
  registerBuildHessian();
  registerInsertOptimizer();
  registerAttachManifest();
  registerConvertKilnToLinalg();
  registerFuseElementwise();
  registerLowerToRuntimeCalls();
  registerDistinctResults();
  registerMatmulToRuntime();
  registerEmitEntryPoints();
  PassPipelineRegistration<>(
      "kiln-train", "Builds the training step from the forward graph",
      [](OpPassManager &pm) { (void)buildTrainingPipeline(pm); });
  PassPipelineRegistration<>(
      "kiln-lower-to-llvm", "Lowers kiln IR to the LLVM dialect for the CPU",
      [](OpPassManager &pm) { (void)buildCpuLoweringPipeline(pm); });
}
