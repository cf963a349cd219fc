//===- full_batch_manifest_test.cpp - Manifests of full-batch methods -----===//
//
// Newton's method and line searches are driven by the runtime, which reads
// their settings (train.full_batch) and the hessian entry, whose gradients
// and Hessian are results of their own roles. Checks what parseManifest
// makes of them and what it rejects.
//
//===----------------------------------------------------------------------===//
#include "kiln/error.h"
#include "kiln/manifest.h"
#include "manifest_example.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace kiln;
using namespace kiln::test;

namespace {

/// Logistic regression, d = 2, by Newton's method with a line search, as
/// kilnc writes it for a train step without an update.
nlohmann::json newtonManifest() {
  const nlohmann::json args = nlohmann::json::parse(R"([
    {"role": "input", "name": "x"}, {"role": "label", "name": "y"},
    {"role": "param", "name": "z.weight"}, {"role": "param", "name": "z.bias"}])");
  const nlohmann::json grads = nlohmann::json::parse(R"([
    {"role": "loss", "shape": [], "dtype": "f64"},
    {"role": "grad", "name": "z.weight"}, {"role": "grad", "name": "z.bias"}])");
  nlohmann::json hessianResults = grads;
  hessianResults.push_back(
      {{"role", "hessian"}, {"shape", {3, 3}}, {"dtype", "f64"}});
  nlohmann::json stepResults = grads;
  stepResults.push_back({{"role", "grad_norm"},
                         {"shape", nlohmann::json::array()},
                         {"dtype", "f64"}});
  nlohmann::json j = {
      {"kiln_abi", 2},
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
        {"seed", 0},
        {"full_batch",
         {{"method", "newton"},
          {"lr", 0.5},
          {"tolerance", 1e-8},
          {"line_search",
           {{"c", 0.25}, {"shrink", 0.5}, {"max_trials", 20}}}}}}},
      {"data",
       {{"dataset", "synthetic_logistic"},
        {"synthetic_logistic",
         {{"n", 8}, {"d", 2}, {"bias", 0.5}, {"seed", 1}}}}}};
  j["entries"]["train_step"] = {{"args", args}, {"results", stepResults}};
  j["entries"]["hessian"] = {{"args", args}, {"results", hessianResults}};
  j["entries"]["eval"] = {{"args", args}, {"results", nlohmann::json::parse(R"([
        {"role": "loss", "shape": [], "dtype": "f64"},
        {"role": "sample_loss", "shape": [8], "dtype": "f64"},
        {"role": "logits", "shape": [8], "dtype": "f64"}])")}};
  return j;
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
  const EntrySignature &hessian = m.entry(Entry::Hessian);
  ASSERT_EQ(hessian.results.size(), 4u);
  EXPECT_EQ(hessian.results[1].role, Role::Grad);
  EXPECT_EQ(hessian.results[1].name, "z.weight");
  EXPECT_EQ(hessian.results[1].shape, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(hessian.results[3].role, Role::Hessian);
  EXPECT_EQ(m.entry(Entry::TrainStep).results[3].role, Role::GradNorm);
}

TEST(FullBatchManifest, StochasticOptimizersAreNotFullBatch) {
  nlohmann::json j = newtonManifest();
  j["train"].erase("full_batch");
  EXPECT_FALSE(parseManifest(j.dump()).fullBatch);
  // A line search makes plain SGD a full-batch method, with lr = 0.1 as
  // the first trial.
  j["train"]["full_batch"] = newtonManifest()["train"]["full_batch"];
  j["train"]["full_batch"]["method"] = "gradient_descent";
  j["train"]["full_batch"]["lr"] = 0.1;
  Manifest m = parseManifest(j.dump());
  ASSERT_TRUE(m.fullBatch);
  EXPECT_FALSE(m.fullBatch->newton);
  EXPECT_DOUBLE_EQ(m.fullBatch->lr, 0.1);
}

TEST(FullBatchManifest, RejectsMalformedSettings) {
  nlohmann::json j = newtonManifest();
  j["train"]["full_batch"]["method"] = "bfgs";
  EXPECT_EQ(manifestError(j), "malformed manifest: train.full_batch.method: "
                              "unknown method 'bfgs' (expected newton or "
                              "gradient_descent)");
  j = newtonManifest();
  j["train"]["full_batch"]["line_search"].erase("shrink");
  EXPECT_EQ(manifestError(j),
            "malformed manifest: train.full_batch.line_search: "
            "missing key 'shrink'");
  j = newtonManifest();
  j["train"]["full_batch"]["line_search"]["max_trials"] = 0;
  EXPECT_EQ(manifestError(j),
            "malformed manifest: train.full_batch.line_search.max_trials: "
            "expected an integer >= 1, got 0");
}

TEST(FullBatchManifest, AGradientNamesAParameter) {
  nlohmann::json j = newtonManifest();
  j["entries"]["hessian"]["results"][2]["name"] = "z.bais";
  EXPECT_EQ(manifestError(j),
            "malformed manifest: entries.hessian.results[2].name: grad "
            "'z.bais' is not in \"params\"");
}
