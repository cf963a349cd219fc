//===- OptimizerStepTest.cpp - Compiled optimizers against PyTorch --------===//
//
// For every optimizer and a few settings of its options, compiles a model
// with `kiln-build-training-step,kiln-insert-optimizer` in f64, runs 50
// training steps through the JIT (feeding the returned parameters and state
// back in) and compares the parameters after each step with torch.optim's
// update evaluated in f64 by OptimizerReference. Two problems: a quadratic
// f(w) = 0.5 sum(a w^2) + b.w, whose gradient a w + b the test computes, and
// a small tanh MLP, whose gradient at the reference's parameters comes from
// the training step without an optimizer (checked by GradientCheckTest).
//
//===----------------------------------------------------------------------===//
#include "JitHarness.h"
#include "OptimizerReference.h"

#include "dialects/kiln/IR/KilnDialect.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>
#include <string>
#include <vector>

using namespace kiln::testing;

namespace {
const int kSteps = 50;

const char *kQuadratic = R"(
func.func @model(%w: tensor<5xf64> {kiln.role = #kiln.role<param>, kiln.name = "w"},
                 %a: tensor<5xf64> {kiln.role = #kiln.role<input>},
                 %b: tensor<5xf64> {kiln.role = #kiln.role<input>})
    -> (tensor<f64> {kiln.role = #kiln.role<loss>}) attributes {kiln.entry = #kiln.entry<eval>} {
  %ww = kiln.mul %w, %w : tensor<5xf64>
  %aww = kiln.mul %a, %ww : tensor<5xf64>
  %half = kiln.scale %aww by 0.5 : tensor<5xf64>
  %bw = kiln.mul %b, %w : tensor<5xf64>
  %terms = kiln.add %half, %bw : tensor<5xf64>
  %loss = kiln.reduce_sum %terms axes = [0] : tensor<5xf64> -> tensor<f64>
  return %loss : tensor<f64>
})";

// loss = mean over the batch of 0.5 |tanh(x w1^T + b1) w2^T + b2 - y|^2.
const char *kMlp = R"(
func.func @model(%x: tensor<4x3xf64> {kiln.role = #kiln.role<input>},
                 %w1: tensor<5x3xf64> {kiln.role = #kiln.role<param>, kiln.name = "w1"},
                 %b1: tensor<5xf64> {kiln.role = #kiln.role<param>, kiln.name = "b1"},
                 %w2: tensor<2x5xf64> {kiln.role = #kiln.role<param>, kiln.name = "w2"},
                 %b2: tensor<2xf64> {kiln.role = #kiln.role<param>, kiln.name = "b2"},
                 %y: tensor<4x2xf64> {kiln.role = #kiln.role<input>})
    -> (tensor<f64> {kiln.role = #kiln.role<loss>}) attributes {kiln.entry = #kiln.entry<eval>} {
  %h = kiln.matmul %x, %w1 {transpose_rhs} : tensor<4x3xf64>, tensor<5x3xf64> -> tensor<4x5xf64>
  %hb = kiln.bias_add %h, %b1 : tensor<4x5xf64>, tensor<5xf64>
  %a = kiln.tanh %hb : tensor<4x5xf64>
  %o = kiln.matmul %a, %w2 {transpose_rhs} : tensor<4x5xf64>, tensor<2x5xf64> -> tensor<4x2xf64>
  %ob = kiln.bias_add %o, %b2 : tensor<4x2xf64>, tensor<2xf64>
  %d = kiln.sub %ob, %y : tensor<4x2xf64>
  %dd = kiln.mul %d, %d : tensor<4x2xf64>
  %s = kiln.reduce_sum %dd axes = [0, 1] : tensor<4x2xf64> -> tensor<f64>
  %loss = kiln.scale %s by 0.125 : tensor<f64>
  return %loss : tensor<f64>
})";

struct OptimizerCase {
  const char *name;
  const char *optimizer;
  /// Every hyper-parameter, as the frontend would write them.
  Hyper hyper;
};

void PrintTo(const OptimizerCase &c, std::ostream *os) { *os << c.name; }

/// The module with a kiln.train attribute naming the optimizer.
std::string withOptimizer(const char *body, const OptimizerCase *c) {
  if (!c)
    return std::string("module {") + body + "\n}";
  std::string optimizer = "#kiln.optimizer<" + std::string(c->optimizer);
  for (const auto &[key, value] : c->hyper) {
    bool flag = key == "amsgrad" || key == "nesterov" || key == "centered" ||
                key == "decoupled_weight_decay";
    char number[64];
    snprintf(number, sizeof(number), "%.17e", value);
    optimizer += ", " + key + " = " +
                 (flag ? std::string(value ? "true" : "false") : number);
  }
  return "module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, "
         "optimizer = " +
         optimizer + ">>} {" + body + "\n}";
}

/// Runs both problems for one optimizer setting.
class OptimizerStep : public ::testing::TestWithParam<OptimizerCase> {
protected:
  /// Steps `body` kSteps times, compiled and by the reference, from the
  /// arguments `init` (of the eval entry); `gradient` gives the gradient of
  /// each parameter at the reference's parameters.
  void run(const char *body, std::vector<HostBuffer> init,
           std::function<std::vector<std::vector<double>>(
               const std::vector<std::vector<double>> &)>
               gradient,
           CompiledModule &compiled);
};

void OptimizerStep::run(const char *body, std::vector<HostBuffer> init,
                        std::function<std::vector<std::vector<double>>(
                            const std::vector<std::vector<double>> &)>
                            gradient,
                        CompiledModule &module) {
  const OptimizerCase &c = GetParam();
  ASSERT_EQ(module.compile(withOptimizer(body, &c),
                           "kiln-build-training-step,kiln-insert-optimizer"),
            "");
  // Arguments: the model's (inputs and params), then the optimizer state.
  std::vector<HostBuffer> args = module.makeArguments("train_step");
  std::vector<unsigned> params, carried; // carried: params, then state
  for (unsigned i = 0; i < args.size(); ++i) {
    std::string role = module.argRole("train_step", i);
    if (i < init.size())
      for (int64_t e = 0; e < args[i].size(); ++e)
        args[i].set(e, init[i].get(e));
    if (role == "param")
      params.push_back(i);
    if (role == "param" || role == "state")
      carried.push_back(i);
    // As the runtime does: #kiln.init<constant, value = V> fills with V
    // (AdaGrad's initial_accumulator_value), zeros stay zero.
    auto fill =
        module.argAttrs("train_step", i).getAs<kiln::InitAttr>("kiln.init");
    if (role == "state" && fill && fill.getKind() == kiln::rt::Init::Constant)
      for (int64_t e = 0; e < args[i].size(); ++e)
        args[i].set(e, fill.getReal("value"));
  }
  std::vector<HostBuffer> results = module.makeResults("train_step");
  // The loss, the carried tensors, then the learning rate.
  ASSERT_EQ(results.size(), carried.size() + 2);

  std::vector<std::vector<double>> reference;
  for (unsigned i : params)
    reference.emplace_back(init[i].f64);
  std::vector<ReferenceState> states(params.size());
  for (int step = 1; step <= kSteps; ++step) {
    ASSERT_EQ(module.call("train_step", args, results), "");
    std::vector<std::vector<double>> grads = gradient(reference);
    for (size_t p = 0; p < params.size(); ++p)
      ASSERT_TRUE(referenceStep(c.optimizer, c.hyper, reference[p], grads[p],
                                states[p]));
    for (size_t k = 0; k < carried.size(); ++k)
      for (int64_t e = 0; e < results[k + 1].size(); ++e)
        args[carried[k]].set(e, results[k + 1].get(e));
    for (size_t p = 0; p < params.size(); ++p)
      for (size_t e = 0; e < reference[p].size(); ++e) {
        double expected = reference[p][e], actual = args[params[p]].get(e);
        ASSERT_NEAR(actual, expected, 1e-6 * std::abs(expected) + 1e-12)
            << "step " << step << ", parameter " << p << "[" << e << "]";
      }
  }
  // The run must have moved the parameters, or it compared nothing.
  EXPECT_NE(reference[0][0], init[params[0]].get(0));
}

TEST_P(OptimizerStep, Quadratic) {
  const std::vector<double> w{0.5, -1.0, 1.5, -0.3, 0.8},
      a{1.0, 2.0, 0.5, 3.0, 1.5}, b{0.1, -0.2, 0.3, 0.0, -0.1};
  CompiledModule module;
  ASSERT_EQ(module.compile(withOptimizer(kQuadratic, nullptr),
                           "kiln-build-training-step"),
            "");
  std::vector<HostBuffer> init = module.makeArguments("eval");
  for (int64_t e = 0; e < 5; ++e) {
    init[0].set(e, w[e]);
    init[1].set(e, a[e]);
    init[2].set(e, b[e]);
  }
  CompiledModule compiled;
  run(
      kQuadratic, init,
      [&](const std::vector<std::vector<double>> &params) {
        std::vector<double> g(5);
        for (size_t e = 0; e < 5; ++e)
          g[e] = a[e] * params[0][e] + b[e];
        return std::vector<std::vector<double>>{g};
      },
      compiled);
}

TEST_P(OptimizerStep, Mlp) {
  CompiledModule gradients;
  ASSERT_EQ(gradients.compile(withOptimizer(kMlp, nullptr),
                              "kiln-build-training-step"),
            "");
  std::vector<HostBuffer> init = gradients.makeArguments("eval");
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  for (HostBuffer &buffer : init)
    for (int64_t e = 0; e < buffer.size(); ++e)
      buffer.set(e, uniform(rng));
  std::vector<HostBuffer> args = init;
  std::vector<HostBuffer> results = gradients.makeResults("train_step");
  CompiledModule compiled;
  run(
      kMlp, init,
      [&](const std::vector<std::vector<double>> &params) {
        // Parameters are arguments 1 to 4; the gradients results 1 to 4.
        for (size_t p = 0; p < params.size(); ++p)
          for (size_t e = 0; e < params[p].size(); ++e)
            args[p + 1].set(e, params[p][e]);
        EXPECT_EQ(gradients.call("train_step", args, results), "");
        std::vector<std::vector<double>> grads;
        for (size_t p = 0; p < params.size(); ++p)
          grads.push_back(results[p + 1].f64);
        return grads;
      },
      compiled);
}

const OptimizerCase kCases[] = {
    {"sgd_nesterov",
     "sgd",
     {{"lr", 0.05},
      {"momentum", 0.9},
      {"nesterov", 1},
      {"weight_decay", 0.01},
      {"decoupled_weight_decay", 0}}},
    {"sgdw_momentum",
     "sgd",
     {{"lr", 0.05},
      {"momentum", 0.9},
      {"nesterov", 0},
      {"weight_decay", 0.05},
      {"decoupled_weight_decay", 1}}},
    {"adam",
     "adam",
     {{"lr", 0.05},
      {"beta1", 0.9},
      {"beta2", 0.999},
      {"eps", 1e-8},
      {"weight_decay", 0},
      {"amsgrad", 0}}},
    {"adam_decay_amsgrad",
     "adam",
     {{"lr", 0.02},
      {"beta1", 0.8},
      {"beta2", 0.99},
      {"eps", 1e-6},
      {"weight_decay", 0.1},
      {"amsgrad", 1}}},
    {"adamw",
     "adamw",
     {{"lr", 0.05},
      {"beta1", 0.9},
      {"beta2", 0.999},
      {"eps", 1e-8},
      {"weight_decay", 0.01},
      {"amsgrad", 0}}},
    {"adamw_amsgrad",
     "adamw",
     {{"lr", 0.02},
      {"beta1", 0.85},
      {"beta2", 0.995},
      {"eps", 1e-7},
      {"weight_decay", 0.2},
      {"amsgrad", 1}}},
    {"adagrad",
     "adagrad",
     {{"lr", 0.1},
      {"lr_decay", 0},
      {"weight_decay", 0},
      {"initial_accumulator_value", 0},
      {"eps", 1e-10}}},
    {"adagrad_decay_accumulator",
     "adagrad",
     {{"lr", 0.1},
      {"lr_decay", 0.05},
      {"weight_decay", 0.02},
      {"initial_accumulator_value", 0.1},
      {"eps", 1e-10}}},
    {"rmsprop",
     "rmsprop",
     {{"lr", 0.01},
      {"alpha", 0.99},
      {"eps", 1e-8},
      {"weight_decay", 0},
      {"momentum", 0},
      {"centered", 0}}},
    {"rmsprop_centered_momentum",
     "rmsprop",
     {{"lr", 0.005},
      {"alpha", 0.9},
      {"eps", 1e-6},
      {"weight_decay", 0.01},
      {"momentum", 0.9},
      {"centered", 1}}},
};

INSTANTIATE_TEST_SUITE_P(AllOptimizers, OptimizerStep,
                         ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<OptimizerCase> &i) {
                           return std::string(i.param.name);
                         });
} // namespace
