//===- program.cpp - A compiled program as the runtime sees it ------------===//
#include "kiln/program.h"
#include "kiln/error.h"

namespace kiln {

void checkEntryPoints(const Program &program, const Manifest &m) {
  for (size_t i = 0; i < rt::kNumEntries; ++i) {
    const bool listed = m.entries[i].has_value();
    if (listed == (program.entries[i] != nullptr))
      continue;
    std::string entry(rt::kEntries[i].name);
    throw Error(listed ? "the manifest of " + m.model + " lists entry point '" +
                             entry + "' but the program does not define it"
                       : "the program defines entry point '" + entry +
                             "' but its manifest does not list it");
  }
}

void callEntry(EntryFn fn, void **buffers) {
  fn(buffers);
  if (const char *failure = kiln_rt_take_error())
    throw Error(failure);
}

} // namespace kiln
