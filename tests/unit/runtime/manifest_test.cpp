//===- manifest_test.cpp - Tests of manifest parsing and initialisation ---===//
//
// Parses the documented example manifest, checks that malformed ones
// (including entry signatures the trainer could not bind) are rejected with
// the offending field named, and that initialisation is deterministic and
// follows each init kind.
//
//===----------------------------------------------------------------------===//
#include "kiln/error.h"
#include "kiln/init.h"
#include "kiln/manifest.h"

#include <cmath>
#include <cstring>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace kiln;

namespace {

const char *const kExample = R"({"kiln_abi": 1, "model": "fashion_mlp",
 "source": "examples/fashion_mlp.kiln",
 "input": {"name": "x", "shape": [128, 784], "dtype": "f32"},
 "label": {"name": "y", "shape": [128], "dtype": "i32", "classes": 10},
 "params": [
   {"name": "fc1.weight", "shape": [256, 784],
    "init": {"kind": "uniform", "low": -0.0357, "high": 0.0357}},
   {"name": "fc1.bias", "shape": [256], "init": {"kind": "constant", "value": 0.1}},
   {"name": "fc2.weight", "shape": [10, 256],
    "init": {"kind": "normal", "mean": 0, "std": 0.05}}],
 "buffers": [
   {"name": "bn1.running_mean", "shape": [256], "init": {"kind": "zeros"}},
   {"name": "bn1.running_var", "shape": [256],
    "init": {"kind": "constant", "value": 1.0}}],
 "state": [{"name": "fc1.weight.momentum_buffer", "shape": [256, 784],
            "init": {"kind": "zeros"}}],
 "entries": {
   "eval": {
     "args": [{"role": "input", "name": "x"}, {"role": "label", "name": "y"},
              {"role": "param", "name": "fc1.weight"},
              {"role": "param", "name": "fc1.bias"},
              {"role": "param", "name": "fc2.weight"},
              {"role": "buffer", "name": "bn1.running_mean"},
              {"role": "buffer", "name": "bn1.running_var"},
              {"role": "rng", "name": "rng"}],
     "results": [{"output": "loss"}, {"output": "sample_loss"},
                 {"output": "logits"}]},
   "train_step": {
     "args": [{"role": "input", "name": "x"}, {"role": "label", "name": "y"},
              {"role": "param", "name": "fc1.weight"},
              {"role": "param", "name": "fc1.bias"},
              {"role": "param", "name": "fc2.weight"},
              {"role": "buffer", "name": "bn1.running_mean"},
              {"role": "buffer", "name": "bn1.running_var"},
              {"role": "rng", "name": "rng"},
              {"role": "state", "name": "fc1.weight.momentum_buffer"}],
     "results": [{"output": "loss"},
                 {"output": "param", "name": "fc1.weight"},
                 {"output": "param", "name": "fc1.bias"},
                 {"output": "param", "name": "fc2.weight"},
                 {"output": "buffer", "name": "bn1.running_mean"},
                 {"output": "buffer", "name": "bn1.running_var"},
                 {"output": "state", "name": "fc1.weight.momentum_buffer"}]}},
 "train": {"epochs": 5, "seed": 0},
 "data": {"dataset": "fashion_mnist", "dir": "/usr/share/datasets/fashion-mnist",
          "normalize": {"mean": 0.286, "std": 0.353}}})";

std::string manifestError(const nlohmann::json &j) {
  try {
    parseManifest(j.dump());
  } catch (const Error &e) {
    return e.what();
  }
  ADD_FAILURE() << "parseManifest did not throw";
  return "";
}

/// `j` without the tensor list `key` and every entry binding of `role`.
nlohmann::json withoutList(nlohmann::json j, const std::string &key,
                           const std::string &role) {
  j.erase(key);
  for (auto &entry : j["entries"]) {
    for (const char *side : {"args", "results"}) {
      nlohmann::json kept = nlohmann::json::array();
      for (const nlohmann::json &b : entry[side])
        if (b.value("role", b.value("output", "")) != role)
          kept.push_back(b);
      entry[side] = kept;
    }
  }
  return j;
}

TEST(Manifest, ParsesTheExample) {
  Manifest m = parseManifest(kExample);
  EXPECT_EQ(m.abi, 1);
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
  EXPECT_EQ(m.dataset, "fashion_mnist");
  EXPECT_EQ(m.dataDir, "/usr/share/datasets/fashion-mnist");
  EXPECT_DOUBLE_EQ(m.normalize.std, 0.353);
}

