//===- progress.cpp - The interactive progress line -----------------------===//
//
// Redraws are throttled because writing to a terminal every step would cost
// more than a small model's train step.
//
//===----------------------------------------------------------------------===//
#include "progress.h"

#include <cstdio>
#include <string>
#include <unistd.h>

namespace kiln {

bool ProgressLine::stderrIsTerminal() { return ::isatty(STDERR_FILENO) == 1; }

void ProgressLine::update(int64_t epoch, int64_t epochs, int64_t step,
                          int64_t steps, double loss, double samplesPerSecond) {
  if (!enabled_)
    return;
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && step != steps && now - last_ < std::chrono::milliseconds(100))
    return;
  last_ = now;
  constexpr int kWidth = 30;
  int filled = steps > 0 ? static_cast<int>(kWidth * step / steps) : 0;
  std::string bar(filled, '=');
  if (filled < kWidth)
    bar += '>' + std::string(kWidth - filled - 1, ' ');
  // \033[K erases what a longer previous line left behind.
  std::fprintf(stderr,
               "\repoch %lld/%lld [%s] %lld/%lld  loss %.4f  %.0f samples/s"
               "\033[K",
               (long long)epoch, (long long)epochs, bar.c_str(),
               (long long)step, (long long)steps, loss, samplesPerSecond);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressLine::clear() {
  if (!drawn_)
    return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

} // namespace kiln
