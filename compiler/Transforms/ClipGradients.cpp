//===- ClipGradients.cpp - Clip @train_step's gradients -------------------===//
//
// Rewrites the gradient results of @train_step (kiln.output = "grad") before
// the optimizer turns them into updates, with PyTorch's semantics:
//   value(v):          g = clamp(g, -v, v)      (clip_grad_value_)
//   global_norm(m):    n = sqrt(sum_i sum(g_i^2)),
//                      g_i *= min(1, m / (n + 1e-6))   (clip_grad_norm_)
//   tensor_norm(m):    the same factor from each gradient's own norm.
// The recipe is the `clip` entry of the module's kiln.train attribute; without
// one the pass changes nothing, so the pipeline always runs it.
//
//===----------------------------------------------------------------------===//
#include "compiler/Training/Clipping.h"
#include "compiler/Training/TensorMath.h"
#include "compiler/Transforms/Passes.h"
#include "dialects/kiln/IR/KilnConventions.h"
#include "dialects/kiln/IR/KilnDialect.h"

namespace kiln {
#define GEN_PASS_DEF_CLIPGRADIENTS
#include "compiler/Transforms/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;

namespace {
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
    auto train = module->getAttrOfType<DictionaryAttr>(attr::kTrain);
    auto recipe = train ? train.getAs<DictionaryAttr>("clip") : nullptr;
    if (!recipe)
      return success();
    auto kindName = recipe.getAs<StringAttr>("kind");
    const ClipKind *kind = kindName ? lookupClipKind(kindName) : nullptr;
    if (!kind)
      return module.emitError("the clip recipe of kiln.train has no known "
                              "kind (value, global_norm, tensor_norm)");
    auto thresholdAttr = recipe.getAs<FloatAttr>(kind->threshold);
    if (!thresholdAttr || !(thresholdAttr.getValueAsDouble() > 0))
      return module.emitError()
             << "clip `" << kind->name << "` needs a positive `"
             << kind->threshold << "`";
    double threshold = thresholdAttr.getValueAsDouble();

    func::FuncOp step = lookupEntry(module, "train_step");
    if (!step)
      return module.emitError("no @train_step: run kiln-build-training-step "
                              "first");
    Operation *ret = step.getBody().front().getTerminator();
    SmallVector<unsigned> grads;
    for (unsigned i = 0; i < ret->getNumOperands(); ++i)
      if (resultString(step, i, attr::kOutput) == "grad")
        grads.push_back(i);
    if (grads.empty())
      return success();

    OpBuilder b(ret);
    Location loc = ret->getLoc();
    auto gradAt = [&](unsigned i) { return ret->getOperand(i); };
    if (kind->name == "value") {
      for (unsigned i : grads)
        ret->setOperand(i, b.create<ClampOp>(loc, gradAt(i),
                                             b.getF64FloatAttr(-threshold),
                                             b.getF64FloatAttr(threshold)));
      return success();
    }
    if (kind->name == "tensor_norm") {
      for (unsigned i : grads) {
        Value factor =
            clipFactor(b, loc, sumOfSquares(b, loc, gradAt(i)), threshold);
        ret->setOperand(i, scaledBy(b, loc, gradAt(i), factor));
      }
      return success();
    }
    // global_norm: one factor from the norm of all gradients together.
    SmallVector<Value> gradValues;
    for (unsigned i : grads)
      gradValues.push_back(gradAt(i));
    Value total = totalSumOfSquares(b, loc, gradValues);
    if (!total)
      return step.emitError("global_norm clipping needs gradients of one "
                            "element type");
    Value factor = clipFactor(b, loc, total, threshold);
    for (unsigned i : grads)
      ret->setOperand(i, scaledBy(b, loc, gradAt(i), factor));
    return success();
  }
};
} // namespace
