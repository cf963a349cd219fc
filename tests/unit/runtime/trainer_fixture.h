//===- trainer_fixture.h - The trainer on the toy program -------*- C++ -*-===//
//
// Shared by the trainer tests: runTrainingMain on the toy program
// (toy_program.h) with captured output, over a small synthetic
// Fashion-MNIST written once per test suite, and readers of what a run
// leaves behind.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_TESTS_UNIT_RUNTIME_TRAINER_FIXTURE_H
#define KILN_TESTS_UNIT_RUNTIME_TRAINER_FIXTURE_H

#include "kiln/program.h"
#include "test_util.h"
#include "toy_program.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace kiln::test {

struct Result {
  int code;
  std::string out, err;
};

/// runTrainingMain of the toy program with `args`, its train step `step`
/// and `manifest`.
Result run(std::vector<std::string> args, EntryFn step = trainStep,
           const char *manifest = kToyManifest);

/// The records of a JSON-lines log.
std::vector<nlohmann::json> readLog(const std::string &path);

/// The fc.count value saved in `path`, or NaN.
float savedCount(const std::string &path);

class Trainer : public ::testing::Test {
protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  static TempDir *data_;
  TempDir out_;
};

} // namespace kiln::test

#endif // KILN_TESTS_UNIT_RUNTIME_TRAINER_FIXTURE_H
