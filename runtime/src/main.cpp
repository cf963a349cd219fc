//===- main.cpp - main() of a compiled model binary -----------------------===//
//
// Kept in its own archive (kiln_runtime_main) so that only model binaries,
// which define the abi.h symbols, pull it in; tests link kiln_runtime alone.
//
//===----------------------------------------------------------------------===//
#include "kiln/abi.h"
#include "kiln/trainer.h"

#include <malloc.h>

// Weak: only models trained by Newton's method define it, and the others
// must still link (it is then null).
extern "C" __attribute__((weak)) void kiln_hessian(void **buffers);

int main(int argc, char **argv) {
#ifdef __GLIBC__
  // The generated step allocates its intermediate tensors (megabytes each)
  // on every call and frees them at the end. glibc maps the larger ones
  // afresh and trims the top of the heap, so their pages fault in again on
  // every step; kept in the heap, the next step reuses mapped memory. The
  // step's allocations repeat, so the heap settles at one step's peak.
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, -1);
#endif
  kiln::Program program{kiln_manifest, kiln_train_step, kiln_eval,
                        kiln_hessian};
  return kiln::runTrainingMain(program, argc, argv);
}
