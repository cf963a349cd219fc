//===- init.cpp - Parameter and state initialisation ----------------------===//
//
// Samples are drawn in double precision and rounded to float so that the
// values do not depend on the compiler's float evaluation. Zeros and
// constants draw nothing from the generator, which keeps the stream of the
// random initialisers independent of how many bias vectors precede them.
//
//===----------------------------------------------------------------------===//
#include "kiln/init.h"

namespace kiln {

void initializeTensor(Tensor &tensor, const InitSpec &init, SplitMix64 &rng) {
  float *p = tensor.f32();
  int64_t n = tensor.numel();
  switch (init.kind) {
  case InitSpec::Kind::Zeros:
    for (int64_t i = 0; i < n; ++i)
      p[i] = 0.0f;
    break;
  case InitSpec::Kind::Constant:
    for (int64_t i = 0; i < n; ++i)
      p[i] = static_cast<float>(init.a);
    break;
  case InitSpec::Kind::Uniform:
    for (int64_t i = 0; i < n; ++i)
      p[i] = static_cast<float>(init.a + (init.b - init.a) * rng.uniform());
    break;
  case InitSpec::Kind::Normal:
    for (int64_t i = 0; i < n; ++i)
      p[i] = static_cast<float>(init.a + init.b * rng.normal());
    break;
  }
}

std::vector<Tensor> makeTensors(const std::vector<TensorSpec> &specs,
                                SplitMix64 &rng) {
  std::vector<Tensor> tensors;
  tensors.reserve(specs.size());
  for (const TensorSpec &spec : specs) {
    tensors.emplace_back(spec.dtype, spec.shape);
    initializeTensor(tensors.back(), spec.init, rng);
  }
  return tensors;
}

std::vector<Tensor> makeZeroTensors(const std::vector<TensorSpec> &specs) {
  std::vector<Tensor> tensors;
  tensors.reserve(specs.size());
  for (const TensorSpec &spec : specs)
    tensors.emplace_back(spec.dtype, spec.shape);
  return tensors;
}

} // namespace kiln