TEST(Manifest, ParsesTheEntrySignatures) {
  Manifest m = parseManifest(kExample);
  ASSERT_EQ(m.eval.args.size(), 8u);
  EXPECT_EQ(m.eval.args[0].role, Role::Input);
  EXPECT_EQ(m.eval.args[0].name, "x");
  EXPECT_EQ(m.eval.args[5].role, Role::Buffer);
  EXPECT_EQ(m.eval.args[5].name, "bn1.running_mean");
  EXPECT_EQ(m.eval.args[7].role, Role::Rng);
  ASSERT_EQ(m.eval.results.size(), 3u);
  EXPECT_EQ(m.eval.results[1].role, Role::SampleLoss);
  EXPECT_TRUE(m.eval.results[1].name.empty());
  EXPECT_EQ(m.eval.results[2].role, Role::Logits);
  ASSERT_EQ(m.trainStep.args.size(), 9u);
  EXPECT_EQ(m.trainStep.args[8].role, Role::State);
  ASSERT_EQ(m.trainStep.results.size(), 7u);
  EXPECT_EQ(m.trainStep.results[0].role, Role::Loss);
  EXPECT_EQ(m.trainStep.results[4].role, Role::Buffer);
  EXPECT_EQ(m.trainStep.results[4].name, "bn1.running_mean");
  EXPECT_EQ(m.trainStep.results[6].name, "fc1.weight.momentum_buffer");
  EXPECT_STREQ(roleName(Role::SampleLoss), "sample_loss");
}

TEST(Manifest, RejectsBadEntries) {
  nlohmann::json base = nlohmann::json::parse(kExample);

  nlohmann::json j = base;
  j.erase("entries");
  EXPECT_EQ(manifestError(j),
            "manifest has no \"entries\" (compiled by an older kilnc?)");

  j = base;
  j["entries"].erase("eval");
  EXPECT_EQ(manifestError(j),
            "malformed manifest: entries: missing key 'eval'");

  j = base;
  j["entries"]["eval"]["args"][7]["role"] = "noise";
  EXPECT_EQ(manifestError(j),
            "malformed manifest: entries.eval.args[7].role: unknown role "
            "'noise' (expected input, label, param, buffer, state, rng, "
            "epoch, step or lr_scale)");

  j = base;
  j["entries"]["train_step"]["results"][1]["output"] = "gradient";
  EXPECT_EQ(manifestError(j),
            "malformed manifest: entries.train_step.results[1].output: "
            "unknown output 'gradient' (expected loss, sample_loss, logits, "
            "param, buffer, state, lr, grad_norm, grad or hessian)");

  j = base;
  j["entries"]["eval"]["results"][0]["output"] = "rng"; // An argument role.
  EXPECT_NE(manifestError(j).find("unknown output 'rng'"), std::string::npos);

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
  j["entries"]["eval"]["results"][2]["output"] = "loss";
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
                              "no result with output 'loss'");

  j = base;
  j["entries"]["eval"]["results"].erase(2);
  EXPECT_EQ(manifestError(j), "malformed manifest: entries.eval.results: no "
                              "result with output 'logits'");
}

TEST(Manifest, RejectsBadBuffers) {
  nlohmann::json base = nlohmann::json::parse(kExample);
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
  nlohmann::json base = nlohmann::json::parse(kExample);

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
  j["data"]["normalize"]["std"] = 0;
  EXPECT_EQ(manifestError(j),
            "malformed manifest: data.normalize.std: must be positive");

  j = base;
  j["kiln_abi"] = 2;
  EXPECT_EQ(manifestError(j), "the program was compiled for Kiln ABI 2 but "
                              "this runtime implements ABI 1");
}

TEST(Manifest, TrainStateAndBuffersAreOptional) {
  nlohmann::json j = nlohmann::json::parse(kExample);
  j.erase("train");
  j = withoutList(withoutList(j, "state", "state"), "buffers", "buffer");
  Manifest m = parseManifest(j.dump());
  EXPECT_EQ(m.epochs, 1);
  EXPECT_EQ(m.seed, 0u);
  EXPECT_TRUE(m.state.empty());
  EXPECT_TRUE(m.buffers.empty());
  EXPECT_EQ(m.trainStep.results.size(), 4u); // Loss and three parameters.
}

/// The example as an f64 logistic regression on synthetic_logistic: f64
/// input, params and state, f64 [batch] targets without classes.
nlohmann::json f64Example() {
  nlohmann::json j = nlohmann::json::parse(kExample);
  j["input"]["dtype"] = "f64";
  j["label"] = {{"name", "y"}, {"shape", {128}}, {"dtype", "f64"}};
  for (const char *list : {"params", "buffers", "state"})
    for (nlohmann::json &tensor : j[list])
      tensor["dtype"] = "f64";
  j["data"] = {{"dataset", "synthetic_logistic"},
               {"synthetic_logistic",
                {{"n", 1000}, {"d", 784}, {"bias", 0.5}, {"seed", 1234}}}};
  return j;
}

