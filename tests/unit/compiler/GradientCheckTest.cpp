//===- GradientCheckTest.cpp - Every VJP against finite differences -------===//
//
// For each differentiable kiln op, builds in f64
//   loss = sum(op(params...) * w)
// with a random weight tensor w, derives the gradient with the real autodiff
// pass, compiles both the loss and the training step with the CPU pipeline,
// and compares each gradient element with a central finite difference of the
// compiled loss. A second test enumerates the dialect's ops, so an op added
// without a gradient check (or without a VJP) fails here.
//
//===----------------------------------------------------------------------===//
#include "GradCases.h"
#include "JitHarness.h"

#include "dialects/kiln/IR/KilnDialect.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>

using namespace kiln::testing;

namespace {
/// Ops that deliberately have no VJP, with the reason.
const std::set<std::string> kNotDifferentiable = {
    // Second derivatives of batch normalization: not needed by any optimizer.
    "kiln.batch_norm_grad",
    // Second derivatives of normalize (layer, group, instance norm) and of
    // local response normalization: not needed by any optimizer.
    "kiln.normalize_grad",
    "kiln.local_response_norm_grad",
    // Second derivatives of max pooling: not needed by any optimizer.
    "kiln.max_pool2d_grad",
    // Second derivatives of softsign, softplus and gelu: no optimizer needs
    // them (the other activations' VJPs are differentiable compositions).
    "kiln.softsign_grad",
    "kiln.softplus_grad",
    "kiln.gelu_grad",
    // Storage order of feature maps, chosen by a target after autodiff
    // (kiln-cpu-assign-layouts).
    "kiln.block_channels",
    "kiln.unblock_channels",
    // Gradient clipping's clamp acts on gradients after autodiff; no layer
    // uses it, so nothing differentiates it.
    "kiln.clamp",
    // Optimizer and learning-rate schedule arithmetic, never differentiated.
    "kiln.sqrt",
    "kiln.div",
    "kiln.max",
    "kiln.add_scalar",
    "kiln.rpow",
    "kiln.pow",
    "kiln.floor",
    "kiln.cos",
    // A target's call of a runtime kernel, made after autodiff.
    "kiln.runtime_call",
};

/// Wraps a case into a module whose eval entry returns sum(out * w).
std::string buildModule(const GradCase &c) {
  std::string params;
  llvm::StringRef rest(c.params);
  int index = 0;
  while (!rest.empty()) {
    auto [param, tail] = rest.split(", ");
    // "... buffer" marks state such as running statistics.
    bool buffer = param.consume_back(" buffer");
    if (!params.empty())
      params += ", ";
    params += param.str() + " {kiln.role = #kiln.role<" +
              (buffer ? "buffer" : "param") + ">, kiln.name = \"p" +
              std::to_string(index++) + "\"}";
    rest = tail;
  }
  // The rank of "tensor<AxBxf64>" is the number of 'x' separators.
  int64_t rank = llvm::StringRef(c.output).count('x');
  std::string axes;
  for (int64_t d = 0; d < rank; ++d)
    axes += (d ? ", " : "") + std::to_string(d);
  std::string out = c.output;
  return "func.func @model(" + params + ", %labels: " + c.labels +
         " {kiln.role = #kiln.role<label>}, %w: " + out +
         " {kiln.role = #kiln.role<input>}) -> (tensor<f64> {kiln.role = "
         "#kiln.role<loss>}) attributes {kiln.entry = #kiln.entry<eval>} {\n "
         " " +
         c.body + "\n  %m = kiln.mul %out, %w : " + out +
         "\n  %s = kiln.reduce_sum %m axes = [" + axes + "] : " + out +
         " -> tensor<f64>\n  return %s : tensor<f64>\n}\n";
}

/// Every family's cases; a new op family adds its function here.
std::vector<GradCase> allGradCases() {
  std::vector<GradCase> cases = coreGradCases();
  for (auto family : {normGradCases, convGradCases, activationGradCases,
                      lossGradCases, structureGradCases})
    for (GradCase &c : family())
      cases.push_back(c);
  return cases;
}

class GradientCheck : public ::testing::TestWithParam<GradCase> {};

TEST_P(GradientCheck, MatchesCentralDifferences) {
  const GradCase &c = GetParam();
  CompiledModule module;
  ASSERT_EQ(module.compile(buildModule(c), "kiln-build-training-step"), "");

  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> uniform(0.1, 1.0);
  std::vector<HostBuffer> args = module.makeArguments("eval");
  std::vector<int> params;
  for (unsigned i = 0; i < args.size(); ++i) {
    bool isLabel = module.argRole("eval", i) == "label";
    if (module.argRole("eval", i) == "param")
      params.push_back(i);
    for (int64_t e = 0; e < args[i].size(); ++e)
      args[i].set(e, isLabel ? e % 3 : uniform(rng) * (rng() % 2 ? 1.0 : -1.0));
  }

  std::vector<HostBuffer> grads = module.makeResults("train_step");
  // The loss, one gradient per parameter, then buffers (ignored here).
  ASSERT_GE(grads.size(), params.size() + 1);
  ASSERT_EQ(module.call("train_step", args, grads), "");

  std::vector<HostBuffer> loss = module.makeResults("eval");
  auto evaluate = [&] {
    EXPECT_EQ(module.call("eval", args, loss), "");
    return loss[0].get(0);
  };
  EXPECT_NEAR(grads[0].get(0), evaluate(), 1e-12) << "loss of train_step";

  const double h = 1e-6;
  for (size_t p = 0; p < params.size(); ++p) {
    HostBuffer &param = args[params[p]];
    for (int64_t e = 0; e < param.size(); ++e) {
      double saved = param.get(e);
      param.set(e, saved + h);
      double up = evaluate();
      param.set(e, saved - h);
      double down = evaluate();
      param.set(e, saved);
      double numeric = (up - down) / (2 * h);
      double analytic = grads[p + 1].get(e);
      EXPECT_NEAR(analytic, numeric, 1e-6 * std::max(1.0, std::abs(numeric)))
          << c.name << ": d loss / d p" << p << "[" << e << "]";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllOps, GradientCheck,
                         ::testing::ValuesIn(allGradCases()),
                         [](const ::testing::TestParamInfo<GradCase> &info) {
                           return std::string(info.param.name);
                         });

TEST(GradientCoverage, EveryOpIsCheckedOrDeclaredNotDifferentiable) {
  mlir::MLIRContext context;
  context.loadDialect<kiln::KilnDialect>();
  std::set<std::string> checked;
  for (const GradCase &c : allGradCases())
    checked.insert(c.op);
  int seen = 0;
  for (mlir::RegisteredOperationName op : context.getRegisteredOperations()) {
    if (op.getDialectNamespace() != "kiln")
      continue;
    ++seen;
    std::string name = op.getStringRef().str();
    bool hasVJP = op.hasInterface<kiln::DifferentiableOpInterface>();
    if (kNotDifferentiable.count(name)) {
      EXPECT_FALSE(hasVJP) << name << " has a VJP now: add a gradient check";
      continue;
    }
    EXPECT_TRUE(hasVJP) << name << " has no vector-Jacobian product";
    EXPECT_TRUE(checked.count(name)) << name << " has no gradient check";
  }
  EXPECT_GT(seen, 10);
}
} // namespace
