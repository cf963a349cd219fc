//===- OptimizerRecipeTest.cpp - Adam, AdamW, AdaGrad, RMSProp recipes ----===//
//
// The adaptive optimizers in the train section: defaults (PyTorch's) are
// written into the module's kiln.train attribute, and misspelt or
// out-of-range hyper-parameters are reported at their location like the SGD
// cases of RecipeErrorTest.cpp.
//
//===----------------------------------------------------------------------===//

#include "BuildHelpers.h"

#include <gtest/gtest.h>

using namespace kiln::test;

namespace {

void expectError(const std::string &optimizer, const std::string &expected) {
  std::unique_ptr<BuildOutput> out = buildText(withOptimizer(optimizer));
  EXPECT_EQ(out->diagnostics, expected);
  EXPECT_EQ(out->numErrors(), 1u);
  EXPECT_FALSE(out->module) << "no module is built when there are errors";
}

/// Builds a file with a valid `optimizer`; `dict` holds the settings of
/// the recipe's optimizer, which live as long as `out`.
struct Built {
  std::unique_ptr<BuildOutput> out;
  mlir::DictionaryAttr dict;
  std::optional<kiln::OptimizerKind> kind;
};

Built optimizerOf(const std::string &optimizer) {
  Built built{buildText(withOptimizer(optimizer)), nullptr, std::nullopt};
  EXPECT_EQ(built.out->diagnostics, "");
  if (kiln::TrainRecipeAttr train = trainOf(*built.out)) {
    built.dict = train.getOptimizer().getSettings();
    built.kind = train.getOptimizer().getKind();
  }
  return built;
}

double real(mlir::DictionaryAttr dict, llvm::StringRef key) {
  auto value = dict.getAs<mlir::FloatAttr>(key);
  return value ? value.getValueAsDouble() : -1.0;
}

bool flag(mlir::DictionaryAttr dict, llvm::StringRef key) {
  auto value = dict.getAs<mlir::BoolAttr>(key);
  return value && value.getValue();
}

} // namespace

TEST(OptimizerRecipe, AdamDefaultsArePyTorchs) {
  Built builtAdam = optimizerOf("adam()");
  mlir::DictionaryAttr adam = builtAdam.dict;
  ASSERT_TRUE(adam);
  EXPECT_EQ(builtAdam.kind, kiln::OptimizerKind::Adam);
  EXPECT_DOUBLE_EQ(real(adam, "lr"), 1e-3);
  EXPECT_DOUBLE_EQ(real(adam, "beta1"), 0.9);
  EXPECT_DOUBLE_EQ(real(adam, "beta2"), 0.999);
  EXPECT_DOUBLE_EQ(real(adam, "eps"), 1e-8);
  EXPECT_DOUBLE_EQ(real(adam, "weight_decay"), 0.0);
  EXPECT_FALSE(flag(adam, "amsgrad"));
}

TEST(OptimizerRecipe, AdamWDecaysByDefault) {
  Built builtAdamw = optimizerOf("adamw(lr = 0.01, amsgrad = true)");
  mlir::DictionaryAttr adamw = builtAdamw.dict;
  ASSERT_TRUE(adamw);
  EXPECT_DOUBLE_EQ(real(adamw, "lr"), 0.01);
  EXPECT_DOUBLE_EQ(real(adamw, "weight_decay"), 0.01);
  EXPECT_TRUE(flag(adamw, "amsgrad"));
}

TEST(OptimizerRecipe, AdagradAndRmspropDefaults) {
  Built builtAdagrad = optimizerOf("adagrad()");
  mlir::DictionaryAttr adagrad = builtAdagrad.dict;
  ASSERT_TRUE(adagrad);
  EXPECT_DOUBLE_EQ(real(adagrad, "lr"), 0.01);
  EXPECT_DOUBLE_EQ(real(adagrad, "lr_decay"), 0.0);
  EXPECT_DOUBLE_EQ(real(adagrad, "initial_accumulator_value"), 0.0);
  EXPECT_DOUBLE_EQ(real(adagrad, "eps"), 1e-10);
  Built builtRmsprop = optimizerOf("rmsprop(centered = true)");
  mlir::DictionaryAttr rmsprop = builtRmsprop.dict;
  ASSERT_TRUE(rmsprop);
  EXPECT_DOUBLE_EQ(real(rmsprop, "lr"), 0.01);
  EXPECT_DOUBLE_EQ(real(rmsprop, "alpha"), 0.99);
  EXPECT_DOUBLE_EQ(real(rmsprop, "eps"), 1e-8);
  EXPECT_DOUBLE_EQ(real(rmsprop, "momentum"), 0.0);
  EXPECT_TRUE(flag(rmsprop, "centered"));
}

TEST(OptimizerRecipe, MisspeltBetaDidYouMean) {
  expectError("adam(lr = 0.01, betta1 = 0.8)",
              error(8, 31, "optimizer `adam` has no hyper-parameter `betta1`",
                    "  optimizer = adam(lr = 0.01, betta1 = 0.8)") +
                  hint(8, 31, "did you mean `beta1`?"));
}

TEST(OptimizerRecipe, NegativeLearningRate) {
  expectError("adamw(lr = -0.001)",
              error(8, 26, "`lr` (learning rate) must not be negative",
                    "  optimizer = adamw(lr = -0.001)"));
}

TEST(OptimizerRecipe, BetaMustBeBelowOne) {
  expectError("adam(beta2 = 1.0)",
              error(8, 28,
                    "`beta2` (decay of the running average of the squared "
                    "gradient) must be in [0, 1)",
                    "  optimizer = adam(beta2 = 1.0)"));
}

TEST(OptimizerRecipe, AmsgradMustBeABoolean) {
  expectError("adam(amsgrad = 1)",
              error(8, 30, "amsgrad must be `true` or `false`",
                    "  optimizer = adam(amsgrad = 1)"));
}

TEST(OptimizerRecipe, NegativeEpsilon) {
  expectError("rmsprop(eps = -1e-8)",
              error(8, 29,
                    "`eps` (added to the denominator for numerical "
                    "stability) must not be negative",
                    "  optimizer = rmsprop(eps = -1e-8)"));
}

TEST(OptimizerRecipe, MisspeltAccumulatorDidYouMean) {
  expectError("adagrad(initial_accumulator = 0.1)",
              error(8, 23,
                    "optimizer `adagrad` has no hyper-parameter "
                    "`initial_accumulator`",
                    "  optimizer = adagrad(initial_accumulator = 0.1)") +
                  hint(8, 23, "did you mean `initial_accumulator_value`?"));
}
