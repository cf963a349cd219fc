//===- synthetic_test.cpp - Tests of the synthetic_logistic dataset -------===//
//
// The generated splits have the documented shapes, are reproducible from
// the seed alone, hold 0/1 targets and standard normal features, and the
// test split is fresh data rather than a copy of training points.
//
//===----------------------------------------------------------------------===//
#include "kiln/dataset.h"

#include <cstring>
#include <gtest/gtest.h>

using namespace kiln;

namespace {

bool sameBytes(const Tensor &a, const Tensor &b) {
  return a.bytes() == b.bytes() &&
         std::memcmp(a.raw(), b.raw(), a.bytes()) == 0;
}

TEST(SyntheticLogistic, ShapesOfBothSplits) {
  SyntheticLogistic spec{1000, 7, 0.5, 3};
  Dataset train = generateSyntheticLogistic(spec, Split::Train);
  Dataset test = generateSyntheticLogistic(spec, Split::Test);
  EXPECT_EQ(train.images.dtype(), DType::F64);
  EXPECT_EQ(train.labels.dtype(), DType::F64);
  EXPECT_EQ(train.images.shape(), (std::vector<int64_t>{1000, 7}));
  EXPECT_EQ(train.labels.shape(), (std::vector<int64_t>{1000}));
  EXPECT_EQ(test.images.shape(), (std::vector<int64_t>{200, 7}));
  EXPECT_EQ(test.labelsPerSample(), 1);
}

TEST(SyntheticLogistic, MatchesTheDocumentedGenerator) {
  // Values of an independent implementation of docs/runtime.md's recipe
  // (SplitMix64 streams, Box-Muller), so the data does not silently change.
  SyntheticLogistic spec{2000, 5, 0.5, 1234};
  Dataset data = generateSyntheticLogistic(spec, Split::Train);
  const double first[] = {1.1779982778473366, -1.339757201266678,
                          0.538950710136353, 1.3539060823334654,
                          1.9219347363023596};
  for (int j = 0; j < 5; ++j)
    EXPECT_NEAR(data.images.f64()[j], first[j], 1e-14) << j;
  EXPECT_EQ(data.labels.f64()[0], 1.0);
  double ones = 0;
  for (int64_t i = 0; i < data.size(); ++i)
    ones += data.labels.f64()[i];
  EXPECT_EQ(ones, 1121); // 56.05% of the points
}

TEST(SyntheticLogistic, DeterminedBySeed) {
  SyntheticLogistic spec{500, 4, 0.0, 42};
  Dataset a = generateSyntheticLogistic(spec, Split::Train);
  Dataset b = generateSyntheticLogistic(spec, Split::Train);
  EXPECT_TRUE(sameBytes(a.images, b.images));
  EXPECT_TRUE(sameBytes(a.labels, b.labels));
  spec.seed = 43;
  Dataset c = generateSyntheticLogistic(spec, Split::Train);
  EXPECT_FALSE(sameBytes(a.images, c.images));
  // The test split is drawn from its own stream, not the training points.
  spec.seed = 42;
  Dataset test = generateSyntheticLogistic(spec, Split::Test);
  EXPECT_NE(std::memcmp(test.images.raw(), a.images.raw(), test.images.bytes()),
            0);
}

TEST(SyntheticLogistic, StandardNormalFeaturesAndBinaryTargets) {
  SyntheticLogistic spec{20000, 3, 0.0, 1};
  Dataset data = generateSyntheticLogistic(spec, Split::Train);
  double sum = 0, squares = 0, ones = 0;
  for (int64_t i = 0; i < data.images.numel(); ++i) {
    sum += data.images.f64()[i];
    squares += data.images.f64()[i] * data.images.f64()[i];
  }
  for (int64_t i = 0; i < data.size(); ++i) {
    double y = data.labels.f64()[i];
    ASSERT_TRUE(y == 0.0 || y == 1.0) << y;
    ones += y;
  }
  double n = static_cast<double>(data.images.numel());
  EXPECT_NEAR(sum / n, 0.0, 0.02);
  EXPECT_NEAR(squares / n, 1.0, 0.03);
  // Without bias the logits are symmetric around 0: about half are 1.
  EXPECT_NEAR(ones / data.size(), 0.5, 0.03);
}

TEST(SyntheticLogistic, BiasShiftsTheTargets) {
  // A huge bias makes sigmoid 1 for every point.
  SyntheticLogistic spec{100, 2, 100.0, 5};
  Dataset data = generateSyntheticLogistic(spec, Split::Test);
  for (int64_t i = 0; i < data.size(); ++i)
    EXPECT_EQ(data.labels.f64()[i], 1.0);
}

} // namespace
