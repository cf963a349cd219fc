//===- RecipeErrorTest.cpp - Diagnostics of sections, train and data ------===//
//
// Like SemanticErrorTest.cpp, for the file's sections and the train and data
// recipes (optimizer hyper-parameters are checked against the optimizer
// registry), plus a file with mistakes in every section, which must report
// all of them in one run.
//
//===----------------------------------------------------------------------===//

#include "BuildHelpers.h"

#include <gtest/gtest.h>

using namespace kiln::test;

namespace {

const char kNoLoss[] = "the model defines no `loss`, e.g. `loss = "
                       "softmax_cross_entropy(logits, y)`";

} // namespace

//===--- Sections ------------------------------------------------------------//

TEST(RecipeError, EmptyFile) {
  expectErrors("",
               error(1, 1, "the file has no `model` section", "") +
                   error(1, 1, "the file has no `train` section", ""),
               2);
}

TEST(RecipeError, UnknownSectionDidYouMeanModel) {
  expectErrors("modle m {\n}\n" + std::string(kTrain),
               error(1, 1, "unknown section `modle`", "modle m {") +
                   hint(1, 1, "did you mean `model`?") +
                   error(1, 1, "the file has no `model` section", "modle m {"),
               2);
}

TEST(RecipeError, UnknownSectionListsTheSections) {
  expectErrors(withData("") + "optimizer {\n}\n",
               error(12, 1, "unknown section `optimizer`", "optimizer {") +
                   hint(12, 1, "valid sections: model, train, data"));
}

TEST(RecipeError, DuplicateSection) {
  expectErrors(
      withData("") + "train {\n}\n",
      error(12, 1, "the file has more than one `train` section", "train {") +
          note(7, 1, "the first one is here", "train {"));
}

TEST(RecipeError, SyntaxErrorsStopBeforeSemanticChecks) {
  // `liner` would be a semantic error: a file with syntax errors reports
  // only those.
  expectErrors(withModel("  fc = liner(x, 3\n  loss = relu(fc)\n"),
               error(4, 18, "expected ')' to close the call to `liner`",
                     "  fc = liner(x, 3") +
                   note(4, 13, "to match this '('", "  fc = liner(x, 3"));
}

//===--- train ---------------------------------------------------------------//

TEST(RecipeError, NoTrainSection) {
  expectErrors(withTrain("").substr(0, withTrain("").find("train {")),
               error(1, 1, "the file has no `train` section", "model m {"));
}

TEST(RecipeError, UnknownTrainSettingDidYouMean) {
  expectErrors(withTrain("  optimizer = sgd(lr = 0.1)\n  epoch = 3\n"),
               error(9, 3, "unknown setting `epoch` in the train section",
                     "  epoch = 3") +
                   hint(9, 3, "did you mean `epochs`?"));
}

TEST(RecipeError, UnknownTrainSettingListsTheSettings) {
  expectErrors(withTrain("  optimizer = sgd(lr = 0.1)\n  batch = 32\n"),
               error(9, 3, "unknown setting `batch` in the train section",
                     "  batch = 32") +
                   hint(9, 3,
                        "valid settings: optimizer, epochs, seed, clip, init, "
                        "schedule, warmup, group, init_from, val_split, "
                        "line_search, tolerance"));
}

TEST(RecipeError, SettingGivenTwice) {
  expectErrors(
      withTrain("  optimizer = sgd(lr = 0.1)\n  seed = 1\n  seed = 2\n"),
      error(10, 3, "`seed` is set twice", "  seed = 2"));
}

TEST(RecipeError, DeclarationOutsideTheModel) {
  expectErrors(withTrain("  optimizer = sgd(lr = 0.1)\n  input z: f32[4, 8]\n"),
               error(9, 3, "declarations belong in the model section",
                     "  input z: f32[4, 8]"));
}

TEST(RecipeError, MissingOptimizer) {
  expectErrors(withTrain("  epochs = 1\n"),
               error(7, 1,
                     "the train section sets no optimizer, e.g. `optimizer = "
                     "sgd(lr = 0.1, momentum = 0.9)`",
                     "train {"));
}

TEST(RecipeError, EpochsMustBeAPositiveInteger) {
  const std::string message = "epochs must be an integer >= 1, got ";
  expectErrors(withTrain("  optimizer = sgd(lr = 0.1)\n  epochs = 0\n"),
               error(9, 12, message + "`0`", "  epochs = 0"));
  expectErrors(withTrain("  optimizer = sgd(lr = 0.1)\n  epochs = 2.5\n"),
               error(9, 12, message + "`2.5`", "  epochs = 2.5"));
}

TEST(RecipeError, SeedMustNotBeNegative) {
  expectErrors(
      withTrain("  optimizer = sgd(lr = 0.1)\n  seed = -1\n"),
      error(9, 10, "seed must be an integer >= 0, got `-1`", "  seed = -1"));
}

