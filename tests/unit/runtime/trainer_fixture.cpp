//===- trainer_fixture.cpp - Running the trainer on the toy program -------===//
#include "trainer_fixture.h"

#include "kiln/safetensors.h"
#include "kiln/trainer.h"

#include <cmath>
#include <fstream>

namespace kiln::test {

Result run(std::vector<std::string> args, EntryFn step, const char *manifest) {
  args.insert(args.begin(), "/bin/toy_softmax");
  std::vector<char *> argv;
  for (std::string &a : args)
    argv.push_back(a.data());
  Program program;
  program.manifest = manifest;
  program.define(Entry::TrainStep, step).define(Entry::Eval, evalStep);
  gTrace = Trace();
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  int code =
      runTrainingMain(program, static_cast<int>(argv.size()), argv.data());
  std::string out = testing::internal::GetCapturedStdout();
  std::string err = testing::internal::GetCapturedStderr();
  return {code, out, err};
}

std::vector<nlohmann::json> readLog(const std::string &path) {
  std::vector<nlohmann::json> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    lines.push_back(nlohmann::json::parse(line));
  return lines;
}

float savedCount(const std::string &path) {
  SafetensorsFile file = readSafetensors(path);
  const Tensor *count = file.find("fc.count");
  return count ? count->f32()[0] : NAN;
}

void Trainer::SetUpTestSuite() {
  data_ = new TempDir;
  writeSyntheticFashionMnist(data_->path(), 256, 100);
}
void Trainer::TearDownTestSuite() { delete data_; }
TempDir *Trainer::data_ = nullptr;

} // namespace kiln::test
