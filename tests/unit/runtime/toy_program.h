//===- toy_program.h - A stand-in program for the trainer tests -*- C++ -*-===//
//
// The trainer tests drive runTrainingMain in-process with this program
// instead of compiled code: a learnable softmax regression whose manifest
// has a buffer (fc.count, incremented by every train step and starting at 7)
// and an rng argument, bound in orders that differ from the manifest's
// lists, so that only signature-driven binding passes.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_TESTS_UNIT_RUNTIME_TOY_PROGRAM_H
#define KILN_TESTS_UNIT_RUNTIME_TOY_PROGRAM_H

#include <cstdint>
#include <set>
#include <vector>

namespace kiln::test {

/// The manifest of the toy program ("toy_softmax", batch 32, 784 features,
/// 10 classes, 3 epochs, seed 0).
extern const char *const kToyManifest;

/// What the toy program saw of the trainer's buffer handling.
struct Trace {
  int steps = 0;         ///< Train steps run.
  bool buffersOk = true; ///< Aligned, no aliasing, ping-pong not copies.
  void *lastNewWeight = nullptr;
  void *lastNewCount = nullptr;
  std::vector<float> counts;        ///< fc.count as each train step read it.
  std::vector<int64_t> trainSeeds;  ///< The rng argument of each train step.
  std::set<int64_t> evalSeeds;      ///< Every rng argument eval saw.
  std::vector<int32_t> firstLabels; ///< Each train batch's first label.
};
extern Trace gTrace;

/// kiln_train_step and kiln_eval of the toy program.
void trainStep(void **buffers);
void evalStep(void **buffers);
/// A train step whose loss is NaN.
void nanStep(void **buffers);
/// Learns for kLearningSteps steps, then climbs the loss (gradient ascent),
/// so that the validation loss is best after exactly those steps.
constexpr int kLearningSteps = 6;
void worseningStep(void **buffers);

} // namespace kiln::test

#endif // KILN_TESTS_UNIT_RUNTIME_TOY_PROGRAM_H
