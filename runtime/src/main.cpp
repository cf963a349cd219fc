//===- main.cpp - main() of a compiled training binary --------------------===//
//
// Kept in its own archive (kiln_rt_main) so that only training binaries,
// which define the abi.h symbols, pull it in; tests link the other runtime
// libraries alone.
//
//===----------------------------------------------------------------------===//
#include "kiln/trainer.h"

#include <cstdlib>
#include <malloc.h>

int main(int argc, char **argv) {
  // After a parallel region the threads of LLVM's OpenMP runtime, which runs
  // the generated loops and oneDNN's, spin for 200 ms before they sleep.
  // With another process on one of the cores, the spinning thread takes
  // turns with the one that has work: bench/m2_cnn.kiln with a busy core
  // kept 40% of its quiet rate, with 1 ms 48%, and 1 ms costs nothing
  // measurable on a quiet machine (M1, M2, M3). libomp reads the variable
  // when it starts, at the first parallel region; the user's value wins.
  setenv("KMP_BLOCKTIME", "1", /*overwrite=*/0);
#ifdef __GLIBC__
  // The generated step allocates its intermediate tensors (megabytes each)
  // on every call and frees them at the end. glibc maps the larger ones
  // afresh and trims the top of the heap, so their pages fault in again on
  // every step; kept in the heap, the next step reuses mapped memory. The
  // step's allocations repeat, so the heap settles at one step's peak.
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, -1);
#endif
  kiln::Program program;
  program.manifest = kiln_manifest;
  for (size_t i = 0; i < kiln::rt::kNumEntries; ++i)
    program.entries[i] = kiln_entry_points[i];
  return kiln::runTrainingMain(program, argc, argv);
}
