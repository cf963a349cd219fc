//===- BuildTrainingStep.cpp - Derive the backward graph ------------------===//
//
// Clones the model's evaluation function into @train_step and appends the
// backward graph built by reverse-mode autodiff. The forward function stays:
// it is what evaluation and inference call. @train_step returns the loss and
// one gradient per parameter, in parameter order; the optimizer pass then
// turns gradients into updates.
//
//===----------------------------------------------------------------------===//
#include "compiler/Transforms/Autodiff.h"
#include "compiler/Transforms/Passes.h"
#include "dialects/kiln/IR/KilnConventions.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"

namespace kiln {
#define GEN_PASS_DEF_BUILDTRAININGSTEP
#include "compiler/Transforms/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;

namespace {
struct BuildTrainingStepPass
    : kiln::impl::BuildTrainingStepBase<BuildTrainingStepPass> {
  void runOnOperation() override {
    if (failed(buildStep(getOperation())))
      signalPassFailure();
  }

  LogicalResult buildStep(ModuleOp module) {
    func::FuncOp eval = lookupEntry(module, "eval");
    if (!eval)
      return module.emitError("no function is marked kiln.entry = \"eval\"");
    std::optional<unsigned> lossIndex;
    for (unsigned i = 0; i < eval.getNumResults(); ++i)
      if (resultString(eval, i, attr::kOutput) == "loss")
        lossIndex = i;
    if (!lossIndex)
      return eval.emitError("the model function returns no loss");

    func::FuncOp step = eval.clone();
    step.setSymName("train_step");
    step->setAttr(attr::kEntry, StringAttr::get(&getContext(), "train_step"));
    SymbolTable(module).insert(step);

    SmallVector<Value> params;
    SmallVector<Attribute> resultAttrs;
    Builder attrs(&getContext());
    resultAttrs.push_back(attrs.getDictionaryAttr(
        {attrs.getNamedAttr(attr::kOutput, attrs.getStringAttr("loss"))}));
    for (BlockArgument arg : step.getArguments()) {
      if (argString(step, arg.getArgNumber(), attr::kRole) != "param")
        continue;
      params.push_back(arg);
      resultAttrs.push_back(attrs.getDictionaryAttr(
          {attrs.getNamedAttr(attr::kOutput, attrs.getStringAttr("grad")),
           attrs.getNamedAttr(attr::kName, step.getArgAttr(arg.getArgNumber(),
                                                           attr::kName))}));
    }

    Operation *oldReturn = step.getBody().front().getTerminator();
    OpBuilder builder(oldReturn);
    Value loss = oldReturn->getOperand(*lossIndex);
    SmallVector<Value> results{loss};
    if (failed(buildGradients(builder, loss, params, results)))
      return failure();
    builder.create<func::ReturnOp>(oldReturn->getLoc(), results);
    oldReturn->erase();

    step.setFunctionType(builder.getFunctionType(
        step.getArgumentTypes(), ValueRange(results).getTypes()));
    step.setAllResultAttrs(resultAttrs);
    // The forward outputs only evaluation needs (logits, per-sample losses)
    // and gradients of inputs are dead now.
    IRRewriter rewriter(&getContext());
    (void)runRegionDCE(rewriter, step.getBody());
    return success();
  }
};
} // namespace
