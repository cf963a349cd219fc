//===- manifest_test.cpp - Tests of manifest parsing ----------------------===//
//
// Parses the documented example manifest and checks that malformed ones
// (including entry signatures the trainer could not bind) are rejected with
// the offending field named.
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

/// `j` without the tensor list `key` and every entry binding of `role`.
nlohmann::json withoutList(nlohmann::json j, const std::string &key,
                           const std::string &role) {
  j.erase(key);
  for (auto &entry : j["entries"]) {
    for (const char *side : {"args", "results"}) {
      nlohmann::json kept = nlohmann::json::array();
      for (const nlohmann::json &b : entry[side])
        if (b.value("role", "") != role)
          kept.push_back(b);
      entry[side] = kept;
    }
  }
  return j;
}

TEST(Manifest, ParsesTheExample) {
  Manifest m = parseManifest(kExampleManifest);
  EXPECT_EQ(m.abi, 2);
  EXPECT_EQ(m.model, "fashion_mlp");
  EXPECT_EQ(m.source, "examples/fashion_mlp.kiln");
  EXPECT_EQ(m.batchSize(), 128);
  EXPECT_EQ(m.sampleFeatures(), 784);
  EXPECT_EQ(m.classes, 10);
  ASSERT_EQ(m.params.size(), 3u);
  EXPECT_EQ(m.params[0].name, "fc1.weight");
  EXPECT_EQ(m.params[0].shape, (std::vector<int64_t>{256, 784}));
  EXPECT_EQ(m.params[0].init.kind, InitSpec::Kind::Uniform);
  EXPECT_DOUBLE_EQ(m.params[0].init.a, -0.0357);
  EXPECT_EQ(m.params[1].init.kind, InitSpec::Kind::Constant);
  EXPECT_EQ(m.params[2].init.kind, InitSpec::Kind::Normal);
  ASSERT_EQ(m.buffers.size(), 2u);
  EXPECT_EQ(m.buffers[1].name, "bn1.running_var");
  EXPECT_EQ(m.buffers[1].init.kind, InitSpec::Kind::Constant);
  EXPECT_DOUBLE_EQ(m.buffers[1].init.a, 1.0);
  ASSERT_EQ(m.state.size(), 1u);
  EXPECT_EQ(m.epochs, 5);
  EXPECT_EQ(m.seed, 0u);
  EXPECT_EQ(m.dataset, kiln::rt::Dataset::FashionMnist);
  EXPECT_EQ(m.dataDir, "/usr/share/datasets/fashion-mnist");
  EXPECT_DOUBLE_EQ(m.normalize.std, 0.353);
}

TEST(Manifest, ParsesTheEntrySignatures) {
  Manifest m = parseManifest(kExampleManifest);
  const EntrySignature &eval = m.entry(Entry::Eval);
  ASSERT_EQ(eval.args.size(), 8u);
  EXPECT_EQ(eval.args[0].role, Role::Input);
  EXPECT_EQ(eval.args[0].name, "x");
  EXPECT_EQ(eval.args[0].shape, (std::vector<int64_t>{128, 784}));
  EXPECT_EQ(eval.args[5].role, Role::Buffer);
  EXPECT_EQ(eval.args[5].name, "bn1.running_mean");
  EXPECT_EQ(eval.args[5].shape, (std::vector<int64_t>{256}));
  EXPECT_EQ(eval.args[7].role, Role::Rng);
  EXPECT_EQ(eval.args[7].dtype, DType::I64);
  ASSERT_EQ(eval.results.size(), 3u);
  EXPECT_EQ(eval.results[1].role, Role::SampleLoss);
  EXPECT_TRUE(eval.results[1].name.empty());
  EXPECT_EQ(eval.results[2].role, Role::Logits);
  EXPECT_EQ(eval.results[2].shape, (std::vector<int64_t>{128, 10}));
  EXPECT_EQ(eval.metrics, (std::vector<Metric>{Metric::Accuracy}));
  const EntrySignature &step = m.entry(Entry::TrainStep);
  ASSERT_EQ(step.args.size(), 9u);
  EXPECT_EQ(step.args[8].role, Role::State);
  ASSERT_EQ(step.results.size(), 7u);
  EXPECT_EQ(step.results[0].role, Role::Loss);
  EXPECT_EQ(step.results[4].role, Role::Buffer);
  EXPECT_EQ(step.results[4].name, "bn1.running_mean");
  EXPECT_EQ(step.results[6].name, "fc1.weight.momentum_buffer");
  EXPECT_TRUE(step.metrics.empty());
  const EntrySignature &predict = m.entry(Entry::Predict);
  EXPECT_TRUE(predict.hasResult(Role::Probabilities));
  EXPECT_EQ(m.find(Entry::Hessian), nullptr);
  EXPECT_EQ(kiln::rt::name(Role::SampleLoss), "sample_loss");
}

