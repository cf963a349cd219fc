//===- ParallelizeLoops.cpp - Which generated loops run on all cores ------===//
//
// Generated code (elementwise chains, the optimizer updates, reductions over
// the batch) runs between oneDNN's kernels, which use every core; run on one
// core it is the step's serial part. convert-linalg-to-parallel-loops marks
// every parallel dimension as scf.parallel and convert-scf-to-openmp would
// make each of them an OpenMP parallel region. That is right only for the
// outermost loop of a large nest: a region nested in another one forks once
// per outer iteration, and starting the team (a few microseconds) costs more
// than a loop over a few thousand elements takes. This pass keeps an
// scf.parallel only where it is outermost and its nest runs at least
// `min-iterations` innermost iterations, and turns every other one into a
// sequential scf.for nest, so convert-scf-to-openmp parallelizes exactly
// those. A large parallel loop inside a sequential one (a reduction over
// the batch outside, say) forks once per outer iteration; it is large
// enough that the fork is small beside it.
//
// The OpenMP runtime is LLVM's libomp, which also serves the GOMP_* calls of
// Debian's GCC-built oneDNN (CpuTarget::link puts it first), so oneDNN and
// the generated loops share one team of threads and neither spins while the
// other works. Each iteration of a parallel loop writes its own elements and
// no sum is split, so the numbers do not depend on the number of threads.
//
//===----------------------------------------------------------------------===//
#include "compiler/Target/CPU/Passes.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <algorithm>

namespace kiln::cpu {
#define GEN_PASS_DEF_PARALLELIZELOOPS
#include "compiler/Target/CPU/Passes.h.inc"
} // namespace kiln::cpu

using namespace mlir;

namespace {
/// Loop bounds that are not constants count as this many iterations, so a
/// loop of unknown size is assumed large (all shapes are static today);
/// counts saturate there too.
constexpr int64_t kUnknownTripCount = int64_t{1} << 20;

int64_t tripCount(ValueRange lowerBounds, ValueRange upperBounds,
                  ValueRange steps) {
  int64_t count = 1;
  for (auto [lb, ub, step] : llvm::zip(lowerBounds, upperBounds, steps)) {
    std::optional<int64_t> l = getConstantIntValue(lb);
    std::optional<int64_t> u = getConstantIntValue(ub);
    std::optional<int64_t> s = getConstantIntValue(step);
    int64_t dim = l && u && s && *s > 0 ? llvm::divideCeil(*u - *l, *s)
                                        : kUnknownTripCount;
    // Capped before the product, so that it cannot overflow.
    dim = std::clamp<int64_t>(dim, 0, kUnknownTripCount);
    count = std::min(count * dim, kUnknownTripCount);
  }
  return count;
}

/// Innermost iterations that one pass through `region` runs: the loops in it,
/// each its trip count times the iterations of its body, or 1 without loops.
int64_t innermostIterations(Region &region) {
  int64_t total = 0;
  bool hasLoop = false;
  for (Operation &op : region.getOps()) {
    int64_t count = 0;
    if (auto loop = dyn_cast<scf::ForOp>(op))
      count =
          tripCount(loop.getLowerBound(), loop.getUpperBound(), loop.getStep());
    else if (auto loop = dyn_cast<scf::ParallelOp>(op))
      count =
          tripCount(loop.getLowerBound(), loop.getUpperBound(), loop.getStep());
    else
      continue;
    hasLoop = true;
    total += count * innermostIterations(op.getRegion(0));
    total = std::min(total, kUnknownTripCount);
  }
  return hasLoop ? total : 1;
}

/// Builds one scf.for per dimension (at least one), outermost first, and
/// leaves the insertion point in the innermost body; returns the induction
/// variables.
SmallVector<Value> buildForNest(PatternRewriter &rewriter, Location loc,
                                ValueRange lowerBounds, ValueRange upperBounds,
                                ValueRange steps) {
  SmallVector<Value> inductionVars;
  for (auto [lb, ub, step] : llvm::zip(lowerBounds, upperBounds, steps)) {
    auto loop = rewriter.create<scf::ForOp>(loc, lb, ub, step);
    inductionVars.push_back(loop.getInductionVar());
    rewriter.setInsertionPointToStart(loop.getBody());
  }
  return inductionVars;
}

/// Moves the body of `loop` into `target` (a new loop's body, before its
/// terminator), its induction variables replaced by `inductionVars`, and
/// erases `loop`.
void moveBodyAndErase(PatternRewriter &rewriter, scf::ParallelOp loop,
                      Block *target, ValueRange inductionVars) {
  Block &body = loop.getRegion().front();
  rewriter.eraseOp(body.getTerminator());
  rewriter.inlineBlockBefore(&body, target->getTerminator(), inductionVars);
  rewriter.eraseOp(loop);
}

/// Leading dimensions of a large loop that stay parallel: enough to give
/// every core a share (at least kMinParallelTrips iterations), and never the
/// innermost loop of the nest if there are several dimensions: that one
/// stays a plain loop that LLVM vectorizes (OpenMP's collapsed index hides
/// its stride from the vectorizer).
constexpr int64_t kMinParallelTrips = 64;

unsigned parallelDims(scf::ParallelOp loop) {
  unsigned rank = loop.getNumLoops();
  bool hasInnerLoop = !loop.getBody()->getOps<scf::ForOp>().empty();
  unsigned maxKept = hasInnerLoop || rank == 1 ? rank : rank - 1;
  unsigned kept = 0;
  int64_t trips = 1;
  while (kept < maxKept && trips < kMinParallelTrips) {
    trips *= tripCount(loop.getLowerBound()[kept], loop.getUpperBound()[kept],
                       loop.getStep()[kept]);
    ++kept;
  }
  return kept;
}

/// Serializes the scf.parallel loops that are not worth a parallel region
/// and the trailing dimensions of those that are.
struct SerializeParallelLoop : OpRewritePattern<scf::ParallelOp> {
  SerializeParallelLoop(MLIRContext *context, int64_t minIterations)
      : OpRewritePattern(context), minIterations(minIterations) {}