//===--- The optimizer -------------------------------------------------------//

TEST(RecipeError, OptimizerMustBeACall) {
  expectErrors(withOptimizer("sgd"),
               error(8, 15, "optimizer must be a call such as `sgd(lr = 0.1)`",
                     "  optimizer = sgd"));
}

TEST(RecipeError, UnknownOptimizerDidYouMean) {
  expectErrors(
      withOptimizer("sdg(lr = 0.1)"),
      error(8, 15, "unknown optimizer `sdg`", "  optimizer = sdg(lr = 0.1)") +
          hint(8, 15, "did you mean `sgd`?"));
}

TEST(RecipeError, UnknownOptimizerListsTheOptimizers) {
  expectErrors(withOptimizer("lbfgs(lr = 0.1)"),
               error(8, 15, "unknown optimizer `lbfgs`",
                     "  optimizer = lbfgs(lr = 0.1)") +
                   hint(8, 15,
                        "valid optimizers: sgd, adam, adamw, adagrad, "
                        "rmsprop, newton"));
}

TEST(RecipeError, UnknownHyperParameterDidYouMean) {
  expectErrors(withOptimizer("sgd(lr = 0.1, momentun = 0.9)"),
               error(8, 29, "optimizer `sgd` has no hyper-parameter `momentun`",
                     "  optimizer = sgd(lr = 0.1, momentun = 0.9)") +
                   hint(8, 29, "did you mean `momentum`?"));
}

TEST(RecipeError, MisspeltLearningRateIsAlsoMissing) {
  const std::string line = "  optimizer = sgd(rl = 0.1)";
  expectErrors(
      withOptimizer("sgd(rl = 0.1)"),
      error(8, 19, "optimizer `sgd` has no hyper-parameter `rl`", line) +
          hint(8, 19, "did you mean `lr`?") +
          error(8, 27, "optimizer `sgd` needs `lr` (learning rate)", line),
      2);
}

TEST(RecipeError, MissingLearningRate) {
  expectErrors(withOptimizer("sgd(momentum = 0.9)"),
               error(8, 33, "optimizer `sgd` needs `lr` (learning rate)",
                     "  optimizer = sgd(momentum = 0.9)"));
}

TEST(RecipeError, NegativeLearningRate) {
  // Reported once: the rate is given, only its value is wrong.
  expectErrors(withOptimizer("sgd(lr = -0.1)"),
               error(8, 24, "`lr` (learning rate) must not be negative",
                     "  optimizer = sgd(lr = -0.1)"));
}

TEST(RecipeError, NesterovNeedsMomentum) {
  expectErrors(withOptimizer("sgd(lr = 0.1, nesterov = true)"),
               error(8, 40,
                     "optimizer `sgd`: Nesterov momentum needs `momentum` > 0",
                     "  optimizer = sgd(lr = 0.1, nesterov = true)"));
}

TEST(RecipeError, LearningRateMustBeANumber) {
  expectErrors(
      withOptimizer("sgd(lr = fast)"),
      error(8, 24, "lr must be a number", "  optimizer = sgd(lr = fast)"));
}

TEST(RecipeError, MomentumMustBeBelowOne) {
  expectErrors(withOptimizer("sgd(lr = 0.1, momentum = 1)"),
               error(8, 40,
                     "`momentum` (heavy-ball momentum factor) must be in "
                     "[0, 1)",
                     "  optimizer = sgd(lr = 0.1, momentum = 1)"));
}

TEST(RecipeError, WeightDecayMustNotBeNegative) {
  expectErrors(withOptimizer("sgd(lr = 0.1, weight_decay = -1e-4)"),
               error(8, 44,
                     "`weight_decay` (L2 penalty: added to the gradient, or "
                     "applied to the parameter when decoupled) must not be "
                     "negative",
                     "  optimizer = sgd(lr = 0.1, weight_decay = -1e-4)"));
}

TEST(RecipeError, NesterovMustBeABoolean) {
  expectErrors(withOptimizer("sgd(lr = 0.1, nesterov = 1)"),
               error(8, 40, "nesterov must be `true` or `false`",
                     "  optimizer = sgd(lr = 0.1, nesterov = 1)"));
}

TEST(RecipeError, PositionalHyperParameter) {
  // Said once: the missing `lr` is the one given by position.
  expectErrors(withOptimizer("sgd(0.1)"),
               error(8, 19,
                     "optimizer `sgd` takes its hyper-parameters by name, "
                     "e.g. `sgd(lr = ...)`",
                     "  optimizer = sgd(0.1)"));
}

//===--- data ----------------------------------------------------------------//

TEST(RecipeError, UnknownDataSettingDidYouMean) {
  expectErrors(withData("  normalise = 1\n"),
               error(11, 3, "unknown setting `normalise` in the data section",
                     "  normalise = 1") +
                   hint(11, 3, "did you mean `normalize`?"));
}

