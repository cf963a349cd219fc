//===- ReportGradientNorm.cpp - Return the gradient norm ------------------===//
//
// Adds the global L2 norm of @train_step's gradients, sqrt(sum of every
// gradient element squared), as a result (kiln.output = "grad_norm") for the
// runtime's step log. It runs before kiln-clip-gradients and so measures the
// gradients as computed, like the value clip_grad_norm_ returns; when the
// recipe clips by global norm, CSE shares the sum with the clipping.
//
//===----------------------------------------------------------------------===//
#include "compiler/Training/TensorMath.h"
#include "compiler/Transforms/Passes.h"
#include "dialects/kiln/IR/KilnConventions.h"
#include "dialects/kiln/IR/KilnDialect.h"

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
    func::FuncOp step = lookupEntry(module, "train_step");
    if (!step) {
      module.emitError("no @train_step: run kiln-build-training-step first");
      return signalPassFailure();
    }
    Operation *ret = step.getBody().front().getTerminator();
    OpBuilder b(ret);
    SmallVector<Value> grads;
    for (unsigned i = 0; i < ret->getNumOperands(); ++i)
      if (resultString(step, i, attr::kOutput) == "grad")
        grads.push_back(ret->getOperand(i));
    if (grads.empty())
      return;
    Value total = totalSumOfSquares(b, ret->getLoc(), grads);
    if (!total) {
      step.emitError("the gradient norm needs gradients of one element type");
      return signalPassFailure();
    }
    ret->insertOperands(ret->getNumOperands(),
                        b.create<SqrtOp>(ret->getLoc(), total).getResult());
    SmallVector<DictionaryAttr> resultAttrs;
    step.getAllResultAttrs(resultAttrs);
    resultAttrs.push_back(outputAttrs(b, "grad_norm"));
    step.setFunctionType(
        b.getFunctionType(step.getArgumentTypes(), ret->getOperandTypes()));
    step.setAllResultAttrs(ArrayRef<DictionaryAttr>(resultAttrs));
  }
};
} // namespace
