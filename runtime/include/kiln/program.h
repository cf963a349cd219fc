//===- program.h - A compiled program as the runtime sees it ----*- C++ -*-===//
//
// The manifest and the entry points of one generated object (abi.h). The
// runtime takes the program as a value rather than calling the abi.h symbols
// directly, so tests can drive it in-process with hand-written entries.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_PROGRAM_H
#define KILN_RUNTIME_PROGRAM_H

#include "kiln/abi.h"
#include "kiln/manifest.h"

#include <array>

namespace kiln {

using EntryFn = kiln_entry_fn;

struct Program {
  const char *manifest = nullptr; ///< kiln_manifest
  /// kiln_entry_points: the entry functions by rt::Entry, null where absent.
  std::array<EntryFn, rt::kNumEntries> entries{};

  EntryFn entry(Entry e) const { return entries[static_cast<size_t>(e)]; }
  Program &define(Entry e, EntryFn fn) {
    entries[static_cast<size_t>(e)] = fn;
    return *this;
  }
};

/// Checks that `program` defines exactly the entry points `m` lists;
/// kiln::Error otherwise (a manifest and an object from different builds).
void checkEntryPoints(const Program &program, const Manifest &m);

/// Calls `fn` with `buffers`, then reports a kernel's failure during the
/// call (kiln_rt_take_error) as a kiln::Error.
void callEntry(EntryFn fn, void **buffers);

} // namespace kiln

#endif // KILN_RUNTIME_PROGRAM_H
