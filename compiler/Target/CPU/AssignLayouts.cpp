//===- AssignLayouts.cpp - Feature maps in oneDNN's blocked layout --------===//
//
// oneDNN's fast convolution, batch-normalization and pooling kernels work on
// feature maps with their channels in blocks of the vector width (nChw16c
// with AVX-512, nChw8c with AVX2). With NCHW buffers every convolution pays
// a reorder in and out, and batch normalization runs oneDNN's plain C++
// kernel. This pass keeps the feature maps that flow between those kernels
// blocked, so the reorders go away where they are not needed:
//
// 1. Each f32 kiln.runtime_call whose activations (KILN_RT_IN_NCHW,
//    KILN_RT_OUT_NCHW in runtime_calls.def) have a multiple of the block as
//    channels takes them blocked: its layout scalar becomes the block, its
//    inputs pass through kiln.block_channels and its results are followed by
//    kiln.unblock_channels. A convolution's input and output sides have
//    separate layouts, so the first one still reads a one-channel image.
// 2. Elementwise ops (ReLU, its gradient, residual sums) whose operands all
//    come out of unblock_channels run on the blocked maps instead.
// 3. Folding block_channels(unblock_channels(x)) to x removes the reorder
//    between consecutive kernels; the ones that remain sit where a plain
//    layout is needed (a flatten into a linear layer, its gradient).
//
// Batch normalization of features [N, C] (an MLP's) is blocked too, for
// free: with one spatial position, [N, C] row-major is the blocked layout.
//
// Only the storage order changes: every kernel computes what it computed on
// NCHW, except that oneDNN's blocked batch normalization sums in another
// order and so rounds differently (CodegenEquivalenceTest.cpp in
// tests/unit/compiler bounds the difference). `kilnc --channel-block=1`
// keeps NCHW.
//
//===----------------------------------------------------------------------===//
#include "compiler/Target/CPU/Passes.h"
#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/TargetParser/Host.h"

namespace kiln::cpu {
#define GEN_PASS_DEF_ASSIGNLAYOUTS
#include "compiler/Target/CPU/Passes.h.inc"
} // namespace kiln::cpu

using namespace mlir;
using namespace kiln;

namespace {
/// The block of this machine's widest f32 vector: 16 with AVX-512, else 8.
int64_t hostBlock() {
  return llvm::sys::getHostCPUFeatures().lookup("avx512f") ? 16 : 8;
}

/// Whether `value` is a feature map [N, C, H, W] whose channels split into
/// blocks of `block`, or features [N, C] (batch normalization's) that do:
/// [N, C] row-major is already [N, C / block, 1, 1, block].
bool isBlockable(Value value, int64_t block) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && (type.getRank() == 4 || type.getRank() == 2) &&
         type.getElementType().isF32() && type.getDimSize(1) % block == 0;
}

/// Step 1 for one call: each layout scalar whose activations are all
/// blockable becomes `block`.
void blockActivations(RuntimeCallOp call, int64_t block) {
  const rt::RuntimeFunction &fn = call.getFunction();
  SmallVector<std::pair<StringRef, SmallVector<Value>>> groups;
  unsigned input = 0, output = 0;
  for (const rt::RuntimeParam &param : fn.params) {
    if (!param.isBuffer())
      continue;
    Value buffer = param.kind == rt::ParamKind::In ? call.getInputs()[input++]
                                                   : call->getResult(output++);
    if (param.layout.empty())
      continue;
    auto *group =
        llvm::find_if(groups, [&](auto &g) { return g.first == param.layout; });
    if (group == groups.end())
      group = &groups.emplace_back(param.layout, SmallVector<Value>{});
    group->second.push_back(buffer);
  }

  OpBuilder b(call);
  NamedAttrList scalars(call.getScalars());
  for (auto &[layout, buffers] : groups) {
    if (!llvm::all_of(buffers, [&](Value v) { return isBlockable(v, block); }))
      continue;
    scalars.set(layout, b.getI64IntegerAttr(block));
    for (Value buffer : buffers) {
      auto type = cast<RankedTensorType>(buffer.getType());
      if (type.getRank() == 2)
        continue; // Blocked as it is.
      if (buffer.getDefiningOp() == call) {
        buffer.setType(BlockChannelsOp::blockedType(type, block));
        b.setInsertionPointAfter(call);
        auto plain = b.create<UnblockChannelsOp>(call.getLoc(), buffer);
        buffer.replaceAllUsesExcept(plain, plain);
        continue;
      }
      b.setInsertionPoint(call);
      call->replaceUsesOfWith(
          buffer, b.create<BlockChannelsOp>(call.getLoc(), buffer, block));
    }
  }
  call.setScalarsAttr(scalars.getDictionary(call.getContext()));
}

/// Step 2: op(unblock(a), unblock(b), ...) -> unblock(op(a, b, ...)) for an
/// elementwise kiln op whose operands share one blocked type.
struct RunElementwiseBlocked : RewritePattern {
  RunElementwiseBlocked(MLIRContext *ctx)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!op->hasTrait<OpTrait::Elementwise>() ||
        !isa<KilnDialect>(op->getDialect()) || op->getNumResults() != 1 ||
        op->getNumOperands() == 0)
      return failure();
    SmallVector<Value> blocked;
    for (Value operand : op->getOperands()) {
      auto unblock = operand.getDefiningOp<UnblockChannelsOp>();
      if (!unblock || (!blocked.empty() &&
                       unblock.getInput().getType() != blocked[0].getType()))
        return failure();
      blocked.push_back(unblock.getInput());
    }
    Operation *onBlocked = rewriter.clone(*op);
    onBlocked->setOperands(blocked);
    onBlocked->getResult(0).setType(blocked[0].getType());
    rewriter.replaceOpWithNewOp<UnblockChannelsOp>(op, onBlocked->getResult(0));
    return success();
  }
};

struct AssignLayoutsPass
    : kiln::cpu::impl::AssignLayoutsBase<AssignLayoutsPass> {
  using AssignLayoutsBase::AssignLayoutsBase;

  void runOnOperation() override {
    int64_t chosen = block == 0 ? hostBlock() : block;
    // The blocks runtime_calls.def's kernels take.
    if (chosen != 1 && chosen != 8 && chosen != 16) {
      getOperation().emitError()
          << "channel block " << chosen
          << " is not one the runtime's kernels take: use 0 (this "
             "machine's), 1 (NCHW), 8 or 16";
      return signalPassFailure();
    }
    if (chosen == 1)
      return;
    SmallVector<RuntimeCallOp> calls;
    getOperation().walk([&](RuntimeCallOp call) { calls.push_back(call); });
    for (RuntimeCallOp call : calls)
      blockActivations(call, chosen);
    RewritePatternSet patterns(&getContext());
    patterns.add<RunElementwiseBlocked>(&getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
