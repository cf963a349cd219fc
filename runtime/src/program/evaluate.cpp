//===- evaluate.cpp - Test-set evaluation with kiln_eval ------------------===//
//
// Accumulates in double: summing 10000 float losses in float would lose
// digits the log reports. The manifest names the metric of the eval entry:
// accuracy counts labelled positions, one per sample for class labels and
// one per pixel for masks, so one definition serves classification and
// segmentation; binary accuracy counts a position as right when the sign of
// its logit matches its 0/1 target; regressions have no metric.
//
//===----------------------------------------------------------------------===//
#include "kiln/evaluate.h"
#include "kiln/batching.h"
#include "kiln/program.h"

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

/// The positions of the first `rows` samples of a batch in `io` that
/// `metric` counts as right, for logits of the float type `Real`.
template <typename Real>
int64_t countBatch(Metric metric, CallTensors &io, int64_t rows,
                   int64_t classes, int64_t positions) {
  const Real *logits = static_cast<const Real *>(io.get(Role::Logits).raw());
  const Tensor &labels = io.get(Role::Label);
  if (metric == Metric::Accuracy)
    return countArgmax(logits, labels.i32(), rows, classes, positions);
  return countBinary(logits, static_cast<const Real *>(labels.raw()),
                     rows * positions);
}

} // namespace

int64_t countCorrect(const float *logits, const int32_t *labels, int64_t rows,
                     int64_t classes, int64_t positions) {
  return countArgmax(logits, labels, rows, classes, positions);
}

EvalResult evaluate(EntryFn eval, const Manifest &manifest, const Dataset &data,
                    ModelState &state, CallTensors &io) {
  const int64_t batch = manifest.batchSize();
  const int64_t positions = data.labelsPerSample();
  const int64_t n = data.size();
  const EntrySignature &sig = manifest.entry(Entry::Eval);
  // Both metrics are accuracies; an entry has at most one.
  std::optional<Metric> metric;
  if (!sig.metrics.empty())
    metric = sig.metrics.front();
  PackedCall call(sig, state, io, PackedCall::Results::Scratch);
  if (Tensor *rng = io.find(Role::Rng))
    rng->i64()[0] = 0; // Random layers are the identity at inference.
  Tensor &input = io.get(Role::Input), &label = io.get(Role::Label);
  const Tensor &sampleLoss = io.get(Role::SampleLoss);

  std::vector<int64_t> indices(static_cast<size_t>(batch));
  double lossSum = 0.0;
  int64_t correct = 0;
  for (int64_t start = 0; start < n; start += batch) {
    int64_t valid = std::min(batch, n - start);
    // Rows past the end wrap to the start so the batch holds real samples;
    // their results are ignored below.
    for (int64_t i = 0; i < batch; ++i)
      indices[i] = (start + i) % n;
    gatherBatch(data, indices.data(), batch, input.dtype(), input.raw(),
                label.raw());
    callEntry(eval, call.pointers());
    for (int64_t i = 0; i < valid; ++i)
      lossSum += realAt(sampleLoss, i);
    if (metric)
      correct += manifest.input.dtype == DType::F64
                     ? countBatch<double>(*metric, io, valid, manifest.classes,
                                          positions)
                     : countBatch<float>(*metric, io, valid, manifest.classes,
                                         positions);
  }
  EvalResult result;
  result.loss = n ? lossSum / n : 0.0;
  if (metric)
    result.accuracy =
        n ? static_cast<double>(correct) / static_cast<double>(n * positions)
          : 0.0;
  return result;
}

} // namespace kiln
