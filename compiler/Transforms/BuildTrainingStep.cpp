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
#include "compiler/Transforms/Autodiff.h"
#include "compiler/Transforms/EntryPoints.h"
#include "compiler/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
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
  /// Switches every op of `step` to its training form and returns, per
  /// buffer argument index, the value that holds its new state.
  FailureOr<DenseMap<unsigned, Value>> switchToTraining(func::FuncOp step) {
    DenseMap<unsigned, Value> updates;
    WalkResult walk = step.walk([&](TrainingModeOpInterface op) {
      op.setTrainingMode(true);
      for (auto [operand, result] : op.getStateUpdates()) {
        auto arg = dyn_cast<BlockArgument>(op->getOperand(operand));
        if (!arg || argRole(step, arg.getArgNumber()) != rt::Role::Buffer) {
          op->emitOpError("updates state that is not a buffer argument "
                          "(kiln.role = #kiln.role<buffer>)");
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
    FailureOr<EvalFunction> eval = lookupEvalFunction(module);
    if (failed(eval))
      return failure();
    func::FuncOp step = cloneEntry(eval->fn, rt::Entry::TrainStep);
    FailureOr<DenseMap<unsigned, Value>> updates = switchToTraining(step);
    if (failed(updates))
      return failure();

    // Frozen parameters (a recipe's `frozen` group) are constants here.
    TrainRecipeAttr recipe = getTrainRecipe(module);
    MLIRContext *ctx = &getContext();
    SmallVector<Value> params;
    SmallVector<EntryResult> results{entryResults(step)[eval->lossIndex]};
    for (BlockArgument arg : argsWithRole(step, rt::Role::Param)) {
      StringAttr name = argName(step, arg.getArgNumber());
      if (recipe && name && recipe.isFrozen(name))
        continue;
      params.push_back(arg);
      results.push_back({nullptr, roleAttrs(ctx, rt::Role::Grad, name)});
    }

    OpBuilder builder(step.getBody().front().getTerminator());
    SmallVector<Value> grads;
    if (failed(buildGradients(builder, results.front().value, params, grads)))
      return failure();
    for (auto [result, grad] :
         llvm::zip(MutableArrayRef<EntryResult>(results).drop_front(), grads))
      result.value = grad;
    // Then the new value of every buffer, in argument order; a buffer no op
    // updates is returned unchanged.
    for (BlockArgument arg : argsWithRole(step, rt::Role::Buffer)) {
      Value updated = updates->lookup(arg.getArgNumber());
      results.push_back({updated ? updated : arg,
                         roleAttrs(ctx, rt::Role::Buffer,
                                   argName(step, arg.getArgNumber()))});
    }
    setEntryResults(step, results);
    // The forward outputs only evaluation needs (logits, per-sample losses)
    // and gradients of inputs are dead now.
    IRRewriter rewriter(ctx);
    (void)runRegionDCE(rewriter, step.getBody());
    return success();
  }
};
} // namespace
