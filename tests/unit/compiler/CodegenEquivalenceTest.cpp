//===- CodegenEquivalenceTest.cpp - Layouts and fusions change no result ==//
//
// The CPU target's choices (CodegenOptions) must not change what a training
// step computes. kiln-cpu-assign-layouts only changes how feature maps are
// stored: with channel-blocked maps (8 and 16 channels per block) the step
// must return the loss, gradients and running statistics of the same step on
// NCHW maps. oneDNN's blocked batch normalization sums in another order than
// its NCHW kernel, so those agree to rounding, not bit for bit.
// kiln-cpu-fuse-batch-norm-relu moves exact operations (the ReLU, its mask)
// into the batch-normalization kernels: fused and unfused steps are equal.
// kiln-cpu-parallelize-loops splits the large generated loops among OpenMP
// threads without splitting a sum: any number of threads gives the same
// step, bit for bit.
//
// The model covers every kernel that takes blocked maps (convolution in its
// three directions, batch normalization forward and backward, max and
// average pooling and their gradients), the elementwise ops between them
// (ReLU, its gradient, residual sums), a batch norm + ReLU pair that fuses and
// one that does not (its normalized map also feeds a sum), and
// the reorders before a flatten into a linear layer and at a one-channel
// input, and batch norm + ReLU of features [batch, 16] (blocked as they
// are).
//
//===----------------------------------------------------------------------===//
#include "ModelEval.h"

#include <gtest/gtest.h>

#include <omp.h>

#include <cmath>

using namespace kiln::testing;

namespace {

constexpr const char *kModel = R"(
model blocked {
  input x: f32[4, 1, 8, 8]
  label y: i32[4]
  c1   = conv2d(x, 16, 3, padding = 1, bias = false)
  b1   = batch_norm(c1)
  r1   = relu(b1)
  c2   = conv2d(r1, 16, 3, padding = 1, bias = false)
  b2   = batch_norm(c2)
  s    = add(b2, r1)
  r2   = relu(s)
  p1   = max_pool2d(r2, 2)
  c3   = conv2d(p1, 32, 3, padding = 1, bias = false)
  b3   = batch_norm(c3)
  r3   = relu(b3)
  m3   = add(r3, b3)
  p2   = avg_pool2d(m3, 2)
  h    = flatten(p2)
  f1   = linear(h, 16, bias = false)
  b4   = batch_norm(f1)
  r4   = relu(b4)
  fc   = linear(r4, 3)
  loss = softmax_cross_entropy(fc, y)
}
)";

/// The results of train_step (loss, gradients, new running statistics) on
/// fixed inputs, compiled with `codegen`.
std::vector<std::vector<double>>
trainStep(const kiln::CodegenOptions &codegen, const char *model = kModel,
          const char *pipeline = "kiln-build-training-step") {
  CompiledModule module;
  if (!compileModel(model, pipeline, module, codegen))
    return {};
  std::vector<HostBuffer> args = module.makeArguments("train_step");
  for (unsigned a = 0; a < args.size(); ++a)
    for (int64_t i = 0; i < args[a].size(); ++i) {
      double wave = std::sin(0.37 * i + 1.3 * a);
      bool label = args[a].type.getElementType().isInteger(32);
      args[a].set(i, label ? static_cast<double>(i % 3)
                     : module.argName("train_step", a).find("var") !=
                             std::string::npos
                         ? 1 + std::abs(wave)
                         : wave);
    }
  std::vector<HostBuffer> results = module.makeResults("train_step");
  EXPECT_EQ(module.call("train_step", args, results), "");
  std::vector<std::vector<double>> values;
  for (const HostBuffer &result : results)
    values.push_back(result.values());
  return values;
}

class BlockedLayout : public ::testing::TestWithParam<int64_t> {};

TEST_P(BlockedLayout, TrainStepEqualsTheNchwOne) {
  std::vector<std::vector<double>> plain = trainStep({/*channelBlock=*/1});
  std::vector<std::vector<double>> blocked = trainStep({GetParam()});
  ASSERT_FALSE(plain.empty());
  ASSERT_EQ(plain.size(), blocked.size());
  for (size_t r = 0; r < plain.size(); ++r) {
    ASSERT_EQ(plain[r].size(), blocked[r].size()) << "result " << r;
    for (size_t i = 0; i < plain[r].size(); ++i)
      EXPECT_NEAR(blocked[r][i], plain[r][i],
                  1e-5 * std::max(1.0, std::abs(plain[r][i])))
          << "result " << r << " element " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Blocks, BlockedLayout, ::testing::Values(8, 16));

TEST(FuseBatchNormRelu, TrainStepEqualsTheUnfusedOne) {
  std::vector<std::vector<double>> unfused =
      trainStep({/*channelBlock=*/0, /*fuse=*/false});
  std::vector<std::vector<double>> fused = trainStep({0, true});
  ASSERT_FALSE(unfused.empty());
  EXPECT_EQ(fused, unfused);
}

/// Large enough that the step's generated loops run in parallel: the
/// ReLU and its gradient on 64 x 512 elements, the SGD update of the
/// 784 x 512 weight, the bias gradient's sum over the batch.
constexpr const char *kWideModel = R"(
model wide {
  input x: f32[64, 784]
  label y: i32[64]
  h    = linear(x, 512)
  r    = relu(h)
  fc   = linear(r, 10)
  loss = softmax_cross_entropy(fc, y)
}
)";

TEST(ParallelizeLoops, TrainStepDoesNotDependOnTheThreadCount) {
  int threads = omp_get_max_threads();
  auto stepOn = [](int threads) {
    omp_set_num_threads(threads);
    return trainStep({}, kWideModel,
                     "kiln-build-training-step,kiln-insert-optimizer");
  };
  std::vector<std::vector<double>> serial = stepOn(1);
  std::vector<std::vector<double>> parallel = stepOn(3);
  omp_set_num_threads(threads);
  ASSERT_FALSE(serial.empty());
  EXPECT_EQ(parallel, serial);
}

} // namespace
