//===- model_state.h - Parameters, buffers and optimizer state --*- C++ -*-===//
//
// What a program keeps between calls: the parameters, the buffers (state
// that is updated but not trained, such as batch norm's running statistics)
// and the optimizer state. Each tensor is held twice, a current copy that
// the next call reads and a next copy that a train step writes; after the
// step the two swap, so no step ever copies a tensor and no result aliases
// an argument.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_MODEL_STATE_H
#define KILN_RUNTIME_MODEL_STATE_H

#include "kiln/buffer.h"
#include "kiln/manifest.h"
#include "kiln/safetensors.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kiln {

class ModelState {
public:
  /// One param, buffer or state tensor in its two copies.
  struct Slot {
    TensorSpec spec;
    Role role; ///< Param, Buffer or State.
    Tensor current;
    Tensor next;
  };

  /// Allocates both copies of every tensor and fills the current ones from
  /// the manifest's initialisers: params, then buffers, then state, in
  /// manifest order, all from SplitMix64(deriveSeed(seed, kInitStream, 0)).
  ModelState(const Manifest &m, uint64_t seed);
  // Slots are bound by address (PackedCall), so they never move.
  ModelState(const ModelState &) = delete;
  ModelState &operator=(const ModelState &) = delete;

  /// What a file holds: the weights (params and buffers, what --save
  /// writes) or a whole checkpoint (also the optimizer state).
  enum class Contents { Weights, Checkpoint };

  /// Replaces every parameter, and every buffer the file holds, by the
  /// file's tensor of the same name (--init). A missing parameter is an
  /// error; a missing buffer keeps its initial value, since files saved from
  /// a model's parameters alone (e.g. PyTorch's named_parameters()) lack
  /// them. A Checkpoint must hold every tensor, optimizer state included
  /// (--resume). `path` names the file in errors.
  void load(SafetensorsFile &file, const std::string &path,
            Contents contents = Contents::Weights);
  void load(const std::string &path) {
    SafetensorsFile file = readSafetensors(path);
    load(file, path);
  }

  /// The slot of the param, buffer or state tensor `name`; kiln::Error if
  /// there is none with that role (parseManifest rules that out).
  Slot &slot(Role role, const std::string &name);

  /// The current params, then buffers, in manifest order: what --save
  /// writes, like PyTorch's state_dict; with Checkpoint also the optimizer
  /// state, named PARAM.SLOT ("fc1.weight.momentum_buffer").
  std::vector<TensorRef>
  savedTensors(Contents contents = Contents::Weights) const;

private:
  std::string model_;
  std::vector<Slot> slots_; ///< Never resized after construction.
  std::map<std::string, size_t> byName_;
};

} // namespace kiln

#endif // KILN_RUNTIME_MODEL_STATE_H
