//===- manifest_test.cpp - Tests of manifest parsing and initialisation ---===//
//
// Parses the documented example manifest, checks that malformed ones are
// rejected with the offending field named, and that initialisation is
// deterministic and follows each init kind.
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
 "state": [{"name": "fc1.weight.momentum_buffer", "shape": [256, 784],
            "init": {"kind": "zeros"}}],
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
  ASSERT_EQ(m.state.size(), 1u);
  EXPECT_EQ(m.epochs, 5);
  EXPECT_EQ(m.seed, 0u);
  EXPECT_EQ(m.dataset, "fashion_mnist");
  EXPECT_EQ(m.dataDir, "/usr/share/datasets/fashion-mnist");
  EXPECT_DOUBLE_EQ(m.normalize.std, 0.353);
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

TEST(Manifest, TrainSectionIsOptional) {
  nlohmann::json j = nlohmann::json::parse(kExample);
  j.erase("train");
  j.erase("state");
  Manifest m = parseManifest(j.dump());
  EXPECT_EQ(m.epochs, 1);
  EXPECT_EQ(m.seed, 0u);
  EXPECT_TRUE(m.state.empty());
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
