//===- full_batch.h - Newton's method and line searches ---------*- C++ -*-===//
//
// Private to the runtime. Full-batch methods (docs/training.md) take the
// whole training set as one batch and iterate p <- p + t d, with d = -g or
// Newton's -H^-1 g and t = lr or found by Armijo backtracking. The compiled
// train step returns the gradients instead of updating (kiln-insert-
// optimizer leaves it alone), so the iterations are the runtime's: the
// trainer hands over to trainFullBatch when the manifest has `fullBatch`.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_FULL_BATCH_H
#define KILN_RUNTIME_FULL_BATCH_H

#include "kiln/dataset.h"
#include "kiln/manifest.h"
#include "kiln/model_state.h"
#include "kiln/packed_call.h"
#include "kiln/program.h"
#include "reporting.h"

#include <functional>

namespace kiln {

/// Writes one record to the --log file (the trainer's JsonLog).
using LogWriter = std::function<void(const LogRecord &)>;

/// Runs m.fullBatch's method on all of `trainSet` from the current
/// parameters of `model` for at most `maxIterations` steps, stopping early
/// once the gradient norm is below the tolerance; prints and logs one line
/// per iteration, then evaluates `testSet`. Returns the number of steps
/// taken. Throws kiln::Error when the method cannot run (the batch is not
/// the training set, a Hessian that is not positive definite, divergence).
int64_t trainFullBatch(const Program &program, const Manifest &m,
                       const Dataset &trainSet, const Dataset &testSet,
                       ModelState &model, CallTensors &io,
                       int64_t maxIterations, const LogWriter &log);

} // namespace kiln

#endif // KILN_RUNTIME_FULL_BATCH_H
