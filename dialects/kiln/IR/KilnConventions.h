//===- KilnConventions.h - Attributes that describe a program ---*- C++ -*-===//
//
// Kiln keeps all training state explicit in function signatures. These
// attribute names say what each function, argument and result is, so passes,
// the manifest writer and the runtime agree without side tables.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_DIALECT_KILN_IR_KILNCONVENTIONS_H
#define KILN_DIALECT_KILN_IR_KILNCONVENTIONS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

namespace kiln {
namespace attr {
/// On a function: which runtime entry point it is ("eval", "train_step").
constexpr llvm::StringLiteral kEntry = "kiln.entry";
/// On an argument: "input", "label", "param" or "state".
constexpr llvm::StringLiteral kRole = "kiln.role";
/// On an argument or result: its user-visible name, e.g. "fc1.weight".
constexpr llvm::StringLiteral kName = "kiln.name";
/// On a param or state argument: how the runtime initialises it, e.g.
/// {kind = "uniform", low = -0.1, high = 0.1}.
constexpr llvm::StringLiteral kInit = "kiln.init";
/// On a result: "loss", "sample_loss", "logits", "grad", "param", "state".
constexpr llvm::StringLiteral kOutput = "kiln.output";
/// On the module: the model's name and source file.
constexpr llvm::StringLiteral kModel = "kiln.model";
constexpr llvm::StringLiteral kSource = "kiln.source";
/// On the module: the training recipe, {epochs, seed, optimizer = {name, ..}}.
constexpr llvm::StringLiteral kTrain = "kiln.train";
/// On the module: the data section, {dataset, dir, mean, std}.
constexpr llvm::StringLiteral kData = "kiln.data";
} // namespace attr

/// The function marked as entry point `entry`, or null.
inline mlir::func::FuncOp lookupEntry(mlir::ModuleOp module,
                                      llvm::StringRef entry) {
  for (auto fn : module.getOps<mlir::func::FuncOp>())
    if (auto name = fn->getAttrOfType<mlir::StringAttr>(attr::kEntry))
      if (name.getValue() == entry)
        return fn;
  return nullptr;
}

/// The string attribute `name` of argument `index`, or "".
inline llvm::StringRef argString(mlir::func::FuncOp fn, unsigned index,
                                 llvm::StringRef name) {
  auto value = fn.getArgAttrOfType<mlir::StringAttr>(index, name);
  return value ? value.getValue() : "";
}

/// The string attribute `name` of result `index`, or "".
inline llvm::StringRef resultString(mlir::func::FuncOp fn, unsigned index,
                                    llvm::StringRef name) {
  auto value = fn.getResultAttrOfType<mlir::StringAttr>(index, name);
  return value ? value.getValue() : "";
}

/// The attributes of an entry point's result: {kiln.output = `output`,
/// kiln.name = `name`}, without the name when it is null.
inline mlir::DictionaryAttr outputAttrs(mlir::Builder &b,
                                        llvm::StringRef output,
                                        mlir::StringAttr name = {}) {
  llvm::SmallVector<mlir::NamedAttribute, 2> entries{
      b.getNamedAttr(attr::kOutput, b.getStringAttr(output))};
  if (name)
    entries.push_back(b.getNamedAttr(attr::kName, name));
  return b.getDictionaryAttr(entries);
}

} // namespace kiln

#endif // KILN_DIALECT_KILN_IR_KILNCONVENTIONS_H
