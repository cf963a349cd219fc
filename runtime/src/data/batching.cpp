//===- batching.cpp - Per-epoch shuffling and batch gathering -------------===//
//
// Fisher-Yates over SplitMix64 (random.h) gives each epoch a permutation
// that depends only on (seed, epoch). Gathering copies whole rows of images
// and labels (one class index or one mask per sample), which the dataset
// stores contiguously, into the fixed-size batch buffers; rows of pixels are
// normalised on the way, through a table of the 256 byte values computed in
// double, so a pixel gets the value it would have had normalised up front.
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

namespace {
/// Normalises `count` pixels into `out`.
template <typename T>
void normalize(const uint8_t *pixels, int64_t count, const T (&table)[256],
               T *out) {
  for (int64_t i = 0; i < count; ++i)
    out[i] = table[pixels[i]];
}

template <typename T> void fillTable(Normalization norm, T (&table)[256]) {
  for (int v = 0; v < 256; ++v)
    table[v] = static_cast<T>((v / 255.0 - norm.mean) / norm.std);
}
} // namespace

void gatherBatch(const Dataset &data, const int64_t *indices, int64_t count,
                 DType inputType, void *input, void *labels) {
  const bool pixels = data.images.dtype() == DType::U8;
  if (!pixels && data.images.dtype() != inputType)
    throw Error("internal error: features of another type than the input");
  // The table of the input's type only.
  float toF32[256];
  double toF64[256];
  if (pixels && inputType == DType::F32)
    fillTable(data.pixels, toF32);
  else if (pixels)
    fillTable(data.pixels, toF64);
  const int64_t features = data.features();
  const size_t sourceRow = features * dtypeSize(data.images.dtype());
  const size_t inputRow = features * dtypeSize(inputType);
  // Labels and float features are copied as bytes, so one loop serves every
  // element type.
  const size_t labelRow =
      data.labelsPerSample() * dtypeSize(data.labels.dtype());
  const char *images = static_cast<const char *>(data.images.raw());
  const char *allLabels = static_cast<const char *>(data.labels.raw());
  for (int64_t i = 0; i < count; ++i) {
    int64_t idx = indices[i];
    if (idx < 0 || idx >= data.size())
      throw Error("internal error: sample index " + std::to_string(idx) +
                  " out of range");
    const char *source = images + idx * sourceRow;
    char *row = static_cast<char *>(input) + i * inputRow;
    auto *bytes = reinterpret_cast<const uint8_t *>(source);
    if (!pixels)
      std::memcpy(row, source, sourceRow);
    else if (inputType == DType::F32)
      normalize(bytes, features, toF32, reinterpret_cast<float *>(row));
    else
      normalize(bytes, features, toF64, reinterpret_cast<double *>(row));
    std::memcpy(static_cast<char *>(labels) + i * labelRow,
                allLabels + idx * labelRow, labelRow);
  }
}

} // namespace kiln
