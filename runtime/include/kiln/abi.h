//===- abi.h - The C ABI between generated code and the runtime -*- C++ -*-===//
//
// A binary built by kilnc links one object file generated from the model with
// the runtime library. The object defines the three symbols below; the runtime
// defines the kiln_rt_* helpers that generated code calls. Nothing here
// depends on LLVM or MLIR.
//
// Packed calling convention: a compiled function takes one `void **` array
// that holds one pointer per buffer, in the order the manifest lists them:
//   kiln_train_step: input, label, params..., state..., | loss, new params...,
//                    new state...
//   kiln_eval:       input, label, params..., | loss, sample losses, logits
// Buffers left of `|` are read, buffers right of it are written. Every buffer
// is dense, row-major and 64-byte aligned; a scalar is a one-element buffer.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_ABI_H
#define KILN_RUNTIME_ABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// --- Defined by the generated object ---------------------------------------

/// NUL-terminated JSON describing the compiled program (docs/abi.md).
extern const char kiln_manifest[];
/// One optimizer step on one batch.
void kiln_train_step(void **buffers);
/// Forward pass in inference mode on one batch.
void kiln_eval(void **buffers);

// --- Defined by the runtime, called by generated code ----------------------

/// c[m x n] = op(a) * op(b), where op(a) is m x k and op(b) is k x n; op
/// transposes its argument when the matching flag is non-zero. All matrices
/// are dense and row-major in their stored (untransposed) shape.
void kiln_rt_matmul(const float *a, const float *b, float *c, int64_t m,
                    int64_t n, int64_t k, int32_t transpose_a,
                    int32_t transpose_b);

#ifdef __cplusplus
}
#endif

#endif // KILN_RUNTIME_ABI_H
