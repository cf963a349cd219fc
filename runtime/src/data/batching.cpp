//===- batching.cpp - Per-epoch shuffling and batch gathering -------------===//
//
// Fisher-Yates over SplitMix64 (random.h) gives each epoch a permutation
// that depends only on (seed, epoch). Gathering copies whole rows of images
// and labels (one class index or one mask per sample), which the dataset
// stores contiguously, into the fixed-size batch buffers.
//
//===----------------------------------------------------------------------===//
#include "kiln/batching.h"
#include "kiln/error.h"
#include "kiln/random.h"

#include <cstring>
#include <numeric>

namespace kiln {

std::vector<int64_t> epochPermutation(uint64_t seed, int64_t epoch, int64_t n) {
  std::vector<int64_t> perm(static_cast<size_t>(n));
  std::iota(perm.begin(), perm.end(), int64_t(0));
  SplitMix64 rng(
      deriveSeed(seed, kShuffleStream, static_cast<uint64_t>(epoch)));
  for (int64_t i = n - 1; i > 0; --i) {
    int64_t j = static_cast<int64_t>(rng.below(static_cast<uint64_t>(i) + 1));
    std::swap(perm[i], perm[j]);
  }
  return perm;
}

void gatherBatch(const Dataset &data, const int64_t *indices, int64_t count,
                 void *input, void *labels) {
  // Rows are copied as bytes, so one loop serves every element type.
  const size_t imageRow = data.features() * dtypeSize(data.images.dtype());
  const size_t labelRow =
      data.labelsPerSample() * dtypeSize(data.labels.dtype());
  const char *images = static_cast<const char *>(data.images.raw());
  const char *allLabels = static_cast<const char *>(data.labels.raw());
  for (int64_t i = 0; i < count; ++i) {
    int64_t idx = indices[i];
    if (idx < 0 || idx >= data.size())
      throw Error("internal error: sample index " + std::to_string(idx) +
                  " out of range");
    std::memcpy(static_cast<char *>(input) + i * imageRow,
                images + idx * imageRow, imageRow);
    std::memcpy(static_cast<char *>(labels) + i * labelRow,
                allLabels + idx * labelRow, labelRow);
  }
}

} // namespace kiln
