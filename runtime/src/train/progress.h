//===- progress.h - The interactive progress line ---------------*- C++ -*-===//
//
// When stderr is a terminal, training shows one line that is redrawn in
// place (carriage return) with the epoch, a bar, the step, the running loss
// and the throughput. When stderr is a file or pipe nothing is drawn, so
// logs are not flooded with control characters.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_PROGRESS_H
#define KILN_RUNTIME_PROGRESS_H

#include <chrono>
#include <cstdint>

namespace kiln {

class ProgressLine {
public:
  /// Draws only if `enabled`; pass stderrIsTerminal() in real runs.
  explicit ProgressLine(bool enabled) : enabled_(enabled) {}
  ~ProgressLine() { clear(); }
  ProgressLine(const ProgressLine &) = delete;
  ProgressLine &operator=(const ProgressLine &) = delete;

  /// Redraws, at most ten times a second except for the last step.
  void update(int64_t epoch, int64_t epochs, int64_t step, int64_t steps,
              double loss, double samplesPerSecond);
  /// Erases the line so that following output starts on a clean line.
  void clear();

  static bool stderrIsTerminal();

private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

} // namespace kiln

#endif // KILN_RUNTIME_PROGRESS_H
