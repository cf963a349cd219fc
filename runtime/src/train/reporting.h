//===- reporting.h - What a training run prints and logs --------*- C++ -*-===//
//
// Private to runtime/src/train. The console shows one summary line per epoch
// (or per full-batch iteration); --log writes one JSON object per line,
// flushed per record so a killed run keeps the epochs it finished and
// `tail -f` shows progress. Both spell evaluation results the same way,
// through describeEval.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_TRAIN_REPORTING_H
#define KILN_RUNTIME_TRAIN_REPORTING_H

#include "kiln/evaluate.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace kiln {

using LogRecord = nlohmann::ordered_json;

/// The --log file; writes nothing when the path is empty.
class JsonLog {
public:
  explicit JsonLog(const std::string &path);
  void write(const LogRecord &record);

private:
  std::string path_;
  std::ofstream out_;
};

/// Adds `split`_loss and, when the entry has a metric, `split`_accuracy to
/// `record` and returns them for the console: "test_loss 0.3581  test_accuracy
/// 86.99%".
std::string describeEval(const std::string &split, const EvalResult &result,
                         LogRecord &record);

} // namespace kiln

#endif // KILN_RUNTIME_TRAIN_REPORTING_H