TEST(Manifest, ParsesF64AndSyntheticData) {
  Manifest m = parseManifest(f64Example().dump());
  EXPECT_EQ(m.input.dtype, DType::F64);
  EXPECT_EQ(m.label.dtype, DType::F64);
  EXPECT_EQ(m.classes, 0);
  EXPECT_EQ(m.logitsShape(), (std::vector<int64_t>{128}));
  EXPECT_EQ(m.params[0].dtype, DType::F64);
  EXPECT_EQ(m.state[0].dtype, DType::F64);
  EXPECT_EQ(m.dataset, "synthetic_logistic");
  EXPECT_EQ(m.dataDir, "");
  EXPECT_EQ(m.synthetic.n, 1000);
  EXPECT_EQ(m.synthetic.d, 784);
  EXPECT_DOUBLE_EQ(m.synthetic.bias, 0.5);
  EXPECT_EQ(m.synthetic.seed, 1234u);
}

TEST(Manifest, RejectsBadF64) {
  nlohmann::json j = f64Example();
  j["label"]["dtype"] = "f32";
  EXPECT_EQ(manifestError(j), "malformed manifest: label.dtype: expected i32 "
                              "or the input's f64");

  j = f64Example();
  j["label"]["shape"] = {128, 2};
  EXPECT_EQ(manifestError(j), "the model's label 'y' is f64[128, 2] but the "
                              "data gives one target per sample, f64[128]");

  j = f64Example();
  j["input"]["dtype"] = "f16";
  EXPECT_EQ(manifestError(j), "malformed manifest: input.dtype: unknown dtype "
                              "'f16' (expected f32, f64 or i32)");

  j = f64Example();
  j["data"]["synthetic_logistic"].erase("d");
  EXPECT_EQ(manifestError(j), "malformed manifest: data.synthetic_logistic: "
                              "missing key 'd'");
}

TEST(Init, SamplesF64LikeF32WithoutRounding) {
  // The same draws as f32, kept in double: rounding them gives the f32 init.
  Manifest m = parseManifest(kExample);
  Manifest m64 = parseManifest(f64Example().dump());
  SplitMix64 rng32(7), rng64(7);
  std::vector<Tensor> a = makeTensors(m.params, rng32);
  std::vector<Tensor> b = makeTensors(m64.params, rng64);
  ASSERT_EQ(b[0].dtype(), DType::F64);
  for (size_t t = 0; t < a.size(); ++t)
    for (int64_t i = 0; i < a[t].numel(); ++i)
      ASSERT_EQ(a[t].f32()[i], static_cast<float>(b[t].f64()[i]));
  EXPECT_EQ(b[1].f64()[0], 0.1);
}

TEST(Init, FollowsEachKindAndIsDeterministic) {
  Manifest m = parseManifest(kExample);
  SplitMix64 rng1(deriveSeed(7, kInitStream, 0));
  SplitMix64 rng2(deriveSeed(7, kInitStream, 0));
  std::vector<Tensor> a = makeTensors(m.params, rng1);
  std::vector<Tensor> b = makeTensors(m.params, rng2);
  ASSERT_EQ(a.size(), 3u);
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].bytes(), b[i].bytes());
    EXPECT_EQ(std::memcmp(a[i].raw(), b[i].raw(), a[i].bytes()), 0);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(a[i].raw()) % 64, 0u);
  }
  double sum = 0;
  for (int64_t i = 0; i < a[0].numel(); ++i) {
    ASSERT_GE(a[0].f32()[i], -0.0357f);
    ASSERT_LE(a[0].f32()[i], 0.0357f);
    sum += a[0].f32()[i];
  }
  EXPECT_NEAR(sum / a[0].numel(), 0.0, 0.001);
  for (int64_t i = 0; i < a[1].numel(); ++i)
    ASSERT_EQ(a[1].f32()[i], 0.1f);
  double sq = 0;
  for (int64_t i = 0; i < a[2].numel(); ++i)
    sq += double(a[2].f32()[i]) * a[2].f32()[i];
  EXPECT_NEAR(std::sqrt(sq / a[2].numel()), 0.05, 0.003);

  SplitMix64 other(deriveSeed(8, kInitStream, 0));
  std::vector<Tensor> c = makeTensors(m.params, other);
  EXPECT_NE(std::memcmp(a[0].raw(), c[0].raw(), a[0].bytes()), 0);
}

} // namespace
