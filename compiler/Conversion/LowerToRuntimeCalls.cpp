//===- LowerToRuntimeCalls.cpp - Library-backed ops as runtime calls ------===//
//
// Convolutions, pooling and f32 batch normalization run in the runtime
// (oneDNN, or reference loops in f64). They are lowered here, right before
// One-Shot Bufferize, rather than with the rest of the kiln ops: a call
// reads its operands through `bufferization.to_memref`, which is pure, so a
// CSE after the lowering would merge the `to_memref` of the same tensor for
// two calls (a forward and its backward), and bufferization, seeing only the
// first read, could let an in-place write clobber the buffer before the
// second call (tests/lit/Conversion/runtime-calls-after-cse.mlir).
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/KilnToLinalg.h"
#include "compiler/Conversion/Passes.h"
#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_LOWERTORUNTIMECALLS
#include "compiler/Conversion/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;

bool kiln::lowering::callsRuntime(Operation *op) {
  if (isa<Conv2DOp, Conv2DBackwardDataOp, Conv2DBackwardWeightsOp, MaxPool2DOp,
          MaxPool2DGradOp, AvgPool2DOp, AvgPool2DGradOp>(op))
    return true;
  if (isa<BatchNormOp, BatchNormGradOp>(op))
    return cast<RankedTensorType>(op->getOperand(0).getType())
        .getElementType()
        .isF32();
  return false;
}

namespace {
struct LowerToRuntimeCallsPass
    : kiln::impl::LowerToRuntimeCallsBase<LowerToRuntimeCallsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    lowering::populateConvLoweringPatterns(patterns);
    lowering::populateNormRuntimePatterns(patterns);
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    WalkResult left = getOperation().walk([](Operation *op) {
      if (!lowering::callsRuntime(op))
        return WalkResult::advance();
      op->emitOpError("was not lowered to a runtime call");
      return WalkResult::interrupt();
    });
    if (left.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace
