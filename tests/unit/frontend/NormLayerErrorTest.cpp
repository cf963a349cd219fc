//===- NormLayerErrorTest.cpp - Diagnostics of the normalization layers ---===//
//
// Each mistake in a layer_norm, group_norm, instance_norm or lrn call, or in
// the weight_norm option, is reported once, in the user's terms (layer,
// binding, shapes), at the argument to fix or at the call.
//
//===----------------------------------------------------------------------===//

#include "BuildHelpers.h"

#include <gtest/gtest.h>

using namespace kiln::test;

namespace {

TEST(NormLayerError, GroupsMustDivideChannels) {
  expectLayerError("c = group_norm(x, 2)", 21,
                   "group_norm `c` cannot split the 3 channels of [2, 3, 8, "
                   "8] from `x` into 2 groups");
}

TEST(NormLayerError, GroupsArePositive) {
  expectLayerError("c = group_norm(x, groups = 0)", 30,
                   "group_norm argument `groups` must be an integer >= 1, got "
                   "`0`");
}

TEST(NormLayerError, LayerNormDimsWithinTheSample) {
  expectLayerError("c = layer_norm(x, dims = 4)", 28,
                   "layer_norm `c` cannot normalize the last 4 dimensions of "
                   "[2, 3, 8, 8] from `x`: it has 3 after the batch");
}

TEST(NormLayerError, EpsIsPositive) {
  expectLayerError("c = layer_norm(x, eps = 0)", 27,
                   "layer_norm `c` needs a positive eps, got 0");
  expectLayerError("c = group_norm(x, 3, eps = -1e-5)", 30,
                   "group_norm `c` needs a positive eps, got -1e-05");
}

TEST(NormLayerError, InstanceNormNeedsChannelsAndPositions) {
  std::unique_ptr<BuildOutput> out =
      buildText(withModel("  c = instance_norm(x)\n"
                          "  loss = softmax_cross_entropy(c, y)\n"));
  EXPECT_EQ(out->diagnostics,
            error(4, 7,
                  "instance_norm `c` expects [batch, channels, height, width] "
                  "or [batch, channels, length], got [4, 8] from `x`",
                  "  c = instance_norm(x)"));
  EXPECT_EQ(out->numErrors(), 1u);
}

TEST(NormLayerError, InstanceNormAffineIsABoolean) {
  expectLayerError("c = instance_norm(x, affine = 1)", 33,
                   "instance_norm argument `affine` must be `true` or `false`");
}

TEST(NormLayerError, MisspelledAffine) {
  std::string layer = "c = instance_norm(x, afine = true)";
  std::unique_ptr<BuildOutput> out = buildText(withImageLayer(layer));
  EXPECT_EQ(
      out->diagnostics,
      error(4, 24, "instance_norm has no argument `afine`", "  " + layer) +
          hint(4, 24, "did you mean `affine`?"));
}

TEST(NormLayerError, LrnAlphaAndK) {
  expectLayerError("c = lrn(x, 5, alpha = -0.5)", 25,
                   "lrn `c` needs alpha >= 0, got -0.5");
  expectLayerError("c = lrn(x, 5, k = 0)", 21,
                   "lrn `c` needs a positive k, got 0");
}

TEST(NormLayerError, LrnNeedsASize) {
  expectLayerError("c = lrn(x)", 12, "lrn needs its `size` argument");
}

TEST(NormLayerError, WeightNormIsABoolean) {
  expectLayerError("c = conv2d(x, 4, 3, weight_norm = 1)", 37,
                   "conv2d argument `weight_norm` must be `true` or `false`");
  std::unique_ptr<BuildOutput> out =
      buildText(withModel("  c = linear(x, 3, weight_norm = \"yes\")\n"
                          "  loss = softmax_cross_entropy(c, y)\n"));
  EXPECT_EQ(out->diagnostics,
            error(4, 34,
                  "linear argument `weight_norm` must be `true` or `false`",
                  "  c = linear(x, 3, weight_norm = \"yes\")"));
}

/// The parameters each layer declares, with PyTorch's names and shapes.
TEST(NormLayerBuild, ParametersHavePyTorchNamesAndShapes) {
  std::unique_ptr<BuildOutput> out =
      buildText(withImageLayer("a = layer_norm(x, dims = 2)\n"
                               "  b = group_norm(a, 3)\n"
                               "  i = instance_norm(b, affine = true)\n"
                               "  n = lrn(i, 2)\n"
                               "  c = conv2d(n, 4, 3, weight_norm = true)"));
  ASSERT_TRUE(out->module) << out->diagnostics;
  auto model = out->module->lookupSymbol<mlir::func::FuncOp>("model");
  ASSERT_TRUE(model);
  std::string params;
  for (unsigned i = 0; i < model.getNumArguments(); ++i) {
    auto name = model.getArgAttrOfType<mlir::StringAttr>(i, "kiln.name");
    auto type =
        mlir::cast<mlir::RankedTensorType>(model.getArgument(i).getType());
    params += name.str() + kiln::formatShape(type.getShape()) + " ";
  }
  EXPECT_EQ(params, "x[2, 3, 8, 8] y[2] a.weight[8, 8] a.bias[8, 8] "
                    "b.weight[3] b.bias[3] i.weight[3] i.bias[3] "
                    "c.weight_g[4, 1, 1, 1] c.weight_v[4, 3, 3, 3] c.bias[4] "
                    "fc.weight[10, 144] fc.bias[10] ");
}

} // namespace
