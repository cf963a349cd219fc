//===- workspaces.h - What kernels save for their gradients -----*- C++ -*-===//
//
// Some forward kernels of runtime_calls.def return what their backward call
// needs (oneDNN's workspaces) in a u8 buffer that generated code allocates.
// The compiler sizes those buffers with these functions and the kernels
// check oneDNN's needs against the same ones, so the two cannot disagree.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_ABI_WORKSPACES_H
#define KILN_RUNTIME_ABI_WORKSPACES_H

#include <stdint.h>

namespace kiln::rt {

/// The ReLU mask of kiln_rt_batch_norm_relu_forward_f32: one bit per
/// element, as oneDNN's JIT kernels (the ones on channel-blocked maps) store
/// it.
constexpr int64_t reluMaskBytes(int64_t elements) { return (elements + 7) / 8; }

/// Where each window's maximum was, for kiln_rt_max_pool2d_backward_saved_f32:
/// oneDNN's u8 index per output element for windows of fewer than 256
/// elements, else s32.
constexpr int64_t maxPoolWorkspaceBytes(int64_t outputElements,
                                        int64_t windowElements) {
  return outputElements * (windowElements < 256 ? 1 : 4);
}

} // namespace kiln::rt

#endif // KILN_RUNTIME_ABI_WORKSPACES_H
