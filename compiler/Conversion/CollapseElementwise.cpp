//===- CollapseElementwise.cpp - Elementwise loops over one dimension -----===//
//
// An elementwise linalg.generic over an N-D tensor becomes N nested loops,
// and the innermost one is short in the feature maps of a CNN: the width (28
// and less) or, with channel-blocked maps, the block of 16. LLVM fully
// unrolls such a loop into scalar code instead of vectorizing it (perf
// showed ReLU and its gradient as unrolled vmovss on the blocked maps of
// bench/m2_cnn.kiln). Every operand of a pure elementwise generic is read in
// the iteration order, so its dimensions collapse into one loop over all
// elements, which the vectorizer turns into full-width vector code; the
// operands become tensor.collapse_shape views. Loops whose innermost
// dimension is long already vectorize, and there the views cost more than
// they give (results leaving through out-parameters are copied: the Adam
// update of bench/m1_mlp.kiln's [512, 784] weights ran 15% slower), so only
// short innermost dimensions collapse.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_COLLAPSEELEMENTWISE
#include "compiler/Conversion/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {
/// Innermost trip counts below this are unrolled rather than vectorized.
constexpr int64_t kShortLoop = 64;

/// All iteration dimensions as one group when `op` is a generic whose loops
/// are all parallel, the innermost one short, and whose operands are each
/// read and written at the loop indices themselves (or are 0-d, a scalar
/// for every element); else none.
SmallVector<ReassociationIndices> allDimensions(linalg::LinalgOp op) {
  unsigned loops = op.getNumLoops();
  if (!isa<linalg::GenericOp>(op) || loops < 2 ||
      op.getNumParallelLoops() != loops)
    return {};
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (ranges.back() == ShapedType::kDynamic || ranges.back() >= kShortLoop)
    return {};
  for (AffineMap map : op.getIndexingMapsArray())
    if (!map.isIdentity() && map.getNumResults() != 0)
      return {};
  ReassociationIndices all;
  for (unsigned dim = 0; dim < loops; ++dim)
    all.push_back(dim);
  return {all};
}

struct CollapseElementwisePass
    : kiln::impl::CollapseElementwiseBase<CollapseElementwisePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::populateCollapseDimensions(patterns, allDimensions);
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
