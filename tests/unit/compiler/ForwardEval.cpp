//===- ForwardEval.cpp - Run one kiln computation on given inputs ---------===//
#include "ForwardEval.h"

#include "JitHarness.h"

#include "llvm/ADT/StringExtras.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace kiln::testing;

namespace {
std::string withElement(std::string text, const std::string &element) {
  for (size_t at = text.find("ELT"); at != std::string::npos;
       at = text.find("ELT", at))
    text.replace(at, 3, element);
  return text;
}

/// The argument list with roles: i32 arguments are labels, others inputs.
std::string withRoles(const std::string &args) {
  llvm::SmallVector<llvm::StringRef> parts;
  llvm::SplitString(args, parts, ",");
  std::string result;
  for (llvm::StringRef part : parts) {
    part = part.trim();
    bool label = part.contains("i32");
    result += (result.empty() ? "" : ", ") + part.str() +
              (label ? " {kiln.role = #kiln.role<label>}"
                     : " {kiln.role = #kiln.role<input>}");
  }
  return result;
}
} // namespace

std::vector<double>
kiln::testing::evaluate(const Computation &c, const std::string &element,
                        const std::vector<std::vector<double>> &inputs) {
  std::string output = withElement(c.output, element);
  std::string source =
      "func.func @model(" + withRoles(withElement(c.args, element)) + ") -> (" +
      output +
      " {kiln.role = #kiln.role<logits>}) attributes "
      "{kiln.entry = #kiln.entry<eval>} {\n  " +
      withElement(c.body, element) + "\n  return %out : " + output + "\n}\n";
  CompiledModule module;
  std::string error = module.compile(source, "canonicalize");
  EXPECT_EQ(error, "") << source;
  if (!error.empty())
    return {};
  std::vector<HostBuffer> args = module.makeArguments("eval");
  EXPECT_EQ(args.size(), inputs.size());
  for (size_t i = 0; i < std::min(args.size(), inputs.size()); ++i) {
    EXPECT_EQ(args[i].size(), static_cast<int64_t>(inputs[i].size()))
        << "argument " << i;
    for (int64_t e = 0;
         e < std::min(args[i].size(), static_cast<int64_t>(inputs[i].size()));
         ++e)
      args[i].set(e, inputs[i][e]);
  }
  std::vector<HostBuffer> results = module.makeResults("eval");
  EXPECT_EQ(module.call("eval", args, results), "");
  return results[0].values();
}

std::vector<double> kiln::testing::asElement(std::vector<double> values,
                                             const std::string &element) {
  if (element == "f32")
    for (double &value : values)
      value = static_cast<float>(value);
  return values;
}

void kiln::testing::expectClose(const std::vector<double> &actual,
                                const std::vector<double> &expected,
                                const std::string &element) {
  ASSERT_EQ(actual.size(), expected.size());
  double tolerance = element == "f32" ? 2e-6 : 1e-12;
  for (size_t i = 0; i < actual.size(); ++i)
    EXPECT_NEAR(actual[i], expected[i],
                tolerance * std::max(1.0, std::abs(expected[i])))
        << element << " element " << i;
}

std::vector<double>
kiln::testing::crossEntropyReference(const std::vector<double> &x,
                                     const std::vector<double> &y, int n, int c,
                                     int p, double eps) {
  std::vector<double> losses;
  for (int s = 0; s < n; ++s)
    for (int q = 0; q < p; ++q) {
      auto at = [&](int k) { return x[(s * c + k) * p + q]; };
      double max = -INFINITY, sum = 0, mean = 0;
      for (int k = 0; k < c; ++k)
        max = std::max(max, at(k));
      for (int k = 0; k < c; ++k)
        sum += std::exp(at(k) - max);
      auto logProb = [&](int k) { return at(k) - max - std::log(sum); };
      for (int k = 0; k < c; ++k)
        mean -= logProb(k) / c;
      int label = static_cast<int>(y[s * p + q]);
      losses.push_back((1 - eps) * -logProb(label) + eps * mean);
    }
  return losses;
}
