//===- evaluate.cpp - Test-set evaluation with kiln_eval ------------------===//
//
// Accumulates in double: summing 10000 float losses in float would lose
// digits the log reports. Accuracy counts labelled positions, one per sample
// for class labels and one per pixel for masks, so one definition serves
// classification and segmentation; float 0/1 targets count a position as
// right when the sign of its logit matches the target.
//
//===----------------------------------------------------------------------===//
#include "kiln/evaluate.h"
#include "kiln/batching.h"

#include <algorithm>
#include <vector>

namespace kiln {

namespace {

template <typename Real>
int64_t countArgmax(const Real *logits, const int32_t *labels, int64_t rows,
                    int64_t classes, int64_t positions) {
  int64_t correct = 0;
  for (int64_t r = 0; r < rows; ++r) {
    const Real *sample = logits + r * classes * positions;
    for (int64_t p = 0; p < positions; ++p) {
      // Class c of position p is at sample[c * positions + p]. First maximum
      // wins ties; NaN logits never compare greater, so NaNs predict class 0
      // (and a model producing them scores badly).
      int64_t best = 0;
      for (int64_t c = 1; c < classes; ++c)
        if (sample[c * positions + p] > sample[best * positions + p])
          best = c;
      correct += best == labels[r * positions + p];
    }
  }
  return correct;
}

/// Float targets are 0/1 (bce_with_logits): a position is right when its
/// logit is positive exactly where its target is at least one half. NaN
/// logits predict 0.
template <typename Real>
int64_t countBinary(const Real *logits, const Real *targets, int64_t count) {
  int64_t correct = 0;
  for (int64_t i = 0; i < count; ++i)
    correct += (logits[i] > 0) == (targets[i] >= 0.5);
  return correct;
}

/// The correct positions of the first `rows` samples of a batch in `io`,
/// whose logits have the float type `Real`.
template <typename Real>
int64_t countBatch(const CallTensors &io, int64_t rows, int64_t classes,
                   int64_t positions) {
  const Real *logits = static_cast<const Real *>(io.logits.raw());
  if (io.label.dtype() == DType::I32)
    return countArgmax(logits, io.label.i32(), rows, classes, positions);
  return countBinary(logits, static_cast<const Real *>(io.label.raw()),
                     rows * positions);
}

} // namespace

int64_t countCorrect(const float *logits, const int32_t *labels, int64_t rows,
                     int64_t classes, int64_t positions) {
  return countArgmax(logits, labels, rows, classes, positions);
}

EvalResult evaluate(ProgramFn eval, const Manifest &manifest,
                    const Dataset &data, ModelState &state, CallTensors &io) {
  const int64_t batch = manifest.batchSize();
  const int64_t classes = manifest.classes;
  const int64_t positions = data.labelsPerSample();
  const int64_t n = data.size();
  PackedCall call(manifest.eval, state, io, PackedCall::Results::Scratch);
  io.rng.i64()[0] = 0; // Random layers are the identity at inference.

  std::vector<int64_t> indices(static_cast<size_t>(batch));
  double lossSum = 0.0;
  int64_t correct = 0;
  for (int64_t start = 0; start < n; start += batch) {
    int64_t valid = std::min(batch, n - start);
    // Rows past the end wrap to the start so the batch holds real samples;
    // their results are ignored below.
    for (int64_t i = 0; i < batch; ++i)
      indices[i] = (start + i) % n;
    gatherBatch(data, indices.data(), batch, io.input.raw(), io.label.raw());
    eval(call.pointers());
    for (int64_t i = 0; i < valid; ++i)
      lossSum += realAt(io.sampleLoss, i);
    correct += io.logits.dtype() == DType::F64
                   ? countBatch<double>(io, valid, classes, positions)
                   : countBatch<float>(io, valid, classes, positions);
  }
  EvalResult result;
  result.loss = n ? lossSum / n : 0.0;
  result.accuracy =
      n ? static_cast<double>(correct) / static_cast<double>(n * positions)
        : 0.0;
  return result;
}

} // namespace kiln