TEST(Manifest, RejectsBadEntries) {
  nlohmann::json base = nlohmann::json::parse(kExampleManifest);

  nlohmann::json j = base;
  j.erase("entries");
  EXPECT_EQ(manifestError(j),
            "malformed manifest: top level: missing key 'entries'");

  j = base;
  j["entries"]["evaluate"] = j["entries"]["eval"];
  EXPECT_EQ(manifestError(j),
            "malformed manifest: entries.evaluate: unknown entry point "
            "(expected eval, train_step, predict or hessian)");

  j = base;
  j["entries"]["eval"]["args"][7]["role"] = "noise";
  EXPECT_EQ(manifestError(j),
            "malformed manifest: entries.eval.args[7].role: unknown argument "
            "role 'noise' (expected input, label, param, buffer, state, rng, "
            "epoch, step or lr_scale)");

  j = base;
  j["entries"]["train_step"]["results"][1]["role"] = "gradient";
  EXPECT_EQ(manifestError(j),
            "malformed manifest: entries.train_step.results[1].role: unknown "
            "result role 'gradient' (expected param, buffer, state, loss, "
            "sample_loss, logits, probabilities, lr, grad_norm, grad or "
            "hessian)");

  j = base;
  j["entries"]["eval"]["results"][0]["role"] = "rng"; // An argument role.
  EXPECT_NE(manifestError(j).find("unknown result role 'rng'"),
            std::string::npos);

  j = base;
  j["entries"]["eval"]["args"][2]["name"] = "fc9.weight";
  EXPECT_EQ(manifestError(j), "malformed manifest: entries.eval.args[2].name: "
                              "param 'fc9.weight' is not in \"params\"");

  j = base; // A buffer's name with the param role.
  j["entries"]["eval"]["args"][2]["name"] = "bn1.running_mean";
  EXPECT_EQ(manifestError(j), "malformed manifest: entries.eval.args[2].name: "
                              "param 'bn1.running_mean' is not in \"params\"");

  j = base;
  j["entries"]["train_step"]["results"][6]["name"] = "fc2.weight.momentum";
  EXPECT_EQ(manifestError(j),
            "malformed manifest: entries.train_step.results[6].name: state "
            "'fc2.weight.momentum' is not in \"state\"");

  j = base;
  j["entries"]["eval"]["args"][2].erase("name");
  EXPECT_EQ(manifestError(j),
            "malformed manifest: entries.eval.args[2]: missing key 'name'");

  j = base;
  j["entries"]["eval"]["args"][0]["name"] = "z";
  EXPECT_EQ(manifestError(j), "malformed manifest: entries.eval.args[0].name: "
                              "input 'z' is not the input 'x' of the manifest");

  j = base;
  j["entries"]["eval"]["args"][3]["name"] = "fc1.weight";
  EXPECT_EQ(manifestError(j), "malformed manifest: entries.eval.args[3]: "
                              "duplicate param 'fc1.weight'");

  j = base;
  j["entries"]["eval"]["results"][2] = j["entries"]["eval"]["results"][0];
  EXPECT_EQ(manifestError(j),
            "malformed manifest: entries.eval.results[2]: duplicate loss");

  j = base;
  j["entries"]["train_step"]["results"].erase(6);
  EXPECT_EQ(manifestError(j),
            "malformed manifest: entries.train_step.args[8]: reads state "
            "'fc1.weight.momentum_buffer' but no result writes it");

  j = base;
  j["entries"]["train_step"]["results"].erase(4);
  EXPECT_EQ(manifestError(j),
            "malformed manifest: entries.train_step.args[5]: reads buffer "
            "'bn1.running_mean' but no result writes it");

  j = base;
  j["entries"]["train_step"]["results"].erase(0);
  EXPECT_EQ(manifestError(j), "malformed manifest: entries.train_step.results: "
                              "no result with role 'loss'");

  j = base;
  j["entries"]["eval"]["results"].erase(1);
  EXPECT_EQ(manifestError(j), "malformed manifest: entries.eval.results: no "
                              "result with role 'sample_loss'");

  j = base;
  j["entries"]["eval"]["results"].erase(2);
  EXPECT_EQ(manifestError(j), "malformed manifest: entries.eval.results: no "
                              "result with role 'logits'");
}

