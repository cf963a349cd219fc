//===- evaluate.cpp - Test-set evaluation with kiln_eval ------------------===//
//
// Accumulates in double: summing 10000 float losses in float would lose
// digits the log reports.
//
//===----------------------------------------------------------------------===//
#include "kiln/evaluate.h"
#include "kiln/batching.h"

#include <algorithm>

namespace kiln {

EvalResult evaluate(ProgramFn eval, const Manifest &manifest,
                    const Dataset &data, std::vector<Tensor> &params,
                    Tensor &input, Tensor &label) {
  const int64_t batch = manifest.batchSize();
  const int64_t classes = manifest.classes;
  const int64_t n = data.size();
  Tensor loss(DType::F32, {1});
  Tensor sampleLoss(DType::F32, {batch});
  Tensor logits(DType::F32, {batch, classes});

  std::vector<void *> args;
  args.push_back(input.raw());
  args.push_back(label.raw());
  for (Tensor &p : params)
    args.push_back(p.raw());
  args.push_back(loss.raw());
  args.push_back(sampleLoss.raw());
  args.push_back(logits.raw());

  std::vector<int64_t> indices(static_cast<size_t>(batch));
  double lossSum = 0.0;
  int64_t correct = 0;
  for (int64_t start = 0; start < n; start += batch) {
    int64_t valid = std::min(batch, n - start);
    // Rows past the end wrap to the start so the batch holds real samples;
    // their results are ignored below.
    for (int64_t i = 0; i < batch; ++i)
      indices[i] = (start + i) % n;
    gatherBatch(data, indices.data(), batch, input.f32(), label.i32());
    eval(args.data());
    for (int64_t i = 0; i < valid; ++i) {
      lossSum += sampleLoss.f32()[i];
      const float *row = logits.f32() + i * classes;
      // First maximum wins ties; NaN logits never compare greater, so a row
      // of NaNs predicts class 0 (and a model producing them scores badly).
      int64_t best = 0;
      for (int64_t c = 1; c < classes; ++c)
        if (row[c] > row[best])
          best = c;
      correct += best == label.i32()[i];
    }
  }
  EvalResult result;
  result.loss = n ? lossSum / n : 0.0;
  result.accuracy = n ? static_cast<double>(correct) / n : 0.0;
  return result;
}

} // namespace kiln
