//===- DataTargets.h - The data section's `targets` setting -----*- C++ -*-===//
//
// Private to frontends/lang. `targets` says what the runtime feeds the
// model's label: the dataset's class indices or per-pixel foreground masks
// computed from the images. It lives apart from Recipe.cpp because it must
// agree with the model section (the label's shape), so it reads the model's
// declarations too; acceptedDecl serves the other such setting,
// synthetic_logistic (SyntheticData.cpp).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTENDS_LANG_DATATARGETS_H
#define KILN_FRONTENDS_LANG_DATATARGETS_H

#include "frontends/lang/GenContext.h"

namespace kiln::lang {

/// The first input or label declaration of the model with its shape, when
/// ModelGen accepted it.
struct AcceptedDecl {
  const ast::DeclStmt *stmt = nullptr;
  llvm::SmallVector<int64_t> shape;
  int64_t elements = 1;
};

/// The model's first input (or label) declaration, if its element type and
/// dimensions are valid. ModelGen reports the problems of the others, so
/// the data settings that check declarations skip them rather than report
/// them twice.
std::optional<AcceptedDecl> acceptedDecl(GenContext &gen, bool isLabel);

/// Builds `{kind = "classes"}` or `{kind = "foreground_mask", threshold = T}`
/// from the value of `targets = ...` and checks that the model's label
/// declaration fits it. Reports errors through `gen`; returns nullptr when
/// the value itself is wrong.
mlir::DictionaryAttr buildTargets(GenContext &gen, const ast::Expr &value);

} // namespace kiln::lang

#endif // KILN_FRONTENDS_LANG_DATATARGETS_H
