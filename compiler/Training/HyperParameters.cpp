//===- HyperParameters.cpp - Checked settings of training recipes ---------===//
#include "compiler/Training/HyperParameters.h"

#include "llvm/Support/ErrorHandling.h"

#include <cmath>

using namespace mlir;
using namespace kiln;

std::string kiln::checkHyperRange(HyperRange range, double value) {
  switch (range) {
  case HyperRange::Real:
    return "";
  case HyperRange::NonNegative:
    return value >= 0 ? "" : "must not be negative";
  case HyperRange::Positive:
    return value > 0 ? "" : "must be positive";
  case HyperRange::UnitInterval:
    return value >= 0 && value < 1 ? "" : "must be in [0, 1)";
  case HyperRange::Count:
    return value >= 0 && value <= 1e15 && value == std::floor(value)
               ? ""
               : "must be a whole number >= 0";
  case HyperRange::Bool:
    return value == 0 || value == 1 ? "" : "must be true or false";
  }
  llvm_unreachable("unknown hyper-parameter range");
}

const HyperParameter *
kiln::lookupHyperParameter(ArrayRef<HyperParameter> parameters,
                           StringRef name) {
  for (const HyperParameter &hp : parameters)
    if (hp.name == name)
      return &hp;
  return nullptr;
}

std::string kiln::verifyHyperConfig(DictionaryAttr dict,
                                    ArrayRef<HyperParameter> params) {
  for (const HyperParameter &hp : params) {
    Attribute value = dict.get(hp.name);
    if (!value)
      return ("`" + hp.name + "` is missing").str();
    if (hp.range == HyperRange::Bool) {
      if (!isa<BoolAttr>(value))
        return ("`" + hp.name + "` must be a bool").str();
      continue;
    }
    auto number = dyn_cast<FloatAttr>(value);
    if (!number)
      return ("`" + hp.name + "` must be an f64").str();
    std::string problem = checkHyperRange(hp.range, number.getValueAsDouble());
    if (!problem.empty())
      return ("`" + hp.name + "` " + problem).str();
  }
  return "";
}

StringRef HyperConfig::name() const {
  return cast<StringAttr>(dict.get("name")).getValue();
}

double HyperConfig::real(StringRef key) const {
  return cast<FloatAttr>(dict.get(key)).getValueAsDouble();
}

bool HyperConfig::flag(StringRef key) const {
  return cast<BoolAttr>(dict.get(key)).getValue();
}
