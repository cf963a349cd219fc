//===- EntryPoints.h - Building and rewriting entry points ------*- C++ -*-===//
//
// The training passes derive entry points from the model's @model (eval)
// function and change their signatures: @train_step, @hessian and @predict
// are clones with other results, and the optimizer adds state arguments.
// These helpers are the one way to do so, keeping every result's
// kiln.role and kiln.name beside its value.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_TRANSFORMS_ENTRYPOINTS_H
#define KILN_COMPILER_TRANSFORMS_ENTRYPOINTS_H

#include "dialects/kiln/IR/KilnConventions.h"

namespace kiln {

/// A result of an entry point: the value returned and its attributes
/// ({kiln.role, kiln.name, ...}).
struct EntryResult {
  mlir::Value value;
  mlir::DictionaryAttr attrs;
};

/// The model's evaluation function (kiln.entry = eval), which the other
/// entry points are cloned from, and the index of its loss.
struct EvalFunction {
  mlir::func::FuncOp fn;
  unsigned lossIndex;
};
/// Reports a module without an eval function or an eval without a loss.
llvm::FailureOr<EvalFunction> lookupEvalFunction(mlir::ModuleOp module);

/// Clones `from` into the module as entry point `entry`, named after it.
mlir::func::FuncOp cloneEntry(mlir::func::FuncOp from, rt::Entry entry);

/// What `fn` returns now, with the attributes of each result.
llvm::SmallVector<EntryResult> entryResults(mlir::func::FuncOp fn);
/// Makes `fn` return `results` in order, with their attributes.
void setEntryResults(mlir::func::FuncOp fn,
                     llvm::ArrayRef<EntryResult> results);
/// Appends an argument of `type` with `attrs` to `fn`.
mlir::BlockArgument appendArgument(mlir::func::FuncOp fn, mlir::Type type,
                                   mlir::DictionaryAttr attrs);

/// Reports the first op of `fn` with a training form (batch norm, dropout):
/// `method` ("Newton's method", "a line search") compares losses of one
/// deterministic function, which such ops are not while training.
llvm::LogicalResult rejectTrainingModeOps(mlir::func::FuncOp fn,
                                          llvm::StringRef method);

} // namespace kiln

#endif // KILN_COMPILER_TRANSFORMS_ENTRYPOINTS_H
