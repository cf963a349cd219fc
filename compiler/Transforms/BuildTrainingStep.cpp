//===- BuildTrainingStep.cpp - Derive the backward graph ------------------===//
//
// Clones the model's evaluation function into @train_step, switches its ops
// to their training form (batch statistics, dropout masks) and appends the
// backward graph built by reverse-mode autodiff. The forward function stays:
// it is what evaluation and inference call. @train_step returns the loss,
// one gradient per parameter in parameter order (none for the parameters of
// a frozen group, which stay constants), and the new value of each buffer
// (running statistics); the optimizer pass then turns gradients into
// updates.
//
//===----------------------------------------------------------------------===//
#include "compiler/Training/ParamGroups.h"
#include "compiler/Transforms/Autodiff.h"
#include "compiler/Transforms/Passes.h"
#include "dialects/kiln/IR/KilnConventions.h"
#include "dialects/kiln/IR/KilnDialect.h"

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
  static StringAttr argName(func::FuncOp fn, BlockArgument arg) {
    return fn.getArgAttrOfType<StringAttr>(arg.getArgNumber(), attr::kName);
  }

  /// Switches every op of `step` to its training form and returns, per
  /// buffer argument index, the value that holds its new state.
  FailureOr<DenseMap<unsigned, Value>> switchToTraining(func::FuncOp step) {
    DenseMap<unsigned, Value> updates;
    WalkResult walk = step.walk([&](TrainingModeOpInterface op) {
      op.setTrainingMode(true);
      for (auto [operand, result] : op.getStateUpdates()) {
        auto arg = dyn_cast<BlockArgument>(op->getOperand(operand));
        if (!arg ||
            argString(step, arg.getArgNumber(), attr::kRole) != "buffer") {
          op->emitOpError("updates state that is not a buffer argument "
                          "(kiln.role = \"buffer\")");
          return WalkResult::interrupt();
        }
        if (!updates.try_emplace(arg.getArgNumber(), op->getResult(result))
                 .second) {
          op->emitOpError("updates a buffer that another op updates too");
          return WalkResult::interrupt();
        }
      }
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return failure();
    return updates;
  }

  void runOnOperation() override {
    if (failed(buildStep(getOperation())))
      signalPassFailure();
  }

  LogicalResult buildStep(ModuleOp module) {
    FailureOr<EvalFunction> found = lookupEvalFunction(module);
    if (failed(found))
      return failure();
    func::FuncOp eval = found->fn;
    unsigned lossIndex = found->lossIndex;

    func::FuncOp step = eval.clone();
    step.setSymName("train_step");
    step->setAttr(attr::kEntry, StringAttr::get(&getContext(), "train_step"));
    SymbolTable(module).insert(step);

    FailureOr<DenseMap<unsigned, Value>> updates = switchToTraining(step);
    if (failed(updates))
      return failure();

    // Frozen parameters (a recipe's `frozen` group) are constants here.
    FailureOr<SmallVector<ParamGroup>> groups = readParamGroups(module);
    if (failed(groups))
      return failure();
    SmallVector<Value> params;
    Builder attrs(&getContext());
    SmallVector<Attribute> resultAttrs{outputAttrs(attrs, "loss")};
    for (BlockArgument arg : step.getArguments()) {
      if (argString(step, arg.getArgNumber(), attr::kRole) != "param")
        continue;
      StringAttr name = argName(step, arg);
      const ParamGroup *group = name ? findGroup(*groups, name) : nullptr;
      if (group && group->frozen)
        continue;
      params.push_back(arg);
      resultAttrs.push_back(outputAttrs(attrs, "grad", name));
    }

    Operation *oldReturn = step.getBody().front().getTerminator();
    OpBuilder builder(oldReturn);
    Value loss = oldReturn->getOperand(lossIndex);
    SmallVector<Value> results{loss};
    if (failed(buildGradients(builder, loss, params, results)))
      return failure();
    // Then the new value of every buffer, in argument order; a buffer no op
    // updates is returned unchanged.
    for (BlockArgument arg : step.getArguments()) {
      if (argString(step, arg.getArgNumber(), attr::kRole) != "buffer")
        continue;
      Value updated = updates->lookup(arg.getArgNumber());
      results.push_back(updated ? updated : arg);
      resultAttrs.push_back(outputAttrs(attrs, "buffer", argName(step, arg)));
    }
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
