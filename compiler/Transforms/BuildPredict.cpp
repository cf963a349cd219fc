//===- BuildPredict.cpp - Derive the inference entry point ----------------===//
//
// Clones the model's evaluation function into @predict, the entry point of
// inference: it takes the inputs (no labels) and returns the logits and the
// probabilities they predict, which eval's logits result names with
// kiln.prediction: the softmax over dimension 1 of class scores, the sigmoid
// of binary logits, and nothing more for regression values. Ops keep the
// inference form the frontend built (batch norm with running statistics,
// dropout as the identity, which predict removes with the seed it reads),
// and the loss, which needs labels, is dropped.
//
//===----------------------------------------------------------------------===//
#include "compiler/Transforms/EntryPoints.h"
#include "compiler/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/RegionUtils.h"

namespace kiln {
#define GEN_PASS_DEF_BUILDPREDICT
#include "compiler/Transforms/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;

namespace {
/// The probabilities `prediction` reads from `logits`, or null.
Value probabilities(OpBuilder &b, Location loc, Prediction prediction,
                    Value logits) {
  switch (prediction) {
  case Prediction::ClassScores:
    return b.create<SoftmaxOp>(loc, logits, b.getI64IntegerAttr(1));
  case Prediction::BinaryLogits:
    return b.create<SigmoidOp>(loc, logits);
  case Prediction::Values:
    return nullptr;
  }
  llvm_unreachable("unknown prediction");
}

struct BuildPredictPass : kiln::impl::BuildPredictBase<BuildPredictPass> {
  void runOnOperation() override {
    if (failed(buildPredict(getOperation())))
      signalPassFailure();
  }

  LogicalResult buildPredict(ModuleOp module) {
    FailureOr<EvalFunction> eval = lookupEvalFunction(module);
    if (failed(eval))
      return failure();
    SmallVector<unsigned> logits = resultsWithRole(eval->fn, rt::Role::Logits);
    if (logits.size() != 1)
      return eval->fn.emitError("@predict needs one logits result of the "
                                "model function, got ")
             << logits.size();
    auto prediction = eval->fn.getResultAttrOfType<PredictionAttr>(
        logits.front(), attr::kPrediction);
    if (!prediction)
      return eval->fn.emitError("the logits result has no kiln.prediction: "
                                "what do they predict?");

    func::FuncOp predict = cloneEntry(eval->fn, rt::Entry::Predict);
    SmallVector<EntryResult> results{entryResults(predict)[logits.front()]};
    OpBuilder b(predict.getBody().front().getTerminator());
    if (Value probs = probabilities(b, predict.getLoc(), prediction.getValue(),
                                    results.front().value))
      results.push_back(
          {probs, roleAttrs(&getContext(), rt::Role::Probabilities)});
    setEntryResults(predict, results);
    // Dropout in inference form is the identity: predict drops it, and with
    // it the seed that inference has no use for.
    predict.walk([](DropoutOp dropout) {
      if (!dropout.getTraining()) {
        dropout.replaceAllUsesWith(dropout.getInput());
        dropout.erase();
      }
    });
    IRRewriter rewriter(&getContext());
    (void)runRegionDCE(rewriter, predict.getBody());

    // With the loss gone, nothing reads the labels.
    llvm::BitVector unused(predict.getNumArguments());
    for (BlockArgument arg : argsWithRole(predict, rt::Role::Label)) {
      if (!arg.use_empty())
        return predict.emitError("the logits depend on the label `")
               << argName(predict, arg.getArgNumber()).getValue()
               << "`: there is nothing to predict";
      unused.set(arg.getArgNumber());
    }
    for (BlockArgument arg : argsWithRole(predict, rt::Role::Rng))
      if (arg.use_empty())
        unused.set(arg.getArgNumber());
    predict.eraseArguments(unused);
    return success();
  }
};
} // namespace
