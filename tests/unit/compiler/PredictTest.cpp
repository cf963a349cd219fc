//===- PredictTest.cpp - The predict entry point against eval -------------===//
//
// Builds model files with the frontend, derives @predict (kiln-build-predict)
// and runs it and @eval through the JIT on the same inputs, parameters and
// running statistics. predict takes no label; its logits must be eval's
// (batch norm and dropout in inference form in both), and its probabilities
// the softmax over classes, or the sigmoid, of eval's logits, computed here
// independently. Regression models predict their values and nothing else.
//
//===----------------------------------------------------------------------===//
#include "ModelEval.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>

using namespace kiln::testing;

namespace {

/// What a model's probabilities are, for the reference.
enum class Probabilities { Softmax, Sigmoid, None };

struct Outputs {
  std::vector<double> logits;
  /// Empty when the entry returns none.
  std::vector<double> probabilities;
  int64_t classes = 0;
};

/// Deterministic values for argument `arg`: labels in range, positive
/// running variances, and varied signs elsewhere.
void fill(HostBuffer &buffer, unsigned arg, const std::string &role,
          const std::string &name) {
  for (int64_t i = 0; i < buffer.size(); ++i) {
    double wave = std::sin(1.7 * i + 0.9 * arg + 0.3);
    if (role == "label")
      buffer.set(i, buffer.type.getElementType().isInteger(32)
                        ? static_cast<double>(i % 3)
                        : static_cast<double>(i % 2));
    else if (llvm::StringRef(name).ends_with("running_var"))
      buffer.set(i, 0.5 + std::abs(wave));
    else
      buffer.set(i, wave);
  }
}

/// The logits and probabilities results of `entry`.
Outputs outputsOf(const CompiledModule &module, const std::string &entry,
                  const std::vector<HostBuffer> &results) {
  Outputs outputs;
  for (unsigned i = 0; i < results.size(); ++i) {
    std::string role = module.resultRole(entry, i);
    std::vector<double> values = results[i].values();
    if (role == "logits") {
      outputs.logits = values;
      outputs.classes =
          results[i].type.getRank() > 1 ? results[i].type.getDimSize(1) : 1;
    } else if (role == "probabilities") {
      outputs.probabilities = values;
    }
  }
  return outputs;
}

/// Runs eval and predict of `model` on the same values; returns their
/// outputs, or {} after a test failure.
std::pair<Outputs, Outputs> runBoth(const std::string &model) {
  CompiledModule module;
  if (!compileModel(model, "kiln-build-predict", module))
    return {};
  // eval's arguments, remembered by role and name for predict's.
  std::vector<HostBuffer> evalArgs = module.makeArguments("eval");
  std::map<std::pair<std::string, std::string>, const HostBuffer *> byName;
  for (unsigned i = 0; i < evalArgs.size(); ++i) {
    std::string role = module.argRole("eval", i);
    std::string name = module.argName("eval", i);
    fill(evalArgs[i], i, role, name);
    byName[{role, name}] = &evalArgs[i];
  }
  std::vector<HostBuffer> predictArgs = module.makeArguments("predict");
  for (unsigned i = 0; i < predictArgs.size(); ++i) {
    std::string role = module.argRole("predict", i);
    EXPECT_NE(role, "label") << "predict takes no label";
    const HostBuffer *same = byName[{role, module.argName("predict", i)}];
    if (!same) {
      ADD_FAILURE() << "predict's argument " << i << " is not eval's";
      return {};
    }
    predictArgs[i] = *same;
  }
  std::vector<HostBuffer> evalResults = module.makeResults("eval");
  std::vector<HostBuffer> predictResults = module.makeResults("predict");
  EXPECT_EQ(module.call("eval", evalArgs, evalResults), "");
  EXPECT_EQ(module.call("predict", predictArgs, predictResults), "");
  return {outputsOf(module, "eval", evalResults),
          outputsOf(module, "predict", predictResults)};
}

/// The probabilities of `logits` ([batch, classes, rest...] or [batch]).
std::vector<double> reference(const Outputs &eval, Probabilities kind) {
  std::vector<double> p(eval.logits.size());
  if (kind == Probabilities::Sigmoid) {
    for (size_t i = 0; i < p.size(); ++i)
      p[i] = 1 / (1 + std::exp(-eval.logits[i]));
    return p;
  }
  // Softmax over the classes of each sample (one position per sample).
  int64_t classes = eval.classes;
  for (size_t row = 0; row * classes < p.size(); ++row) {
    const double *z = &eval.logits[row * classes];
    double top = *std::max_element(z, z + classes), sum = 0;
    for (int64_t c = 0; c < classes; ++c)
      sum += std::exp(z[c] - top);
    for (int64_t c = 0; c < classes; ++c)
      p[row * classes + c] = std::exp(z[c] - top) / sum;
  }
  return p;
}

void expectNear(const std::vector<double> &actual,
                const std::vector<double> &expected, double tolerance) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i)
    EXPECT_NEAR(actual[i], expected[i],
                tolerance * std::max(1.0, std::abs(expected[i])))
        << "element " << i;
}

void expectPredicts(const std::string &model, Probabilities kind,
                    double tolerance) {
  auto [eval, predict] = runBoth(model);
  ASSERT_FALSE(eval.logits.empty());
  expectNear(predict.logits, eval.logits, tolerance);
  if (kind == Probabilities::None) {
    EXPECT_TRUE(predict.probabilities.empty());
    return;
  }
  expectNear(predict.probabilities, reference(eval, kind), tolerance);
}

TEST(Predict, SoftmaxOfEvalLogitsWithBatchNormAndDropout) {
  expectPredicts("model m {\n"
                 "  input x: f64[6, 5]\n"
                 "  label y: i32[6]\n"
                 "  h = linear(x, 4)\n"
                 "  b = batch_norm(h)\n"
                 "  a = relu(b)\n"
                 "  d = dropout(a, 0.5)\n"
                 "  o = linear(d, 3)\n"
                 "  loss = softmax_cross_entropy(o, y)\n"
                 "}",
                 Probabilities::Softmax, 1e-12);
}

TEST(Predict, SoftmaxOfAConvolutionThroughTheRuntimeKernels) {
  // f32: oneDNN convolution, batch norm and pooling in both entries.
  expectPredicts("model m {\n"
                 "  input x: f32[2, 1, 6, 6]\n"
                 "  label y: i32[2]\n"
                 "  c = conv2d(x, 4, 3, padding = 1, bias = false)\n"
                 "  b = batch_norm(c)\n"
                 "  r = relu(b)\n"
                 "  p = max_pool2d(r, 2)\n"
                 "  h = flatten(p)\n"
                 "  o = linear(h, 3)\n"
                 "  loss = softmax_cross_entropy(o, y)\n"
                 "}",
                 Probabilities::Softmax, 1e-6);
}

TEST(Predict, SigmoidOfBinaryLogits) {
  expectPredicts("model m {\n"
                 "  input x: f64[8, 3]\n"
                 "  label y: f64[8]\n"
                 "  z = linear(x, 1)\n"
                 "  s = reshape(z)\n"
                 "  loss = bce_with_logits(s, y)\n"
                 "}",
                 Probabilities::Sigmoid, 1e-12);
}

TEST(Predict, RegressionValuesHaveNoProbabilities) {
  expectPredicts("model m {\n"
                 "  input x: f64[4, 3]\n"
                 "  label t: f64[4, 2]\n"
                 "  z = linear(x, 2)\n"
                 "  loss = mse(z, t)\n"
                 "}",
                 Probabilities::None, 1e-12);
}

} // namespace
