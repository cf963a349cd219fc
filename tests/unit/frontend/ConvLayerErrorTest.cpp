//===- ConvLayerErrorTest.cpp - Diagnostics of the convolution layers -----===//
//
// Each mistake in a convolution or pooling call is reported once, in the
// user's terms (layer, binding, shapes), at the call or at the argument to
// fix; the layers that use the failed binding stay silent.
//
//===----------------------------------------------------------------------===//

#include "BuildHelpers.h"

#include <gtest/gtest.h>

using namespace kiln::test;

namespace {

TEST(ConvLayerError, Conv2dNeedsAnImage) {
  std::unique_ptr<BuildOutput> out =
      buildText(withModel("  c1 = conv2d(x, 32, 3)\n"
                          "  loss = softmax_cross_entropy(c1, y)\n"));
  EXPECT_EQ(out->diagnostics,
            error(4, 8,
                  "conv2d `c1` expects a 4-D input [batch, channels, height, "
                  "width], got [4, 8] from `x`",
                  "  c1 = conv2d(x, 32, 3)"));
  EXPECT_EQ(out->numErrors(), 1u);
}

TEST(ConvLayerError, InChannelsMismatch) {
  expectLayerError("c = conv2d(x, 8, 3, in_channels = 32)", 7,
                   "conv2d `c` expects 32 input channels, got 3 from `x`");
}

TEST(ConvLayerError, KernelLargerThanPaddedInput) {
  expectLayerError("c = conv2d(x, 8, 11, padding = 1)", 7,
                   "conv2d `c` kernel 11 is larger than the input [2, 3, 8, "
                   "8] from `x` padded by 1");
}

TEST(ConvLayerError, DilatedKernelLargerThanInput) {
  expectLayerError("c = conv2d(x, 8, 3, dilation = 4)", 7,
                   "conv2d `c` kernel 3 with dilation 4 (spanning 9) is "
                   "larger than the input [2, 3, 8, 8] from `x` padded by 0");
}

TEST(ConvLayerError, GroupsMustDivideInputChannels) {
  expectLayerError("c = conv2d(x, 8, 3, groups = 2)", 32,
                   "conv2d `c` cannot split the 3 input channels of `x` into "
                   "2 groups");
}

TEST(ConvLayerError, GroupsMustDivideOutputChannels) {
  expectLayerError("c = conv2d(x, 4, 3, groups = 3)", 32,
                   "conv2d `c` cannot split 4 output channels into 3 groups");
}

TEST(ConvLayerError, SamePaddingNeedsStrideOne) {
  expectLayerError("c = conv2d(x, 8, 3, stride = 2, padding = \"same\")", 45,
                   "conv2d `c` can pad \"same\" only with stride 1 and an odd "
                   "kernel span, got stride 2 and span 3");
}

TEST(ConvLayerError, SamePaddingNeedsAnOddSpan) {
  expectLayerError("c = conv2d(x, 8, 4, padding = \"same\")", 33,
                   "conv2d `c` can pad \"same\" only with stride 1 and an odd "
                   "kernel span, got stride 1 and span 4");
}

TEST(ConvLayerError, PaddingIsANumberOrSame) {
  expectLayerError("c = conv2d(x, 8, 3, padding = \"valid\")", 33,
                   "conv2d argument `padding` must be an integer >= 0 or "
                   "\"same\"");
}

TEST(ConvLayerError, PaddingIsNotNegative) {
  expectLayerError("c = conv2d(x, 8, 3, padding = -1)", 33,
                   "conv2d argument `padding` must be an integer >= 0, got "
                   "`-1`");
}

TEST(ConvLayerError, Conv1dNeedsASequence) {
  expectLayerError("c = conv1d(x, 8, 3)", 7,
                   "conv1d `c` expects a 3-D input [batch, channels, length], "
                   "got [2, 3, 8, 8] from `x`");
}

TEST(ConvLayerError, OutputPaddingBelowStride) {
  expectLayerError("c = conv_transpose2d(x, 8, 3, stride = 2, "
                   "output_padding = 2)",
                   62,
                   "conv_transpose2d `c` needs output_padding 2 to be smaller "
                   "than the stride 2");
}

TEST(ConvLayerError, TransposedPaddingLeavesNoOutput) {
  expectLayerError("c = conv_transpose2d(x, 8, 1, padding = 5)", 43,
                   "conv_transpose2d `c` padding 5 leaves no output for the "
                   "input [2, 3, 8, 8] from `x`");
}

TEST(ConvLayerError, PoolPaddingAtMostHalfTheKernel) {
  expectLayerError("c = max_pool2d(x, 2, padding = 2)", 34,
                   "max_pool2d `c` padding 2 is more than half the kernel 2");
}

TEST(ConvLayerError, PoolKernelLargerThanInput) {
  expectLayerError("c = avg_pool2d(x, 9)", 7,
                   "avg_pool2d `c` kernel 9 is larger than the input [2, 3, "
                   "8, 8] from `x` padded by 0");
}

TEST(ConvLayerError, GlobalPoolNeedsAnImage) {
  std::unique_ptr<BuildOutput> out =
      buildText(withModel("  g = global_avg_pool(x)\n"
                          "  loss = softmax_cross_entropy(g, y)\n"));
  EXPECT_EQ(out->diagnostics,
            error(4, 7,
                  "global_avg_pool `g` expects a 4-D input [batch, channels, "
                  "height, width], got [4, 8] from `x`",
                  "  g = global_avg_pool(x)"));
  EXPECT_EQ(out->numErrors(), 1u);
}

TEST(ConvLayerError, EveryMistakeOnce) {
  // Two independent mistakes are both reported; their users stay silent.
  std::unique_ptr<BuildOutput> out =
      buildText("model m {\n"
                "  input x: f32[2, 3, 8, 8]\n"
                "  label y: i32[2]\n"
                "  a = conv2d(x, 8, 3, groups = 2)\n"
                "  b = max_pool2d(a, 2)\n"
                "  c = max_pool2d(x, 3, padding = 2)\n"
                "  h = flatten(c)\n"
                "  loss = softmax_cross_entropy(h, y)\n"
                "}\n" +
                std::string(kTrain));
  EXPECT_EQ(out->numErrors(), 2u) << out->diagnostics;
}

TEST(ConvLayer, ValidLayersBuild) {
  std::unique_ptr<BuildOutput> out =
      buildText(withImageLayer("c = conv2d(x, 8, 3, padding = \"same\", "
                               "groups = 1, in_channels = 3)"));
  EXPECT_EQ(out->diagnostics, "");
  EXPECT_TRUE(out->module);
}

} // namespace
