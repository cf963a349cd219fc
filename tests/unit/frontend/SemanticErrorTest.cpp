//===- SemanticErrorTest.cpp - One test per model-section diagnostic ------===//
//
// Runs the whole frontend on files that parse but are wrong, and asserts the
// complete clang-style output (error line, source line, caret, notes) and the
// number of errors: each mistake is reported once, at the token to fix, and
// does not cascade into errors at its uses. Recipe sections are covered by
// RecipeErrorTest.cpp.
//
//===----------------------------------------------------------------------===//

#include "BuildHelpers.h"

#include <gtest/gtest.h>

using namespace kiln::test;

namespace {

/// A model section with `decls` as its declarations, a linear layer on `x`
/// and the loss; the model body starts on line 2.
std::string withDecls(const std::string &decls) {
  return "model m {\n" + decls +
         "  fc = linear(x, 3)\n"
         "  loss = softmax_cross_entropy(fc, y)\n"
         "}\n" +
         kTrain;
}

} // namespace

//===--- Declarations --------------------------------------------------------//

TEST(SemanticError, InputMustBeF32) {
  // Only the declaration is reported: `x` still counts as the input, and its
  // uses stay silent.
  expectErrors(withDecls("  input x: i32[4, 8]\n  label y: i32[4]\n"),
               error(2, 12, "input `x` must be f32 or f64, got `i32`",
                     "  input x: i32[4, 8]"));
}

TEST(SemanticError, LabelElementType) {
  expectErrors(withDecls("  input x: f32[4, 8]\n  label y: f16[4]\n"),
               error(3, 12, "label `y` must be i32, f32 or f64, got `f16`",
                     "  label y: f16[4]"));
}

TEST(SemanticError, NonPositiveDimension) {
  expectErrors(withDecls("  input x: f32[4, 0]\n  label y: i32[4]\n"),
               error(2, 19, "dimensions must be positive, got 0",
                     "  input x: f32[4, 0]"));
}

TEST(SemanticError, LabelShapeMustMatchTheLogits) {
  expectErrors(withDecls("  input x: f32[4, 8]\n  label y: i32[4, 2]\n"),
               error(5, 10,
                     "softmax_cross_entropy `loss` expects labels [4] for "
                     "scores [4, 3] from `fc`, got [4, 2] from `y`",
                     "  loss = softmax_cross_entropy(fc, y)"));
}

TEST(SemanticError, LabelBatchMismatch) {
  // Reported once, at the label's batch size; the loss does not repeat it.
  expectErrors(withDecls("  input x: f32[4, 8]\n  label y: i32[8]\n"),
               error(3, 16,
                     "label batch size 8 differs from input batch size 4",
                     "  label y: i32[8]"));
}

TEST(SemanticError, TooManyElements) {
  expectErrors(
      withDecls("  input x: f32[4, 4294967296, 4294967296]\n"
                "  label y: i32[4]\n"),
      error(2, 9,
            "input `x` of shape [4, 4294967296, 4294967296] has too many "
            "elements to count in 64 bits",
            "  input x: f32[4, 4294967296, 4294967296]"));
}

TEST(SemanticError, SecondInput) {
  expectErrors(withDecls("  input x: f32[4, 8]\n  input z: f32[4, 8]\n"
                         "  label y: i32[4]\n"),
               error(3, 3, "a model has one input (`x` is declared already)",
                     "  input z: f32[4, 8]"));
}

TEST(SemanticError, InputAndLabelWithTheSameName) {
  expectErrors(
      "model m {\n  input x: f32[4, 3]\n  label x: i32[4]\n}\n" +
          std::string(kTrain),
      error(3, 9, "`x` is already defined", "  label x: i32[4]") +
          note(2, 9, "previous definition is here", "  input x: f32[4, 3]") +
          error(4, 1,
                "the model defines no `loss`, e.g. `loss = "
                "softmax_cross_entropy(logits, y)`",
                "}"),
      2);
}

TEST(SemanticError, MissingInput) {
  expectErrors(
      "model m {\n  label y: i32[4]\n  loss = softmax_cross_entropy(y, y)\n"
      "}\n" +
          std::string(kTrain),
      error(1, 1, "the model declares no input, e.g. `input x: f32[128, 784]`",
            "model m {") +
          error(3, 32,
                "softmax_cross_entropy argument `logits` must be a tensor, "
                "`y` is a label",
                "  loss = softmax_cross_entropy(y, y)"),
      2);
}

TEST(SemanticError, MissingLabel) {
  expectErrors("model m {\n  input x: f32[4, 8]\n  loss = relu(x)\n}\n" +
                   std::string(kTrain),
               error(1, 1,
                     "the model declares no label, e.g. `label y: i32[128]`",
                     "model m {") +
                   error(3, 10,
                         "`loss` must be computed by a loss layer such as "
                         "softmax_cross_entropy, not `relu`",
                         "  loss = relu(x)"),
               2);
}

