//===- ReportGradientNorm.cpp - Return the gradient norm ------------------===//
//
// Adds the global L2 norm of @train_step's gradients, sqrt(sum of every
// gradient element squared), as a result (kiln.role = grad_norm) for the
// runtime's step log. It runs before kiln-clip-gradients and so measures the
// gradients as computed, like the value clip_grad_norm_ returns; when the
// recipe clips by global norm, CSE shares the sum with the clipping.
//
//===----------------------------------------------------------------------===//
#include "compiler/Training/TensorMath.h"
#include "compiler/Transforms/EntryPoints.h"
#include "compiler/Transforms/Passes.h"

namespace kiln {
#define GEN_PASS_DEF_REPORTGRADIENTNORM
#include "compiler/Transforms/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;

namespace {
struct ReportGradientNormPass
    : kiln::impl::ReportGradientNormBase<ReportGradientNormPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    func::FuncOp step = lookupEntry(module, rt::Entry::TrainStep);
    if (!step) {
      module.emitError("no @train_step: run kiln-build-training-step first");
      return signalPassFailure();
    }
    SmallVector<EntryResult> results = entryResults(step);
    SmallVector<Value> grads;
    for (unsigned i : resultsWithRole(step, rt::Role::Grad))
      grads.push_back(results[i].value);
    if (grads.empty())
      return;
    Location loc = step.getBody().front().getTerminator()->getLoc();
    OpBuilder b(step.getBody().front().getTerminator());
    Value total = totalSumOfSquares(b, loc, grads);
    if (!total) {
      step.emitError("the gradient norm needs gradients of one element type");
      return signalPassFailure();
    }
    results.push_back({b.create<SqrtOp>(loc, total),
                       roleAttrs(&getContext(), rt::Role::GradNorm)});
    setEntryResults(step, results);
  }
};
} // namespace
