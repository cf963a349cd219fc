//===- DataTargets.h - The data section's `targets` setting -----*- C++ -*-===//
//
// Private to frontends/lang. `targets` says what the runtime feeds the
// model's label: the dataset's class indices or per-pixel foreground masks
// computed from the images. It lives apart from Recipe.cpp because it is the
// one data setting that must agree with the model section (the label's
// shape), so it reads the model's declarations too.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTENDS_LANG_DATATARGETS_H
#define KILN_FRONTENDS_LANG_DATATARGETS_H

#include "frontends/lang/GenContext.h"

namespace kiln::lang {

/// Builds `{kind = "classes"}` or `{kind = "foreground_mask", threshold = T}`
/// from the value of `targets = ...` and checks that the model's label
/// declaration fits it. Reports errors through `gen`; returns nullptr when
/// the value itself is wrong.
mlir::DictionaryAttr buildTargets(GenContext &gen, const ast::Expr &value);

} // namespace kiln::lang

#endif // KILN_FRONTENDS_LANG_DATATARGETS_H
