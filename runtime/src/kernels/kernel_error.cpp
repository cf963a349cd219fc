//===- kernel_error.cpp - The pending kernel failure ----------------------===//
#include "kernel_error.h"

#include "kiln/abi.h"

#include <mutex>

namespace {
std::mutex pendingMutex;
bool pending = false;
std::string message;  // the pending failure, or the last one taken
std::string returned; // what kiln_rt_take_error handed out last
} // namespace

void kiln::kernels::recordFailure(const char *kernel, const std::string &what) {
  std::lock_guard<std::mutex> lock(pendingMutex);
  if (pending)
    return; // The first failure explains the rest.
  pending = true;
  message = std::string(kernel) + " failed: " + what;
}

extern "C" const char *kiln_rt_take_error(void) {
  std::lock_guard<std::mutex> lock(pendingMutex);
  if (!pending)
    return nullptr;
  pending = false;
  returned.swap(message);
  return returned.c_str();
}
