//===- HyperParameters.h - Checked settings of training recipes -*- C++ -*-===//
//
// Optimizers and learning-rate schedules describe their settings the same
// way: a name, a default, a valid range and a help phrase. The frontend
// checks a model file's values against these descriptions and writes every
// setting, defaults included, into a dictionary attribute of kiln.train;
// the passes read that dictionary back through HyperConfig.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_TRAINING_HYPERPARAMETERS_H
#define KILN_COMPILER_TRAINING_HYPERPARAMETERS_H

#include "mlir/IR/BuiltinAttributes.h"

#include <string>

namespace kiln {

/// The values a hyper-parameter may take.
enum class HyperRange {
  Real,
  NonNegative,
  Positive,
  UnitInterval,
  Count, ///< a whole number >= 0, stored as f64 like the others
  Bool
};

struct HyperParameter {
  llvm::StringLiteral name;
  double defaultValue; // 0 or 1 for Bool
  HyperRange range;
  bool required;
  llvm::StringLiteral help;
};

/// Checks `value` against `range`; returns a phrase such as "must be
/// positive" when it is outside, or an empty string.
std::string checkHyperRange(HyperRange range, double value);

/// The `parameters` called `name`, or null.
const HyperParameter *
lookupHyperParameter(llvm::ArrayRef<HyperParameter> parameters,
                     llvm::StringRef name);

/// Checks that `dict` holds each of `params` with the attribute its range
/// needs (a bool, else an f64 in range); returns the first problem, e.g.
/// "`gamma` is missing", or an empty string. Passes check hand-written IR
/// with it before reading values through HyperConfig.
std::string verifyHyperConfig(mlir::DictionaryAttr dict,
                              llvm::ArrayRef<HyperParameter> params);

/// A recipe entry as stored in IR: a dictionary holding `name` and every
/// hyper-parameter (the frontend fills in defaults).
class HyperConfig {
public:
  explicit HyperConfig(mlir::DictionaryAttr dict) : dict(dict) {}
  llvm::StringRef name() const;
  double real(llvm::StringRef key) const;
  bool flag(llvm::StringRef key) const;
  mlir::DictionaryAttr getDictionary() const { return dict; }

private:
  mlir::DictionaryAttr dict;
};

} // namespace kiln

#endif // KILN_COMPILER_TRAINING_HYPERPARAMETERS_H
