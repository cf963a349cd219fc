//===- BuildHessian.cpp - Derive the Hessian for Newton's method ----------===//
//
// Newton's method steps by H^-1 g, so it needs the Hessian of the loss with
// respect to every parameter. When the recipe's optimizer is newton, this
// pass clones the model's evaluation function into @hessian
// (kiln.entry = #kiln.entry<hessian>), which returns the loss, one gradient per
// parameter in parameter order, and the P x P Hessian over the P parameter
// elements (each parameter flattened row-major, concatenated in argument
// order). Other optimizers leave the module unchanged.
//
// The Hessian is derived from the IR by reverse over reverse: autodiff builds
// the gradient g, which is flattened, and each element g[i] is differentiated
// again to give row i. That is P backward graphs, hence the parameter limit.
// Newton's method is for small convex problems, so models whose ops have a
// training form (batch normalization, dropout) are rejected rather than
// switched.
//
//===----------------------------------------------------------------------===//
#include "compiler/Transforms/Autodiff.h"
#include "compiler/Transforms/EntryPoints.h"
#include "compiler/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/RegionUtils.h"

namespace kiln {
#define GEN_PASS_DEF_BUILDHESSIAN
#include "compiler/Transforms/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;

namespace {
/// The Hessian has P^2 elements and costs P backward graphs, each a copy in
/// the generated function: P = 256 gives 14 MB of LLVM IR and about 50 s of
/// compilation, so larger models are refused rather than left compiling.
constexpr int64_t kMaxParameters = 512;

/// The elements of `values`, each flattened row-major, concatenated: [P].
Value flattenAll(OpBuilder &b, Location loc, ValueRange values) {
  SmallVector<Value> flat;
  for (Value value : values) {
    auto type = cast<RankedTensorType>(value.getType());
    auto vector =
        RankedTensorType::get({type.getNumElements()}, type.getElementType());
    // The lowering has no rank-0 reshape; a scalar is broadcast instead.
    if (type.getRank() == 0)
      value = b.create<BroadcastOp>(loc, vector, value, ArrayRef<int64_t>{0});
    else if (type.getRank() > 1)
      value = b.create<ReshapeOp>(loc, vector, value);
    flat.push_back(value);
  }
  return flat.size() == 1 ? flat[0] : b.create<ConcatOp>(loc, flat, 0);
}

struct BuildHessianPass : kiln::impl::BuildHessianBase<BuildHessianPass> {
  void runOnOperation() override {
    TrainRecipeAttr recipe = getTrainRecipe(getOperation());
    if (recipe && recipe.isNewton() && failed(buildHessian(getOperation())))
      signalPassFailure();
  }

  /// Checks that Newton's method applies to `eval`; returns the number of
  /// parameter elements P.
  FailureOr<int64_t> countParameters(func::FuncOp eval) {
    if (failed(rejectTrainingModeOps(eval, "Newton's method")))
      return failure();
    int64_t total = 0;
    Type element;
    for (BlockArgument arg : argsWithRole(eval, rt::Role::Param)) {
      auto type = cast<RankedTensorType>(arg.getType());
      if (element && element != type.getElementType())
        return eval.emitError("Newton's method needs parameters of one "
                              "element type: the Hessian is one tensor");
      element = type.getElementType();
      total += type.getNumElements();
    }
    if (total == 0)
      return eval.emitError("Newton's method needs parameters "
                            "(kiln.role = #kiln.role<param>)");
    if (total > kMaxParameters)
      return eval.emitError()
             << "Newton's method needs the P x P Hessian; this model has "
             << total << " parameters, more than " << kMaxParameters;
    return total;
  }

  LogicalResult buildHessian(ModuleOp module) {
    FailureOr<EvalFunction> eval = lookupEvalFunction(module);
    if (failed(eval))
      return failure();
    FailureOr<int64_t> numParams = countParameters(eval->fn);
    if (failed(numParams))
      return failure();

    MLIRContext *ctx = &getContext();
    func::FuncOp hessian = cloneEntry(eval->fn, rt::Entry::Hessian);
    SmallVector<EntryResult> results{entryResults(hessian)[eval->lossIndex]};
    SmallVector<Value> params;
    for (BlockArgument arg : argsWithRole(hessian, rt::Role::Param)) {
      params.push_back(arg);
      results.push_back(
          {nullptr, roleAttrs(ctx, rt::Role::Grad,
                              argName(hessian, arg.getArgNumber()))});
    }

    Location loc = hessian.getBody().front().getTerminator()->getLoc();
    OpBuilder b(hessian.getBody().front().getTerminator());
    SmallVector<Value> grads;
    if (failed(buildGradients(b, results.front().value, params, grads)))
      return failure();
    for (auto [result, grad] :
         llvm::zip(MutableArrayRef<EntryResult>(results).drop_front(), grads))
      result.value = grad;

    // Row i of the Hessian is the gradient of the scalar g[i].
    Value flatGrad = flattenAll(b, loc, grads);
    SmallVector<Value> rows;
    auto elementType = getElementTypeOrSelf(flatGrad.getType());
    auto rowType = RankedTensorType::get({1, *numParams}, elementType);
    for (int64_t i = 0; i < *numParams; ++i) {
      Value slice = b.create<SliceOp>(loc, flatGrad, 0, i, i + 1);
      Value gi = b.create<ReduceSumOp>(loc, slice, ArrayRef<int64_t>{0});
      SmallVector<Value> secondGrads;
      if (failed(buildGradients(b, gi, params, secondGrads)))
        return failure();
      rows.push_back(
          b.create<ReshapeOp>(loc, rowType, flattenAll(b, loc, secondGrads)));
    }
    results.push_back(
        {rows.size() == 1 ? rows[0] : b.create<ConcatOp>(loc, rows, 0),
         roleAttrs(ctx, rt::Role::Hessian)});
    setEntryResults(hessian, results);
    // The forward outputs only evaluation needs (logits, per-sample losses)
    // are dead now.
    IRRewriter rewriter(ctx);
    (void)runRegionDCE(rewriter, hessian.getBody());
    return success();
  }
};
} // namespace
