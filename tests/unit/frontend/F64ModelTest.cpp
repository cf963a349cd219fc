//===- F64ModelTest.cpp - f64 models and the synthetic_logistic dataset ---===//
//
// A model computes in its input's float type: an f64 input makes every
// parameter and computed value f64, and a float label of the other type is
// an error at the label. `dataset = synthetic_logistic(...)` becomes
// kiln.data's settings and must fit the input [batch, d] and a float label
// [batch].
//
//===----------------------------------------------------------------------===//

#include "BuildHelpers.h"

#include "dialects/kiln/IR/KilnConventions.h"

#include <gtest/gtest.h>

using namespace kiln;
using namespace kiln::test;
using namespace mlir;

namespace {

/// A logistic regression on x: `input` [8, 3] and label `label`, with a
/// data section whose body starts on line 12.
std::string logreg(const std::string &data,
                   const std::string &input = "f64[8, 3]",
                   const std::string &label = "f64[8]") {
  return "model m {\n"
         "  input x: " +
         input +
         "\n"
         "  label y: " +
         label +
         "\n"
         "  z = linear(x, 1)\n"
         "  s = reshape(z)\n"
         "  loss = bce_with_logits(s, y)\n"
         "}\n" +
         kTrain + "data {\n" + data + "}\n";
}

const char kSynthetic[] =
    "  dataset = synthetic_logistic(n = 100, d = 3, bias = 0.5, seed = 7)\n";

TEST(F64Model, EveryTensorIsF64) {
  auto out = buildText(logreg(""));
  ASSERT_EQ(out->diagnostics, "");
  ASSERT_TRUE(out->module);
  auto fn = out->module->lookupSymbol<func::FuncOp>("model");
  ASSERT_TRUE(fn);
  auto isF64 = [](Type type) {
    return cast<RankedTensorType>(type).getElementType().isF64();
  };
  EXPECT_TRUE(llvm::all_of(fn.getArgumentTypes(), isF64));
  EXPECT_TRUE(llvm::all_of(fn.getResultTypes(), isF64));
  EXPECT_EQ(fn.getNumArguments(), 4u); // x, y, z.weight, z.bias
}

TEST(F64Model, LabelOfAnotherFloatType) {
  expectErrors(
      logreg("", "f64[8, 3]", "f32[8]"),
      error(3, 12,
            "label `y` is f32 but input `x` is f64; a model computes in one "
            "float type",
            "  label y: f32[8]") +
          note(2, 12, "the input is declared here", "  input x: f64[8, 3]"));
}

TEST(F64Model, SyntheticLogisticSettings) {
  auto out = buildText(logreg(kSynthetic));
  ASSERT_EQ(out->diagnostics, "");
  ASSERT_TRUE(out->module);
  DataAttr data = dataOf(*out);
  ASSERT_TRUE(data);
  DatasetAttr dataset = data.getDataset();
  EXPECT_EQ(dataset.getKind(), kiln::rt::Dataset::SyntheticLogistic);
  EXPECT_FALSE(dataset.getSettings().get("dir")); // Nothing is read from files.
  EXPECT_EQ(dataset.getCount("n"), 100);
  EXPECT_EQ(dataset.getCount("d"), 3);
  EXPECT_EQ(dataset.getReal("bias"), 0.5);
  EXPECT_EQ(dataset.getCount("seed"), 7);
}

TEST(F64Model, SyntheticLogisticInputMustHaveDFeatures) {
  const std::string call =
      "  dataset = synthetic_logistic(n = 100, d = 3, bias = 0.5, seed = 7)";
  expectErrors(logreg(kSynthetic, "f64[8, 4]"),
               error(2, 9,
                     "input `x` does not fit `synthetic_logistic`: expected "
                     "f64[8, 3], 3 features per point, got f64[8, 4]",
                     "  input x: f64[8, 4]") +
                   note(12, 13, "the dataset is set here", call));
}

TEST(F64Model, SyntheticLogisticLabelMustBeFloatTargets) {
  const std::string call =
      "  dataset = synthetic_logistic(n = 100, d = 3, bias = 0.5, seed = 7)";
  std::unique_ptr<BuildOutput> out =
      buildText(logreg(kSynthetic, "f64[8, 3]", "i32[8]"));
  EXPECT_NE(out->diagnostics.find(
                error(3, 9,
                      "label `y` does not fit `synthetic_logistic`: expected "
                      "f64[8], one 0/1 target per point, got i32[8]",
                      "  label y: i32[8]") +
                note(12, 13, "the dataset is set here", call)),
            std::string::npos)
      << out->diagnostics;
  EXPECT_FALSE(out->module);
}

TEST(F64Model, SyntheticLogisticSettingErrors) {
  expectErrors(
      logreg("  dataset = synthetic_logistic(n = 4, d = 3, bais = 1)\n"),
      error(12, 46, "dataset `synthetic_logistic` has no setting `bais`",
            "  dataset = synthetic_logistic(n = 4, d = 3, bais = 1)") +
          hint(12, 46, "did you mean `bias`?") +
          error(12, 36, "n must be an integer >= 5, got `4`",
                "  dataset = synthetic_logistic(n = 4, d = 3, bais = 1)"),
      2);
  expectErrors(logreg("  dataset = synthetic_logistic(n = 6, d = 3)\n"),
               error(12, 36,
                     "n = 6 is smaller than the batch size 8 of input `x`; "
                     "the training set must hold one batch",
                     "  dataset = synthetic_logistic(n = 6, d = 3)"));
  expectErrors(logreg("  dataset = synthetic_logistic(n = 100)\n"),
               error(12, 39,
                     "dataset `synthetic_logistic` needs `d` (features per "
                     "point)",
                     "  dataset = synthetic_logistic(n = 100)"));
}

} // namespace
