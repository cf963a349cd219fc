//===- DataFit.h - Does the model fit its data? -----------------*- C++ -*-===//
//
// Private to frontends/lang. The data section's `targets` and a generated
// dataset (synthetic_logistic) decide what the runtime feeds the model's
// input and label, so they must agree with the model section's
// declarations. These checks run at compile time, where a mismatch can be
// shown in the source.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTENDS_LANG_DATAFIT_H
#define KILN_FRONTENDS_LANG_DATAFIT_H

#include "frontends/lang/GenContext.h"

#include "kiln/abi/program.h"

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

/// Reports a label declaration that cannot hold what `targets` produces:
/// class indices i32[N], or masks i32[N, H, W] with one pixel per input
/// feature. `targetsLoc` is where the targets are set.
void checkTargetsFit(GenContext &gen, rt::Targets targets,
                     ast::SourceLoc targetsLoc);

/// Reports an input that is not [batch, d] or a label that is not a float
/// [batch] for synthetic_logistic(n, d, ...) at `call`, and an n smaller
/// than a batch (at `nLoc`).
void checkSyntheticFit(GenContext &gen, const ast::CallExpr &call,
                       ast::SourceLoc nLoc, int64_t n, int64_t d);

} // namespace kiln::lang

#endif // KILN_FRONTENDS_LANG_DATAFIT_H
