//===- FullBatchRecipeTest.cpp - Newton's method, line search, tolerance --===//
//
// The train section's full-batch settings (RecipeFullBatch.cpp): what
// `optimizer = newton()`, `line_search = armijo()` and `tolerance` write into
// kiln.train, and the compile-time errors for misspelt, out-of-range or
// conflicting settings, each at its location (lines as in BuildHelpers.h:
// the optimizer on line 8, the setting under test on line 9).
//
//===----------------------------------------------------------------------===//

#include "BuildHelpers.h"

#include "mlir/IR/BuiltinAttributes.h"

#include <gtest/gtest.h>

using namespace kiln::test;

namespace {

/// The optimizer on line 8 and `setting` on line 9.
std::string withFullBatch(const std::string &optimizer,
                          const std::string &setting) {
  return withTrain("  optimizer = " + optimizer + "\n  " + setting + "\n");
}

std::string print(mlir::Attribute attr) {
  std::string text;
  llvm::raw_string_ostream os(text);
  attr.print(os);
  return os.str();
}

} // namespace

TEST(FullBatchRecipe, NewtonAndArmijoDefaultsAreWrittenIntoTheIR) {
  std::unique_ptr<BuildOutput> out =
      buildText(withFullBatch("newton()", "line_search = armijo()\n"
                                          "  tolerance = 1e-8"));
  ASSERT_EQ(out->diagnostics, "");
  kiln::TrainRecipeAttr train = trainOf(*out);
  ASSERT_TRUE(train);
  EXPECT_EQ(print(train.getOptimizer()),
            "#kiln.optimizer<newton, lr = 1.000000e+00>");
  EXPECT_EQ(print(train.getLineSearch()),
            "#kiln.line_search<armijo, c = 1.000000e-04, shrink = "
            "5.000000e-01, max_trials = 50>");
  EXPECT_EQ(print(train.getTolerance()), "1.000000e-08 : f64");
}

TEST(FullBatchRecipe, PlainSgdTakesALineSearch) {
  std::unique_ptr<BuildOutput> out = buildText(
      withFullBatch("sgd(lr = 8)", "line_search = armijo(c = 0.5, shrink = "
                                   "0.25, max_trials = 10)"));
  EXPECT_EQ(out->diagnostics, "");
  EXPECT_TRUE(out->module);
}

TEST(FullBatchRecipe, LineSearchWithMomentumIsAnError) {
  expectErrors(
      withFullBatch("sgd(lr = 0.1, momentum = 0.9)", "line_search = armijo()"),
      error(9, 3,
            "a line search needs `newton` or plain `sgd` (momentum = 0, "
            "weight_decay = 0), which step along -H^-1 g or -g; this "
            "optimizer is `sgd` with momentum or weight decay",
            "  line_search = armijo()"));
}

TEST(FullBatchRecipe, LineSearchWithAdamIsAnError) {
  expectErrors(withFullBatch("adam()", "line_search = armijo()"),
               error(9, 3,
                     "a line search needs `newton` or plain `sgd` (momentum "
                     "= 0, weight_decay = 0), which step along -H^-1 g or "
                     "-g; this optimizer is `adam`",
                     "  line_search = armijo()"));
}

TEST(FullBatchRecipe, UnknownLineSearchDidYouMean) {
  expectErrors(withFullBatch("newton()", "line_search = armjio(c = 0.1)"),
               error(9, 17, "unknown line search `armjio`",
                     "  line_search = armjio(c = 0.1)") +
                   hint(9, 17, "did you mean `armijo`?"));
}

TEST(FullBatchRecipe, UnknownLineSearchSettingDidYouMean) {
  expectErrors(withFullBatch("newton()", "line_search = armijo(shrnk = 0.5)"),
               error(9, 24, "line search `armijo` has no setting `shrnk`",
                     "  line_search = armijo(shrnk = 0.5)") +
                   hint(9, 24, "did you mean `shrink`?"));
}

TEST(FullBatchRecipe, ArmijoBoundsAreCheckedAtTheValue) {
  expectErrors(withFullBatch("newton()", "line_search = armijo(c = 0.7)"),
               error(9, 28,
                     "line search `armijo`: `c` (sufficient-decrease factor) "
                     "must be in (0, 0.5]",
                     "  line_search = armijo(c = 0.7)"));
  expectErrors(
      withFullBatch("newton()", "line_search = armijo(shrink = 1)"),
      error(9, 33,
            "line search `armijo`: `shrink` (step-length factor per trial) "
            "must be in (0, 1)",
            "  line_search = armijo(shrink = 1)"));
  expectErrors(withFullBatch("newton()", "line_search = armijo(c = 0)"),
               error(9, 28,
                     "`c` (sufficient-decrease factor of f(p + t d) <= f(p) "
                     "+ c t g.d) must be positive",
                     "  line_search = armijo(c = 0)"));
}

TEST(FullBatchRecipe, UnknownOptimizerSuggestsNewton) {
  expectErrors(
      withOptimizer("netwon()"),
      error(8, 15, "unknown optimizer `netwon`", "  optimizer = netwon()") +
          hint(8, 15, "did you mean `newton`?"));
}

TEST(FullBatchRecipe, NewtonSettingsAreByName) {
  expectErrors(withOptimizer("newton(0.5)"),
               error(8, 22,
                     "optimizer `newton` takes its hyper-parameters by name, "
                     "e.g. `newton(lr = 1)`",
                     "  optimizer = newton(0.5)"));
}

TEST(FullBatchRecipe, OptimizerWithoutItsRequiredSettingIsAnError) {
  expectErrors(withOptimizer("sgd()"),
               error(8, 19, "optimizer `sgd` needs `lr` (learning rate)",
                     "  optimizer = sgd()"));
}

TEST(FullBatchRecipe, ToleranceNeedsAFullBatchMethod) {
  expectErrors(withFullBatch("sgd(lr = 0.1)", "tolerance = 1e-8"),
               error(9, 3,
                     "`tolerance` applies to full-batch methods: `optimizer "
                     "= newton()` or a `line_search`",
                     "  tolerance = 1e-8"));
}

TEST(FullBatchRecipe, StochasticSettingsDoNotApply) {
  expectErrors(withFullBatch("newton()", "schedule = cosine(t_max = 3)\n"
                                         "  group = params(\"*.bias\")"),
               error(9, 3,
                     "`schedule` does not apply to full-batch methods "
                     "(`newton`)",
                     "  schedule = cosine(t_max = 3)") +
                   error(10, 3,
                         "parameter groups do not apply to full-batch "
                         "methods (`newton`): every parameter takes the same "
                         "step",
                         "  group = params(\"*.bias\")"),
               2);
}
