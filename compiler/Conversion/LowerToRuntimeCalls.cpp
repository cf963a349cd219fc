//===- LowerToRuntimeCalls.cpp - kiln.runtime_call as a call on buffers ---===//
//
// A target hands some ops to the runtime's kernels as kiln.runtime_call on
// tensors; this pass makes the calls, right before One-Shot Bufferize: each
// input is read through `bufferization.to_memref`, each output is a fresh
// buffer the kernel writes. It runs after the last CSE because
// `to_memref` is pure: a CSE after this lowering would merge the
// `to_memref` of one tensor for two calls (a forward and its backward), and
// bufferization, seeing only the first read, could let an in-place write
// clobber the buffer before the second call
// (tests/lit/Conversion/runtime-calls-after-cse.mlir).
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/Passes.h"
#include "compiler/Conversion/RuntimeCalls.h"
#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_LOWERTORUNTIMECALLS
#include "compiler/Conversion/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;

namespace {
MemRefType bufferType(Type tensor) {
  auto type = cast<RankedTensorType>(tensor);
  return MemRefType::get(type.getShape(), type.getElementType());
}

/// %a = bufferization.to_memref %input read_only      (each input)
/// %r = memref.alloc()                                 (each output)
/// func.call @kernel(ptr(%a)..., ptr(%r)..., scalars...)
/// %t = bufferization.to_tensor %r restrict writable
///
/// Buffer deallocation cannot see the pointers, but ownership-based
/// deallocation frees buffers at the end of their block, after every call in
/// it (tests/lit/Target/CPU/conv-to-runtime.mlir).
struct LowerRuntimeCall : OpRewritePattern<RuntimeCallOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RuntimeCallOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    SmallVector<Value> inputs, outputs, tensors;
    for (Value input : op.getInputs())
      inputs.push_back(rewriter.create<bufferization::ToMemrefOp>(
          loc, bufferType(input.getType()), input, /*read_only=*/true));
    for (Type type : op.getResultTypes())
      outputs.push_back(
          rewriter.create<memref::AllocOp>(loc, bufferType(type)));
    lowering::createRuntimeCall(rewriter, loc, op.getFunction(), inputs,
                                outputs, op.getScalars());
    for (auto [type, buffer] : llvm::zip_equal(op.getResultTypes(), outputs))
      tensors.push_back(rewriter.create<bufferization::ToTensorOp>(
          loc, type, buffer, /*restrict=*/true, /*writable=*/true));
    rewriter.replaceOp(op, tensors);
    return success();
  }
};

struct LowerToRuntimeCallsPass
    : kiln::impl::LowerToRuntimeCallsBase<LowerToRuntimeCallsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<LowerRuntimeCall>(&getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
