//===- DistinctResults.cpp - Give every entry-point result a buffer -------===//
//
// The runtime passes one buffer per result, and buffer-results-to-out-params
// writes each result into its own caller buffer only when the result is a
// freshly computed tensor. A value returned twice (an add's two operand
// gradients), an argument returned as is, or a constant breaks that (and
// crashes the upstream pass), so such results are copied into a new tensor
// here, before bufferization.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/Passes.h"
#include "dialects/kiln/IR/KilnConventions.h"

#include "llvm/ADT/DenseSet.h"

namespace kiln {
#define GEN_PASS_DEF_DISTINCTRESULTS
#include "compiler/Conversion/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;

namespace {
/// True if `value` is the result of a linalg op that writes a new tensor.
bool isFreshlyComputed(Value value) {
  auto op = value.getDefiningOp<linalg::LinalgOp>();
  return op && op.hasPureTensorSemantics();
}

struct DistinctResultsPass
    : kiln::impl::DistinctResultsBase<DistinctResultsPass> {
  void runOnOperation() override {
    for (auto fn : getOperation().getOps<func::FuncOp>()) {
      if (!fn->hasAttr(attr::kEntry) || fn.isExternal())
        continue;
      auto ret = cast<func::ReturnOp>(fn.getBody().front().getTerminator());
      OpBuilder b(ret);
      llvm::DenseSet<Value> seen;
      for (OpOperand &operand : ret->getOpOperands()) {
        Value value = operand.get();
        if (seen.insert(value).second && isFreshlyComputed(value))
          continue;
        auto type = cast<RankedTensorType>(value.getType());
        Value empty = b.create<tensor::EmptyOp>(ret.getLoc(), type.getShape(),
                                                type.getElementType());
        operand.set(
            b.create<linalg::CopyOp>(ret.getLoc(), value, empty).getResult(0));
      }
    }
  }
};
} // namespace
