//===- random.h - The runtime's deterministic random numbers ----*- C++ -*-===//
//
// Parameter initialisation and shuffling must give identical results for the
// same seed on every run, so the runtime uses its own tiny generator instead
// of the standard distributions (whose algorithms differ between standard
// libraries). SplitMix64 (Steele, Lea & Flood, 2014) is a 64-bit counter
// passed through a bijective mixer; it is fast, needs 8 bytes of state and
// passes BigCrush, which is plenty for initialisation and permutations.
//
// Independent streams (initialisation, the shuffle of epoch e, the rng seed
// of train step k) come from deriveSeed(seed, stream, index), so adding a new
// consumer never shifts the numbers another one sees.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_RANDOM_H
#define KILN_RUNTIME_RANDOM_H

#include <cmath>
#include <cstdint>

namespace kiln {

/// The SplitMix64 output mixer (a bijection on 64-bit integers).
inline uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/// Stream identifiers for deriveSeed ("init", "shuf", "step" and "synt" in
/// ASCII). kStepStream gives the rng argument of train step k (0-based,
/// counted over the whole run), so random layers such as dropout draw a fresh
/// mask per step that does not depend on the data order. kSyntheticStream
/// generates synthetic datasets from the dataset's own seed.
constexpr uint64_t kInitStream = 0x696e6974;
constexpr uint64_t kShuffleStream = 0x73687566;
constexpr uint64_t kStepStream = 0x73746570;
constexpr uint64_t kSyntheticStream = 0x73796e74;

/// A seed for the `index`-th member of `stream` under the user's `seed`.
inline uint64_t deriveSeed(uint64_t seed, uint64_t stream, uint64_t index) {
  return mix64(mix64(seed ^ mix64(stream)) + index);
}

class SplitMix64 {
public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}

  uint64_t next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    return mix64(state_);
  }

  /// Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  /// Uniform integer in [0, n), n > 0, without modulo bias (Lemire 2019:
  /// multiply into 128 bits and reject the few values of the low half that
  /// would over-represent some results).
  uint64_t below(uint64_t n) {
    unsigned __int128 m = static_cast<unsigned __int128>(next()) * n;
    uint64_t low = static_cast<uint64_t>(m);
    if (low < n) {
      uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<unsigned __int128>(next()) * n;
        low = static_cast<uint64_t>(m);
      }
    }
    return static_cast<uint64_t>(m >> 64);
  }

  /// Standard normal sample by the Box-Muller transform (one sample per two
  /// uniforms; keeping no cached second sample keeps the state a single
  /// integer).
  double normal() {
    double u1 = 1.0 - uniform(); // (0, 1], so log(u1) is finite.
    double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

private:
  uint64_t state_;
};

} // namespace kiln

#endif // KILN_RUNTIME_RANDOM_H
