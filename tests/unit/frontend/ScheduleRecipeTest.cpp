//===- ScheduleRecipeTest.cpp - Schedules, warm-up and parameter groups ---===//
//
// The train section's `schedule`, `warmup` and `group` settings: what they
// write into kiln.train, and the compile-time errors for missing or
// out-of-range settings, each at its location (lines as in BuildHelpers.h:
// the optimizer is on line 8, the setting under test on line 9).
//
//===----------------------------------------------------------------------===//

#include "BuildHelpers.h"

#include "mlir/IR/BuiltinAttributes.h"

#include <gtest/gtest.h>

using namespace kiln::test;

namespace {

/// A valid model whose parameters are fc.weight and fc.bias, the optimizer
/// on line 8 and `setting` on line 9.
std::string withSetting(const std::string &setting) {
  return withTrain("  optimizer = sgd(lr = 0.1, weight_decay = 1e-4)\n  " +
                   setting + "\n");
}

/// The recipe of a file that must build cleanly.
kiln::TrainRecipeAttr validTrainOf(BuildOutput &out) {
  EXPECT_EQ(out.diagnostics, "");
  return trainOf(out);
}

std::string print(mlir::Attribute attr) {
  std::string text;
  llvm::raw_string_ostream os(text);
  attr.print(os);
  return os.str();
}

void expectSettingError(const std::string &setting, unsigned col,
                        const std::string &message) {
  expectErrors(withSetting(setting), error(9, col, message, "  " + setting));
}

} // namespace

TEST(ScheduleRecipe, DefaultsAreWrittenIntoTheIR) {
  std::unique_ptr<BuildOutput> out =
      buildText(withSetting("schedule = cosine(t_max = 30)"));
  kiln::TrainRecipeAttr train = validTrainOf(*out);
  ASSERT_TRUE(train);
  EXPECT_EQ(print(train.getSchedule()),
            "#kiln.schedule<cosine, t_max = 3.000000e+01, eta_min = "
            "0.000000e+00, per_step = false>");
}

TEST(ScheduleRecipe, MilestonesArePositional) {
  std::unique_ptr<BuildOutput> out =
      buildText(withSetting("schedule = multi_step(30, 80, gamma = 0.5)"));
  kiln::TrainRecipeAttr train = validTrainOf(*out);
  ASSERT_TRUE(train);
  EXPECT_EQ(print(train.getSchedule()),
            "#kiln.schedule<multi_step, milestones = [30, 80], gamma = "
            "5.000000e-01, per_step = false>");
}

TEST(ScheduleRecipe, WarmupAndGroups) {
  std::unique_ptr<BuildOutput> out = buildText(
      withTrain("  optimizer = sgd(lr = 0.1, weight_decay = 1e-4)\n"
                "  warmup = linear(steps = 100)\n"
                "  group = params(\"*.bias\", weight_decay = 0, lr = 0.2)\n"
                "  group = params(\"fc.weight\", frozen = true)\n"));
  kiln::TrainRecipeAttr train = validTrainOf(*out);
  ASSERT_TRUE(train);
  EXPECT_EQ(print(train.getWarmup()),
            "#kiln.warmup<linear, steps = 1.000000e+02, start_factor = "
            "0.33333333333333331>");
  EXPECT_EQ(print(train.getGroups()),
            "[#kiln.param_group<patterns = [\"*.bias\"], optimizer = "
            "#kiln.optimizer<sgd, lr = 2.000000e-01, momentum = "
            "0.000000e+00, nesterov = false, weight_decay = 0.000000e+00, "
            "decoupled_weight_decay = false>, frozen = false>, "
            "#kiln.param_group<patterns = [\"fc.weight\"], optimizer = "
            "#kiln.optimizer<sgd, lr = 1.000000e-01, momentum = "
            "0.000000e+00, nesterov = false, weight_decay = 1.000000e-04, "
            "decoupled_weight_decay = false>, frozen = true>]");
}

TEST(ScheduleRecipe, UnknownScheduleDidYouMean) {
  expectErrors(withSetting("schedule = cosin(t_max = 3)"),
               error(9, 14, "unknown schedule `cosin`",
                     "  schedule = cosin(t_max = 3)") +
                   hint(9, 14, "did you mean `cosine`?"));
}

