//===- ReadSettings.cpp - A recipe call's settings, checked ---------------===//
#include "frontends/lang/ReadSettings.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lang;
using llvm::dyn_cast;

namespace {
/// A call that names its first setting, for messages: `newton(lr = 1)`.
std::string example(ArrayRef<Setting> settings, StringRef kind) {
  std::string text = (kind + "(").str();
  if (!settings.empty()) {
    const Setting &first = settings.front();
    bool number = first.type != SettingType::Flag &&
                  first.type != SettingType::Text &&
                  first.type != SettingType::Milestones;
    text +=
        (first.name + " = ").str() +
        (number && !first.required ? formatNumber(first.defaultValue) : "...");
  }
  return text + ")";
}

/// The attribute the dictionary holds for `setting`, from the expressions
/// given for it; null after reporting.
Attribute readValue(GenContext &gen, const Setting &setting,
                    ArrayRef<const ast::Expr *> exprs) {
  Builder b(gen.getContext());
  const ast::Expr &expr = *exprs.front();
  switch (setting.type) {
  case SettingType::Count:
    if (std::optional<int64_t> v =
            gen.integer(expr, setting.name, setting.minimum))
      return b.getI64IntegerAttr(*v);
    return nullptr;
  case SettingType::Flag:
    if (std::optional<bool> v = gen.boolean(expr, setting.name))
      return b.getBoolAttr(*v);
    return nullptr;
  case SettingType::Text:
    if (auto *text = dyn_cast<ast::StringExpr>(&expr))
      return b.getStringAttr(text->value);
    gen.error(expr.loc) << setting.name << " must be a string";
    return nullptr;
  case SettingType::Milestones: {
    SmallVector<int64_t> values;
    for (const ast::Expr *e : exprs) {
      std::optional<int64_t> v = gen.integer(*e, "a milestone", 1);
      if (!v)
        return nullptr;
      if (!values.empty() && *v <= values.back()) {
        gen.error(e->loc) << "milestones must increase";
        return nullptr;
      }
      values.push_back(*v);
    }
    return b.getDenseI64ArrayAttr(values);
  }
  default:
    if (std::optional<double> v = gen.number(expr, setting.name))
      return b.getF64FloatAttr(*v);
    return nullptr;
  }
}
} // namespace

DictionaryAttr kiln::lang::readSettings(GenContext &gen, const SettingsCall &in,
                                        ArrayRef<Setting> settings,
                                        StringRef noun, StringRef kind,
                                        StringRef settingNoun) {
  Builder b(gen.getContext());
  Callable callable{(noun + " `" + kind + "`").str(), settingNoun,
                    example(settings, kind)};
  SmallVector<Slot> slots;
  for (auto [index, setting] : llvm::enumerate(settings)) {
    bool list = setting.type == SettingType::Milestones;
    slots.push_back({setting.name, setting.required && !in.base,
                     list || index < in.positional, list, setting.help});
  }
  BoundArgs bound =
      bindCall(gen, in.call, in.nameLoc, slots, callable, in.callerReads);
  NamedAttrList values;
  bool ok = bound.ok;
  for (auto [setting, exprs] : llvm::zip_equal(settings, bound.slots)) {
    if (exprs.empty()) {
      values.append(setting.name, in.base ? in.base.get(setting.name)
                                          : defaultSetting(b, setting));
      continue;
    }
    Attribute value = readValue(gen, setting, exprs);
    if (value) {
      std::string problem = checkSetting(setting, value);
      if (!problem.empty()) {
        gen.error(exprs.front()->loc)
            << "`" << setting.name << "` (" << setting.help << ") " << problem;
        value = nullptr;
      }
    }
    if (value)
      values.append(setting.name, value);
    ok &= bool(value);
  }
  if (!ok)
    return nullptr;
  return values.getDictionary(gen.getContext());
}
