//===- ClipGradients.cpp - Clip @train_step's gradients -------------------===//
//
// Rewrites the gradient results of @train_step (kiln.role = grad) before the
// optimizer turns them into updates, with PyTorch's semantics:
//   value(v):          g = clamp(g, -v, v)      (clip_grad_value_)
//   global_norm(m):    n = sqrt(sum_i sum(g_i^2)),
//                      g_i *= min(1, m / (n + 1e-6))   (clip_grad_norm_)
//   tensor_norm(m):    the same factor from each gradient's own norm.
// The recipe is the `clip` of the module's #kiln.train; without one the pass
// changes nothing, so the pipeline always runs it.
//
//===----------------------------------------------------------------------===//
#include "compiler/Training/TensorMath.h"
#include "compiler/Transforms/EntryPoints.h"
#include "compiler/Transforms/Passes.h"

namespace kiln {
#define GEN_PASS_DEF_CLIPGRADIENTS
#include "compiler/Transforms/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;

namespace {
/// torch.nn.utils.clip_grad_norm_ divides by norm + 1e-6, so a zero gradient
/// stays finite.
constexpr double kClipNormEpsilon = 1e-6;

/// min(1, maxNorm / (sqrt(sumSq) + eps)): the factor that brings a norm down
/// to maxNorm and leaves smaller ones alone.
Value clipFactor(OpBuilder &b, Location loc, Value sumSq, double maxNorm) {
  auto type = cast<RankedTensorType>(sumSq.getType());
  Value norm = b.create<SqrtOp>(loc, sumSq);
  Value denominator =
      b.create<AddScalarOp>(loc, norm, b.getF64FloatAttr(kClipNormEpsilon));
  Value numerator = scalarConstant(b, loc, type.getElementType(), maxNorm);
  Value ratio = b.create<DivOp>(loc, numerator, denominator);
  return b.create<ClampOp>(loc, ratio, /*min=*/FloatAttr(),
                           b.getF64FloatAttr(1.0));
}

struct ClipGradientsPass : kiln::impl::ClipGradientsBase<ClipGradientsPass> {
  void runOnOperation() override {
    if (failed(clip(getOperation())))
      signalPassFailure();
  }

  LogicalResult clip(ModuleOp module) {
    TrainRecipeAttr recipe = getTrainRecipe(module);
    ClipAttr clip = recipe ? recipe.getClip() : nullptr;
    if (!clip)
      return success();
    func::FuncOp step = lookupEntry(module, rt::Entry::TrainStep);
    if (!step)
      return module.emitError("no @train_step: run kiln-build-training-step "
                              "first");
    SmallVector<EntryResult> results = entryResults(step);
    SmallVector<unsigned> grads = resultsWithRole(step, rt::Role::Grad);
    if (grads.empty())
      return success();

    Location loc = step.getBody().front().getTerminator()->getLoc();
    OpBuilder b(step.getBody().front().getTerminator());
    auto gradAt = [&](unsigned i) -> Value & { return results[i].value; };
    switch (clip.getKind()) {
    case ClipKind::Value: {
      double v = clip.getReal("clip_value");
      for (unsigned i : grads)
        gradAt(i) = b.create<ClampOp>(loc, gradAt(i), b.getF64FloatAttr(-v),
                                      b.getF64FloatAttr(v));
      break;
    }
    case ClipKind::TensorNorm:
      for (unsigned i : grads) {
        Value factor = clipFactor(b, loc, sumOfSquares(b, loc, gradAt(i)),
                                  clip.getReal("max_norm"));
        gradAt(i) = scaledBy(b, loc, gradAt(i), factor);
      }
      break;
    case ClipKind::GlobalNorm: {
      // One factor from the norm of all gradients together.
      SmallVector<Value> gradValues;
      for (unsigned i : grads)
        gradValues.push_back(gradAt(i));
      Value total = totalSumOfSquares(b, loc, gradValues);
      if (!total)
        return step.emitError("global_norm clipping needs gradients of one "
                              "element type");
      Value factor = clipFactor(b, loc, total, clip.getReal("max_norm"));
      for (unsigned i : grads)
        gradAt(i) = scaledBy(b, loc, gradAt(i), factor);
      break;
    }
    }
    setEntryResults(step, results);
    return success();
  }
};
} // namespace
