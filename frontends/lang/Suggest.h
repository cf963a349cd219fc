//===- Suggest.h - "did you mean" for misspelt names ------------*- C++ -*-===//
#ifndef KILN_FRONTENDS_LANG_SUGGEST_H
#define KILN_FRONTENDS_LANG_SUGGEST_H

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace kiln::lang {

/// The candidate closest to `word` by edit distance, if it is close enough to
/// be a likely typo.
std::optional<llvm::StringRef>
closestMatch(llvm::StringRef word, llvm::ArrayRef<llvm::StringRef> candidates);

/// Attaches "did you mean `X`?" to `diag` when a candidate is close to `word`,
/// else a note listing what is valid, e.g. "valid layers: flatten, linear".
void suggest(mlir::InFlightDiagnostic &diag, mlir::Location loc,
             llvm::StringRef word, llvm::ArrayRef<llvm::StringRef> candidates,
             llvm::StringRef what);

} // namespace kiln::lang

#endif // KILN_FRONTENDS_LANG_SUGGEST_H
