//===- matmul_test.cpp - kiln_rt_matmul_f32 against a naive triple loop ---===//
//
// Covers all four transpose combinations on odd sizes (which exercise
// oneDNN's edge handling), cache reuse with new data, and empty sizes.
//
//===----------------------------------------------------------------------===//
#include "kiln/abi.h"
#include "kiln/buffer.h"
#include "kiln/error.h"
#include "kiln/program.h"
#include "kiln/random.h"

#include <cmath>
#include <gtest/gtest.h>
#include <tuple>

using namespace kiln;

namespace {

/// Reference: c = op(a) * op(b) with a/b stored untransposed-row-major.
std::vector<float> naive(const float *a, const float *b, int64_t m, int64_t n,
                         int64_t k, bool ta, bool tb) {
  std::vector<float> c(static_cast<size_t>(m * n));
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double sum = 0;
      for (int64_t p = 0; p < k; ++p)
        sum += double(ta ? a[p * m + i] : a[i * k + p]) *
               double(tb ? b[j * k + p] : b[p * n + j]);
      c[i * n + j] = static_cast<float>(sum);
    }
  return c;
}

void fill(Tensor &t, uint64_t seed) {
  SplitMix64 rng(seed);
  for (int64_t i = 0; i < t.numel(); ++i)
    t.f32()[i] = static_cast<float>(rng.uniform() * 2 - 1);
}

using Case = std::tuple<int64_t, int64_t, int64_t, bool, bool>;
class Matmul : public ::testing::TestWithParam<Case> {};

TEST_P(Matmul, MatchesNaive) {
  auto [m, n, k, ta, tb] = GetParam();
  Tensor a(DType::F32, {m * k}), b(DType::F32, {k * n}), c(DType::F32, {m * n});
  for (uint64_t round = 0; round < 2; ++round) { // Second round: cached.
    fill(a, 1 + round);
    fill(b, 100 + round);
    kiln_rt_matmul_f32(a.f32(), b.f32(), c.f32(), m, n, k, ta, tb);
    std::vector<float> expected = naive(a.f32(), b.f32(), m, n, k, ta, tb);
    for (int64_t i = 0; i < m * n; ++i)
      ASSERT_NEAR(c.f32()[i], expected[i], 1e-4 * std::sqrt(double(k)) + 1e-5)
          << "element " << i;
  }
}

std::vector<Case> cases() {
  std::vector<Case> all;
  const int64_t sizes[][3] = {
      {7, 5, 3}, {64, 33, 17}, {1, 1, 1}, {32, 10, 784}};
  for (const auto &s : sizes)
    for (bool ta : {false, true})
      for (bool tb : {false, true})
        all.emplace_back(s[0], s[1], s[2], ta, tb);
  return all;
}

std::string caseName(const ::testing::TestParamInfo<Case> &info) {
  auto [m, n, k, ta, tb] = info.param;
  return std::to_string(m) + "x" + std::to_string(n) + "x" + std::to_string(k) +
         (ta ? "_TA" : "_A") + (tb ? "_TB" : "_B");
}

INSTANTIATE_TEST_SUITE_P(Shapes, Matmul, ::testing::ValuesIn(cases()),
                         caseName);

TEST(MatmulEdge, EmptyInnerDimensionGivesZeros) {
  float a[1] = {0}, b[1] = {0}, c[6] = {1, 2, 3, 4, 5, 6};
  kiln_rt_matmul_f32(a, b, c, 2, 3, 0, 0, 0);
  for (float v : c)
    EXPECT_EQ(v, 0.0f);
}

TEST(MatmulEdge, EmptyOutputIsANoOp) {
  float a[1] = {0}, b[1] = {0}, c[1] = {7};
  kiln_rt_matmul_f32(a, b, c, 0, 3, 4, 0, 0);
  kiln_rt_matmul_f32(a, b, c, 3, 0, 4, 1, 1);
  EXPECT_EQ(c[0], 7.0f);
}

TEST(MatmulEdge, NegativeSizeIsAPendingFailure) {
  // Kernels never throw across the C ABI: the failure waits for the caller.
  EXPECT_EQ(kiln_rt_take_error(), nullptr);
  float a[1] = {0}, b[1] = {0}, c[1] = {0};
  kiln_rt_matmul_f32(a, b, c, -1, 1, 1, 0, 0);
  kiln_rt_matmul_f32(a, b, c, 1, -2, 1, 0, 0); // the first failure is kept
  const char *failure = kiln_rt_take_error();
  ASSERT_NE(failure, nullptr);
  EXPECT_STREQ(failure, "matmul failed: negative size m=-1 n=1 k=1");
  EXPECT_EQ(kiln_rt_take_error(), nullptr); // taken
}

TEST(MatmulEdge, AKernelFailureFailsTheEntryCall) {
  // callEntry reports what a kernel recorded during the call.
  auto entry = [](void **) {
    float a[1] = {0}, b[1] = {0}, c[1] = {0};
    kiln_rt_matmul_f32(a, b, c, 2, 2, -3, 0, 0);
  };
  try {
    callEntry(entry, nullptr);
    ADD_FAILURE() << "callEntry did not throw";
  } catch (const Error &e) {
    EXPECT_STREQ(e.what(), "matmul failed: negative size m=2 n=2 k=-3");
  }
  EXPECT_EQ(kiln_rt_take_error(), nullptr);
}

} // namespace
