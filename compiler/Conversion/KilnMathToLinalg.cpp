//===- KilnMathToLinalg.cpp - Lower the elementwise math ops --------------===//
//
// The math ops of KilnMathOps.td (optimizer updates, schedules, clipping)
// are each one scalar operation inside the shared elementwise pattern.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/KilnToLinalg.h"
#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lowering;

// Found by LowerElementwise through argument-dependent lookup.
namespace kiln {
static Value scalarBody(SqrtOp, OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::SqrtOp>(loc, args[0]);
}
static Value scalarBody(DivOp, OpBuilder &b, Location loc, ValueRange args) {
  return b.create<arith::DivFOp>(loc, args[0], args[1]);
}
static Value scalarBody(MaxOp, OpBuilder &b, Location loc, ValueRange args) {
  // NaN-propagating, as torch.maximum (AMSGrad's max_exp_avg_sq).
  return b.create<arith::MaximumFOp>(loc, args[0], args[1]);
}
static Value scalarBody(AddScalarOp op, OpBuilder &b, Location loc,
                        ValueRange args) {
  Value value =
      floatConstant(b, loc, args[0].getType(), op.getValue().convertToDouble());
  return b.create<arith::AddFOp>(loc, args[0], value);
}
static Value scalarBody(RpowOp op, OpBuilder &b, Location loc,
                        ValueRange args) {
  Value base =
      floatConstant(b, loc, args[0].getType(), op.getBase().convertToDouble());
  return b.create<math::PowFOp>(loc, base, args[0]);
}
static Value scalarBody(PowOp op, OpBuilder &b, Location loc, ValueRange args) {
  Value exponent = floatConstant(b, loc, args[0].getType(),
                                 op.getExponent().convertToDouble());
  return b.create<math::PowFOp>(loc, args[0], exponent);
}
static Value scalarBody(FloorOp, OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::FloorOp>(loc, args[0]);
}
static Value scalarBody(CosOp, OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::CosOp>(loc, args[0]);
}
} // namespace kiln

void kiln::lowering::populateMathLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerElementwise<SqrtOp>, LowerElementwise<DivOp>,
               LowerElementwise<MaxOp>, LowerElementwise<AddScalarOp>,
               LowerElementwise<RpowOp>, LowerElementwise<PowOp>,
               LowerElementwise<FloorOp>, LowerElementwise<CosOp>>(
      patterns.getContext());
}
