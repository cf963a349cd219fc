//===- manifest_init_test.cpp - Tests of f64 manifests and initialisation -===//
//
// An f64 model on synthetic data parses, malformed f64 manifests are
// rejected, and initialisation is deterministic, follows each init kind and
// draws f64 tensors as f32 ones without their rounding.
//
//===----------------------------------------------------------------------===//
#include "kiln/init.h"
#include "kiln/manifest.h"

#include "manifest_example.h"

#include <cmath>
#include <cstring>
#include <gtest/gtest.h>

using namespace kiln;
using namespace kiln::test;

namespace {

TEST(Manifest, ParsesF64AndSyntheticData) {
  Manifest m = parseManifest(f64ExampleManifest().dump());
  EXPECT_EQ(m.input.dtype, DType::F64);
  EXPECT_EQ(m.label.dtype, DType::F64);
  EXPECT_EQ(m.classes, 0);
  EXPECT_EQ(m.entry(Entry::Eval).metrics,
            (std::vector<Metric>{Metric::BinaryAccuracy}));
  EXPECT_EQ(m.params[0].dtype, DType::F64);
  EXPECT_EQ(m.state[0].dtype, DType::F64);
  EXPECT_EQ(m.dataset, kiln::rt::Dataset::SyntheticLogistic);
  EXPECT_EQ(m.dataDir, "");
  EXPECT_EQ(m.synthetic.n, 1000);
  EXPECT_EQ(m.synthetic.d, 784);
  EXPECT_DOUBLE_EQ(m.synthetic.bias, 0.5);
  EXPECT_EQ(m.synthetic.seed, 1234u);
}

TEST(Manifest, RejectsBadF64) {
  nlohmann::json j = f64ExampleManifest();
  j["label"]["dtype"] = "f32";
  EXPECT_EQ(manifestError(j), "malformed manifest: label.dtype: expected i32 "
                              "or the input's f64");

  j = f64ExampleManifest();
  j["label"]["shape"] = {128, 2};
  EXPECT_EQ(manifestError(j), "the model's label 'y' is f64[128, 2] but the "
                              "data gives one target per sample, f64[128]");

  j = f64ExampleManifest();
  j["input"]["dtype"] = "f16";
  EXPECT_EQ(manifestError(j), "malformed manifest: input.dtype: unknown dtype "
                              "'f16' (expected f32, f64, i32 or i64)");

  j = f64ExampleManifest();
  j["data"]["synthetic_logistic"].erase("d");
  EXPECT_EQ(manifestError(j), "malformed manifest: data.synthetic_logistic: "
                              "missing key 'd'");
}
TEST(Init, SamplesF64LikeF32WithoutRounding) {
  // The same draws as f32, kept in double: rounding them gives the f32 init.
  Manifest m = parseManifest(kExampleManifest);
  Manifest m64 = parseManifest(f64ExampleManifest().dump());
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
  Manifest m = parseManifest(kExampleManifest);
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
