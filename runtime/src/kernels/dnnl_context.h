//===- dnnl_context.h - Shared state of the oneDNN calls --------*- C++ -*-===//
//
// The runtime's oneDNN kernels (matmul, convolution, pooling, batch
// normalization) share one CPU engine and stream, one lock, and one way to
// fail: an exception becomes the pending kernel failure "oneDNN <primitive>
// failed: <what>" (kernel_error.h), which the runtime reports after the
// entry-point call.
//
// They also share how user buffers meet primitives. Generated code passes
// weights as plain row-major OIHW buffers and activations in the layout the
// call's layout scalar names (runtime_calls.def: NCHW, nChw8c or nChw16c);
// a primitive may prefer another layout, which it reports when created with
// format_tag::any. A Staged operand pairs the user's memory (its data
// pointer set per call) with the primitive's and the reorder between them,
// built once per shape, and is a no-op when the layouts agree.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_DNNL_CONTEXT_H
#define KILN_RUNTIME_DNNL_CONTEXT_H

#include "kernel_error.h"

#include <cstdint>
#include <mutex>
#include <optional>

#include <oneapi/dnnl/dnnl.hpp>

namespace kiln::dnnl_context {

struct Context {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{engine};
  // Kernels are called from the step's main thread (no generated parallel
  // loop calls one), but be safe.
  std::mutex mutex;
};

/// The process-wide context, created on first use.
Context &context();

/// Runs `body` under the context's lock; records any exception as the
/// failure of oneDNN's `primitive`.
template <typename Body> void run(const char *primitive, Body &&body) {
  std::string kernel = std::string("oneDNN ") + primitive;
  kernels::guarded(kernel.c_str(), [&] {
    Context &ctx = context();
    std::lock_guard<std::mutex> lock(ctx.mutex);
    body(ctx);
  });
}

/// The format of an activation whose layout scalar is `layout`: nchw for 0,
/// nChw8c for 8, nChw16c for 16; anything else throws.
dnnl::memory::format_tag activationFormat(int64_t layout);

/// A user buffer in its plain layout and the same data in the layout a
/// primitive chose; `inner` is `user` itself when the layouts agree.
struct Staged {
  dnnl::memory user, inner;
  std::optional<dnnl::reorder> reorder;

  /// Stages between `plain` (the user's layout) and `wanted` (the
  /// primitive's); `isInput` says which way data flows.
  Staged(Context &ctx, const dnnl::memory::desc &plain,
         const dnnl::memory::desc &wanted, bool isInput);
  /// Points the user memory at `data`.
  void bind(const void *data);
  /// Copies user data into the primitive's layout (inputs).
  void load(Context &ctx);
  /// Copies the primitive's result out to the user buffer (outputs).
  void store(Context &ctx);
};

} // namespace kiln::dnnl_context

#endif // KILN_RUNTIME_DNNL_CONTEXT_H
