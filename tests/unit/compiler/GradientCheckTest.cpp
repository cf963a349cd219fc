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
#include "JitHarness.h"

#include "dialects/kiln/IR/KilnDialect.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>

using namespace kiln::testing;

namespace {
struct GradCase {
  const char *name;
  const char *op; // the kiln op under test
  const char *params;
  const char *body;   // computes %out from the params
  const char *output; // type of %out
};

// Parameters are f64 "param" arguments; labels are i32 "input" arguments
// filled with i % 3. Values stay away from ReLU's kink.
const GradCase kCases[] = {
    {"reshape", "kiln.reshape", "%p0: tensor<2x3x4xf64>",
     "%out = kiln.reshape %p0 : tensor<2x3x4xf64> -> tensor<6x4xf64>",
     "tensor<6x4xf64>"},
    {"broadcast", "kiln.broadcast", "%p0: tensor<3xf64>",
     "%out = kiln.broadcast %p0 axes = [0, 2] : tensor<3xf64> -> "
     "tensor<2x3x4xf64>",
     "tensor<2x3x4xf64>"},
    {"reduce_sum", "kiln.reduce_sum", "%p0: tensor<4x3x2xf64>",
     "%out = kiln.reduce_sum %p0 axes = [1] : tensor<4x3x2xf64> -> "
     "tensor<4x2xf64>",
     "tensor<4x2xf64>"},
    {"add", "kiln.add", "%p0: tensor<3x4xf64>, %p1: tensor<3x4xf64>",
     "%out = kiln.add %p0, %p1 : tensor<3x4xf64>", "tensor<3x4xf64>"},
    {"sub", "kiln.sub", "%p0: tensor<3x4xf64>, %p1: tensor<3x4xf64>",
     "%out = kiln.sub %p0, %p1 : tensor<3x4xf64>", "tensor<3x4xf64>"},
    {"mul", "kiln.mul", "%p0: tensor<3x4xf64>, %p1: tensor<3x4xf64>",
     "%out = kiln.mul %p0, %p1 : tensor<3x4xf64>", "tensor<3x4xf64>"},
    {"scale", "kiln.scale", "%p0: tensor<5xf64>",
     "%out = kiln.scale %p0 by -1.5 : tensor<5xf64>", "tensor<5xf64>"},
    {"matmul", "kiln.matmul", "%p0: tensor<4x3xf64>, %p1: tensor<3x5xf64>",
     "%out = kiln.matmul %p0, %p1 : tensor<4x3xf64>, tensor<3x5xf64> -> "
     "tensor<4x5xf64>",
     "tensor<4x5xf64>"},
    {"matmul_transpose_lhs", "kiln.matmul",
     "%p0: tensor<3x4xf64>, %p1: tensor<3x5xf64>",
     "%out = kiln.matmul %p0, %p1 {transpose_lhs} : tensor<3x4xf64>, "
     "tensor<3x5xf64> -> tensor<4x5xf64>",
     "tensor<4x5xf64>"},
    {"matmul_transpose_rhs", "kiln.matmul",
     "%p0: tensor<4x3xf64>, %p1: tensor<5x3xf64>",
     "%out = kiln.matmul %p0, %p1 {transpose_rhs} : tensor<4x3xf64>, "
     "tensor<5x3xf64> -> tensor<4x5xf64>",
     "tensor<4x5xf64>"},
    {"matmul_transpose_both", "kiln.matmul",
     "%p0: tensor<3x4xf64>, %p1: tensor<5x3xf64>",
     "%out = kiln.matmul %p0, %p1 {transpose_lhs, transpose_rhs} : "
     "tensor<3x4xf64>, tensor<5x3xf64> -> tensor<4x5xf64>",
     "tensor<4x5xf64>"},
    {"bias_add", "kiln.bias_add", "%p0: tensor<2x3x2x2xf64>, %p1: tensor<3xf64>",
     "%out = kiln.bias_add %p0, %p1 : tensor<2x3x2x2xf64>, tensor<3xf64>",
     "tensor<2x3x2x2xf64>"},
    {"relu", "kiln.relu", "%p0: tensor<4x5xf64>",
     "%out = kiln.relu %p0 : tensor<4x5xf64>", "tensor<4x5xf64>"},
    {"relu_grad", "kiln.relu_grad",
     "%p0: tensor<4x5xf64>, %p1: tensor<4x5xf64>",
     "%out = kiln.relu_grad %p0, %p1 : tensor<4x5xf64>", "tensor<4x5xf64>"},
    {"softmax_cross_entropy", "kiln.softmax_cross_entropy",
     "%p0: tensor<4x5xf64>",
     "%out = kiln.softmax_cross_entropy %p0, %labels : tensor<4x5xf64>, "
     "tensor<4xi32> -> tensor<4xf64>",
     "tensor<4xf64>"},
};

/// Names a case in test output instead of dumping its bytes.
void PrintTo(const GradCase &c, std::ostream *os) { *os << c.name; }

/// Ops that deliberately have no VJP, with the reason.
const std::set<std::string> kNotDifferentiable = {
    // Its second derivative is not needed by any first-order method; Newton's
    // method (issue 4) will add it.
    "kiln.softmax_cross_entropy_grad",
};

/// Wraps a case into a module whose eval entry returns sum(out * w).
std::string buildModule(const GradCase &c) {
  std::string params;
  llvm::StringRef rest(c.params);
  int index = 0;
  while (!rest.empty()) {
    auto [param, tail] = rest.split(", ");
    if (!params.empty())
      params += ", ";
    params += param.str() + " {kiln.role = \"param\", kiln.name = \"p" +
              std::to_string(index++) + "\"}";
    rest = tail;
  }
  // The rank of "tensor<AxBxf64>" is the number of 'x' separators.
  int64_t rank = llvm::StringRef(c.output).count('x');
  std::string axes;
  for (int64_t d = 0; d < rank; ++d)
    axes += (d ? ", " : "") + std::to_string(d);
  std::string out = c.output;
  return "func.func @model(" + params +
         ", %labels: tensor<4xi32> {kiln.role = \"label\"}, %w: " + out +
         " {kiln.role = \"input\"}) -> (tensor<f64> {kiln.output = "
         "\"loss\"}) attributes {kiln.entry = \"eval\"} {\n  " +
         c.body + "\n  %m = kiln.mul %out, %w : " + out +
         "\n  %s = kiln.reduce_sum %m axes = [" + axes + "] : " + out +
         " -> tensor<f64>\n  return %s : tensor<f64>\n}\n";
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
      args[i].set(e, isLabel ? e % 3
                             : uniform(rng) * (rng() % 2 ? 1.0 : -1.0));
  }

  std::vector<HostBuffer> grads = module.makeResults("train_step");
  ASSERT_EQ(grads.size(), params.size() + 1);
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

INSTANTIATE_TEST_SUITE_P(
    AllOps, GradientCheck, ::testing::ValuesIn(kCases),
    [](const ::testing::TestParamInfo<GradCase> &info) {
      return std::string(info.param.name);
    });

TEST(GradientCoverage, EveryOpIsCheckedOrDeclaredNotDifferentiable) {
  mlir::MLIRContext context;
  context.loadDialect<kiln::KilnDialect>();
  std::set<std::string> checked;
  for (const GradCase &c : kCases)
    checked.insert(c.op);
  int seen = 0;
  for (mlir::RegisteredOperationName op :
       context.getRegisteredOperations()) {
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
