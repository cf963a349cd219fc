//===- NormStatistics.cpp - Statistics builders of the normalizations -----===//
//
// Statistics are reductions whose output map keeps some dimensions; the
// normalized output and its gradient are elementwise maps that read the
// statistics through the same projection, so all of them fuse with
// elementwise neighbours after lowering.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/NormStatistics.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lowering;

StatisticsSpace::StatisticsSpace(OpBuilder &b, RankedTensorType type,
                                 ArrayRef<int64_t> kept) {
  unsigned rank = type.getRank();
  identity = b.getMultiDimIdentityMap(rank);
  SmallVector<AffineExpr> keptDims;
  SmallVector<int64_t> shape;
  reduceOthers.assign(rank, kReduction);
  parallel.assign(rank, kParallel);
  for (int64_t dim : kept) {
    keptDims.push_back(b.getAffineDimExpr(dim));
    shape.push_back(type.getDimSize(dim));
    reduceOthers[dim] = kParallel;
  }
  statistic = AffineMap::get(rank, 0, keptDims, b.getContext());
  statisticType = RankedTensorType::get(shape, type.getElementType());
  count = type.getNumElements() / statisticType.getNumElements();
}

Value lowering::statisticSum(OpBuilder &b, Location loc,
                             const StatisticsSpace &space, Value x,
                             ValueRange perStatistic, BodyBuilder term) {
  SmallVector<Value> inputs{x};
  inputs.append(perStatistic.begin(), perStatistic.end());
  SmallVector<AffineMap> maps{space.identity};
  maps.append(perStatistic.size(), space.statistic);
  return buildGeneric(b, loc, filledTensor(b, loc, space.statisticType, 0.0),
                      inputs, maps, space.statistic, space.reduceOthers,
                      [&](OpBuilder &nb, Location nl, ValueRange args) {
                        Value value = term(nb, nl, args.drop_back());
                        return accumulate(nb, nl, args.back(), value);
                      });
}

Value lowering::inverseStd(OpBuilder &b, Location loc, RankedTensorType type,
                           Value variance, double epsilon) {
  return buildElementwise(b, loc, type, variance,
                          [&](OpBuilder &nb, Location nl, ValueRange args) {
                            Type element = type.getElementType();
                            Value eps = floatConstant(nb, nl, element, epsilon);
                            // 1 / sqrt(.): math.rsqrt has no f64 lowering to
                            // LLVM.
                            Value root = nb.create<math::SqrtOp>(
                                nl, nb.create<arith::AddFOp>(nl, args[0], eps));
                            return nb.create<arith::DivFOp>(
                                nl, floatConstant(nb, nl, element, 1.0), root);
                          });
}

Moments lowering::buildMoments(OpBuilder &b, Location loc,
                               const StatisticsSpace &space, Value x,
                               double epsilon) {
  Type element = space.statisticType.getElementType();
  double inverseCount = 1.0 / space.count;
  auto scaled = [&](Value sum) {
    return buildElementwise(b, loc, space.statisticType, sum,
                            [&](OpBuilder &nb, Location nl, ValueRange args) {
                              return nb.create<arith::MulFOp>(
                                  nl, args[0],
                                  floatConstant(nb, nl, element, inverseCount));
                            });
  };
  Value mean = scaled(statisticSum(
      b, loc, space, x, {},
      [](OpBuilder &, Location, ValueRange args) { return args[0]; }));
  Value variance = scaled(statisticSum(
      b, loc, space, x, mean, [](OpBuilder &nb, Location nl, ValueRange args) {
        Value d = nb.create<arith::SubFOp>(nl, args[0], args[1]);
        return nb.create<arith::MulFOp>(nl, d, d);
      }));
  return {mean, variance,
          inverseStd(b, loc, space.statisticType, variance, epsilon)};
}

Value lowering::buildNormalized(OpBuilder &b, Location loc,
                                const StatisticsSpace &space, Value x,
                                Value mean, Value invstd, Value weight,
                                Value bias) {
  SmallVector<Value> inputs{x, mean, invstd};
  for (Value affine : {weight, bias})
    if (affine)
      inputs.push_back(affine);
  SmallVector<AffineMap> maps(inputs.size(), space.statistic);
  maps[0] = space.identity;
  return buildGeneric(
      b, loc, emptyTensor(b, loc, tensorType(x)), inputs, maps, space.identity,
      space.parallel, [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value centered = nb.create<arith::SubFOp>(nl, args[0], args[1]);
        Value y = nb.create<arith::MulFOp>(nl, centered, args[2]);
        unsigned next = 3;
        if (weight)
          y = nb.create<arith::MulFOp>(nl, y, args[next++]);
        if (bias)
          y = nb.create<arith::AddFOp>(nl, y, args[next]);
        return y;
      });
}

NormalizedGrads lowering::buildNormalizedGrads(OpBuilder &b, Location loc,
                                               const StatisticsSpace &space,
                                               Value g, Value x, double epsilon,
                                               Value weight) {
  RankedTensorType type = tensorType(x);
  Moments stats = buildMoments(b, loc, space, x, epsilon);
  Value sumG = statisticSum(
      b, loc, space, g, {},
      [](OpBuilder &, Location, ValueRange args) { return args[0]; });
  // sum(g * xhat) with xhat = (x - mean) * invstd; g rides along as a second
  // full-size input through the statistic map's identity slot.
  Value sumGX = buildGeneric(
      b, loc, filledTensor(b, loc, space.statisticType, 0.0),
      {g, x, stats.mean, stats.invstd},
      {space.identity, space.identity, space.statistic, space.statistic},
      space.statistic, space.reduceOthers,
      [](OpBuilder &nb, Location nl, ValueRange args) {
        Value centered = nb.create<arith::SubFOp>(nl, args[1], args[2]);
        Value xhat = nb.create<arith::MulFOp>(nl, centered, args[3]);
        Value term = nb.create<arith::MulFOp>(nl, args[0], xhat);
        return accumulate(nb, nl, args[4], term);
      });
  // dx = weight * invstd / n * (n * g - sum(g) - xhat * sum(g * xhat)).
  double n = space.count;
  SmallVector<Value> inputs{g, x, stats.mean, stats.invstd, sumG, sumGX};
  if (weight)
    inputs.push_back(weight);
  SmallVector<AffineMap> maps(inputs.size(), space.statistic);
  maps[0] = maps[1] = space.identity;
  Value dx = buildGeneric(
      b, loc, emptyTensor(b, loc, type), inputs, maps, space.identity,
      space.parallel, [&](OpBuilder &nb, Location nl, ValueRange args) {
        Type t = type.getElementType();
        Value centered = nb.create<arith::SubFOp>(nl, args[1], args[2]);
        Value xhat = nb.create<arith::MulFOp>(nl, centered, args[3]);
        Value ng =
            nb.create<arith::MulFOp>(nl, args[0], floatConstant(nb, nl, t, n));
        Value inner = nb.create<arith::SubFOp>(
            nl, nb.create<arith::SubFOp>(nl, ng, args[4]),
            nb.create<arith::MulFOp>(nl, xhat, args[5]));
        Value factor = nb.create<arith::MulFOp>(
            nl, args[3], floatConstant(nb, nl, t, 1.0 / n));
        if (weight)
          factor = nb.create<arith::MulFOp>(nl, factor, args[6]);
        return nb.create<arith::MulFOp>(nl, factor, inner);
      });
  return {dx, sumGX, sumG};
}
