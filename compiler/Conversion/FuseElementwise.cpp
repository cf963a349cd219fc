//===- FuseElementwise.cpp - Fuse elementwise linalg ops ------------------===//
//
// Upstream's linalg-fuse-elementwise-ops, restricted to linalg.generic on
// both sides and without its constant folding (kiln IR folds no linalg op
// on constants). Upstream also folds a reshape into a neighbouring named op by
// expanding its iteration space, which turns a linalg.matmul next to a
// flatten (the gradient of the first dense layer after convolutions, say)
// into a 5-D contraction generic: kiln-cpu-matmul-to-runtime no longer sees a
// matmul, and the product runs as scalar loops instead of in oneDNN. Named
// ops are what later passes hand to libraries, so they keep their form.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_FUSEELEMENTWISE
#include "compiler/Conversion/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
bool isGenericOrReshape(Operation *op) {
  return isa<linalg::GenericOp, tensor::ExpandShapeOp, tensor::CollapseShapeOp>(
      op);
}

/// Whether the consumer reads each element of the producer once. A
/// broadcast producer (Adam's bias correction, a scalar, fed to every
/// element of a weight) fused into its consumer would be recomputed per
/// consumer element: a powf per weight instead of one per step.
bool readsEachElementOnce(OpOperand *fused) {
  auto generic = dyn_cast<linalg::GenericOp>(fused->getOwner());
  return !generic || generic.getMatchingIndexingMap(fused).isPermutation();
}

/// Upstream's fusion, for a producer that only `fused` uses (a second user
/// would compute it again: upstream leaves the producer in place for it).
bool fusesOnlyUse(OpOperand *fused) {
  Operation *producer = fused->get().getDefiningOp();
  return producer && producer->hasOneUse() && isGenericOrReshape(producer) &&
         isGenericOrReshape(fused->getOwner()) && readsEachElementOnce(fused);
}

/// Whether `user` comes after `consumer` in its block, so that it may read
/// a result of the op that replaces `consumer`.
bool readsLater(Operation *consumer, Operation *user) {
  Operation *ancestor = consumer->getBlock()->findAncestorOpInBlock(*user);
  return ancestor && consumer->isBeforeInBlock(ancestor);
}

/// Fuses a generic producer that other ops use too into a generic consumer,
/// when none of the other users is a generic or a reshape (which would pull
/// the producer in again), all of them come after the consumer, and the
/// consumer reads the producer through one operand (through a second one,
/// at other indices, the producer would be computed again for it, or read
/// from the fused op itself): the fused op also returns the
/// producer's results and the other users read them there. So the new
/// moments and the new weight of an optimizer update, each also a result of
/// the step, become one loop over the parameter and its state instead of
/// one per tensor.
struct FuseSharedProducer : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp consumer,
                                PatternRewriter &rewriter) const override {
    for (OpOperand &operand : consumer->getOpOperands()) {
      auto producer = operand.get().getDefiningOp<linalg::GenericOp>();
      auto readsProducer = [&](OpOperand &other) {
        return other.get().getDefiningOp() == producer;
      };
      if (!producer || producer->hasOneUse() ||
          llvm::count_if(consumer->getOpOperands(), readsProducer) != 1 ||
          !linalg::areElementwiseOpsFusable(&operand) ||
          !readsEachElementOnce(&operand) ||
          !llvm::all_of(producer->getUsers(), [&](Operation *user) {
            return user == consumer ||
                   (!isGenericOrReshape(user) && readsLater(consumer, user));
          }))
        continue;
      FailureOr<linalg::ElementwiseOpFusionResult> fused =
          linalg::fuseElementwiseOps(rewriter, &operand);
      if (failed(fused))
        continue;
      // Every use of the producer's and the consumer's results, the
      // producer's other users included, now reads the fused op.
      for (auto [original, replacement] : fused->replacements)
        rewriter.replaceAllUsesWith(original, replacement);
      rewriter.eraseOp(consumer);
      if (producer->use_empty())
        rewriter.eraseOp(producer);
      return success();
    }
    return rewriter.notifyMatchFailure(consumer, "no shared producer");
  }
};

struct FuseElementwisePass
    : kiln::impl::FuseElementwiseBase<FuseElementwisePass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    linalg::populateElementwiseOpsFusionPatterns(patterns, fusesOnlyUse);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, fusesOnlyUse);
    patterns.add<FuseSharedProducer>(context);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, context);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    context->getLoadedDialect<linalg::LinalgDialect>()
        ->getCanonicalizationPatterns(patterns);
    // As upstream: top-down for compile time, and a rewrite that has not
    // converged after the iteration limit (very large functions such as
    // @hessian) leaves valid, merely less fused IR.
    GreedyRewriteConfig config;
    config.useTopDownTraversal = true;
    (void)applyPatternsAndFoldGreedily(getOperation(), std::move(patterns),
                                       config);
  }
};
} // namespace
