//===- MatmulToRuntime.cpp - Hand f32 matrix products to oneDNN -----------===//
//
// oneDNN's matmul runs near the machine's FMA ceiling, far beyond what plain
// loops reach, so after bufferization every f32 matmul on dense buffers
// becomes a call to the runtime's kiln_rt_matmul_f32, which wraps oneDNN.
// The transposed variants pass a flag instead of copying. Other element
// types (f64 in gradient checks) stay linalg ops and become loops.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/RuntimeCalls.h"
#include "compiler/Target/CPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln::cpu {
#define GEN_PASS_DEF_MATMULTORUNTIME
#include "compiler/Target/CPU/Passes.h.inc"
} // namespace kiln::cpu

using namespace mlir;
using namespace kiln;

namespace {
bool isDenseF32Matrix(Value value) {
  auto type = dyn_cast<MemRefType>(value.getType());
  return type && type.getRank() == 2 && type.hasStaticShape() &&
         type.getLayout().isIdentity() && type.getElementType().isF32();
}

template <typename MatmulOp, bool TransposeA, bool TransposeB>
struct MatmulToCall : OpRewritePattern<MatmulOp> {
  using OpRewritePattern<MatmulOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(MatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureBufferSemantics() ||
        !llvm::all_of(op->getOperands(), isDenseF32Matrix))
      return rewriter.notifyMatchFailure(op, "not dense f32 buffers");
    Value a = op.getDpsInputs()[0], b = op.getDpsInputs()[1];
    Value c = op.getDpsInits()[0];
    // kiln_rt_matmul_f32 overwrites c; the zero fill that the linalg form
    // needs as its accumulator is wasted work here.
    if (auto fill = dyn_cast_or_null<linalg::FillOp>(op->getPrevNode()))
      if (fill.hasPureBufferSemantics() && fill.getDpsInits()[0] == c)
        rewriter.eraseOp(fill);
    ArrayRef<int64_t> aShape = cast<MemRefType>(a.getType()).getShape();
    ArrayRef<int64_t> cShape = cast<MemRefType>(c.getType()).getShape();
    NamedAttrList scalars;
    auto add = [&](StringRef name, int64_t value) {
      scalars.append(name, rewriter.getI64IntegerAttr(value));
    };
    add("m", cShape[0]);
    add("n", cShape[1]);
    add("k", TransposeA ? aShape[0] : aShape[1]);
    add("transpose_a", TransposeA);
    add("transpose_b", TransposeB);
    lowering::createRuntimeCall(
        rewriter, op.getLoc(),
        rt::runtimeFunction(rt::Kernel::kiln_rt_matmul_f32), {a, b}, {c},
        scalars.getDictionary(op.getContext()));
    rewriter.eraseOp(op);
    return success();
  }
};

struct MatmulToRuntimePass
    : kiln::cpu::impl::MatmulToRuntimeBase<MatmulToRuntimePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<MatmulToCall<linalg::MatmulOp, false, false>,
                 MatmulToCall<linalg::MatmulTransposeAOp, true, false>,
                 MatmulToCall<linalg::MatmulTransposeBOp, false, true>>(
        &getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
