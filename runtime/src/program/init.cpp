//===- init.cpp - Parameter and state initialisation ----------------------===//
//
// Samples are drawn in double precision and rounded to the tensor's float
// type (f32 or f64) so that the values do not depend on the compiler's float
// evaluation. Zeros and
// constants draw nothing from the generator, which keeps the stream of the
// random initialisers independent of how many bias vectors precede them.
//
//===----------------------------------------------------------------------===//
#include "kiln/init.h"

namespace kiln {

namespace {

/// Stores `sample()`, a double, into every element of `tensor`, rounded to
/// its float type.
template <typename Sample> void fill(Tensor &tensor, Sample sample) {
  int64_t n = tensor.numel();
  if (tensor.dtype() == DType::F64) {
    for (int64_t i = 0; i < n; ++i)
      tensor.f64()[i] = sample();
  } else {
    for (int64_t i = 0; i < n; ++i)
      tensor.f32()[i] = static_cast<float>(sample());
  }
}

} // namespace

void initializeTensor(Tensor &tensor, const InitSpec &init, SplitMix64 &rng) {
  switch (init.kind) {
  case InitSpec::Kind::Zeros:
    fill(tensor, [] { return 0.0; });
    break;
  case InitSpec::Kind::Constant:
    fill(tensor, [&] { return init.a; });
    break;
  case InitSpec::Kind::Uniform:
    fill(tensor, [&] { return init.a + (init.b - init.a) * rng.uniform(); });
    break;
  case InitSpec::Kind::Normal:
    fill(tensor, [&] { return init.a + init.b * rng.normal(); });
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