TEST(ScheduleRecipe, RequiredSettingIsMissing) {
  expectSettingError("schedule = step(gamma = 0.5)", 30,
                     "schedule `step` needs `step_size` (epochs (or steps) "
                     "between decays)");
  expectSettingError("schedule = cosine()", 21,
                     "schedule `cosine` needs `t_max` (epochs (or steps) of a "
                     "half cosine period)");
  expectSettingError("schedule = exponential()", 26,
                     "schedule `exponential` needs `gamma` (decay factor per "
                     "epoch)");
  expectSettingError("warmup = linear()", 19,
                     "warm-up `linear` needs `steps` (optimizer steps of "
                     "warm-up)");
}

TEST(ScheduleRecipe, MultiStepNeedsIncreasingMilestones) {
  expectSettingError("schedule = multi_step(gamma = 0.1)", 36,
                     "schedule `multi_step` needs `milestones` (the epochs (or "
                     "steps) at which the rate decays)");
  expectSettingError("schedule = multi_step(5, 5)", 28,
                     "milestones must increase");
  expectSettingError("schedule = multi_step(0.5)", 25,
                     "a milestone must be an integer >= 1, got `0.5`");
}

TEST(ScheduleRecipe, SettingsAreCheckedLikeHyperParameters) {
  expectErrors(withSetting("schedule = step(step_size = 2, gama = 0.5)"),
               error(9, 34, "schedule `step` has no setting `gama`",
                     "  schedule = step(step_size = 2, gama = 0.5)") +
                   hint(9, 34, "did you mean `gamma`?"));
  expectSettingError("schedule = cosine(t_max = -3)", 29,
                     "`t_max` (epochs (or steps) of a half cosine period) "
                     "must be positive");
  // The positional value is not taken for t_max, which is not reported
  // missing as well.
  expectErrors(withSetting("schedule = cosine(30)"),
               error(9, 21,
                     "schedule `cosine` takes its settings by name, e.g. "
                     "`cosine(t_max = ...)`",
                     "  schedule = cosine(30)"));
  expectSettingError("warmup = linear(steps = 10, start_factor = 2)", 46,
                     "warm-up `linear`: `start_factor` must be at most 1: "
                     "warm-up raises the rate");
}

TEST(ScheduleRecipe, GroupPatternsMustMatchAParameter) {
  expectErrors(withSetting("group = params(\"*.bais\", weight_decay = 0)"),
               error(9, 18, "pattern \"*.bais\" matches no parameter",
                     "  group = params(\"*.bais\", weight_decay = 0)") +
                   hint(9, 18, "valid parameters: fc.weight, fc.bias"));
  expectSettingError("group = params(weight_decay = 0)", 11,
                     "`params` needs at least one name pattern, e.g. "
                     "params(\"*.bias\", weight_decay = 0)");
}

TEST(ScheduleRecipe, GroupOverridesAreOptimizerHyperParameters) {
  expectErrors(withSetting("group = params(\"*.bias\", weight_decai = 0)"),
               error(9, 28,
                     "optimizer `sgd` has no hyper-parameter "
                     "`weight_decai`",
                     "  group = params(\"*.bias\", weight_decai = 0)") +
                   hint(9, 28, "did you mean `weight_decay`?"));
  expectSettingError("group = params(\"*.bias\", lr = -1)", 33,
                     "`lr` (learning rate) must not be negative");
  expectSettingError("group = params(\"*.bias\", frozen = 1)", 37,
                     "frozen must be `true` or `false`");
}

TEST(ScheduleRecipe, SomethingMustTrain) {
  expectErrors(withTrain("  optimizer = sgd(lr = 0.1)\n"
                         "  group = params(\"fc.weight\", frozen = true)\n"
                         "  group = params(\"*.bias\", frozen = true)\n"),
               error(10, 3,
                     "every parameter is frozen: there is nothing to "
                     "train",
                     "  group = params(\"*.bias\", frozen = true)"));
}
