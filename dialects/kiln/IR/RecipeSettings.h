//===- RecipeSettings.h - The settings each recipe kind takes ---*- C++ -*-===//
//
// A recipe names kinds (an optimizer, a schedule, an initialiser, a
// dataset...) and sets each kind's settings. Every kind lists its settings
// here once, with a type, range, default and help phrase, and states the
// rules that relate them (Nesterov needs momentum). The #kiln.<kind>
// attributes parse, print and verify against these lists, and frontends
// read a model file's values against the same lists, so both check alike.
//
// The attribute of a kind holds every setting, defaults included, in a
// dictionary: a Real is an f64 FloatAttr, a Count an i64 IntegerAttr, a Flag
// a BoolAttr, Text a StringAttr and Milestones a DenseI64ArrayAttr.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_DIALECT_KILN_IR_RECIPESETTINGS_H
#define KILN_DIALECT_KILN_IR_RECIPESETTINGS_H

#include "kiln/abi/program.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectImplementation.h"

#include "dialects/kiln/IR/KilnEnums.h.inc"

#include <optional>
#include <string>

namespace kiln {

/// The values a setting takes.
enum class SettingType {
  Real,         ///< any number
  NonNegative,  ///< a number >= 0
  Positive,     ///< a number > 0
  UnitInterval, ///< a number in [0, 1)
  Count,        ///< a whole number >= `minimum`
  Flag,         ///< true or false
  Text,         ///< a string
  Milestones,   ///< an increasing list of whole numbers >= 1
};

struct Setting {
  llvm::StringRef name;
  SettingType type;
  /// The default of a number or flag (0 or 1); Text defaults to `text`.
  double defaultValue;
  /// Required settings have no default.
  bool required;
  llvm::StringRef help;
  llvm::StringRef defaultText = "";
  /// The smallest Count.
  int64_t minimum = 0;
};

/// What is wrong with a kind's settings: the setting to point at, and the
/// message, e.g. {"c", "`c` (sufficient-decrease factor) must be in (0,
/// 0.5]"}.
struct SettingProblem {
  std::string key;
  std::string message;
};

/// Each kind enum's noun ("optimizer"), its plural and what its settings
/// are called ("hyper-parameter"), its spelling, cases and settings, and the
/// rules among settings that are each in range (checkRules).
template <typename Kind> struct KindInfo;

#define KILN_KIND_INFO(Kind, Noun, Plural, SettingNoun)                        \
  template <> struct KindInfo<Kind> {                                          \
    static constexpr llvm::StringLiteral noun = Noun;                          \
    static constexpr llvm::StringLiteral plural = Plural;                      \
    static constexpr llvm::StringLiteral settingNoun = SettingNoun;            \
    static llvm::StringRef name(Kind kind);                                    \
    static std::optional<Kind> parse(llvm::StringRef text);                    \
    static llvm::SmallVector<Kind> all();                                      \
    static llvm::ArrayRef<Setting> settings(Kind kind);                        \
    static std::optional<SettingProblem> checkRules(Kind kind,                 \
                                                    mlir::DictionaryAttr s);   \
  };
KILN_KIND_INFO(OptimizerKind, "optimizer", "optimizers", "hyper-parameter")
KILN_KIND_INFO(ScheduleKind, "schedule", "schedules", "setting")
KILN_KIND_INFO(WarmupKind, "warm-up", "warm-ups", "setting")
KILN_KIND_INFO(ClipKind, "gradient clipping", "clipping kinds", "setting")
KILN_KIND_INFO(LineSearchKind, "line search", "line searches", "setting")
KILN_KIND_INFO(rt::Init, "initialiser", "initialisers", "setting")
KILN_KIND_INFO(rt::Dataset, "dataset", "datasets", "setting")
KILN_KIND_INFO(rt::Targets, "targets", "targets", "setting")
#undef KILN_KIND_INFO

/// The setting `name` of `settings`, or null.
const Setting *lookupSetting(llvm::ArrayRef<Setting> settings,
                             llvm::StringRef name);

/// Why `value` cannot be setting `setting`, as a phrase such as "must be
/// positive"; empty when it can.
std::string checkSetting(const Setting &setting, mlir::Attribute value);
/// The default of `setting` as the attribute the dictionary holds.
mlir::Attribute defaultSetting(mlir::Builder &b, const Setting &setting);

/// The problems of `settings` as the settings of a kind with `expected`:
/// unknown or missing keys, values of the wrong type or out of range.
std::optional<SettingProblem> checkSettings(llvm::ArrayRef<Setting> expected,
                                            mlir::DictionaryAttr settings);

template <typename Kind>
llvm::LogicalResult
verifySettings(llvm::function_ref<mlir::InFlightDiagnostic()> emitError,
               Kind kind, mlir::DictionaryAttr settings) {
  std::optional<SettingProblem> problem =
      checkSettings(KindInfo<Kind>::settings(kind), settings);
  if (!problem)
    problem = KindInfo<Kind>::checkRules(kind, settings);
  if (!problem)
    return llvm::success();
  return emitError() << KindInfo<Kind>::noun << " `"
                     << KindInfo<Kind>::name(kind) << "`: " << problem->message;
}

/// Parses `key = value, ...` against `expected` (the `noun` `kind`, for
/// messages) into a dictionary with every setting, defaults filled in.
mlir::DictionaryAttr parseSettings(mlir::AsmParser &parser,
                                   llvm::ArrayRef<Setting> expected,
                                   llvm::StringRef noun, llvm::StringRef kind);
/// Prints `, key = value` for every setting, in `expected`'s order.
void printSettings(mlir::AsmPrinter &printer, llvm::ArrayRef<Setting> expected,
                   mlir::DictionaryAttr settings);

/// `<kind, key = value, ...>`, the form of every settings attribute.
template <typename AttrT>
mlir::Attribute parseSettingsAttr(mlir::AsmParser &p) {
  using Kind = decltype(std::declval<AttrT>().getKind());
  llvm::StringRef word;
  llvm::SMLoc loc = p.getCurrentLocation();
  if (p.parseLess() || p.parseKeyword(&word))
    return {};
  std::optional<Kind> kind = KindInfo<Kind>::parse(word);
  if (!kind) {
    mlir::InFlightDiagnostic diag = p.emitError(loc)
                                    << "unknown " << KindInfo<Kind>::noun
                                    << " `" << word << "`; expected one of";
    for (Kind known : KindInfo<Kind>::all())
      diag << " " << KindInfo<Kind>::name(known);
    return {};
  }
  mlir::DictionaryAttr settings =
      parseSettings(p, KindInfo<Kind>::settings(*kind), KindInfo<Kind>::noun,
                    KindInfo<Kind>::name(*kind));
  if (!settings || p.parseGreater())
    return {};
  return AttrT::getChecked([&] { return p.emitError(loc); }, p.getContext(),
                           *kind, settings);
}

template <typename Kind>
void printSettingsAttr(mlir::AsmPrinter &printer, Kind kind,
                       mlir::DictionaryAttr settings) {
  printer << "<" << KindInfo<Kind>::name(kind);
  printSettings(printer, KindInfo<Kind>::settings(kind), settings);
  printer << ">";
}

/// Reads setting `key` of a verified dictionary.
double settingReal(mlir::DictionaryAttr settings, llvm::StringRef key);
int64_t settingCount(mlir::DictionaryAttr settings, llvm::StringRef key);
bool settingFlag(mlir::DictionaryAttr settings, llvm::StringRef key);
llvm::StringRef settingText(mlir::DictionaryAttr settings, llvm::StringRef key);
llvm::ArrayRef<int64_t> settingList(mlir::DictionaryAttr settings,
                                    llvm::StringRef key);

} // namespace kiln

#endif // KILN_DIALECT_KILN_IR_RECIPESETTINGS_H
