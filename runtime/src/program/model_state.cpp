//===- model_state.cpp - Parameters, buffers and optimizer state ----------===//
//
// Initialisation draws params, buffers and state from one stream in manifest
// order; buffers sit between params and state but are usually zeros or
// constants, which draw nothing, so they do not shift the state's numbers.
// --init runs after the initialisers and overwrites what the file has.
//
//===----------------------------------------------------------------------===//
#include "kiln/model_state.h"
#include "kiln/error.h"
#include "kiln/init.h"
#include "kiln/random.h"

#include <algorithm>

namespace kiln {

ModelState::ModelState(const Manifest &m, uint64_t seed) : model_(m.model) {
  SplitMix64 rng(deriveSeed(seed, kInitStream, 0));
  slots_.reserve(m.params.size() + m.buffers.size() + m.state.size());
  auto add = [&](Role role, const std::vector<TensorSpec> &specs) {
    std::vector<Tensor> current = makeTensors(specs, rng);
    std::vector<Tensor> next = makeZeroTensors(specs);
    for (size_t i = 0; i < specs.size(); ++i) {
      byName_[specs[i].name] = slots_.size();
      slots_.push_back(
          {specs[i], role, std::move(current[i]), std::move(next[i])});
    }
  };
  add(Role::Param, m.params);
  add(Role::Buffer, m.buffers);
  add(Role::State, m.state);
}

void ModelState::load(SafetensorsFile &file, const std::string &path,
                      Contents contents) {
  const bool all = contents == Contents::Checkpoint;
  for (Slot &s : slots_) {
    if (s.role == Role::State && !all)
      continue;
    auto it = std::find_if(
        file.tensors.begin(), file.tensors.end(),
        [&](const NamedTensor &t) { return t.name == s.spec.name; });
    if (it == file.tensors.end()) {
      if (s.role == Role::Buffer && !all)
        continue;
      throw Error(path + ": no tensor named '" + s.spec.name + "' (" +
                  (s.role == Role::Param    ? "a parameter"
                   : s.role == Role::Buffer ? "a buffer"
                                            : "optimizer state") +
                  " of " + model_ + ")");
    }
    if (it->tensor.dtype() != s.spec.dtype ||
        it->tensor.shape() != s.spec.shape)
      throw Error(path + ": tensor '" + s.spec.name + "' is " +
                  dtypeName(it->tensor.dtype()) +
                  shapeString(it->tensor.shape()) + " but the model expects " +
                  dtypeName(s.spec.dtype) + shapeString(s.spec.shape));
    s.current = std::move(it->tensor);
  }
}

ModelState::Slot &ModelState::slot(Role role, const std::string &name) {
  auto it = byName_.find(name);
  if (it == byName_.end() || slots_[it->second].role != role)
    throw Error("the model has no " + std::string(rt::name(role)) + " '" +
                name + "'");
  return slots_[it->second];
}

std::vector<TensorRef> ModelState::savedTensors(Contents contents) const {
  std::vector<TensorRef> refs;
  for (const Slot &s : slots_)
    if (s.role != Role::State || contents == Contents::Checkpoint)
      refs.emplace_back(s.spec.name, &s.current);
  return refs;
}

} // namespace kiln
