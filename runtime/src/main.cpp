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
  // The generated step allocates its intermediate tensors (megabytes each)
  // on every call and frees them at the end. By default glibc serves such
  // sizes with fresh mmaps, whose pages fault in again on every step; kept
  // in the heap, the next step reuses the same, already mapped memory.
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, -1);
  kiln::Program program{kiln_manifest, kiln_train_step, kiln_eval,
                        kiln_hessian};
  return kiln::runTrainingMain(program, argc, argv);
}
