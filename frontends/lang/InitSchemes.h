//===- InitSchemes.h - torch.nn.init schemes of layer weights ---*- C++ -*-===//
//
// Private to frontends/lang. The `init` argument of linear and convolution
// layers, and the train section's `init` default, name a scheme with
// torch.nn.init's semantics (docs/training.md, "Initialization"). The
// compiler turns a scheme and the weight's fans into the runtime's
// initialisers (#kiln.init: uniform, normal, zeros, constant), so the
// runtime needs no knowledge of schemes. Every layer that creates weights calls
// layerInits; nothing else computes initial bounds.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTENDS_LANG_INITSCHEMES_H
#define KILN_FRONTENDS_LANG_INITSCHEMES_H

#include "frontends/lang/Layers.h"

namespace kiln::lang {

/// The initialisers of a layer's weight and bias.
struct LayerInits {
  InitAttr weight, bias;
};

/// The inits of a weight of `weightShape` (PyTorch's layout: [out, in, k...],
/// or [in, out, k...] for transposed convolutions, whose fans PyTorch takes
/// from the same dimensions) under the scheme given as `scheme` (an `init`
/// argument), else the train section's default, else PyTorch's layer
/// default. Reports mistakes at the scheme and returns std::nullopt.
std::optional<LayerInits> layerInits(LayerBuilder &lb, const ArgValue &scheme,
                                     llvm::ArrayRef<int64_t> weightShape);

/// Checks the train section's `init` setting, `expr`, once, and returns it
/// when valid so that layers use it as their default.
const ast::Expr *checkDefaultInit(GenContext &gen, const ast::Expr &expr);

/// E[x^2] of a value drawn from `init`, for weight normalization's g.
double initMeanSquare(InitAttr init);

} // namespace kiln::lang

#endif // KILN_FRONTENDS_LANG_INITSCHEMES_H
