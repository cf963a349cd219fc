//===- trainer.h - The training driver behind main() ------------*- C++ -*-===//
//
// A compiled model binary's main() hands the three symbols of the generated
// object to runTrainingMain, which parses flags, loads data, initialises
// parameters, runs the epochs, logs and saves. Taking the program as a value
// (rather than calling the abi.h symbols directly) lets tests drive the
// trainer in-process with a hand-written program.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_TRAINER_H
#define KILN_RUNTIME_TRAINER_H

#include "kiln/evaluate.h"

namespace kiln {

struct Program {
  const char *manifest; ///< kiln_manifest
  ProgramFn trainStep;  ///< kiln_train_step
  ProgramFn eval;       ///< kiln_eval
  /// kiln_hessian, defined only by Newton's method's binaries; else null.
  ProgramFn hessian = nullptr;
};

/// Runs training as the binary's main() would and returns its exit code:
/// 0 on success, 1 on a runtime error (printed as `kiln: error: ...` on
/// stderr), 2 on a usage error. Never calls exit(), so it can run in-process.
int runTrainingMain(const Program &program, int argc, char **argv);

} // namespace kiln

#endif // KILN_RUNTIME_TRAINER_H
