//===- InitSchemeTest.cpp - torch.nn.init schemes of layer weights --------===//
//
// The `init` argument of linear and convolution layers and the train
// section's default become the runtime's init dictionaries with
// torch.nn.init's formulas and fans (fan_in = shape[1] * kernel area,
// fan_out = shape[0] * kernel area); biases keep PyTorch's default except
// under zeros and constant. Mistakes are reported at the scheme.
//
//===----------------------------------------------------------------------===//

#include "BuildHelpers.h"

#include "dialects/kiln/IR/KilnConventions.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mlir;
using namespace kiln;
using namespace kiln::test;

namespace {

/// A model with x: f32[2, 3, 8, 8]: conv2d `c` (8 out channels, kernel 3)
/// with `convInit`, then linear `fc` (in 512, out 10) with `fcInit`; the
/// train section adds `trainExtra`.
std::string model(const std::string &convInit, const std::string &fcInit,
                  const std::string &trainExtra = "") {
  auto arg = [](const std::string &init) {
    return init.empty() ? std::string() : ", init = " + init;
  };
  return "model m {\n"
         "  input x: f32[2, 3, 8, 8]\n"
         "  label y: i32[2]\n"
         "  c = conv2d(x, 8, 3, padding = 1" +
         arg(convInit) +
         ")\n"
         "  h = flatten(c)\n"
         "  fc = linear(h, 10" +
         arg(fcInit) +
         ")\n"
         "  loss = softmax_cross_entropy(fc, y)\n"
         "}\n"
         "train {\n"
         "  optimizer = sgd(lr = 0.1)\n" +
         trainExtra + "}\n";
}

/// The init of the parameter called `name` in the eval function.
InitAttr initOf(BuildOutput &out, llvm::StringRef name) {
  func::FuncOp fn = lookupEntry(*out.module, rt::Entry::Eval);
  for (unsigned i = 0; i < fn.getNumArguments(); ++i)
    if (auto argName = fn.getArgAttrOfType<StringAttr>(i, attr::kName))
      if (argName.getValue() == name)
        return fn.getArgAttrOfType<InitAttr>(i, attr::kInit);
  ADD_FAILURE() << "no parameter " << name.str();
  return nullptr;
}

std::unique_ptr<BuildOutput> buildValid(const std::string &source) {
  std::unique_ptr<BuildOutput> out = buildText(source);
  EXPECT_EQ(out->diagnostics, "");
  EXPECT_TRUE(out->module);
  return out;
}

void expectUniform(InitAttr init, double bound) {
  ASSERT_TRUE(init);
  EXPECT_EQ(init.getKind(), kiln::rt::Init::Uniform);
  EXPECT_DOUBLE_EQ(init.getReal("low"), -bound);
  EXPECT_DOUBLE_EQ(init.getReal("high"), bound);
}

void expectNormal(InitAttr init, double mean, double std) {
  ASSERT_TRUE(init);
  EXPECT_EQ(init.getKind(), kiln::rt::Init::Normal);
  EXPECT_DOUBLE_EQ(init.getReal("mean"), mean);
  EXPECT_DOUBLE_EQ(init.getReal("std"), std);
}

// conv2d c: weight [8, 3, 3, 3]: fan_in 27, fan_out 72; linear fc: weight
// [10, 512]: fan_in 512, fan_out 10.
constexpr double kConvIn = 27, kConvOut = 72, kFcIn = 512, kFcOut = 10;

TEST(InitScheme, DefaultIsPyTorch) {
  auto out = buildValid(model("", "pytorch"));
  ASSERT_TRUE(out->module);
  expectUniform(initOf(*out, "c.weight"), 1 / std::sqrt(kConvIn));
  expectUniform(initOf(*out, "c.bias"), 1 / std::sqrt(kConvIn));
  expectUniform(initOf(*out, "fc.weight"), 1 / std::sqrt(kFcIn));
  expectUniform(initOf(*out, "fc.bias"), 1 / std::sqrt(kFcIn));
}

TEST(InitScheme, XavierUsesBothFans) {
  auto out = buildValid(model("xavier_uniform", "xavier_normal(gain = 2)"));
  ASSERT_TRUE(out->module);
  expectUniform(initOf(*out, "c.weight"), std::sqrt(6 / (kConvIn + kConvOut)));
  expectNormal(initOf(*out, "fc.weight"), 0,
               2 * std::sqrt(2 / (kFcIn + kFcOut)));
  // Biases keep PyTorch's default.
  expectUniform(initOf(*out, "c.bias"), 1 / std::sqrt(kConvIn));
  expectUniform(initOf(*out, "fc.bias"), 1 / std::sqrt(kFcIn));
}

TEST(InitScheme, KaimingGainAndMode) {
  auto out =
      buildValid(model("kaiming_uniform", "kaiming_normal(mode = fan_out, "
                                          "nonlinearity = relu)"));
  ASSERT_TRUE(out->module);
  // a = 0, leaky_relu: gain sqrt(2); bound = gain * sqrt(3 / fan_in).
  expectUniform(initOf(*out, "c.weight"),
                std::sqrt(2.0) * std::sqrt(3 / kConvIn));
  expectNormal(initOf(*out, "fc.weight"), 0,
               std::sqrt(2.0) / std::sqrt(kFcOut));
}

TEST(InitScheme, KaimingLeakySlope) {
  auto out = buildValid(model("kaiming_uniform(a = 2.23606797749979)",
                              "kaiming_normal(0.5, fan_in, tanh)"));
  ASSERT_TRUE(out->module);
  // a = sqrt(5) is PyTorch's own default: bound 1 / sqrt(fan_in).
  expectUniform(initOf(*out, "c.weight"), 1 / std::sqrt(kConvIn));
  expectNormal(initOf(*out, "fc.weight"), 0, 5.0 / 3 / std::sqrt(kFcIn));
}

TEST(InitScheme, PlainDistributions) {
  auto out = buildValid(model("uniform(-0.1, 0.1)", "normal(std = 0.02)"));
  ASSERT_TRUE(out->module);
  expectUniform(initOf(*out, "c.weight"), 0.1);
  expectNormal(initOf(*out, "fc.weight"), 0, 0.02);
  expectUniform(initOf(*out, "fc.bias"), 1 / std::sqrt(kFcIn));
}

TEST(InitScheme, ZerosAndConstantSetBiases) {
  auto out = buildValid(model("zeros", "constant(0.5)"));
  ASSERT_TRUE(out->module);
  for (llvm::StringRef name : {"c.weight", "c.bias"})
    EXPECT_EQ(initOf(*out, name).getKind(), kiln::rt::Init::Zeros);
  for (llvm::StringRef name : {"fc.weight", "fc.bias"}) {
    InitAttr init = initOf(*out, name);
    EXPECT_EQ(init.getKind(), kiln::rt::Init::Constant);
    EXPECT_DOUBLE_EQ(init.getReal("value"), 0.5);
  }
}

TEST(InitScheme, TrainDefaultAndOverride) {
  auto out =
      buildValid(model("", "normal(0, 0.01)", "  init = xavier_uniform\n"));
  ASSERT_TRUE(out->module);
  expectUniform(initOf(*out, "c.weight"), std::sqrt(6 / (kConvIn + kConvOut)));
  expectNormal(initOf(*out, "fc.weight"), 0, 0.01);
}

TEST(InitScheme, UnknownSchemeSuggests) {
  auto out = buildText(model("xavier_unifrom", ""));
  EXPECT_EQ(out->diagnostics,
            error(4, 43, "unknown init scheme `xavier_unifrom`",
                  "  c = conv2d(x, 8, 3, padding = 1, init = xavier_unifrom)") +
                "test.kiln:4:43: note: did you mean `xavier_uniform`?\n");
  EXPECT_FALSE(out->module);
}

// Each bad argument is reported at the argument to fix; the layers after a
// failed one stay silent, so each case builds its own file.
TEST(InitScheme, LowNotBelowHigh) {
  auto out = buildText(model("uniform(0.5, 0.5)", ""));
  EXPECT_EQ(out->diagnostics,
            error(4, 56,
                  "uniform needs low < high, got low = 0.5 and high = 0.5",
                  "  c = conv2d(x, 8, 3, padding = 1, init = uniform(0.5, "
                  "0.5))"));
  EXPECT_EQ(out->numErrors(), 1u);
}

TEST(InitScheme, NegativeStd) {
  auto out = buildText(model("", "normal(0, std = -1)"));
  EXPECT_EQ(out->diagnostics,
            error(6, 45, "normal needs std >= 0, got -1",
                  "  fc = linear(h, 10, init = normal(0, std = -1))"));
  EXPECT_EQ(out->numErrors(), 1u);
}

TEST(InitScheme, BadModeAndTrainDefaultReportedOnce) {
  auto out = buildText(model("kaiming_normal(mode = fan_inn)", "",
                             "  init = xavier(gain = 1)\n"));
  EXPECT_NE(out->diagnostics.find("error: unknown init scheme `xavier`"),
            std::string::npos);
  EXPECT_NE(out->diagnostics.find("error: kaiming_normal argument `mode` must "
                                  "be one of fan_in, fan_out"),
            std::string::npos);
  EXPECT_NE(out->diagnostics.find("did you mean `fan_in`?"), std::string::npos);
  EXPECT_EQ(out->numErrors(), 2u);
}

} // namespace
