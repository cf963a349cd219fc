//===- KilnConventions.h - Where a program's attributes live ----*- C++ -*-===//
//
// Kiln keeps all training state explicit in function signatures; the typed
// attributes of KilnAttrs.td say what everything is. These are their names
// and the typed accessors passes use, so no pass spells an attribute name or
// a role as a string.
//
//   module       kiln.model (name), kiln.source (file), kiln.train
//                (#kiln.train), kiln.data (#kiln.data), kiln.manifest (JSON
//                for the runtime, from kiln-attach-manifest)
//   function     kiln.entry (#kiln.entry): which entry point it is
//   argument     kiln.role (#kiln.role, an argument role), kiln.name,
//                kiln.init (#kiln.init, for params, buffers and state)
//   result       kiln.role (#kiln.role, a result role), kiln.name,
//                kiln.prediction (#kiln.prediction, on eval's logits)
//
//===----------------------------------------------------------------------===//
#ifndef KILN_DIALECT_KILN_IR_KILNCONVENTIONS_H
#define KILN_DIALECT_KILN_IR_KILNCONVENTIONS_H

#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

namespace kiln {
namespace attr {
constexpr llvm::StringLiteral kEntry = "kiln.entry";
constexpr llvm::StringLiteral kRole = "kiln.role";
constexpr llvm::StringLiteral kName = "kiln.name";
constexpr llvm::StringLiteral kInit = "kiln.init";
constexpr llvm::StringLiteral kPrediction = "kiln.prediction";
constexpr llvm::StringLiteral kModel = "kiln.model";
constexpr llvm::StringLiteral kSource = "kiln.source";
constexpr llvm::StringLiteral kTrain = "kiln.train";
constexpr llvm::StringLiteral kData = "kiln.data";
constexpr llvm::StringLiteral kManifest = "kiln.manifest";
} // namespace attr

/// The function marked as entry point `entry`, or null.
mlir::func::FuncOp lookupEntry(mlir::ModuleOp module, rt::Entry entry);
/// The entry point `fn` is, if any.
std::optional<rt::Entry> entryOf(mlir::func::FuncOp fn);

/// The role of argument or result `index`, if it has one.
std::optional<rt::Role> argRole(mlir::func::FuncOp fn, unsigned index);
std::optional<rt::Role> resultRole(mlir::func::FuncOp fn, unsigned index);
/// The kiln.name of argument or result `index`, or null.
mlir::StringAttr argName(mlir::func::FuncOp fn, unsigned index);
mlir::StringAttr resultName(mlir::func::FuncOp fn, unsigned index);

/// The arguments of `fn` with role `role`, in order.
llvm::SmallVector<mlir::BlockArgument> argsWithRole(mlir::func::FuncOp fn,
                                                    rt::Role role);
/// The indices of the results of `fn` with role `role`, in order.
llvm::SmallVector<unsigned> resultsWithRole(mlir::func::FuncOp fn,
                                            rt::Role role);

/// {kiln.role = `role`, kiln.name = `name`, kiln.init = `init`}, leaving out
/// what is null: the attributes of an argument or result.
mlir::DictionaryAttr roleAttrs(mlir::MLIRContext *ctx, rt::Role role,
                               mlir::StringAttr name = {}, InitAttr init = {});

/// Initialisers: zeros, a constant (zeros when `value` is 0), U[low, high),
/// N(mean, std^2).
InitAttr zerosInit(mlir::MLIRContext *ctx);
InitAttr constantInit(mlir::MLIRContext *ctx, double value);
InitAttr uniformInit(mlir::MLIRContext *ctx, double low, double high);
InitAttr normalInit(mlir::MLIRContext *ctx, double mean, double std);

/// The module's training recipe and data, or null.
TrainRecipeAttr getTrainRecipe(mlir::ModuleOp module);
DataAttr getDataRecipe(mlir::ModuleOp module);

} // namespace kiln

#endif // KILN_DIALECT_KILN_IR_KILNCONVENTIONS_H