TEST(RecipeError, UnknownDataset) {
  expectErrors(
      withData("  dataset = mnist\n"),
      error(11, 13, "unknown dataset `mnist`", "  dataset = mnist") +
          hint(11, 13, "valid datasets: fashion_mnist, synthetic_logistic"));
}

TEST(RecipeError, DirMustBeAString) {
  expectErrors(withData("  dir = data\n"),
               error(11, 9, "dir must be a string", "  dir = data"));
}

TEST(RecipeError, NormalizeMustBeStandardize) {
  const std::string message =
      "normalize must be `standardize(mean = M, std = S)`";
  expectErrors(withData("  normalize = standardize(0.5, 0.5)\n"),
               error(11, 27,
                     "normalization `standardize` takes its settings by "
                     "name, e.g. `standardize(mean = ...)`",
                     "  normalize = standardize(0.5, 0.5)"));
  expectErrors(
      withData("  normalize = scale(mean = 0.5, std = 0.5)\n"),
      error(11, 15, message, "  normalize = scale(mean = 0.5, std = 0.5)"));
  expectErrors(withData("  normalize = standardize(mean = 0.5)\n"),
               error(11, 37,
                     "normalization `standardize` needs `std` (standard "
                     "deviation of the pixels scaled to [0, 1])",
                     "  normalize = standardize(mean = 0.5)"));
  expectErrors(withData("  normalize = true\n"),
               error(11, 15, message, "  normalize = true"));
}

TEST(RecipeError, StandardizeArguments) {
  const std::string line = "  normalize = standardize(mean = m, std = 0)";
  expectErrors(withData(line + "\n"),
               error(11, 34, "mean must be a number", line) +
                   error(11, 43,
                         "`std` (standard deviation of the pixels scaled to "
                         "[0, 1]) must be positive",
                         line),
               2);
}

//===--- Everything at once --------------------------------------------------//

TEST(RecipeError, AllMistakesOfAFileAreReportedInOneRun) {
  std::unique_ptr<BuildOutput> out = buildText(
      "model m {\n"                                   // 1
      "  input x: f32[4, 1, 2, 2]\n"                  // 2
      "  label y: i32[4]\n"                           // 3
      "  fc = liner(x, 3)\n"                          // 4: unknown layer
      "  a = relu(fc2)\n"                             // 5: undefined name
      "  loss = softmax_cross_entropy(a, y)\n"        // 6: silent: `a` failed
      "}\n"                                           // 7
      "train {\n"                                     // 8
      "  optimizer = sgd(lr = 0.1, momentun = 0.9)\n" // 9: unknown hp
      "  epochs = 0\n"                                // 10: not positive
      "}\n"                                           // 11
      "data {\n"                                      // 12
      "  dataset = mnist\n"                           // 13: unknown dataset
      "}\n");
  EXPECT_FALSE(out->module);
  EXPECT_EQ(out->numErrors(), 5u) << out->diagnostics;
  EXPECT_EQ(
      out->diagnostics,
      error(4, 8, "unknown layer `liner`", "  fc = liner(x, 3)") +
          hint(4, 8, "did you mean `linear`?") +
          error(5, 12, "use of undefined name `fc2`", "  a = relu(fc2)") +
          hint(5, 12, "did you mean `fc`?") +
          error(10, 12, "epochs must be an integer >= 1, got `0`",
                "  epochs = 0") +
          error(9, 29, "optimizer `sgd` has no hyper-parameter `momentun`",
                "  optimizer = sgd(lr = 0.1, momentun = 0.9)") +
          hint(9, 29, "did you mean `momentum`?") +
          error(13, 13, "unknown dataset `mnist`", "  dataset = mnist") +
          hint(13, 13, "valid datasets: fashion_mnist, synthetic_logistic"));
}

TEST(RecipeError, NoKindOfMistakeHidesAnother) {
  // Many mistakes of different kinds; each is one error.
  std::unique_ptr<BuildOutput> out =
      buildText("modle m {\n}\n"
                "model m {\n"
                "  input x: i64[4, 8]\n"
                "  label y: i64[4]\n"
                "  fc = linear(x, 3, bais = true)\n"
                "  fc = relu(x)\n"
                "}\n"
                "train {\n"
                "  optimizer = sgd(lr = -1, nesterov = maybe)\n"
                "  seed = 1.5\n"
                "  batch = 1\n"
                "}\n"
                "data {\n"
                "  dir = 1\n"
                "  normalize = standardize(mean = 0, std = -1)\n"
                "}\n"
                "data {\n}\n");
  EXPECT_FALSE(out->module);
  EXPECT_EQ(out->numErrors(), 13u) << out->diagnostics;
}
