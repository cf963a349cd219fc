//===- RecipeSettings.cpp - Checking, parsing and printing settings -------===//
//
// The generic half of RecipeSettings.h: one checker, parser and printer for
// the settings of every kind. The lists themselves are in
// RecipeVocabulary.cpp.
//
//===----------------------------------------------------------------------===//
#include "dialects/kiln/IR/RecipeSettings.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <cmath>

using namespace mlir;
using namespace kiln;

const Setting *kiln::lookupSetting(ArrayRef<Setting> settings, StringRef name) {
  for (const Setting &setting : settings)
    if (setting.name == name)
      return &setting;
  return nullptr;
}

namespace {
bool isNumber(SettingType type) {
  return type == SettingType::Real || type == SettingType::NonNegative ||
         type == SettingType::Positive || type == SettingType::UnitInterval;
}

/// What a setting of `type` is, for messages: what the parser expects after
/// `setting =`, and what checkSetting asks of the dictionary's value.
StringRef spelling(SettingType type) {
  switch (type) {
  case SettingType::Count:
    return "a whole number";
  case SettingType::Flag:
    return "true or false";
  case SettingType::Text:
    return "a string";
  case SettingType::Milestones:
    return "a list of whole numbers such as [30, 60]";
  default:
    return "a number";
  }
}
} // namespace

std::string kiln::checkSetting(const Setting &setting, Attribute value) {
  SettingType type = setting.type;
  if (isNumber(type)) {
    auto number = dyn_cast<FloatAttr>(value);
    if (!number || !number.getType().isF64())
      return ("must be " + spelling(type)).str();
    double v = number.getValueAsDouble();
    if (!std::isfinite(v))
      return "must be finite";
    if (type == SettingType::NonNegative && !(v >= 0))
      return "must not be negative";
    if (type == SettingType::Positive && !(v > 0))
      return "must be positive";
    if (type == SettingType::UnitInterval && !(v >= 0 && v < 1))
      return "must be in [0, 1)";
    return "";
  }
  switch (type) {
  case SettingType::Count: {
    auto count = dyn_cast<IntegerAttr>(value);
    if (!count || !count.getType().isSignlessInteger(64))
      return ("must be " + spelling(type)).str();
    return count.getInt() >= setting.minimum
               ? ""
               : "must be a whole number >= " + std::to_string(setting.minimum);
  }
  case SettingType::Flag:
    return isa<BoolAttr>(value) ? "" : ("must be " + spelling(type)).str();
  case SettingType::Text:
    return isa<StringAttr>(value) ? "" : ("must be " + spelling(type)).str();
  case SettingType::Milestones: {
    auto list = dyn_cast<DenseI64ArrayAttr>(value);
    if (!list)
      return ("must be " + spelling(type)).str();
    if (list.empty())
      return "must name at least one milestone";
    int64_t last = 0;
    for (int64_t milestone : list.asArrayRef()) {
      if (milestone <= last)
        return "must be whole numbers >= 1 that increase";
      last = milestone;
    }
    return "";
  }
  default:
    llvm_unreachable("numbers are checked above");
  }
}

Attribute kiln::defaultSetting(Builder &b, const Setting &setting) {
  switch (setting.type) {
  case SettingType::Count:
    return b.getI64IntegerAttr(static_cast<int64_t>(setting.defaultValue));
  case SettingType::Flag:
    return b.getBoolAttr(setting.defaultValue != 0);
  case SettingType::Text:
    return b.getStringAttr(setting.defaultText);
  case SettingType::Milestones:
    return b.getDenseI64ArrayAttr({});
  default:
    return b.getF64FloatAttr(setting.defaultValue);
  }
}

std::optional<SettingProblem> kiln::checkSettings(ArrayRef<Setting> expected,
                                                  DictionaryAttr settings) {
  for (NamedAttribute entry : settings)
    if (!lookupSetting(expected, entry.getName()))
      return SettingProblem{
          entry.getName().str(),
          ("unknown setting `" + entry.getName().getValue() + "`").str()};
  for (const Setting &setting : expected) {
    Attribute value = settings.get(setting.name);
    if (!value)
      return SettingProblem{setting.name.str(),
                            ("`" + setting.name + "` is missing").str()};
    std::string problem = checkSetting(setting, value);
    if (!problem.empty())
      return SettingProblem{
          setting.name.str(),
          ("`" + setting.name + "` (" + setting.help + ") " + problem).str()};
  }
  return std::nullopt;
}