  LogicalResult matchAndRewrite(scf::ParallelOp loop,
                                PatternRewriter &rewriter) const override {
    // Reductions carried by scf.parallel would need the combiner; the linalg
    // lowering produces none (reduction dimensions become scf.for).
    if (loop.getNumResults() != 0)
      return rewriter.notifyMatchFailure(loop, "carries a reduction");
    Location loc = loop.getLoc();
    ValueRange lbs = loop.getLowerBound(), ubs = loop.getUpperBound(),
               steps = loop.getStep();
    bool outermost = !loop->getParentOfType<scf::ParallelOp>();
    int64_t iterations =
        tripCount(lbs, ubs, steps) * innermostIterations(loop.getRegion());
    if (!outermost || iterations < minIterations) {
      SmallVector<Value> inductionVars =
          buildForNest(rewriter, loc, lbs, ubs, steps);
      moveBodyAndErase(rewriter, loop, rewriter.getInsertionBlock(),
                       inductionVars);
      return success();
    }

    unsigned kept = parallelDims(loop);
    if (kept == loop.getNumLoops())
      return rewriter.notifyMatchFailure(loop, "stays parallel");
    auto outer = rewriter.create<scf::ParallelOp>(loc, lbs.take_front(kept),
                                                  ubs.take_front(kept),
                                                  steps.take_front(kept));
    rewriter.setInsertionPointToStart(outer.getBody());
    SmallVector<Value> inductionVars(outer.getInductionVars());
    llvm::append_range(inductionVars,
                       buildForNest(rewriter, loc, lbs.drop_front(kept),
                                    ubs.drop_front(kept),
                                    steps.drop_front(kept)));
    moveBodyAndErase(rewriter, loop, rewriter.getInsertionBlock(),
                     inductionVars);
    return success();
  }

  int64_t minIterations;
};

struct ParallelizeLoops
    : kiln::cpu::impl::ParallelizeLoopsBase<ParallelizeLoops> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<SerializeParallelLoop>(&getContext(), minIterations);
    GreedyRewriteConfig config;
    config.enableRegionSimplification = GreedySimplifyRegionLevel::Disabled;
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(patterns),
                                            config)))
      signalPassFailure();
  }
};
} // namespace
