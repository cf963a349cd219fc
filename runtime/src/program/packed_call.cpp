//===- packed_call.cpp - Binding an entry point's pointer array -----------===//
//
// parseManifest has already checked every role, name and shape of the
// signatures and that a train step writes all it reads, so binding cannot
// fail here except on a runtime bug.
//
//===----------------------------------------------------------------------===//
#include "kiln/packed_call.h"
#include "kiln/error.h"

#include <utility>

namespace kiln {

CallTensors::CallTensors(const Manifest &m) {
  for (const std::optional<EntrySignature> &sig : m.entries) {
    if (!sig)
      continue;
    for (const auto *list : {&sig->args, &sig->results})
      for (const Binding &b : *list)
        if (!rt::isModelTensor(b.role) && !find(b.role, b.name))
          slots_.push_back({b.role, b.name, Tensor(b.dtype, b.shape)});
  }
}

Tensor *CallTensors::find(Role role, const std::string &name) {
  for (Slot &slot : slots_)
    if (slot.role == role && (name.empty() || slot.name == name))
      return &slot.tensor;
  return nullptr;
}

Tensor &CallTensors::get(Role role, const std::string &name) {
  if (Tensor *tensor = find(role, name))
    return *tensor;
  throw Error("the program has no " + std::string(rt::name(role)) +
              (name.empty() ? "" : " '" + name + "'") + " buffer");
}

void CallTensors::setScalar(Role role, double value) {
  if (Tensor *tensor = find(role))
    setReal(*tensor, 0, value);
}

PackedCall::PackedCall(const EntrySignature &sig, ModelState &state,
                       CallTensors &io, Results results) {
  auto bind = [&](const Binding &b, bool isResult) -> Tensor * {
    if (!rt::isModelTensor(b.role))
      return &io.get(b.role, b.name);
    ModelState::Slot &slot = state.slot(b.role, b.name);
    if (!isResult)
      return &slot.current;
    if (results == Results::Scratch)
      return &scratch_.emplace_back(slot.spec.dtype, slot.spec.shape);
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
