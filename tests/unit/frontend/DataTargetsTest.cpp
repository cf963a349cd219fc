//===- DataTargetsTest.cpp - The data section's `targets` setting ---------===//
//
// `targets` becomes kiln.data's `targets` entry (and so the manifest's), and
// the label declaration must fit it: class indices i32[N], or foreground
// masks i32[N, H, W] with one pixel per input feature. Mistakes are reported
// at the label with a note at the setting, and misspellings get a "did you
// mean".
//
//===----------------------------------------------------------------------===//

#include "BuildHelpers.h"

#include "dialects/kiln/IR/KilnConventions.h"

#include <gtest/gtest.h>

using namespace kiln;
using namespace kiln::test;
using namespace mlir;

namespace {

/// A per-pixel model, its train section and a data section whose body
/// starts on line 11.
std::string pixelModel(const std::string &data,
                       const std::string &label = "i32[4, 2, 3]",
                       const std::string &loss = "pixel_cross_entropy") {
  return "model m {\n"
         "  input x: f32[4, 1, 2, 3]\n"
         "  label y: " +
         label +
         "\n"
         "  c = conv2d(x, 2, 1)\n"
         "  loss = " +
         loss +
         "(c, y)\n"
         "}\n" +
         kTrain + "data {\n" + data + "}\n";
}

/// The `targets` entry of kiln.data of a file that must build cleanly, or
/// null. `out` owns the context the attribute lives in.
TargetsAttr targetsOf(const std::unique_ptr<BuildOutput> &out) {
  EXPECT_EQ(out->diagnostics, "");
  DataAttr data = dataOf(*out);
  EXPECT_TRUE(data);
  return data ? data.getTargets() : nullptr;
}

TEST(DataTargets, ForegroundMaskWithThreshold) {
  auto out =
      buildText(pixelModel("  targets = foreground_mask(threshold = 0.25)\n"));
  TargetsAttr targets = targetsOf(out);
  ASSERT_TRUE(targets);
  EXPECT_EQ(targets.getKind(), kiln::rt::Targets::ForegroundMask);
  EXPECT_EQ(targets.getReal("threshold"), 0.25);
}

TEST(DataTargets, ForegroundMaskDefaultsToHalf) {
  for (const char *value : {"foreground_mask", "foreground_mask()"}) {
    auto out =
        buildText(pixelModel("  targets = " + std::string(value) + "\n"));
    TargetsAttr targets = targetsOf(out);
    ASSERT_TRUE(targets) << value;
    EXPECT_EQ(targets.getReal("threshold"), 0.5);
  }
}

TEST(DataTargets, ClassesIsWrittenOnlyWhenSet) {
  auto out = buildText(withData("  targets = classes\n"));
  TargetsAttr targets = targetsOf(out);
  ASSERT_TRUE(targets);
  EXPECT_EQ(targets.getKind(), kiln::rt::Targets::Classes);
  EXPECT_TRUE(targets.getSettings().empty());
  EXPECT_TRUE(targetsOf(buildText(withData("  targets = classes()\n"))));
  EXPECT_FALSE(targetsOf(buildText(withData(""))));
  // Without `targets` the label is not checked against the data.
  EXPECT_FALSE(targetsOf(buildText(pixelModel(""))));
}

TEST(DataTargets, MaskLabelMustHaveOnePixelPerFeature) {
  expectErrors(
      withData("  targets = foreground_mask\n"),
      error(3, 9,
            "label `y` does not fit `targets = foreground_mask`: expected "
            "i32[4, H, W], one class index per pixel, with H * W = 8, the "
            "features of an input sample, got i32[4]",
            "  label y: i32[4]") +
          note(11, 13, "the targets are set here",
               "  targets = foreground_mask"));
}

TEST(DataTargets, MaskLabelOfAnImageInputSuggestsItsSize) {
  // An f32 label is fine for mse but not for masks.
  expectErrors(
      pixelModel("  targets = foreground_mask(threshold = 0.5)\n",
                 "f32[4, 2, 2, 3]", "mse"),
      error(3, 9,
            "label `y` does not fit `targets = foreground_mask`: expected "
            "i32[4, H, W], one class index per pixel, with H * W = 6, the "
            "features of an input sample, got f32[4, 2, 2, 3]",
            "  label y: f32[4, 2, 2, 3]") +
          hint(3, 9, "declare e.g. `label y: i32[4, 2, 3]`") +
          note(11, 13, "the targets are set here",
               "  targets = foreground_mask(threshold = 0.5)"));
}

TEST(DataTargets, ClassLabelIsOnePerSample) {
  expectErrors(
      pixelModel("  targets = classes\n"),
      error(3, 9,
            "label `y` does not fit `targets = classes`: expected "
            "i32[4], one class index per sample, got i32[4, 2, 3]",
            "  label y: i32[4, 2, 3]") +
          note(11, 13, "the targets are set here", "  targets = classes"));
}

TEST(DataTargets, InvalidDeclarationsAreReportedOnce) {
  // The label's batch differs from the input's: ModelGen's error only.
  std::unique_ptr<BuildOutput> out =
      buildText(pixelModel("  targets = foreground_mask\n", "i32[5, 2, 3]"));
  EXPECT_EQ(out->diagnostics.find("does not fit"), std::string::npos)
      << out->diagnostics;
}

TEST(DataTargets, UnknownKindDidYouMean) {
  expectErrors(pixelModel("  targets = foreground_mak(threshold = 0.5)\n"),
               error(11, 13, "unknown targets `foreground_mak`",
                     "  targets = foreground_mak(threshold = 0.5)") +
                   hint(11, 13, "did you mean `foreground_mask`?"));
  expectErrors(pixelModel("  targets = labels\n"),
               error(11, 13, "unknown targets `labels`", "  targets = labels") +
                   hint(11, 13, "valid targets: classes, foreground_mask"));
}

TEST(DataTargets, UnknownSettingDidYouMean) {
  expectErrors(pixelModel("  targets = foreground_mask(treshold = 0.5)\n"),
               error(11, 29,
                     "targets `foreground_mask` has no setting `treshold`",
                     "  targets = foreground_mask(treshold = 0.5)") +
                   hint(11, 29, "did you mean `threshold`?"));
  expectErrors(withData("  targets = classes(threshold = 0.5)\n"),
               error(11, 21, "targets `classes` takes no settings",
                     "  targets = classes(threshold = 0.5)"));
}

TEST(DataTargets, BadValues) {
  expectErrors(pixelModel("  targets = foreground_mask(threshold = 1)\n"),
               error(11, 41,
                     "`threshold` (foreground is brighter than this, of "
                     "pixels scaled to [0, 1]) must be in [0, 1)",
                     "  targets = foreground_mask(threshold = 1)"));
  expectErrors(pixelModel("  targets = foreground_mask(threshold = true)\n"),
               error(11, 41, "threshold must be a number",
                     "  targets = foreground_mask(threshold = true)"));
  expectErrors(pixelModel("  targets = foreground_mask(0.5)\n"),
               error(11, 29,
                     "targets `foreground_mask` takes its settings by name, "
                     "e.g. "
                     "`foreground_mask(threshold = 0.5)`",
                     "  targets = foreground_mask(0.5)"));
  expectErrors(pixelModel("  targets = \"mask\"\n"),
               error(11, 13,
                     "targets must be a name or a call such as "
                     "`foreground_mask(threshold = 0.5)`",
                     "  targets = \"mask\""));
}

TEST(DataTargets, MisspeltSettingDidYouMeanTargets) {
  expectErrors(pixelModel("  target = foreground_mask\n"),
               error(11, 3, "unknown setting `target` in the data section",
                     "  target = foreground_mask") +
                   hint(11, 3, "did you mean `targets`?"));
}

} // namespace
