//===- KilnCombine.cpp - Folders and canonicalization patterns ------------===//
//
// The identities canonicalize removes (a reshape or transpose that changes
// nothing, a broadcast along no axis, a scale by 1, a channel blocking
// undone by its inverse) and the patterns of KilnCombine.td. Autodiff and
// the frontend emit these freely (the VJP of a reshape is a reshape back;
// flatten of an already flat tensor is a reshape to its own type), and
// folding them keeps the IR that kiln-opt shows and the lowering sees
// small. None moves arithmetic.
//
//===----------------------------------------------------------------------===//
#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace kiln;

DenseI64ArrayAttr kiln::composePermutations(Builder &b, DenseI64ArrayAttr inner,
                                            DenseI64ArrayAttr outer) {
  SmallVector<int64_t> composed;
  for (int64_t dim : outer.asArrayRef())
    composed.push_back(inner[dim]);
  return b.getDenseI64ArrayAttr(composed);
}

namespace {
#include "dialects/kiln/IR/KilnCombine.inc"
} // namespace

OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<ReshapeOfReshape>(context);
}

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  for (auto [i, dim] : llvm::enumerate(getPermutation()))
    if (dim != static_cast<int64_t>(i))
      return {};
  return getInput();
}

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<TransposeOfTranspose>(context);
}

OpFoldResult BroadcastOp::fold(FoldAdaptor) {
  if (getAxes().empty())
    return getInput();
  return {};
}

// x * 1 is x for every float, infinities and NaNs included.
OpFoldResult ScaleOp::fold(FoldAdaptor) {
  if (getFactor().convertToDouble() == 1.0)
    return getInput();
  return {};
}

OpFoldResult BlockChannelsOp::fold(FoldAdaptor) {
  // block(unblock(x)) is x when the blocks agree.
  auto unblock = getInput().getDefiningOp<UnblockChannelsOp>();
  if (unblock && unblock.getInput().getType() == getType())
    return unblock.getInput();
  return {};
}

OpFoldResult UnblockChannelsOp::fold(FoldAdaptor) {
  if (auto block = getInput().getDefiningOp<BlockChannelsOp>())
    return block.getInput();
  return {};
}
