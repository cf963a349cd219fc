//===- kernel_error.h - How a kernel reports a failure ----------*- C++ -*-===//
//
// Private to the kernels. Generated code calls kernels through a C ABI and
// cannot catch C++ exceptions, so a kernel never lets one escape: it records
// the first failure and returns, and the runtime asks kiln_rt_take_error
// (abi.h) after every entry-point call and reports it there, as a training
// binary's `kiln: error: ...` or as a C library's last error.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_KERNELS_KERNEL_ERROR_H
#define KILN_RUNTIME_KERNELS_KERNEL_ERROR_H

#include <exception>
#include <string>

namespace kiln::kernels {

/// Records "`kernel` failed: `what`" unless a failure is pending already.
void recordFailure(const char *kernel, const std::string &what);

/// Runs `body`, recording any exception it throws as a failure of `kernel`.
template <typename Body> void guarded(const char *kernel, Body &&body) {
  try {
    body();
  } catch (const std::exception &e) {
    recordFailure(kernel, e.what());
  } catch (...) {
    recordFailure(kernel, "unknown exception");
  }
}

} // namespace kiln::kernels

#endif // KILN_RUNTIME_KERNELS_KERNEL_ERROR_H
