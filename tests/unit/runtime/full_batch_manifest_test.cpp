//===- full_batch_manifest_test.cpp - Manifests of full-batch methods -----===//
//
// Newton's method and line searches are driven by the runtime, which reads
// their settings (train.optimizer, train.line_search, train.tolerance) and
// the hessian entry, whose gradients and Hessian are results of their own
// roles. Checks what parseManifest makes of them and what it rejects.
//
//===----------------------------------------------------------------------===//
#include "kiln/error.h"
#include "kiln/manifest.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace kiln;

namespace {

/// Logistic regression, d = 2, by Newton's method with a line search, as
/// kilnc writes it for a train step without an update.
nlohmann::json newtonManifest() {
  const nlohmann::json args = nlohmann::json::parse(R"([
    {"role": "input", "name": "x"}, {"role": "label", "name": "y"},
    {"role": "param", "name": "z.weight"}, {"role": "param", "name": "z.bias"}])");
  const nlohmann::json grads = nlohmann::json::parse(R"([{"output": "loss"},
    {"output": "grad", "name": "z.weight"}, {"output": "grad", "name": "z.bias"}])");
  nlohmann::json hessianResults = grads;
  hessianResults.push_back({{"output", "hessian"}});
  nlohmann::json stepResults = grads;
  stepResults.push_back({{"output", "grad_norm"}});
  nlohmann::json j = {
      {"kiln_abi", 1},
      {"model", "logreg"},
      {"input", {{"name", "x"}, {"shape", {8, 2}}, {"dtype", "f64"}}},
      {"label", {{"name", "y"}, {"shape", {8}}, {"dtype", "f64"}}},
      {"params",
       {{{"name", "z.weight"},
         {"shape", {1, 2}},
         {"dtype", "f64"},
         {"init", {{"kind", "zeros"}}}},
        {{"name", "z.bias"},
         {"shape", {1}},
         {"dtype", "f64"},
         {"init", {{"kind", "zeros"}}}}}},
      {"train",
       {{"epochs", 15},
        {"optimizer", {{"name", "newton"}, {"lr", 0.5}}},
        {"line_search",
         {{"name", "armijo"},
          {"c", 0.25},
          {"shrink", 0.5},
          {"max_trials", 20.0}}},
        {"tolerance", 1e-8}}},
      {"data",
       {{"dataset", "synthetic_logistic"},
        {"synthetic_logistic",
         {{"n", 8}, {"d", 2}, {"bias", 0.5}, {"seed", 1}}}}}};
  j["entries"]["train_step"] = {{"args", args}, {"results", stepResults}};
  j["entries"]["hessian"] = {{"args", args}, {"results", hessianResults}};
  j["entries"]["eval"] = {
      {"args", args}, {"results", nlohmann::json::parse(R"([{"output": "loss"},
        {"output": "sample_loss"}, {"output": "logits"}])")}};
  return j;
}

std::string manifestError(const nlohmann::json &j) {
  try {
    parseManifest(j.dump());
  } catch (const Error &e) {
    return e.what();
  }
  ADD_FAILURE() << "parseManifest did not throw";
  return "";
}

} // namespace

TEST(FullBatchManifest, ParsesNewtonWithArmijo) {
  Manifest m = parseManifest(newtonManifest().dump());
  ASSERT_TRUE(m.fullBatch);
  EXPECT_TRUE(m.fullBatch->newton);
  EXPECT_DOUBLE_EQ(m.fullBatch->lr, 0.5);
  EXPECT_TRUE(m.fullBatch->lineSearch);
  EXPECT_DOUBLE_EQ(m.fullBatch->c, 0.25);
  EXPECT_DOUBLE_EQ(m.fullBatch->shrink, 0.5);
  EXPECT_EQ(m.fullBatch->maxTrials, 20);
  EXPECT_DOUBLE_EQ(m.fullBatch->tolerance, 1e-8);
  ASSERT_TRUE(m.hessian);
  ASSERT_EQ(m.hessian->results.size(), 4u);
  EXPECT_EQ(m.hessian->results[1].role, Role::Grad);
  EXPECT_EQ(m.hessian->results[1].name, "z.weight");
  EXPECT_EQ(m.hessian->results[3].role, Role::Hessian);
  EXPECT_EQ(m.trainStep.results[3].role, Role::GradNorm);
}

TEST(FullBatchManifest, StochasticOptimizersAreNotFullBatch) {
  nlohmann::json j = newtonManifest();
  j["train"].erase("line_search");
  j["train"]["optimizer"] = {{"name", "sgd"}, {"lr", 0.1}};
  EXPECT_FALSE(parseManifest(j.dump()).fullBatch);
  // A line search makes plain SGD a full-batch method, with lr = 0.1 as
  // the first trial.
  j["train"]["line_search"] = newtonManifest()["train"]["line_search"];
  Manifest m = parseManifest(j.dump());
  ASSERT_TRUE(m.fullBatch);
  EXPECT_FALSE(m.fullBatch->newton);
  EXPECT_DOUBLE_EQ(m.fullBatch->lr, 0.1);
}

TEST(FullBatchManifest, RejectsBadSettings) {
  nlohmann::json j = newtonManifest();
  j["train"]["line_search"]["c"] = 0.7;
  EXPECT_EQ(manifestError(j), "malformed manifest: train.line_search.c: "
                              "expected a number in (0, 0.5]");
  j = newtonManifest();
  j["train"]["line_search"]["name"] = "wolfe";
  EXPECT_EQ(manifestError(j), "malformed manifest: train.line_search.name: "
                              "unknown line search 'wolfe' (expected armijo)");
  j = newtonManifest();
  j["train"]["tolerance"] = -1;
  EXPECT_EQ(manifestError(j), "malformed manifest: train.tolerance: expected "
                              "a number >= 0");
}

TEST(FullBatchManifest, AGradientNamesAParameter) {
  nlohmann::json j = newtonManifest();
  j["entries"]["hessian"]["results"][2]["name"] = "z.bais";
  EXPECT_EQ(manifestError(j),
            "malformed manifest: entries.hessian.results[2].name: grad "
            "'z.bais' is not in \"params\"");
}
