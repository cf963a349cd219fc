//===- abi.h - The C ABI between generated code and the runtime -*- C++ -*-===//
//
// A binary built by kilnc links one object generated from the model with the
// runtime libraries. Nothing here depends on LLVM or MLIR; both lists below
// are expanded from tables in kiln/abi/ that the compiler expands too
// (docs/abi.md).
//
// The generated object defines the manifest, one kiln_<entry> function per
// entry point of kiln/abi/program.def that the program has, and the table
// kiln_entry_points[] of those functions, null where the program has no
// such entry. Every entry point takes one `void **` array: one pointer per
// argument, in order, then one per result, in order, as the manifest's
// "entries" spells out (the packed convention). Arguments are read, results
// are written and never alias them. Every buffer is dense, row-major and
// 64-byte aligned; a scalar is a one-element buffer.
//
// The runtime defines the kernels of kiln/abi/runtime_calls.def, which
// generated code calls. They never throw: a failure is recorded for
// kiln_rt_take_error and the kernel returns.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_ABI_H
#define KILN_RUNTIME_ABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// --- Defined by the generated object ---------------------------------------

/// The index of each entry point in kiln_entry_points.
enum kiln_entry_index {
#define KILN_ENTRY(Enumerator, name, summary) KILN_ENTRY_##Enumerator,
#include "kiln/abi/program.def"
  KILN_NUM_ENTRIES
};

typedef void (*kiln_entry_fn)(void **buffers);

/// NUL-terminated JSON describing the compiled program (docs/abi.md).
extern const char kiln_manifest[];
/// The program's entry points by kiln_entry_index; null where absent.
extern const kiln_entry_fn kiln_entry_points[KILN_NUM_ENTRIES];

// --- Defined by the runtime, called by generated code ----------------------

// The parameter macros stay defined, so that the kernels' definitions spell
// their parameter lists as the table does (KILN_RT_CONV2D_GEOMETRY).
#define KILN_RT_IN(T, name) const T *name
#define KILN_RT_OUT(T, name) T *name
#define KILN_RT_IN_NCHW(T, name, layout) const T *name
#define KILN_RT_OUT_NCHW(T, name, layout) T *name
#define KILN_RT_I64(name) int64_t name
#define KILN_RT_F64(name) double name
#define KILN_RT_CALL(symbol, ...) void symbol(__VA_ARGS__);
#include "kiln/abi/runtime_calls.def"

/// The first failure of a kernel since the last call, or null; clears it.
/// The runtime checks it after every entry-point call. The string stays
/// valid until the next failure.
const char *kiln_rt_take_error(void);

#ifdef __cplusplus
}
#endif

#endif // KILN_RUNTIME_ABI_H
