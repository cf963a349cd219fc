//===- batching.h - Per-epoch shuffling and batch gathering -----*- C++ -*-===//
//
// Each epoch visits the training set in a fresh random order that depends
// only on (seed, epoch), so a run is reproducible and an epoch's order does
// not depend on how many steps earlier epochs took. Training uses only full
// batches (like PyTorch's drop_last=True) because a compiled train step has
// a fixed batch size baked into its shapes.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_BATCHING_H
#define KILN_RUNTIME_BATCHING_H

#include "kiln/dataset.h"

#include <cstdint>
#include <vector>

namespace kiln {

/// A uniformly random permutation of [0, n) for 0-based `epoch`: Fisher-Yates
/// driven by SplitMix64(deriveSeed(seed, kShuffleStream, epoch)).
std::vector<int64_t> epochPermutation(uint64_t seed, int64_t epoch, int64_t n);

/// Number of full batches of `batch` samples in `n` samples.
inline int64_t fullBatches(int64_t n, int64_t batch) {
  return batch > 0 ? n / batch : 0;
}

/// Copies samples indices[0..count) of `data` into `input` ([count, features]
/// of `inputType`, f32 or f64: pixels normalised, float features of that type
/// copied) and `labels` ([count, ...] of data.labels' type: [count] class
/// indices or targets, or [count, H, W] masks).
void gatherBatch(const Dataset &data, const int64_t *indices, int64_t count,
                 DType inputType, void *input, void *labels);

} // namespace kiln

#endif // KILN_RUNTIME_BATCHING_H
