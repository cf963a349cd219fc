//===- RecipeParts.h - Pieces of the train and data sections ----*- C++ -*-===//
//
// Private to frontends/lang: what Recipe.cpp (the train section),
// RecipeGroups.cpp (parameter groups) and DataRecipe.cpp (the data section)
// share.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTENDS_LANG_RECIPEPARTS_H
#define KILN_FRONTENDS_LANG_RECIPEPARTS_H

#include "frontends/lang/ReadSettings.h"

#include "llvm/ADT/StringMap.h"

namespace kiln::lang {

/// The bindings of a recipe section by key; reports unknown keys, and
/// repeated ones except `repeatable`, whose bindings go to `repeated` in
/// order.
llvm::StringMap<const ast::BindingStmt *> collectKeys(
    GenContext &gen, const ast::Section &section,
    llvm::ArrayRef<llvm::StringRef> validKeys, llvm::StringRef repeatable = "",
    llvm::SmallVectorImpl<const ast::BindingStmt *> *repeated = nullptr);

/// The kind and settings of a call-valued setting such as `optimizer =
/// sgd(lr = 0.1)`: `what` and `example` name it when `expr` is no call.
template <typename AttrT>
AttrT readCallSetting(GenContext &gen, const ast::Expr &expr,
                      llvm::StringRef what, llvm::StringRef example,
                      size_t positional = 0) {
  using Kind = decltype(std::declval<AttrT>().getKind());
  const ast::CallExpr *call = expectCall(gen, expr, what, example);
  if (!call)
    return nullptr;
  std::optional<Kind> kind = readKind<Kind>(gen, call->callee, call->calleeLoc);
  if (!kind)
    return nullptr;
  mlir::DictionaryAttr settings = readKindSettings(
      gen, SettingsCall{call, call->calleeLoc, positional}, *kind);
  return settings ? AttrT::get(gen.getContext(), *kind, settings) : nullptr;
}

/// `group = params("*.bias", "bn*", weight_decay = 0)` or `frozen = true`:
/// the parameters whose names match a pattern, with `optimizer`'s settings
/// overridden. Every pattern must match one of `paramNames`.
ParamGroupAttr buildGroup(GenContext &gen, const ast::Expr &expr,
                          OptimizerAttr optimizer,
                          llvm::ArrayRef<std::string> paramNames);

/// Reports at `loc` when `groups` freeze every parameter of `paramNames`.
void checkSomethingTrains(GenContext &gen,
                          llvm::ArrayRef<ParamGroupAttr> groups,
                          llvm::ArrayRef<std::string> paramNames,
                          ast::SourceLoc loc);

} // namespace kiln::lang

#endif // KILN_FRONTENDS_LANG_RECIPEPARTS_H