TEST(SemanticError, MissingLossPointsAtTheClosingBrace) {
  expectErrors(withModel("  fc = linear(x, 3)\n"),
               error(5, 1,
                     "the model defines no `loss`, e.g. `loss = "
                     "softmax_cross_entropy(logits, y)`",
                     "}"));
}

//===--- Bindings ------------------------------------------------------------//

TEST(SemanticError, Redefinition) {
  expectErrors(withModel("  h = relu(x)\n  h = relu(x)\n"
                         "  loss = softmax_cross_entropy(h, y)\n"),
               error(5, 3, "`h` is already defined", "  h = relu(x)") +
                   note(4, 3, "previous definition is here", "  h = relu(x)"));
}

TEST(SemanticError, RedefinitionOfADeclaration) {
  expectErrors(
      withModel("  x = relu(x)\n  loss = softmax_cross_entropy(x, y)\n"),
      error(4, 3, "`x` is already defined", "  x = relu(x)") +
          note(2, 9, "previous definition is here", "  input x: f32[4, 8]"));
}

TEST(SemanticError, BindingIsNotALayerCall) {
  expectErrors(
      withModel("  h = 5\n  loss = softmax_cross_entropy(h, y)\n"),
      error(4, 7, "expected a layer call such as `relu(h)`", "  h = 5"));
}

TEST(SemanticError, UnknownLayerDidYouMean) {
  expectErrors(
      withModel("  fc = liner(x, 3)\n  loss = softmax_cross_entropy(fc, y)\n"),
      error(4, 8, "unknown layer `liner`", "  fc = liner(x, 3)") +
          hint(4, 8, "did you mean `linear`?"));
}

TEST(SemanticError, UnknownLayerListsTheLayers) {
  // The list grows with every layer family, so only its start is pinned.
  std::unique_ptr<BuildOutput> out = buildText(withModel(
      "  t = transformer(x, 3)\n  loss = softmax_cross_entropy(t, y)\n"));
  EXPECT_FALSE(out->module);
  EXPECT_EQ(out->numErrors(), 1u);
  std::string expected =
      error(4, 7, "unknown layer `transformer`", "  t = transformer(x, 3)") +
      "test.kiln:4:7: note: valid layers: flatten, linear, relu, ";
  EXPECT_EQ(out->diagnostics.substr(0, expected.size()), expected);
  EXPECT_NE(out->diagnostics.find(", softmax_cross_entropy"),
            std::string::npos);
}

TEST(SemanticError, UndefinedNameDidYouMean) {
  expectErrors(
      withModel("  hidden = relu(x)\n  fc = linear(hiden, 3)\n"
                "  loss = softmax_cross_entropy(fc, y)\n"),
      error(5, 15, "use of undefined name `hiden`", "  fc = linear(hiden, 3)") +
          hint(5, 15, "did you mean `hidden`?"));
}

TEST(SemanticError, ForwardReference) {
  expectErrors(withModel("  a = relu(b)\n  b = relu(x)\n"
                         "  loss = softmax_cross_entropy(a, y)\n"),
               error(4, 12, "use of undefined name `b`", "  a = relu(b)") +
                   hint(4, 12, "valid names: x, y"));
}

TEST(SemanticError, SelfReferenceIsUndefined) {
  // Used to define `hidden` before checking its call: no error, then a crash.
  expectErrors(withModel("  hidden = relu(hidden)\n"
                         "  loss = softmax_cross_entropy(hidden, y)\n"),
               error(4, 17, "use of undefined name `hidden`",
                     "  hidden = relu(hidden)") +
                   hint(4, 17, "valid names: x, y"));
}

TEST(SemanticError, LabelWhereATensorIsExpected) {
  expectErrors(
      withModel("  a = relu(y)\n  loss = softmax_cross_entropy(a, y)\n"),
      error(4, 12, "relu argument `input` must be a tensor, `y` is a label",
            "  a = relu(y)"));
}

TEST(SemanticError, TensorWhereALabelIsExpected) {
  expectErrors(withModel("  fc = linear(x, 3)\n"
                         "  loss = softmax_cross_entropy(fc, fc)\n"),
               error(5, 36,
                     "softmax_cross_entropy argument `labels` must be a "
                     "declared label, `fc` is not a label",
                     "  loss = softmax_cross_entropy(fc, fc)"));
}

TEST(SemanticError, NestedCall) {
  expectErrors(
      withModel("  loss = softmax_cross_entropy(linear(x, 3), y)\n"),
      error(4, 32, "softmax_cross_entropy argument `logits` must name a tensor",
            "  loss = softmax_cross_entropy(linear(x, 3), y)"));
}

//===--- Arguments -----------------------------------------------------------//

