//===- FullBatch.cpp - Full-batch methods: Newton and line searches -------===//
//
// The settings of Newton's method and of the Armijo line search; the
// equations are in docs/training.md, the iterations in
// runtime/src/full_batch.cpp.
//
//===----------------------------------------------------------------------===//
#include "compiler/Training/FullBatch.h"

#include "dialects/kiln/IR/KilnDialect.h"

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
  if (config.real("max_trials") < 1)
    return {"max_trials", "`max_trials` must be at least 1"};
  return {};
}

const HyperParameter armijoParameters[] = {
    {"c", 1e-4, HyperRange::Positive, false,
     "sufficient-decrease factor of f(p + t d) <= f(p) + c t g.d"},
    {"shrink", 0.5, HyperRange::Positive, false,
     "factor applied to the step length after a rejected trial"},
    {"max_trials", 50, HyperRange::Count, false,
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

bool kiln::isNewtonRecipe(DictionaryAttr train) {
  auto optimizer = train ? train.getAs<DictionaryAttr>("optimizer") : nullptr;
  auto name = optimizer ? optimizer.getAs<StringAttr>("name") : nullptr;
  return name && name.getValue() == kNewton;
}

bool kiln::isFullBatchRecipe(DictionaryAttr train) {
  return isNewtonRecipe(train) || (train && train.get("line_search"));
}

LogicalResult kiln::rejectTrainingModeOps(func::FuncOp fn, StringRef method) {
  WalkResult training = fn.walk([&](TrainingModeOpInterface op) {
    op->emitOpError("behaves differently while training (batch statistics, "
                    "dropout masks); ")
        << method
        << " evaluates one deterministic loss, so the model must have no "
           "batch normalization or dropout";
    return WalkResult::interrupt();
  });
  return failure(training.wasInterrupted());
}
