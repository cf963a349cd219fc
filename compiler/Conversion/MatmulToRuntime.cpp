//===- MatmulToRuntime.cpp - Hand f32 matrix products to oneDNN -----------===//
//
// oneDNN's matmul runs near the machine's FMA ceiling, far beyond what plain
// loops reach, so after bufferization every f32 matmul on dense buffers
// becomes a call to the runtime's kiln_rt_matmul, which wraps oneDNN. The
// transposed variants pass a flag instead of copying. Other element types
// (f64 in gradient checks) stay linalg ops and become loops.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/Passes.h"
#include "compiler/Conversion/RuntimeCalls.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_MATMULTORUNTIME
#include "compiler/Conversion/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;
using kiln::lowering::basePointer;

namespace {
constexpr llvm::StringLiteral kMatmulSymbol = "kiln_rt_matmul";

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
    Location loc = op.getLoc();
    Value a = op.getDpsInputs()[0], b = op.getDpsInputs()[1];
    Value c = op.getDpsInits()[0];
    // kiln_rt_matmul overwrites c; the zero fill that the linalg form needs
    // as its accumulator is wasted work here.
    if (auto fill = dyn_cast_or_null<linalg::FillOp>(op->getPrevNode()))
      if (fill.hasPureBufferSemantics() && fill.getDpsInits()[0] == c)
        rewriter.eraseOp(fill);
    ArrayRef<int64_t> aShape = cast<MemRefType>(a.getType()).getShape();
    ArrayRef<int64_t> cShape = cast<MemRefType>(c.getType()).getShape();
    int64_t k = TransposeA ? aShape[0] : aShape[1];
    auto i64 = [&](int64_t v) -> Value {
      return rewriter.create<arith::ConstantIntOp>(loc, v, 64);
    };
    auto i32 = [&](bool v) -> Value {
      return rewriter.create<arith::ConstantIntOp>(loc, v, 32);
    };
    rewriter.create<func::CallOp>(
        loc, kMatmulSymbol, TypeRange{},
        ValueRange{basePointer(rewriter, loc, a), basePointer(rewriter, loc, b),
                   basePointer(rewriter, loc, c), i64(cShape[0]),
                   i64(cShape[1]), i64(k), i32(TransposeA), i32(TransposeB)});
    rewriter.eraseOp(op);
    return success();
  }
};

struct MatmulToRuntimePass
    : kiln::impl::MatmulToRuntimeBase<MatmulToRuntimePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    OpBuilder b(&getContext());
    Type ptr = LLVM::LLVMPointerType::get(&getContext());
    Type i64 = b.getI64Type(), i32 = b.getI32Type();
    lowering::declareRuntimeFunction(
        b, module, kMatmulSymbol,
        b.getFunctionType({ptr, ptr, ptr, i64, i64, i64, i32, i32}, {}));
    RewritePatternSet patterns(&getContext());
    patterns.add<MatmulToCall<linalg::MatmulOp, false, false>,
                 MatmulToCall<linalg::MatmulTransposeAOp, true, false>,
                 MatmulToCall<linalg::MatmulTransposeBOp, false, true>>(
        &getContext());
    if (failed(applyPatternsAndFoldGreedily(module, std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
