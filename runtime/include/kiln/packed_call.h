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

/// The tensors of a call besides the model's state, shaped and typed as in
/// the manifest: input, loss, sample losses and logits have the model's
/// float type (f32 or f64). Train step and eval share them.
struct CallTensors {
  explicit CallTensors(const Manifest &m);
  Tensor input;      ///< [batch, ...]
  Tensor label;      ///< [batch] or [batch, H, W] (Manifest::label)
  Tensor rng;        ///< 0-d i64, the seed of random layers such as dropout
  Tensor loss;       ///< [1]
  Tensor sampleLoss; ///< [batch]
  Tensor logits;     ///< Manifest::logitsShape(): [batch, classes, ...]
  // The schedule's clocks, set before each step, and the step's statistics;
  // all 0-d in the model's float type.
  Tensor epoch;    ///< completed epochs
  Tensor step;     ///< completed optimizer steps
  Tensor lrScale;  ///< the reduce-on-plateau factor
  Tensor lr;       ///< the learning rate the step used
  Tensor gradNorm; ///< the global L2 norm of the step's gradients
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

  /// The tensor bound to result `index` of the signature: how full-batch
  /// methods read the gradients and the Hessian.
  Tensor &result(size_t index) { return *tensors_[numArgs_ + index]; }

private:
  std::vector<Tensor *> tensors_;
  size_t numArgs_ = 0;
  std::vector<void *> pointers_;
  std::vector<ModelState::Slot *> written_;
  std::deque<Tensor> scratch_; ///< A deque keeps addresses on growth.
};

} // namespace kiln

#endif // KILN_RUNTIME_PACKED_CALL_H