TEST(SemanticError, TooManyArguments) {
  expectErrors(
      withModel(
          "  a = relu(x, 1)\n  fc = linear(a, 3, true, false, pytorch, 4)\n"
          "  loss = softmax_cross_entropy(fc, y)\n"),
      error(4, 15, "relu takes at most 1 argument, got 2", "  a = relu(x, 1)") +
          error(5, 43, "linear takes at most 5 arguments, got 6",
                "  fc = linear(a, 3, true, false, pytorch, 4)"),
      2);
}

TEST(SemanticError, UnknownKeywordArgument) {
  expectErrors(withModel("  fc = linear(x, 3, bais = false)\n"
                         "  loss = softmax_cross_entropy(fc, y)\n"),
               error(4, 21, "linear has no argument `bais`",
                     "  fc = linear(x, 3, bais = false)") +
                   hint(4, 21, "did you mean `bias`?"));
}

TEST(SemanticError, ArgumentGivenTwice) {
  expectErrors(withModel("  fc = linear(x, 3, out_features = 4)\n"
                         "  loss = softmax_cross_entropy(fc, y)\n"),
               error(4, 21, "`out_features` is given twice",
                     "  fc = linear(x, 3, out_features = 4)"));
}

TEST(SemanticError, MissingRequiredArgumentPointsAtTheParen) {
  expectErrors(withModel("  fc = linear(x)\n"
                         "  loss = softmax_cross_entropy(fc, y)\n"),
               error(4, 16, "linear needs its `out_features` argument",
                     "  fc = linear(x)"));
}

TEST(SemanticError, OutFeaturesMustBeAPositiveInteger) {
  const std::string message =
      "linear argument `out_features` must be an integer >= 1, got ";
  expectErrors(withModel("  a = linear(x, 0)\n  b = linear(x, -3)\n"
                         "  c = linear(x, 2.5)\n  d = linear(x, a)\n"
                         "  loss = softmax_cross_entropy(d, y)\n"),
               error(4, 17, message + "`0`", "  a = linear(x, 0)") +
                   error(5, 17, message + "`-3`", "  b = linear(x, -3)") +
                   error(6, 17, message + "`2.5`", "  c = linear(x, 2.5)") +
                   error(7, 17, message + "`a`", "  d = linear(x, a)"),
               4);
}

TEST(SemanticError, BiasMustBeABoolean) {
  expectErrors(withModel("  fc = linear(x, 3, bias = 1)\n"
                         "  loss = softmax_cross_entropy(fc, y)\n"),
               error(4, 28, "linear argument `bias` must be `true` or `false`",
                     "  fc = linear(x, 3, bias = 1)"));
}

//===--- Shapes --------------------------------------------------------------//

TEST(SemanticError, LinearOnAnImageSuggestsFlatten) {
  expectErrors(
      "model m {\n  input x: f32[4, 1, 28, 28]\n  label y: i32[4]\n"
      "  fc1 = linear(x, 256)\n  loss = softmax_cross_entropy(fc1, y)\n}\n" +
          std::string(kTrain),
      error(4, 9,
            "linear `fc1` expects a 2-D input [batch, features], got "
            "[4, 1, 28, 28] from `x`",
            "  fc1 = linear(x, 256)") +
          hint(4, 9, "flatten it first, e.g. `h = flatten(x)`"));
}

TEST(SemanticError, LinearOnAVectorHasNoFlattenHint) {
  expectErrors(
      "model m {\n  input x: f32[4]\n  label y: i32[4]\n"
      "  fc = linear(x, 3)\n  loss = softmax_cross_entropy(fc, y)\n}\n" +
          std::string(kTrain),
      error(4, 8,
            "linear `fc` expects a 2-D input [batch, features], got [4] "
            "from `x`",
            "  fc = linear(x, 3)"));
}

TEST(SemanticError, LogitsMustBeTwoDimensional) {
  expectErrors(
      "model m {\n  input x: f32[4, 2, 3]\n  label y: i32[4]\n"
      "  loss = softmax_cross_entropy(x, y)\n}\n" +
          std::string(kTrain),
      error(4, 10,
            "softmax_cross_entropy `loss` expects logits [batch, classes], "
            "got [4, 2, 3] from `x`",
            "  loss = softmax_cross_entropy(x, y)"));
}

//===--- The loss ------------------------------------------------------------//

TEST(SemanticError, LossComputedByANonLossLayer) {
  expectErrors(withModel("  fc = linear(x, 3)\n  loss = relu(fc)\n"),
               error(5, 10,
                     "`loss` must be computed by a loss layer such as "
                     "softmax_cross_entropy, not `relu`",
                     "  loss = relu(fc)"));
}

TEST(SemanticError, LossBoundToAnotherName) {
  expectErrors(withModel("  fc = linear(x, 3)\n"
                         "  ce = softmax_cross_entropy(fc, y)\n"),
               error(5, 3, "bind the loss to the name `loss`",
                     "  ce = softmax_cross_entropy(fc, y)") +
                   error(6, 1,
                         "the model defines no `loss`, e.g. `loss = "
                         "softmax_cross_entropy(logits, y)`",
                         "}"),
               2);
}
