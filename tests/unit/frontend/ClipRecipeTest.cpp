//===- ClipRecipeTest.cpp - The `clip` setting of the train section -------===//
//
// `clip = value(V)`, `global_norm(M)` or `tensor_norm(M)` becomes the `clip`
// entry of the module's kiln.train attribute, which kiln-clip-gradients
// reads; mistakes are reported at their location like RecipeErrorTest.cpp's.
//
//===----------------------------------------------------------------------===//

#include "BuildHelpers.h"

#include <gtest/gtest.h>

using namespace kiln::test;

namespace {

/// A train section with an optimizer (line 8) and `clip = <clip>` (line 9).
std::string withClip(const std::string &clip) {
  return withTrain("  optimizer = sgd(lr = 0.1)\n  clip = " + clip + "\n");
}

void expectError(const std::string &clip, const std::string &expected) {
  std::unique_ptr<BuildOutput> out = buildText(withClip(clip));
  EXPECT_EQ(out->diagnostics, expected);
  EXPECT_EQ(out->numErrors(), 1u);
  EXPECT_FALSE(out->module) << "no module is built when there are errors";
}

/// The clip entry of kiln.train for a valid `clip`.
kiln::ClipAttr clipOf(BuildOutput &out) {
  kiln::TrainRecipeAttr train = trainOf(out);
  EXPECT_TRUE(train) << out.diagnostics;
  return train ? train.getClip() : nullptr;
}

} // namespace

TEST(ClipRecipe, EachKindWithItsThreshold) {
  struct {
    const char *source, *kind, *threshold;
    double value;
  } cases[] = {{"value(0.5)", "value", "clip_value", 0.5},
               {"global_norm(max_norm = 5)", "global_norm", "max_norm", 5.0},
               {"tensor_norm(1.0)", "tensor_norm", "max_norm", 1.0}};
  for (const auto &c : cases) {
    std::unique_ptr<BuildOutput> out = buildText(withClip(c.source));
    EXPECT_EQ(out->diagnostics, "");
    kiln::ClipAttr clip = clipOf(*out);
    ASSERT_TRUE(clip) << c.source;
    EXPECT_EQ(kiln::stringifyClipKind(clip.getKind()), c.kind);
    EXPECT_EQ(clip.getReal(c.threshold), c.value);
    EXPECT_EQ(clip.getSettings().size(), 1u);
  }
}

TEST(ClipRecipe, NoClipWritesNone) {
  std::unique_ptr<BuildOutput> out = buildText(withData(""));
  ASSERT_TRUE(out->module) << out->diagnostics;
  EXPECT_FALSE(clipOf(*out));
}

TEST(ClipRecipe, UnknownKindDidYouMean) {
  expectError("global_nrom(5.0)",
              error(9, 10, "unknown gradient clipping `global_nrom`",
                    "  clip = global_nrom(5.0)") +
                  hint(9, 10, "did you mean `global_norm`?"));
}

TEST(ClipRecipe, UnknownKindListsTheKinds) {
  expectError("adaptive(0.1)",
              error(9, 10, "unknown gradient clipping `adaptive`",
                    "  clip = adaptive(0.1)") +
                  hint(9, 10,
                       "valid clipping kinds: value, global_norm, "
                       "tensor_norm"));
}

TEST(ClipRecipe, ThresholdMustBePositive) {
  expectError("global_norm(0)",
              error(9, 22,
                    "`max_norm` (largest L2 norm of all gradients together) "
                    "must be positive",
                    "  clip = global_norm(0)"));
  expectError("value(clip_value = -0.5)",
              error(9, 29,
                    "`clip_value` (largest gradient element magnitude) must "
                    "be positive",
                    "  clip = value(clip_value = -0.5)"));
}

TEST(ClipRecipe, UnknownArgumentDidYouMean) {
  // The threshold it meant is then missing too.
  const char *line = "  clip = tensor_norm(max_nrom = 1.0)";
  expectErrors(
      withTrain("  optimizer = sgd(lr = 0.1)\n" + std::string(line) + "\n"),
      error(9, 22,
            "gradient clipping `tensor_norm` has no setting "
            "`max_nrom`",
            line) +
          hint(9, 22, "did you mean `max_norm`?") +
          error(9, 36,
                "gradient clipping `tensor_norm` needs `max_norm` "
                "(largest L2 norm of each gradient)",
                line),
      2);
}

TEST(ClipRecipe, ExactlyOneThreshold) {
  expectError("value(0.5, 1.0)",
              error(9, 21,
                    "gradient clipping `value` takes at most 1 argument, got 2",
                    "  clip = value(0.5, 1.0)"));
  expectError("value()", error(9, 16,
                               "gradient clipping `value` needs `clip_value` "
                               "(largest gradient element magnitude)",
                               "  clip = value()"));
}

TEST(ClipRecipe, ThresholdMustBeANumber) {
  expectError("value(big)", error(9, 16, "clip_value must be a number",
                                  "  clip = value(big)"));
}

TEST(ClipRecipe, MustBeACall) {
  expectError("5.0",
              error(9, 10, "clip must be a call such as `global_norm(5.0)`",
                    "  clip = 5.0"));
}
