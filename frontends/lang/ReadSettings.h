//===- ReadSettings.h - A recipe call's settings, checked -------*- C++ -*-===//
//
// Private to frontends/lang. Optimizers, schedules, warm-ups, clipping, line
// searches, datasets and targets are calls whose keyword arguments are the
// settings the dialect lists for their kind (RecipeSettings.h). readSettings
// reads them against that list, checks each value where it is written, with
// the dialect's own checks, fills in defaults, and reports the kind's rules
// at the setting they name, so the attribute built from the result verifies.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTENDS_LANG_READSETTINGS_H
#define KILN_FRONTENDS_LANG_READSETTINGS_H

#include "frontends/lang/CallBinding.h"

namespace kiln::lang {

/// How to read one call's settings.
struct SettingsCall {
  const ast::CallExpr *call = nullptr; ///< null: a bare name, all defaults
  ast::SourceLoc nameLoc;              ///< where the kind is named
  /// The first `positional` settings may be given by position (clipping's
  /// threshold); Milestones always are.
  size_t positional = 0;
  /// Values of settings the call does not give (a parameter group's
  /// optimizer); else the defaults.
  mlir::DictionaryAttr base = nullptr;
  /// What the caller reads itself (a group's patterns and `frozen`).
  CallerReads callerReads = {};
};

/// The settings of the `noun` `kind` (e.g. "optimizer", "sgd") from `in`
/// against `settings`, which messages call `settingNoun`s; null after
/// reporting.
mlir::DictionaryAttr readSettings(GenContext &gen, const SettingsCall &in,
                                  llvm::ArrayRef<Setting> settings,
                                  llvm::StringRef noun, llvm::StringRef kind,
                                  llvm::StringRef settingNoun = "setting");

/// readSettings for the kind `kind` of KindInfo, with its rules checked.
template <typename Kind>
mlir::DictionaryAttr readKindSettings(GenContext &gen, const SettingsCall &in,
                                      Kind kind) {
  using Info = KindInfo<Kind>;
  mlir::DictionaryAttr settings =
      readSettings(gen, in, Info::settings(kind), Info::noun, Info::name(kind),
                   Info::settingNoun);
  if (!settings)
    return nullptr;
  if (std::optional<SettingProblem> problem =
          Info::checkRules(kind, settings)) {
    const ast::KeywordArg *kw =
        in.call ? in.call->findKeyword(problem->key) : nullptr;
    gen.error(kw ? kw->value->loc : in.nameLoc)
        << Info::noun << " `" << Info::name(kind) << "`: " << problem->message;
    return nullptr;
  }
  return settings;
}

} // namespace kiln::lang

#endif // KILN_FRONTENDS_LANG_READSETTINGS_H
