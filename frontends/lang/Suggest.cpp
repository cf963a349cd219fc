//===- Suggest.cpp - "did you mean" for misspelt names --------------------===//
//
// Like clang's typo correction: a name within a small edit distance of a
// valid one is most likely a typo of it; otherwise listing the valid names is
// the most useful hint.
//
//===----------------------------------------------------------------------===//
#include "frontends/lang/Suggest.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace kiln::lang;

std::optional<llvm::StringRef>
kiln::lang::closestMatch(llvm::StringRef word,
                         llvm::ArrayRef<llvm::StringRef> candidates) {
  unsigned limit = std::max<unsigned>(2, word.size() / 3);
  std::optional<llvm::StringRef> best;
  unsigned bestDistance = limit + 1;
  for (llvm::StringRef candidate : candidates) {
    unsigned distance = word.edit_distance(candidate, true, limit);
    // Replacing every character of a short word by others is no typo: `a`
    // is not a misspelt `x`, but `rl` may well be a swapped `lr`.
    if (distance >= word.size() &&
        word.find_first_of(candidate) == llvm::StringRef::npos)
      continue;
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

void kiln::lang::suggest(mlir::InFlightDiagnostic &diag, mlir::Location loc,
                         llvm::StringRef word,
                         llvm::ArrayRef<llvm::StringRef> candidates,
                         llvm::StringRef what) {
  if (std::optional<llvm::StringRef> match = closestMatch(word, candidates)) {
    diag.attachNote(loc) << "did you mean `" << *match << "`?";
    return;
  }
  if (candidates.empty())
    return;
  std::string list;
  llvm::raw_string_ostream os(list);
  llvm::interleaveComma(candidates, os);
  diag.attachNote(loc) << "valid " << what << ": " << list;
}
