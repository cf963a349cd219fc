//===- Clipping.h - The kinds of gradient clipping --------------*- C++ -*-===//
//
// The `clip` setting of a train section, shared by the frontend, which checks
// a recipe against these kinds, and kiln-clip-gradients, which reads the
// module's kiln.train attribute they describe:
//   clip = {kind = "global_norm", max_norm = 5.0 : f64}
// Header-only: both sides need only the names.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_TRAINING_CLIPPING_H
#define KILN_COMPILER_TRAINING_CLIPPING_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace kiln {

struct ClipKind {
  llvm::StringLiteral name;
  /// The threshold's key in the attribute and its keyword in the language,
  /// PyTorch's argument name.
  llvm::StringLiteral threshold;
  llvm::StringLiteral help;
};

inline llvm::ArrayRef<ClipKind> allClipKinds() {
  static const ClipKind kinds[] = {
      {"value", "clip_value", "largest gradient element magnitude"},
      {"global_norm", "max_norm", "largest L2 norm of all gradients together"},
      {"tensor_norm", "max_norm", "largest L2 norm of each gradient"},
  };
  return kinds;
}

inline const ClipKind *lookupClipKind(llvm::StringRef name) {
  for (const ClipKind &kind : allClipKinds())
    if (kind.name == name)
      return &kind;
  return nullptr;
}

/// torch.nn.utils.clip_grad_norm_ divides by norm + 1e-6, so a zero gradient
/// stays finite.
constexpr double kClipNormEpsilon = 1e-6;

} // namespace kiln

#endif // KILN_COMPILER_TRAINING_CLIPPING_H
