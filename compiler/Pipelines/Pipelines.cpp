//===- Pipelines.cpp - Kiln's pass pipelines and registration -------------===//
//
// Pipelines are written in MLIR's textual pipeline syntax so that the exact
// sequence a user sees in docs/ir.md can be pasted into kiln-opt.
//
// Release LLVM builds have no assertions: an interface model that is not
// registered crashes instead of reporting an error. Registering everything
// upstream offers keeps every pass in the pipelines safe.
//
//===----------------------------------------------------------------------===//
#include "compiler/Pipelines/Pipelines.h"

#include "compiler/Conversion/Passes.h"
#include "compiler/Target/CPU/CpuTarget.h"
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
    "kiln-build-hessian,kiln-build-predict,kiln-insert-optimizer,canonicalize,"
    "cse";

/// From kiln IR to linalg on tensors, for every target.
constexpr llvm::StringLiteral kToLinalgPipeline =
    "convert-kiln-to-linalg,canonicalize,cse,kiln-fuse-elementwise,"
    "kiln-collapse-elementwise,kiln-distinct-results";

struct LoweringOptions : PassPipelineOptions<LoweringOptions> {
  Option<std::string> target{*this, "target",
                             llvm::cl::desc("the target to generate code for"),
                             llvm::cl::init("cpu")};
  Option<int64_t> channelBlock{
      *this, "channel-block",
      llvm::cl::desc("channels per block of feature maps: 0 for the "
                     "target's choice, 1 for NCHW"),
      llvm::cl::init(0)};
  Option<bool> fuse{*this, "fuse",
                    llvm::cl::desc("fuse ops into the target's kernels"),
                    llvm::cl::init(true)};
};
} // namespace

LogicalResult kiln::buildTrainingPipeline(OpPassManager &pm) {
  return parsePassPipeline(kTrainingPipeline, pm);
}

LogicalResult kiln::buildLoweringPipeline(OpPassManager &pm,
                                          const Target &target,
                                          const CodegenOptions &options) {
  pm.addPass(createAttachManifest());
  pm.addPass(createSelectLibraryCalls({target.name().str()}));
  if (failed(target.buildKilnPipeline(pm, options)) ||
      failed(parsePassPipeline(kToLinalgPipeline, pm)) ||
      failed(target.buildCodegenPipeline(pm)))
    return failure();
  pm.addPass(createEmitEntryPoints());
  return success();
}

void kiln::registerKilnDialects(DialectRegistry &registry) {
  registry.insert<KilnDialect>();
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
}

void kiln::registerKilnTargets() {
  // Each target registers itself and its passes; a new target adds a line.
  registerCpuTarget();
}

void kiln::registerKilnPasses() {
  // Registration is global; callers (tools, the driver, tests) need not know
  // whether another one registered already.
  static bool registered = false;
  if (registered)
    return;
  registered = true;
  registerAllPasses();
  registerKilnTransformsPasses();
  registerKilnConversionPasses();
  registerKilnTargets();
  PassPipelineRegistration<>(
      "kiln-train", "Builds the training step from the forward graph",
      [](OpPassManager &pm) { (void)buildTrainingPipeline(pm); });
  PassPipelineRegistration<LoweringOptions>(
      "kiln-lower-to-llvm", "Lowers kiln IR to the LLVM dialect for a target",
      [](OpPassManager &pm, const LoweringOptions &options) {
        if (const Target *target = lookupTarget(options.target))
          (void)buildLoweringPipeline(pm, *target,
                                      {options.channelBlock, options.fuse});
        else // Fails when it runs, naming the target.
          pm.addPass(createSelectLibraryCalls({options.target}));
      });
}
