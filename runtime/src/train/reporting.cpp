//===- reporting.cpp - What a training run prints and logs ----------------===//
#include "reporting.h"

#include "kiln/error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace kiln {

JsonLog::JsonLog(const std::string &path) : path_(path) {
  if (path.empty())
    return;
  out_.open(path, std::ios::out | std::ios::trunc);
  if (!out_)
    throw Error(path + ": cannot write log: " + std::strerror(errno));
}

void JsonLog::write(const LogRecord &record) {
  if (path_.empty())
    return;
  out_ << record.dump() << '\n';
  out_.flush();
  if (!out_)
    throw Error(path_ + ": cannot write log");
}

std::string describeEval(const std::string &split, const EvalResult &result,
                         LogRecord &record) {
  char text[96];
  std::snprintf(text, sizeof(text), "%s_loss %.4f", split.c_str(), result.loss);
  record[split + "_loss"] = result.loss;
  std::string line = text;
  if (result.accuracy) {
    std::snprintf(text, sizeof(text), "  %s_accuracy %.2f%%", split.c_str(),
                  100.0 * *result.accuracy);
    record[split + "_accuracy"] = *result.accuracy;
    line += text;
  }
  return line;
}

} // namespace kiln
