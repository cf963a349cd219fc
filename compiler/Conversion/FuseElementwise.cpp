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
/// Fuses into `fused->getOwner()` the producer of `fused` when both are
/// linalg.generic (or a reshape and a generic), nothing else uses the
/// producer and the consumer reads each of its elements once, so no work is
/// duplicated. A broadcast producer (Adam's bias correction, a scalar, fed
/// to every element of a weight) would be recomputed per consumer element:
/// a powf per weight instead of one per step.
bool fusesOnlyGenerics(OpOperand *fused) {
  Operation *producer = fused->get().getDefiningOp();
  Operation *consumer = fused->getOwner();
  auto isGenericOrReshape = [](Operation *op) {
    return isa<linalg::GenericOp, tensor::ExpandShapeOp,
               tensor::CollapseShapeOp>(op);
  };
  if (!producer || !producer->hasOneUse() || !isGenericOrReshape(producer) ||
      !isGenericOrReshape(consumer))
    return false;
  auto generic = dyn_cast<linalg::GenericOp>(consumer);
  return !generic || generic.getMatchingIndexingMap(fused).isPermutation();
}

struct FuseElementwisePass
    : kiln::impl::FuseElementwiseBase<FuseElementwisePass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    linalg::populateElementwiseOpsFusionPatterns(patterns, fusesOnlyGenerics);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns,
                                                      fusesOnlyGenerics);
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
