//===- FuseBatchNormRelu.cpp - ReLU inside oneDNN's batch normalization ---===//
//
// relu(batch_norm(x)) is the block of every CNN the course teaches. Run as
// written, the ReLU is one more pass over the feature map after the
// normalization, and its gradient another one before the normalization's:
// generated loops that stream the whole map. oneDNN's batch normalization
// applies the ReLU itself (fuse_norm_relu) and, in its backward pass, masks
// the incoming gradient, so both passes disappear:
//
//   %y, %rm, %rv, %mean, %var = bn_forward(%x, %w, %b, ...)
//   %r = kiln.relu %y
//   %d = kiln.relu_grad %g, %y
//   %dx = bn_backward(%d, %x, %w, %mean, %var)
// becomes
//   %r, %rm, %rv, %mean, %var, %mask = bn_relu_forward(%x, %w, %b, ...)
//   %dx = bn_relu_backward(%g, %x, %w, %b, %mean, %var, %mask)
//
// The mask is oneDNN's workspace, a bit per element in the JIT kernels that
// run blocked maps; without a backward call (inference) the forward call
// just takes `relu = 1`.
// The normalized map %y is then needed by nobody, so it is never stored.
// It fuses only when every use of %y is such a ReLU or the gradient of one
// feeding the matching bn_backward, so no other op loses a value it reads,
// and only on channel-blocked maps (after kiln-cpu-assign-layouts): there
// oneDNN's JIT kernel applies the ReLU for free, while its plain kernel
// (maps left in NCHW) is slower with the ReLU than without it
// (bench/m1_mlp.kiln on NCHW: 1.60 s an epoch unfused, 2.42 s fused). ReLU and
// its mask are exact, so the fused step computes the same numbers.
//
//===----------------------------------------------------------------------===//
#include "compiler/Target/CPU/Passes.h"
#include "dialects/kiln/IR/KilnDialect.h"
#include "kiln/abi/workspaces.h"

namespace kiln::cpu {
#define GEN_PASS_DEF_FUSEBATCHNORMRELU
#include "compiler/Target/CPU/Passes.h.inc"
} // namespace kiln::cpu

using namespace mlir;
using namespace kiln;

namespace {
bool calls(RuntimeCallOp call, rt::Kernel kernel) {
  return &call.getFunction() == &rt::runtimeFunction(kernel);
}

/// Whether `a` and `b` hold the same map: one value, or the same value
/// blocked twice (kiln-cpu-assign-layouts blocks each call's operands on its
/// own, and no CSE has run since).
bool sameMap(Value a, Value b) {
  if (a == b)
    return true;
  auto blockA = a.getDefiningOp<BlockChannelsOp>();
  auto blockB = b.getDefiningOp<BlockChannelsOp>();
  return blockA && blockB && blockA.getInput() == blockB.getInput() &&
         blockA.getBlock() == blockB.getBlock();
}

/// The batch-normalization backward call that `relu_grad` feeds as the
/// gradient of `forward`'s output, or null.
RuntimeCallOp matchingBackward(ReluGradOp reluGrad, RuntimeCallOp forward) {
  if (!reluGrad->hasOneUse())
    return nullptr;
  auto backward = dyn_cast<RuntimeCallOp>(*reluGrad->user_begin());
  if (!backward ||
      !calls(backward, rt::Kernel::kiln_rt_batch_norm_backward_f32))
    return nullptr;
  ValueRange in = backward.getInputs();
  bool same = in[0] == reluGrad && sameMap(in[1], forward.getInputs()[0]) &&
              in[2] == forward.getInputs()[1] &&
              in[3] == forward->getResult(3) && in[4] == forward->getResult(4);
  return same ? backward : nullptr;
}

/// The training forward with the ReLU, which also returns its mask, in
/// place of `forward`; returns the mask.
Value replaceByReluForward(RuntimeCallOp forward, OpBuilder &b) {
  auto scalars = forward.getScalars();
  NamedAttrList kept;
  for (StringRef name :
       {"batch", "channels", "spatial", "epsilon", "momentum", "layout"})
    kept.append(name, scalars.get(name));
  int64_t elements = 1;
  for (StringRef name : {"batch", "channels", "spatial"})
    elements *= cast<IntegerAttr>(scalars.get(name)).getInt();
  SmallVector<Type> types(forward->getResultTypes());
  types.push_back(
      RankedTensorType::get({rt::reluMaskBytes(elements)}, b.getI8Type()));
  b.setInsertionPoint(forward);
  auto fused = b.create<RuntimeCallOp>(
      forward.getLoc(), types, rt::Kernel::kiln_rt_batch_norm_relu_forward_f32,
      forward.getInputs(), kept.getDictionary(forward.getContext()));
  forward.replaceAllUsesWith(fused->getResults().drop_back());
  forward.erase();
  return fused->getResults().back();
}

/// Fuses the ReLU after `forward` and the gradients through both, when
/// every use of the normalized output allows it.
void fuse(RuntimeCallOp forward) {
  if (cast<IntegerAttr>(forward.getScalars().get("layout")).getInt() == 0)
    return;
  Value normalized = forward->getResult(0);
  SmallVector<ReluOp> relus;
  SmallVector<std::pair<ReluGradOp, RuntimeCallOp>> backwards;
  for (Operation *user : normalized.getUsers()) {
    if (auto relu = dyn_cast<ReluOp>(user)) {
      relus.push_back(relu);
      continue;
    }
    auto reluGrad = dyn_cast<ReluGradOp>(user);
    RuntimeCallOp backward = reluGrad && reluGrad.getInput() == normalized &&
                                     reluGrad.getGrad() != normalized
                                 ? matchingBackward(reluGrad, forward)
                                 : nullptr;
    if (!backward)
      return;
    backwards.emplace_back(reluGrad, backward);
  }
  if (relus.empty())
    return;

  for (ReluOp relu : relus) {
    relu.replaceAllUsesWith(normalized);
    relu.erase();
  }
  OpBuilder b(forward);
  bool training =
      cast<IntegerAttr>(forward.getScalars().get("training")).getInt() != 0;
  if (!training) {
    // No backward pass needs the mask.
    NamedAttrList scalars(forward.getScalars());
    scalars.set("relu", b.getI64IntegerAttr(1));
    forward.setScalarsAttr(scalars.getDictionary(forward.getContext()));
    return;
  }
  Value bias = forward.getInputs()[2];
  Value mask = replaceByReluForward(forward, b);
  for (auto [reluGrad, backward] : backwards) {
    b.setInsertionPoint(backward);
    ValueRange in = backward.getInputs();
    auto fused = b.create<RuntimeCallOp>(
        backward.getLoc(), backward->getResultTypes(),
        rt::Kernel::kiln_rt_batch_norm_relu_backward_f32,
        ValueRange{reluGrad.getGrad(), in[1], in[2], bias, in[3], in[4], mask},
        backward.getScalars());
    backward.replaceAllUsesWith(fused->getResults());
    backward.erase();
    reluGrad.erase();
  }
}

struct FuseBatchNormReluPass
    : kiln::cpu::impl::FuseBatchNormReluBase<FuseBatchNormReluPass> {
  void runOnOperation() override {
    SmallVector<RuntimeCallOp> forwards;
    getOperation().walk([&](RuntimeCallOp call) {
      if (calls(call, rt::Kernel::kiln_rt_batch_norm_forward_f32))
        forwards.push_back(call);
    });
    for (RuntimeCallOp forward : forwards)
      fuse(forward);
  }
};
} // namespace
