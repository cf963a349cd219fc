//===- SelectLibraryCalls.cpp - The target's kernels as kiln.runtime_call -===//
//
// Which kiln ops run as kernels of the runtime is the target's decision
// (Target::populateLibraryCallPatterns): this pass only looks the target up
// and applies its patterns, so a new target changes no shared pass.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/Passes.h"
#include "compiler/Target/Target.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_SELECTLIBRARYCALLS
#include "compiler/Conversion/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;

namespace {
struct SelectLibraryCallsPass
    : kiln::impl::SelectLibraryCallsBase<SelectLibraryCallsPass> {
  using SelectLibraryCallsBase::SelectLibraryCallsBase;

  void runOnOperation() override {
    const Target *target = lookupTarget(targetName);
    if (!target) {
      getOperation().emitError() << "unknown target `" << targetName << "`";
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    target->populateLibraryCallPatterns(patterns);
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
