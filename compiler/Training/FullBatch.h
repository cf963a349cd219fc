//===- FullBatch.h - Newton's method and line searches ----------*- C++ -*-===//
//
// Small convex problems can be solved with the whole training set as one
// batch: Newton's method (`optimizer = newton(lr = 1)`) and backtracking
// line searches (`line_search = armijo(...)`). Their iterations are driven by
// the runtime, which calls @train_step for the loss and the gradients,
// @hessian for Newton's Hessian and @eval for the trial points of the line
// search; the compiled step therefore carries no update. This registry holds
// their checked settings, like Optimizers.h and Schedules.h do for the
// stochastic optimizers, so the frontend and the passes agree on them.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_TRAINING_FULLBATCH_H
#define KILN_COMPILER_TRAINING_FULLBATCH_H

#include "compiler/Training/HyperParameters.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace kiln {

/// The optimizer name of Newton's method, which has no OptimizerRule: its
/// step H^-1 g is solved by the runtime.
constexpr llvm::StringLiteral kNewton = "newton";

/// newton(lr = 1): the step length without a line search.
llvm::ArrayRef<HyperParameter> newtonParameters();

/// A setting outside the range its method allows.
struct SettingProblem {
  llvm::StringRef key; ///< the setting to point at
  std::string problem; ///< e.g. "`c` (...) must be in (0, 0.5]"; empty: none
};

/// A backtracking line search: its name, settings and help.
struct LineSearchKind {
  llvm::StringLiteral name;
  llvm::StringLiteral help;
  llvm::ArrayRef<HyperParameter> parameters;
  /// Checks the bounds that HyperRange cannot express.
  SettingProblem (*check)(const HyperConfig &config);
};

/// Every line search, for lookups and suggestions.
llvm::ArrayRef<LineSearchKind> allLineSearches();
/// The line search called `name`, or null.
const LineSearchKind *lookupLineSearch(llvm::StringRef name);

/// Whether the module's kiln.train asks for Newton's method.
bool isNewtonRecipe(mlir::DictionaryAttr train);
/// Whether the module's kiln.train asks for a full-batch method (Newton's
/// method or a line search), whose iterations the runtime drives.
bool isFullBatchRecipe(mlir::DictionaryAttr train);

/// Reports the first op of `fn` with a training form (batch norm, dropout):
/// `method` ("Newton's method", "a line search") compares losses of one
/// deterministic function, which such ops are not while training.
mlir::LogicalResult rejectTrainingModeOps(mlir::func::FuncOp fn,
                                          llvm::StringRef method);

} // namespace kiln

#endif // KILN_COMPILER_TRAINING_FULLBATCH_H
