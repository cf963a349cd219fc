//===- packed_call.cpp - Binding an entry point's pointer array -----------===//
//
// parseManifest has already checked every role and name of the signature
// and that a train step writes all it reads, so binding cannot fail here
// except on a runtime bug.
//
//===----------------------------------------------------------------------===//
#include "kiln/packed_call.h"

#include <utility>

namespace kiln {

// Losses and logits are computed in the model's float type, its input's.
CallTensors::CallTensors(const Manifest &m)
    : input(m.input.dtype, m.input.shape), label(m.label.dtype, m.label.shape),
      rng(DType::I64, {}), loss(m.input.dtype, {1}),
      sampleLoss(m.input.dtype, {m.batchSize()}),
      logits(m.input.dtype, m.logitsShape()), epoch(m.input.dtype, {}),
      step(m.input.dtype, {}), lrScale(m.input.dtype, {}),
      lr(m.input.dtype, {}), gradNorm(m.input.dtype, {}) {}

PackedCall::PackedCall(const EntrySignature &sig, ModelState &state,
                       CallTensors &io, Results results) {
  auto bind = [&](const Binding &b, bool isResult) -> Tensor * {
    switch (b.role) {
    case Role::Input:
      return &io.input;
    case Role::Label:
      return &io.label;
    case Role::Rng:
      return &io.rng;
    case Role::Loss:
      return &io.loss;
    case Role::SampleLoss:
      return &io.sampleLoss;
    case Role::Logits:
      return &io.logits;
    case Role::Epoch:
      return &io.epoch;
    case Role::Step:
      return &io.step;
    case Role::LrScale:
      return &io.lrScale;
    case Role::Lr:
      return &io.lr;
    case Role::GradNorm:
      return &io.gradNorm;
    case Role::Grad: { // full-batch methods read it: shaped like its param
      const TensorSpec &spec = state.slot(Role::Param, b.name).spec;
      return &scratch_.emplace_back(spec.dtype, spec.shape);
    }
    case Role::Hessian: { // [P, P] over the signature's gradient elements
      int64_t n = 0;
      for (const Binding &r : sig.results)
        if (r.role == Role::Grad)
          n += state.slot(Role::Param, r.name).current.numel();
      return &scratch_.emplace_back(io.loss.dtype(),
                                    std::vector<int64_t>{n, n});
    }
    case Role::Param:
    case Role::Buffer:
    case Role::State:
      break;
    }
    ModelState::Slot &slot = state.slot(b.role, b.name);
    if (!isResult)
      return &slot.current;
    if (results == Results::Scratch) {
      scratch_.emplace_back(slot.spec.dtype, slot.spec.shape);
      return &scratch_.back();
    }
    written_.push_back(&slot);
    return &slot.next;
  };
  numArgs_ = sig.args.size();
  for (const Binding &arg : sig.args)
    tensors_.push_back(bind(arg, false));
  for (const Binding &result : sig.results)
    tensors_.push_back(bind(result, true));
  pointers_.resize(tensors_.size());
}

void **PackedCall::pointers() {
  for (size_t i = 0; i < tensors_.size(); ++i)
    pointers_[i] = tensors_[i]->raw();
  return pointers_.data();
}

void PackedCall::swapWritten() {
  for (ModelState::Slot *slot : written_)
    std::swap(slot->current, slot->next);
}

} // namespace kiln
