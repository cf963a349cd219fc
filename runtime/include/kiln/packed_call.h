//===- packed_call.h - Binding an entry point's pointer array ---*- C++ -*-===//
//
// An entry point takes one `void **` array: one pointer per argument of its
// manifest signature, then one per result (docs/abi.md). PackedCall resolves
// each of them once, by role and name, to a tensor: the batch and the
// outputs the trainer reads live in CallTensors, params, buffers and state
// in ModelState. Argument order is therefore the compiler's choice, not
// part of the ABI.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_PACKED_CALL_H
#define KILN_RUNTIME_PACKED_CALL_H

#include "kiln/buffer.h"
#include "kiln/manifest.h"
#include "kiln/model_state.h"

#include <deque>
#include <vector>

namespace kiln {

/// The buffers of the program's calls besides the model's tensors: what the
/// runtime fills before a call (the batch, the rng seed, the schedule's
/// clocks) and the outputs it reads after one (losses, logits, the step's
/// statistics, gradients). One tensor per role and name, shaped and typed as
/// the manifest's bindings say, shared by every entry point.
class CallTensors {
public:
  explicit CallTensors(const Manifest &m);
  CallTensors(const CallTensors &) = delete;
  CallTensors &operator=(const CallTensors &) = delete;

  /// The tensor bound to `role` (with `name`, for gradients), or null when
  /// no entry point has one.
  Tensor *find(Role role, const std::string &name = "");
  /// As find; kiln::Error when no entry point has it.
  Tensor &get(Role role, const std::string &name = "");
  /// Sets the 0-d `role` (a clock) to `value`, if an entry point reads it.
  void setScalar(Role role, double value);

private:
  struct Slot {
    Role role;
    std::string name;
    Tensor tensor;
  };
  std::deque<Slot> slots_; ///< A deque keeps addresses on growth.
};

class PackedCall {
public:
  /// Where param, buffer and state results go: the next copies (a train
  /// step, followed by swapWritten) or scratch tensors that nothing reads
  /// (eval, which must not change the model).
  enum class Results { Next, Scratch };

  PackedCall(const EntrySignature &sig, ModelState &state, CallTensors &io,
             Results results);
  // The bound pointers may point into scratch_.
  PackedCall(const PackedCall &) = delete;
  PackedCall &operator=(const PackedCall &) = delete;

  /// The array to pass to the entry point. It is refilled on every call
  /// because swapWritten moves storage between a slot's two tensors.
  void **pointers();

  /// Makes what the call wrote current: swaps the two copies of every
  /// param, buffer and state tensor it wrote, so a step's outputs are the
  /// next step's inputs.
  void swapWritten();

private:
  std::vector<Tensor *> tensors_;
  std::vector<void *> pointers_;
  std::vector<ModelState::Slot *> written_;
  std::deque<Tensor> scratch_; ///< A deque keeps addresses on growth.
};

} // namespace kiln

#endif // KILN_RUNTIME_PACKED_CALL_H
