//===- synthetic.cpp - The generated logistic-regression dataset ----------===//
//
// synthetic_logistic needs no file or network: both splits are computed from
// the dataset's seed with SplitMix64 and Box-Muller normals (random.h), not
// with the standard distributions, whose algorithms differ between standard
// libraries. Three independent streams of deriveSeed(seed, kSyntheticStream,
// k) give the true weights (k = 0), the training points (k = 1) and the test
// points (k = 2), so the test split is fresh data from the same problem and
// the train split does not depend on how large the test split is.
//
//===----------------------------------------------------------------------===//
#include "kiln/dataset.h"
#include "kiln/random.h"

#include <cmath>
#include <vector>

namespace kiln {

Dataset generateSyntheticLogistic(const SyntheticLogistic &spec, Split split) {
  SplitMix64 weightRng(deriveSeed(spec.seed, kSyntheticStream, 0));
  std::vector<double> weights(static_cast<size_t>(spec.d));
  for (double &w : weights)
    w = weightRng.normal();

  const bool train = split == Split::Train;
  const int64_t points = train ? spec.n : spec.n / 5;
  SplitMix64 rng(deriveSeed(spec.seed, kSyntheticStream, train ? 1 : 2));
  Dataset data;
  data.images = Tensor(DType::F64, {points, spec.d});
  data.labels = Tensor(DType::F64, {points});
  double *x = data.images.f64();
  for (int64_t i = 0; i < points; ++i) {
    // Per point: its d features, then the uniform that draws its target.
    double logit = spec.bias;
    for (int64_t j = 0; j < spec.d; ++j, ++x) {
      *x = rng.normal();
      logit += *x * weights[j];
    }
    double probability = 1.0 / (1.0 + std::exp(-logit));
    data.labels.f64()[i] = rng.uniform() < probability ? 1.0 : 0.0;
  }
  return data;
}

} // namespace kiln
