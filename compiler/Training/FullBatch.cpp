//===- FullBatch.cpp - Full-batch methods: Newton and line searches -------===//
//
// The settings of Newton's method and of the Armijo line search; the
// equations are in docs/training.md, the iterations in
// runtime/src/full_batch.cpp.
//
//===----------------------------------------------------------------------===//
#include "compiler/Training/FullBatch.h"

#include <cmath>

using namespace mlir;
using namespace kiln;

ArrayRef<HyperParameter> kiln::newtonParameters() {
  static const HyperParameter params[] = {
      {"lr", 1.0, HyperRange::Positive, false,
       "step length t of p + t d, the first trial with a line search"},
  };
  return params;
}

namespace {
/// Backtracking (Armijo 1966): from t = lr, shrink t until
/// f(p + t d) <= f(p) + c t g.d. c above 1/2 would reject Newton's full step
/// near the optimum, where f is close to its quadratic model.
SettingProblem checkArmijo(const HyperConfig &config) {
  if (config.real("c") > 0.5)
    return {"c", "`c` (sufficient-decrease factor) must be in (0, 0.5]"};
  if (config.real("shrink") >= 1)
    return {"shrink",
            "`shrink` (step-length factor per trial) must be in (0, 1)"};
  double trials = config.real("max_trials");
  if (trials != std::floor(trials))
    return {"max_trials", "`max_trials` must be a whole number"};
  return {};
}

const HyperParameter armijoParameters[] = {
    {"c", 1e-4, HyperRange::Positive, false,
     "sufficient-decrease factor of f(p + t d) <= f(p) + c t g.d"},
    {"shrink", 0.5, HyperRange::Positive, false,
     "factor applied to the step length after a rejected trial"},
    {"max_trials", 50, HyperRange::Positive, false,
     "trial step lengths per iteration before giving up"},
};

const LineSearchKind lineSearches[] = {
    {"armijo", "backtracking until the Armijo condition holds",
     armijoParameters, checkArmijo},
};
} // namespace

ArrayRef<LineSearchKind> kiln::allLineSearches() { return lineSearches; }

const LineSearchKind *kiln::lookupLineSearch(StringRef name) {
  for (const LineSearchKind &kind : lineSearches)
    if (kind.name == name)
      return &kind;
  return nullptr;
}

bool kiln::isFullBatchRecipe(DictionaryAttr train) {
  if (!train)
    return false;
  auto optimizer = train.getAs<DictionaryAttr>("optimizer");
  auto name = optimizer ? optimizer.getAs<StringAttr>("name") : nullptr;
  return (name && name.getValue() == kNewton) || train.get("line_search");
}
