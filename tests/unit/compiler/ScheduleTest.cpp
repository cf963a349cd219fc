//===- ScheduleTest.cpp - Compiled learning rates against PyTorch ---------===//
//
// Compiles a quadratic with each learning-rate schedule (and warm-up) in
// f64, sets the clock arguments the runtime would set, and compares the
// step's `lr` result with torch.optim.lr_scheduler's closed forms written
// out independently here. Parameter groups and frozen parameters are
// checked through the update they produce.
//
//===----------------------------------------------------------------------===//
#include "JitHarness.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

using namespace kiln::testing;

namespace {
// loss = sum(0.5 * w^2) + sum(0.5 * v^2) + sum(0.5 * u^2): each gradient is
// the parameter itself.
const char *kBody = R"(
func.func @model(%w: tensor<2xf64> {kiln.role = #kiln.role<param>, kiln.name = "w.bias"},
                 %v: tensor<2xf64> {kiln.role = #kiln.role<param>, kiln.name = "v.weight"},
                 %u: tensor<2xf64> {kiln.role = #kiln.role<param>, kiln.name = "u.weight"})
    -> (tensor<f64> {kiln.role = #kiln.role<loss>}) attributes {kiln.entry = #kiln.entry<eval>} {
  %ww = kiln.mul %w, %w : tensor<2xf64>
  %vv = kiln.mul %v, %v : tensor<2xf64>
  %uu = kiln.mul %u, %u : tensor<2xf64>
  %s1 = kiln.add %ww, %vv : tensor<2xf64>
  %s2 = kiln.add %s1, %uu : tensor<2xf64>
  %h = kiln.scale %s2 by 0.5 : tensor<2xf64>
  %loss = kiln.reduce_sum %h axes = [0] : tensor<2xf64> -> tensor<f64>
  return %loss : tensor<f64>
})";

const double kLr = 0.1;
const char *kSgd = "#kiln.optimizer<sgd, lr = 0.1>";

std::string moduleWith(const std::string &train) {
  return "module attributes {kiln.train = #kiln.train<epochs = 1, seed = 0, "
         "optimizer = " +
         std::string(kSgd) + train + ">} {" + kBody + "\n}";
}

/// Compiles `train` (extra kiln.train entries) and returns the `lr` result
/// at each clock value.
class LearningRate {
public:
  explicit LearningRate(const std::string &train) {
    error = module.compile(moduleWith(train),
                           "kiln-build-training-step,kiln-insert-optimizer");
    if (error.empty())
      args = module.makeArguments("train_step");
  }

  /// The learning rate after `epoch` epochs and `step` steps, with plateau
  /// factor `scale`.
  double at(double epoch, double step, double scale = 1.0) {
    for (unsigned i = 0; i < args.size(); ++i) {
      std::string role = module.argRole("train_step", i);
      double value = role == "epoch"      ? epoch
                     : role == "step"     ? step
                     : role == "lr_scale" ? scale
                                          : 1.0;
      for (int64_t e = 0; e < args[i].size(); ++e)
        args[i].set(e, value);
    }
    std::vector<HostBuffer> results = module.makeResults("train_step");
    EXPECT_EQ(module.call("train_step", args, results), "");
    return results.back().get(0);
  }

  std::string error;
  CompiledModule module;
  std::vector<HostBuffer> args;
};

struct ScheduleCase {
  const char *name;
  const char *train; // kiln.train entries after the optimizer
  std::function<double(int epoch, int step)> expected;
};

void PrintTo(const ScheduleCase &c, std::ostream *os) { *os << c.name; }

class Schedule : public ::testing::TestWithParam<ScheduleCase> {};

TEST_P(Schedule, MatchesPyTorch) {
  const ScheduleCase &c = GetParam();
  LearningRate lr(c.train);
  ASSERT_EQ(lr.error, "");
  for (int epoch = 0; epoch < 40; ++epoch) {
    int step = 7 * epoch + 3;
    double expected = c.expected(epoch, step);
    ASSERT_NEAR(lr.at(epoch, step), expected, 1e-12 + 1e-12 * expected)
        << "epoch " << epoch << ", step " << step;
  }
}

const ScheduleCase kCases[] = {
    {"constant", ", schedule = #kiln.schedule<constant>",
     [](int, int) { return kLr; }},
    {"step", ", schedule = #kiln.schedule<step, step_size = 3.0, gamma = 0.5>",
     [](int e, int) { return kLr * std::pow(0.5, e / 3); }},
    {"step_per_step",
     ", schedule = #kiln.schedule<step, step_size = 10.0, gamma = 0.5, "
     "per_step = true>",
     [](int, int s) { return kLr * std::pow(0.5, s / 10); }},
    {"multi_step",
     ", schedule = #kiln.schedule<multi_step, milestones = [5, 12, 30], "
     "gamma = 0.1>",
     [](int e, int) {
       const int milestones[] = {5, 12, 30};
       int passed = std::upper_bound(milestones, milestones + 3, e) -
                    milestones; // bisect_right, as MultiStepLR
       return kLr * std::pow(0.1, passed);
     }},
    {"exponential", ", schedule = #kiln.schedule<exponential, gamma = 0.9>",
     [](int e, int) { return kLr * std::pow(0.9, e); }},
    {"inverse_time",
     ", schedule = #kiln.schedule<inverse_time, decay = 0.5, power = 0.75>",
     [](int e, int) { return kLr / std::pow(1 + 0.5 * e, 0.75); }},
    {"cosine",
     ", schedule = #kiln.schedule<cosine, t_max = 25.0, eta_min = 0.001>",
     [](int e, int) {
       return 0.001 + (kLr - 0.001) * (1 + std::cos(M_PI * e / 25)) / 2;
     }},
    {"cosine_with_warmup",
     ", schedule = #kiln.schedule<cosine, t_max = 25.0>, warmup = "
     "#kiln.warmup<linear, steps = 100.0, start_factor = 0.25>",
     [](int e, int s) {
       // LinearLR(start_factor = 0.25, total_iters = 100) chained.
       double warm = 0.25 + 0.75 * std::min(s, 100) / 100.0;
       return warm * kLr * (1 + std::cos(M_PI * e / 25)) / 2;
     }},
};

INSTANTIATE_TEST_SUITE_P(AllSchedules, Schedule, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<ScheduleCase> &i) {
                           return std::string(i.param.name);
                         });

TEST(ScheduleTest, PlateauAppliesTheRuntimeFactor) {
  LearningRate lr(", schedule = #kiln.schedule<reduce_on_plateau, factor = "
                  "0.5, patience = 2>");
  ASSERT_EQ(lr.error, "");
  EXPECT_DOUBLE_EQ(lr.at(3, 30, 1.0), kLr);
  EXPECT_DOUBLE_EQ(lr.at(3, 30, 0.25), 0.25 * kLr);
}

TEST(ScheduleTest, GroupsSetTheirRateAndFrozenParametersStay) {
  // w.bias: its group's lr 0.4 under a step schedule; v.weight: the
  // optimizer's 0.1; u.weight: frozen, not even a result.
  CompiledModule module;
  std::string groups =
      ", schedule = #kiln.schedule<step, step_size = 2.0, gamma = 0.5>, groups "
      "= [#kiln.param_group<patterns = [\"*.bias\"], optimizer = "
      "#kiln.optimizer<sgd, lr = 0.4>, frozen = false>, "
      "#kiln.param_group<patterns = [\"u.*\"], optimizer = " +
      std::string(kSgd) + ", frozen = true>]";
  ASSERT_EQ(module.compile(moduleWith(groups),
                           "kiln-build-training-step,kiln-insert-optimizer"),
            "");
  std::vector<HostBuffer> args = module.makeArguments("train_step");
  for (unsigned i = 0; i < args.size(); ++i) {
    bool clock = module.argRole("train_step", i) == "epoch";
    for (int64_t e = 0; e < args[i].size(); ++e)
      args[i].set(e, clock ? 2.0 : 1.0 + e); // epoch 2: one decay
  }
  std::vector<HostBuffer> results = module.makeResults("train_step");
  // loss, w.bias, v.weight, lr: nothing for the frozen u.weight.
  ASSERT_EQ(results.size(), 4u);
  ASSERT_EQ(module.call("train_step", args, results), "");
  for (int64_t e = 0; e < 2; ++e) {
    double p = 1.0 + e; // gradient = parameter
    EXPECT_DOUBLE_EQ(results[1].get(e), p - 0.5 * 0.4 * p);
    EXPECT_DOUBLE_EQ(results[2].get(e), p - 0.5 * 0.1 * p);
  }
  EXPECT_DOUBLE_EQ(results[3].get(0), 0.5 * 0.1);
}
} // namespace
