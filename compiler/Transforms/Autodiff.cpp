//===- Autodiff.cpp - Reverse-mode differentiation of kiln IR -------------===//
//
// Classic tape-based reverse mode over one block: a forward sweep marks the
// values that depend on the differentiation targets, a backward sweep asks
// each op on that path for its vector-Jacobian product through
// DifferentiableOpInterface and sums the adjoints of values used more than
// once. No op kind is special-cased here.
//
//===----------------------------------------------------------------------===//
#include "compiler/Transforms/Autodiff.h"

#include "dialects/kiln/IR/KilnDialect.h"
#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/DenseSet.h"

using namespace mlir;

namespace {
Value splatConstant(OpBuilder &b, Location loc, Type type, double value) {
  auto tensorType = cast<RankedTensorType>(type);
  auto element = FloatAttr::get(tensorType.getElementType(), value);
  return b.create<arith::ConstantOp>(
      loc, DenseElementsAttr::get(tensorType, TypedAttr(element)));
}

void reportMissingGradients(Value loss, ArrayRef<Operation *> ops) {
  InFlightDiagnostic diag =
      emitError(loss.getLoc())
      << "cannot differentiate the loss: " << ops.size()
      << (ops.size() == 1 ? " op on the gradient path has"
                          : " ops on the gradient path have")
      << " no gradient";
  for (Operation *op : ops)
    diag.attachNote(op->getLoc())
        << "`" << op->getName() << "` has no vector-Jacobian product";
}
} // namespace

LogicalResult kiln::buildGradients(OpBuilder &b, Value loss,
                                   ArrayRef<Value> wrt,
                                   SmallVectorImpl<Value> &grads) {
  // Forward sweep: the tape holds the ops whose results depend on `wrt`,
  // among those the loss depends on (its backward slice, in topological
  // order). Visiting only the slice keeps second derivatives, built by
  // differentiating one gradient element after another, linear in the
  // number of elements: later elements do not rescan earlier ones' graphs.
  BackwardSliceOptions options;
  options.inclusive = true;
  options.omitBlockArguments = true;
  SetVector<Operation *> slice; // operands first, depth first
  if (Operation *def = loss.getDefiningOp())
    getBackwardSlice(def, &slice, options);
  llvm::DenseSet<Value> active(wrt.begin(), wrt.end());
  SmallVector<Operation *> tape;
  for (Operation *op : slice) {
    if (llvm::none_of(op->getOperands(),
                      [&](Value v) { return active.contains(v); }))
      continue;
    active.insert(op->result_begin(), op->result_end());
    tape.push_back(op);
  }

  // Backward sweep.
  DenseMap<Value, Value> adjoints;
  adjoints[loss] = splatConstant(b, loss.getLoc(), loss.getType(), 1.0);
  SmallVector<Operation *> missing;
  for (Operation *op : llvm::reverse(tape)) {
    SmallVector<Value> resultGrads;
    for (Value result : op->getResults())
      resultGrads.push_back(adjoints.lookup(result));
    if (llvm::none_of(resultGrads, [](Value g) { return bool(g); }))
      continue;
    auto differentiable = dyn_cast<DifferentiableOpInterface>(op);
    if (!differentiable) {
      missing.push_back(op);
      continue;
    }
    SmallVector<Value> operandGrads;
    if (failed(differentiable.buildVJP(b, resultGrads, operandGrads)))
      return failure();
    for (auto [operand, grad] :
         llvm::zip_equal(op->getOperands(), operandGrads)) {
      if (!grad || !active.contains(operand))
        continue;
      Value &sum = adjoints[operand];
      sum = sum ? b.create<AddOp>(op->getLoc(), sum, grad).getResult() : grad;
    }
  }
  if (!missing.empty()) {
    reportMissingGradients(loss, llvm::to_vector(llvm::reverse(missing)));
    return failure();
  }

  for (Value target : wrt) {
    Value grad = adjoints.lookup(target);
    grads.push_back(
        grad ? grad : splatConstant(b, target.getLoc(), target.getType(), 0.0));
  }
  return success();
}
