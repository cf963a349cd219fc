//===- EntryPoints.cpp - Building and rewriting entry points --------------===//
#include "compiler/Transforms/EntryPoints.h"

#include "mlir/IR/SymbolTable.h"

using namespace mlir;
using namespace kiln;

FailureOr<EvalFunction> kiln::lookupEvalFunction(ModuleOp module) {
  func::FuncOp eval = lookupEntry(module, rt::Entry::Eval);
  if (!eval)
    return module.emitError("no function is marked kiln.entry = "
                            "#kiln.entry<eval>");
  SmallVector<unsigned> loss = resultsWithRole(eval, rt::Role::Loss);
  if (loss.empty())
    return eval.emitError("the model function returns no loss");
  return EvalFunction{eval, loss.front()};
}

func::FuncOp kiln::cloneEntry(func::FuncOp from, rt::Entry entry) {
  func::FuncOp clone = from.clone();
  clone.setSymName(llvm::StringRef(rt::name(entry)));
  clone->setAttr(attr::kEntry, EntryAttr::get(from.getContext(), entry));
  SymbolTable(from->getParentOfType<ModuleOp>()).insert(clone);
  return clone;
}

SmallVector<EntryResult> kiln::entryResults(func::FuncOp fn) {
  Operation *ret = fn.getBody().front().getTerminator();
  SmallVector<EntryResult> results;
  for (unsigned i = 0; i < fn.getNumResults(); ++i)
    results.push_back({ret->getOperand(i), fn.getResultAttrDict(i)});
  return results;
}

void kiln::setEntryResults(func::FuncOp fn, ArrayRef<EntryResult> results) {
  Operation *ret = fn.getBody().front().getTerminator();
  SmallVector<Value> values;
  SmallVector<DictionaryAttr> attrs;
  for (const EntryResult &result : results) {
    values.push_back(result.value);
    attrs.push_back(result.attrs);
  }
  OpBuilder b(ret);
  b.create<func::ReturnOp>(ret->getLoc(), values);
  ret->erase();
  fn.setFunctionType(
      b.getFunctionType(fn.getArgumentTypes(), ValueRange(values).getTypes()));
  fn.setAllResultAttrs(attrs);
}

BlockArgument kiln::appendArgument(func::FuncOp fn, Type type,
                                   DictionaryAttr attrs) {
  unsigned index = fn.getNumArguments();
  fn.insertArgument(index, type, attrs, fn.getLoc());
  return fn.getArgument(index);
}

LogicalResult kiln::rejectTrainingModeOps(func::FuncOp fn, StringRef method) {
  WalkResult training = fn.walk([&](TrainingModeOpInterface op) {
    op->emitOpError("behaves differently while training (batch statistics, "
                    "dropout masks); ")
        << method
        << " evaluates one deterministic loss, so the model must have no "
           "batch normalization or dropout";
    return WalkResult::interrupt();
  });
  return failure(training.wasInterrupted());
}
