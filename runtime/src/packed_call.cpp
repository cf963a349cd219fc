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

CallTensors::CallTensors(const Manifest &m)
    : input(DType::F32, m.input.shape), label(DType::I32, m.label.shape),
      rng(DType::I64, {}), loss(DType::F32, {1}),
      sampleLoss(DType::F32, {m.batchSize()}),
      logits(DType::F32, m.logitsShape()) {}

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
