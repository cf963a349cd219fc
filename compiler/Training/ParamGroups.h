//===- ParamGroups.h - Parameter groups of a recipe -------------*- C++ -*-===//
//
// kiln.train's `groups`: name patterns, each with its own optimizer
// settings or `frozen`. kiln-build-training-step differentiates only the
// parameters that are not frozen, and kiln-insert-optimizer gives each the
// settings of its group; both read the groups through here so they agree on
// which parameter is which:
//   groups = [{patterns = ["*.bias"], optimizer = {...}, frozen = false}]
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_TRAINING_PARAMGROUPS_H
#define KILN_COMPILER_TRAINING_PARAMGROUPS_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/GlobPattern.h"

namespace kiln {

struct ParamGroup {
  llvm::SmallVector<llvm::GlobPattern> patterns;
  /// The optimizer's settings with the group's overrides applied.
  mlir::DictionaryAttr optimizer;
  bool frozen = false;

  bool matches(llvm::StringRef name) const;
};

/// The groups of the module's kiln.train (none without them); reports a
/// malformed entry on `module`.
llvm::FailureOr<llvm::SmallVector<ParamGroup>>
readParamGroups(mlir::ModuleOp module);
/// The groups of a `groups` array; reports a malformed entry at `loc`.
llvm::FailureOr<llvm::SmallVector<ParamGroup>>
parseParamGroups(mlir::ArrayAttr entries, mlir::Location loc);

/// The first group that matches the parameter `name`, or null: a parameter
/// takes the settings of the first group that names it.
const ParamGroup *findGroup(llvm::ArrayRef<ParamGroup> groups,
                            llvm::StringRef name);

} // namespace kiln

#endif // KILN_COMPILER_TRAINING_PARAMGROUPS_H