namespace {
/// Parses the value of `setting` after its `=`.
FailureOr<Attribute> parseValue(AsmParser &p, const Setting &setting) {
  Builder b(p.getContext());
  switch (setting.type) {
  case SettingType::Count: {
    int64_t value;
    if (p.parseInteger(value))
      return failure();
    return Attribute(b.getI64IntegerAttr(value));
  }
  case SettingType::Flag: {
    if (succeeded(p.parseOptionalKeyword("true")))
      return Attribute(b.getBoolAttr(true));
    if (p.parseKeyword("false"))
      return failure();
    return Attribute(b.getBoolAttr(false));
  }
  case SettingType::Text: {
    std::string value;
    if (p.parseString(&value))
      return failure();
    return Attribute(b.getStringAttr(value));
  }
  case SettingType::Milestones: {
    SmallVector<int64_t> values;
    if (p.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&] {
          return p.parseInteger(values.emplace_back());
        }))
      return failure();
    return Attribute(b.getDenseI64ArrayAttr(values));
  }
  default: {
    double value;
    if (p.parseFloat(value))
      return failure();
    return Attribute(b.getF64FloatAttr(value));
  }
  }
}
} // namespace

DictionaryAttr kiln::parseSettings(AsmParser &p, ArrayRef<Setting> expected,
                                   StringRef noun, StringRef kind) {
  Builder b(p.getContext());
  NamedAttrList values;
  while (succeeded(p.parseOptionalComma())) {
    SMLoc loc = p.getCurrentLocation();
    StringRef key;
    if (p.parseKeyword(&key) || p.parseEqual())
      return nullptr;
    const Setting *setting = lookupSetting(expected, key);
    if (!setting) {
      InFlightDiagnostic diag = p.emitError(loc)
                                << noun << " `" << kind << "` has no setting `"
                                << key << "`";
      if (expected.empty())
        diag << "; it takes none";
      else
        diag << "; it takes "
             << llvm::join(llvm::map_range(
                               expected,
                               [](const Setting &s) { return s.name.str(); }),
                           ", ");
      return nullptr;
    }
    SMLoc valueLoc = p.getCurrentLocation();
    FailureOr<Attribute> value = parseValue(p, *setting);
    if (failed(value)) {
      p.emitError(valueLoc)
          << noun << " `" << kind << "`: `" << key << "` (" << setting->help
          << ") takes " << spelling(setting->type);
      return nullptr;
    }
    if (values.get(key)) {
      p.emitError(loc) << "`" << key << "` is set twice";
      return nullptr;
    }
    values.set(key, *value);
  }
  for (const Setting &setting : expected) {
    if (values.get(setting.name))
      continue;
    if (setting.required) {
      p.emitError(p.getCurrentLocation())
          << noun << " `" << kind << "` needs `" << setting.name << "` ("
          << setting.help << ")";
      return nullptr;
    }
    values.set(setting.name, defaultSetting(b, setting));
  }
  return values.getDictionary(p.getContext());
}

void kiln::printSettings(AsmPrinter &printer, ArrayRef<Setting> expected,
                         DictionaryAttr settings) {
  for (const Setting &setting : expected) {
    Attribute value = settings.get(setting.name);
    printer << ", " << setting.name << " = ";
    // BoolAttr is an IntegerAttr too, so it goes first.
    if (auto flag = dyn_cast_or_null<BoolAttr>(value))
      printer << (flag.getValue() ? "true" : "false");
    else if (auto number = dyn_cast_or_null<FloatAttr>(value))
      printer.printFloat(number.getValue());
    else if (auto count = dyn_cast_or_null<IntegerAttr>(value))
      printer << count.getInt();
    else if (auto text = dyn_cast_or_null<StringAttr>(value))
      printer.printString(text.getValue());
    else if (auto list = dyn_cast_or_null<DenseI64ArrayAttr>(value))
      printer << "[" << list.asArrayRef() << "]";
    else // Unverified IR: print what is there.
      printer.printAttribute(value);
  }
}

double kiln::settingReal(DictionaryAttr settings, StringRef key) {
  return cast<FloatAttr>(settings.get(key)).getValueAsDouble();
}
int64_t kiln::settingCount(DictionaryAttr settings, StringRef key) {
  return cast<IntegerAttr>(settings.get(key)).getInt();
}
bool kiln::settingFlag(DictionaryAttr settings, StringRef key) {
  return cast<BoolAttr>(settings.get(key)).getValue();
}
StringRef kiln::settingText(DictionaryAttr settings, StringRef key) {
  return cast<StringAttr>(settings.get(key)).getValue();
}
ArrayRef<int64_t> kiln::settingList(DictionaryAttr settings, StringRef key) {
  return cast<DenseI64ArrayAttr>(settings.get(key)).asArrayRef();
}
