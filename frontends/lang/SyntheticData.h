//===- SyntheticData.h - The synthetic_logistic dataset ---------*- C++ -*-===//
//
// Private to frontends/lang. `dataset = synthetic_logistic(n, d, bias, seed)`
// asks the training binary to generate a logistic-regression problem instead
// of reading files (docs/language.md). Like `targets` it must agree with the
// model section, so it checks the input and label declarations here, where
// a mismatch can be shown in the source.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTENDS_LANG_SYNTHETICDATA_H
#define KILN_FRONTENDS_LANG_SYNTHETICDATA_H

#include "frontends/lang/GenContext.h"

namespace kiln::lang {

/// The dataset's name in the language and in the manifest.
constexpr llvm::StringLiteral kSyntheticLogistic = "synthetic_logistic";

/// Builds `{n, d, bias, seed}` from the call `synthetic_logistic(...)` and
/// checks that the model's input is [batch, d], its label a float [batch]
/// and that n holds a batch. Reports errors through `gen`; returns nullptr
/// when the call itself is wrong.
mlir::DictionaryAttr buildSyntheticLogistic(GenContext &gen,
                                            const ast::CallExpr &call);

} // namespace kiln::lang

#endif // KILN_FRONTENDS_LANG_SYNTHETICDATA_H
