//===- trainer.h - The training driver behind main() ------------*- C++ -*-===//
//
// A compiled model binary's main() hands the program of the generated object
// (program.h) to runTrainingMain, which parses flags, loads data, initialises
// parameters, runs the epochs, logs and saves.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_TRAINER_H
#define KILN_RUNTIME_TRAINER_H

#include "kiln/program.h"

namespace kiln {

/// Runs training as the binary's main() would and returns its exit code:
/// 0 on success, 1 on a runtime error (printed as `kiln: error: ...` on
/// stderr), 2 on a usage error. Never calls exit(), so it can run in-process.
int runTrainingMain(const Program &program, int argc, char **argv);

} // namespace kiln

#endif // KILN_RUNTIME_TRAINER_H
