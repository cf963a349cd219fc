//===- evaluate.cpp - Test-set evaluation with kiln_eval ------------------===//
//
// Accumulates in double: summing 10000 float losses in float would lose
// digits the log reports. Accuracy counts labelled positions, one per sample
// for class labels and one per pixel for masks, so one definition serves
// classification and segmentation.
//
//===----------------------------------------------------------------------===//
#include "kiln/evaluate.h"
#include "kiln/batching.h"

#include <algorithm>
#include <vector>

namespace kiln {

int64_t countCorrect(const float *logits, const int32_t *labels, int64_t rows,
                     int64_t classes, int64_t positions) {
  int64_t correct = 0;
  for (int64_t r = 0; r < rows; ++r) {
    const float *sample = logits + r * classes * positions;
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
    gatherBatch(data, indices.data(), batch, io.input.f32(), io.label.i32());
    eval(call.pointers());
    for (int64_t i = 0; i < valid; ++i)
      lossSum += io.sampleLoss.f32()[i];
    correct += countCorrect(io.logits.f32(), io.label.i32(), valid, classes,
                            positions);
  }
  EvalResult result;
  result.loss = n ? lossSum / n : 0.0;
  result.accuracy =
      n ? static_cast<double>(correct) / static_cast<double>(n * positions)
        : 0.0;
  return result;
}

} // namespace kiln
