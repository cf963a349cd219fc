//===- init.h - Parameter and state initialisation --------------*- C++ -*-===//
//
// Allocates the tensors a manifest lists and fills them from their init
// specs. All tensors draw, in manifest order, from one generator, so the
// same seed gives bit-identical parameters on every run.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_INIT_H
#define KILN_RUNTIME_INIT_H

#include "kiln/buffer.h"
#include "kiln/manifest.h"
#include "kiln/random.h"

#include <vector>

namespace kiln {

/// Fills an f32 or f64 tensor according to `init`, drawing from `rng`.
void initializeTensor(Tensor &tensor, const InitSpec &init, SplitMix64 &rng);

/// Allocates and initialises one tensor per spec, in order.
std::vector<Tensor> makeTensors(const std::vector<TensorSpec> &specs,
                                SplitMix64 &rng);

/// Allocates one zero tensor per spec (for buffers the program writes).
std::vector<Tensor> makeZeroTensors(const std::vector<TensorSpec> &specs);

} // namespace kiln

#endif // KILN_RUNTIME_INIT_H
