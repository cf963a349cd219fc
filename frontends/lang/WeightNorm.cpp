//===- WeightNorm.cpp - Weights of linear and convolution layers ----------===//
//
// The `weight_norm = true` option of linear and convolution layers is
// torch.nn.utils.weight_norm (dim = 0): the weight is reparameterised as
// w = g * v / ||v||, the norm over every dimension but the first, with
// parameters `weight_g` [out, 1, ...] and `weight_v` (PyTorch's names and
// layouts). The layers call addWeight instead of declaring `weight`, so the
// reparameterisation is written once, with existing kiln ops and rsqrt:
//   w = v * broadcast(g * rsqrt(reduce_sum(v * v))).
//
//===----------------------------------------------------------------------===//
#include "frontends/lang/Layers.h"

#include "dialects/kiln/IR/KilnConventions.h"
#include "frontends/lang/InitSchemes.h"

#include <cmath>
#include <numeric>

using namespace mlir;
using namespace kiln;
using namespace kiln::lang;

Value kiln::lang::addWeight(LayerBuilder &lb, ArrayRef<int64_t> shape,
                            InitAttr init, bool weightNorm) {
  if (!weightNorm)
    return lb.addParameter("weight", shape, init);
  SmallVector<int64_t> gShape(shape.size(), 1), rest(shape.size() - 1);
  gShape[0] = shape[0];
  std::iota(rest.begin(), rest.end(), 1);
  // PyTorch starts g at ||v|| of the initial v. Kiln's initialisers do not
  // depend on other parameters, so g starts at the expected norm instead:
  // sqrt(n E[v^2]) for the n elements of a row drawn from `init`.
  int64_t n = std::accumulate(shape.begin() + 1, shape.end(), int64_t{1},
                              std::multiplies<int64_t>());
  double norm = std::sqrt(n * initMeanSquare(init));
  Value g = lb.addParameter("weight_g", gShape,
                            constantInit(lb.b.getContext(), norm));
  Value v = lb.addParameter("weight_v", shape, init);

  OpBuilder &b = lb.b;
  Location loc = lb.loc;
  auto vType = cast<RankedTensorType>(v.getType());
  auto rowType = RankedTensorType::get({shape[0]}, vType.getElementType());
  Value squares = b.create<ReduceSumOp>(loc, b.create<MulOp>(loc, v, v), rest);
  Value scale = b.create<MulOp>(loc, b.create<ReshapeOp>(loc, rowType, g),
                                b.create<RsqrtOp>(loc, squares));
  return b.create<MulOp>(loc, v,
                         b.create<BroadcastOp>(loc, vType, scale, rest));
}
