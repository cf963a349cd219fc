//===- DataRecipe.cpp - The data section ----------------------------------===//
//
// Turns the data section into the module's #kiln.data: the dataset
// (`fashion_mnist`, read from `dir` and standardized by `normalize`, or a
// generated `synthetic_logistic(n, d, bias, seed)`) and what the label of a
// sample is (`targets`). The section may be absent: Fashion-MNIST from its
// Debian package, class labels. Each setting is checked against the
// dialect's vocabulary, and against the model's declarations (DataFit.h).
//
//===----------------------------------------------------------------------===//
#include "frontends/lang/DataFit.h"
#include "frontends/lang/RecipeParts.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lang;
using llvm::dyn_cast;
using llvm::StringMap;

namespace {
/// The name a kind is written with, bare or called, and the call if any.
std::pair<StringRef, const ast::CallExpr *> kindName(const ast::Expr &expr) {
  if (auto *ident = dyn_cast<ast::IdentExpr>(&expr))
    return {ident->name, nullptr};
  if (auto *call = dyn_cast<ast::CallExpr>(&expr))
    return {call->callee, call};
  return {"", nullptr};
}

/// The settings of `kind` read from `expr`, a bare name or a call.
template <typename Kind>
std::optional<std::pair<Kind, DictionaryAttr>>
readNamedKind(GenContext &gen, const ast::Expr &expr, StringRef what,
              StringRef example) {
  auto [name, call] = kindName(expr);
  if (name.empty()) {
    gen.error(expr.loc) << what << " must be a name or a call such as `"
                        << example << "`";
    return std::nullopt;
  }
  ast::SourceLoc at = call ? call->calleeLoc : expr.loc;
  std::optional<Kind> kind = readKind<Kind>(gen, name, at);
  if (!kind)
    return std::nullopt;
  DictionaryAttr settings =
      readKindSettings(gen, SettingsCall{call, at}, *kind);
  if (!settings)
    return std::nullopt;
  return std::pair{*kind, settings};
}

/// Fashion-MNIST's settings: `dir`, and `normalize = standardize(mean = M,
/// std = S)` for mean and std.
DictionaryAttr
fashionMnistSettings(GenContext &gen,
                     const StringMap<const ast::BindingStmt *> &keys) {
  Builder b(gen.getContext());
  ArrayRef<Setting> settings =
      KindInfo<rt::Dataset>::settings(rt::Dataset::FashionMnist);
  NamedAttrList values;
  for (const Setting &setting : settings)
    values.append(setting.name, defaultSetting(b, setting));
  if (const ast::BindingStmt *binding = keys.lookup("dir")) {
    if (auto *path = dyn_cast<ast::StringExpr>(binding->value.get()))
      values.set("dir", b.getStringAttr(path->value));
    else
      gen.error(binding->value->loc) << "dir must be a string";
  }
  if (const ast::BindingStmt *binding = keys.lookup("normalize")) {
    auto *call = dyn_cast<ast::CallExpr>(binding->value.get());
    if (!call || call->callee != "standardize") {
      gen.error(binding->value->loc)
          << "normalize must be `standardize(mean = M, std = S)`";
      return nullptr;
    }
    SmallVector<Setting> standardize;
    for (const Setting &setting : settings)
      if (setting.name != "dir") {
        standardize.push_back(setting);
        standardize.back().required = true;
      }
    DictionaryAttr given =
        readSettings(gen, SettingsCall{call, call->calleeLoc}, standardize,
                     "normalization", "standardize");
    if (!given)
      return nullptr;
    for (NamedAttribute entry : given)
      values.set(entry.getName(), entry.getValue());
  }
  return values.getDictionary(gen.getContext());
}

/// `dataset = ...`, with the settings that belong to it.
DatasetAttr buildDataset(GenContext &gen,
                         const StringMap<const ast::BindingStmt *> &keys) {
  MLIRContext *ctx = gen.getContext();
  const ast::BindingStmt *binding = keys.lookup("dataset");
  auto [name, call] =
      binding ? kindName(*binding->value)
              : std::pair{rt::name(rt::Dataset::FashionMnist), nullptr};
  if (name.empty()) {
    gen.error(binding->value->loc)
        << "dataset must be `fashion_mnist` or a call such as "
           "`synthetic_logistic(n = 1000, d = 10)`";
    return nullptr;
  }
  ast::SourceLoc at = call      ? call->calleeLoc
                      : binding ? binding->value->loc
                                : ast::SourceLoc{1, 1};
  std::optional<rt::Dataset> kind = readKind<rt::Dataset>(gen, name, at);
  if (!kind)
    return nullptr;
  if (*kind == rt::Dataset::FashionMnist) {
    if (call) {
      gen.error(call->calleeLoc) << "`fashion_mnist` takes no arguments: set "
                                    "`dir` and `normalize` in the data section";
      return nullptr;
    }
    DictionaryAttr settings = fashionMnistSettings(gen, keys);
    return settings ? DatasetAttr::get(ctx, *kind, settings) : nullptr;
  }
  // synthetic_logistic reads no files and generates its own targets.
  for (StringRef key : {"dir", "normalize", "targets"})
    if (const ast::BindingStmt *other = keys.lookup(key))
      gen.error(other->nameLoc)
          << "`" << key << "` does not apply to `" << name << "`";
  DictionaryAttr settings =
      readKindSettings(gen, SettingsCall{call, at}, *kind);
  if (!settings)
    return nullptr;
  // Its settings include the required n and d, so it was a call.
  const ast::KeywordArg *n = call->findKeyword("n");
  checkSyntheticFit(gen, *call, n ? n->value->loc : at,
                    settingCount(settings, "n"), settingCount(settings, "d"));
  return DatasetAttr::get(ctx, *kind, settings);
}
} // namespace

DataAttr kiln::lang::buildDataRecipe(GenContext &gen,
                                     const ast::Section *section) {
  MLIRContext *ctx = gen.getContext();
  StringMap<const ast::BindingStmt *> keys;
  if (section)
    keys =
        collectKeys(gen, *section, {"dataset", "dir", "normalize", "targets"});
  DatasetAttr dataset = buildDataset(gen, keys);
  // Class labels when absent (docs/language.md); written only when set, so
  // files without `targets` keep their IR.
  TargetsAttr targets;
  if (const ast::BindingStmt *binding = keys.lookup("targets")) {
    auto kind = readNamedKind<rt::Targets>(gen, *binding->value, "targets",
                                           "foreground_mask(threshold = 0.5)");
    if (kind) {
      checkTargetsFit(gen, kind->first, binding->value->loc);
      targets = TargetsAttr::get(ctx, kind->first, kind->second);
    }
  }
  if (!dataset)
    return nullptr;
  return DataAttr::get(ctx, dataset, targets);
}