TEST(Manifest, RejectsBadShapes) {
  nlohmann::json base = nlohmann::json::parse(kExampleManifest);

  nlohmann::json j = base;
  j["entries"]["eval"]["results"][0].erase("shape");
  EXPECT_EQ(manifestError(j), "malformed manifest: entries.eval.results[0]: "
                              "missing key 'shape'");

  j = base;
  j["entries"]["eval"]["args"][2]["shape"] = {784, 256};
  EXPECT_EQ(manifestError(j),
            "malformed manifest: entries.eval.args[2]: param 'fc1.weight' is "
            "f32[784, 256] here but f32[256, 784] in the manifest");

  j = base; // Entries share one buffer per role.
  j["entries"]["predict"]["results"][0]["shape"] = {128, 9};
  EXPECT_EQ(manifestError(j),
            "malformed manifest: entries.predict: logits is f32[128, 9] here "
            "but f32[128, 10] in another entry");

  j = base;
  j["entries"]["eval"]["results"][2]["shape"] = {128, 9};
  EXPECT_EQ(manifestError(j),
            "malformed manifest: entries.eval.metrics: accuracy compares "
            "logits [128, 10] with the labels, but the logits are [128, 9]");

  j = base;
  j["entries"]["eval"]["metrics"] = {"f1"};
  EXPECT_EQ(manifestError(j),
            "malformed manifest: entries.eval.metrics: unknown metric 'f1' "
            "(expected accuracy or binary_accuracy)");

  j = base;
  j["entries"]["eval"]["metrics"] = {"binary_accuracy"};
  EXPECT_EQ(manifestError(j), "malformed manifest: entries.eval.metrics: "
                              "binary_accuracy needs float 0/1 targets");
}

TEST(Manifest, RejectsBadBuffers) {
  nlohmann::json base = nlohmann::json::parse(kExampleManifest);
  nlohmann::json j = base;
  j["buffers"][0]["dtype"] = "i32";
  EXPECT_EQ(manifestError(j),
            "malformed manifest: buffers[0].dtype: "
            "parameters, buffers and state must be f32 or f64");

  j = base;
  j["buffers"][0]["name"] = "fc1.bias";
  EXPECT_EQ(manifestError(j),
            "malformed manifest: buffers[0]: duplicate name 'fc1.bias'");
}

TEST(Manifest, RejectsInvalidJson) {
  EXPECT_THROW(parseManifest("{\"kiln_abi\": "), Error);
  EXPECT_THROW(parseManifest(""), Error);
}

TEST(Manifest, NamesTheBadField) {
  nlohmann::json base = nlohmann::json::parse(kExampleManifest);

  nlohmann::json j = base;
  j.erase("model");
  EXPECT_EQ(manifestError(j), "malformed manifest: top level: missing key "
                              "'model'");

  j = base;
  j["params"][2]["init"]["kind"] = "xavier";
  EXPECT_EQ(manifestError(j),
            "malformed manifest: params[2].init.kind: unknown init kind "
            "'xavier' (expected zeros, constant, uniform or normal)");

  j = base;
  j["params"][0]["shape"][1] = -3;
  EXPECT_EQ(manifestError(j), "malformed manifest: params[0].shape[1]: "
                              "expected an integer >= 0, got -3");

  j = base;
  j["label"]["shape"] = {64};
  EXPECT_EQ(manifestError(j), "malformed manifest: label.shape: expected [128] "
                              "(one label per input row), got [64]");

  j = base;
  j["params"][1]["name"] = "fc1.weight";
  EXPECT_EQ(manifestError(j),
            "malformed manifest: params[1]: duplicate name 'fc1.weight'");

  j = base;
  j["data"]["dataset"] = "cifar10";
  EXPECT_EQ(manifestError(j),
            "malformed manifest: data.dataset: unknown dataset 'cifar10' "
            "(expected fashion_mnist or synthetic_logistic)");

  j = base;
  j["kiln_abi"] = 1;
  EXPECT_EQ(manifestError(j), "the program was compiled for Kiln ABI 1 but "
                              "this runtime implements ABI 2");
}

TEST(Manifest, StateAndBuffersAreOptional) {
  nlohmann::json j = nlohmann::json::parse(kExampleManifest);
  j = withoutList(withoutList(j, "state", "state"), "buffers", "buffer");
  Manifest m = parseManifest(j.dump());
  EXPECT_TRUE(m.state.empty());
  EXPECT_TRUE(m.buffers.empty());
  // Loss and three parameters.
  EXPECT_EQ(m.entry(Entry::TrainStep).results.size(), 4u);
}

} // namespace
