//===- abi.h - The C ABI between generated code and the runtime -*- C++ -*-===//
//
// A binary built by kilnc links one object file generated from the model with
// the runtime library. The object defines the three symbols below; the runtime
// defines the kiln_rt_* helpers that generated code calls. Nothing here
// depends on LLVM or MLIR.
//
// Packed calling convention: a compiled function takes one `void **` array
// that holds one pointer per argument, in order, then one per result, in
// order. The manifest's "entries" gives each entry point's arguments (roles
// input, label, param, buffer, state, rng) and results (loss, sample_loss,
// logits, param, buffer, state), so the order is the compiler's choice
// (docs/abi.md). Arguments are read, results are written and never alias
// them. Every buffer is dense, row-major and 64-byte aligned; a scalar is a
// one-element buffer.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_ABI_H
#define KILN_RUNTIME_ABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// --- Defined by the generated object ---------------------------------------

/// NUL-terminated JSON describing the compiled program (docs/abi.md).
extern const char kiln_manifest[];
/// One optimizer step on one batch.
void kiln_train_step(void **buffers);
/// Forward pass in inference mode on one batch.
void kiln_eval(void **buffers);

// --- Defined by the runtime, called by generated code ----------------------

/// c[m x n] = op(a) * op(b), where op(a) is m x k and op(b) is k x n; op
/// transposes its argument when the matching flag is non-zero. All matrices
/// are dense and row-major in their stored (untransposed) shape.
void kiln_rt_matmul(const float *a, const float *b, float *c, int64_t m,
                    int64_t n, int64_t k, int32_t transpose_a,
                    int32_t transpose_b);

// --- Convolution and pooling, NCHW -----------------------------------------
//
// Each call takes its buffers, then the geometry of the forward op it belongs
// to: a convolution has input [batch, in_channels, in_h, in_w], weights
// [out_channels, in_channels / groups, kernel_h, kernel_w] and output
// [batch, out_channels, out_h, out_w]; a pooling has input [batch, channels,
// in_h, in_w] and output [batch, channels, out_h, out_w]. Padding is added on
// both sides. The f32 calls run oneDNN; the f64 calls are plain loops that
// serve the compiler's f64 gradient checks.

#define KILN_RT_CONV2D_GEOMETRY                                                \
  int64_t batch, int64_t in_channels, int64_t in_h, int64_t in_w,              \
      int64_t out_channels, int64_t out_h, int64_t out_w, int64_t kernel_h,    \
      int64_t kernel_w, int64_t stride_h, int64_t stride_w, int64_t pad_h,     \
      int64_t pad_w, int64_t dilation_h, int64_t dilation_w, int64_t groups
#define KILN_RT_POOL2D_GEOMETRY                                                \
  int64_t batch, int64_t channels, int64_t in_h, int64_t in_w, int64_t out_h,  \
      int64_t out_w, int64_t kernel_h, int64_t kernel_w, int64_t stride_h,     \
      int64_t stride_w, int64_t pad_h, int64_t pad_w

/// output = conv2d(input, weights), cross-correlation as PyTorch's.
void kiln_rt_conv2d_forward_f32(const float *input, const float *weights,
                                float *output, KILN_RT_CONV2D_GEOMETRY);
void kiln_rt_conv2d_forward_f64(const double *input, const double *weights,
                                double *output, KILN_RT_CONV2D_GEOMETRY);
/// grad_input = the gradient of conv2d w.r.t. its input, given grad_output.
void kiln_rt_conv2d_backward_data_f32(const float *grad_output,
                                      const float *weights, float *grad_input,
                                      KILN_RT_CONV2D_GEOMETRY);
void kiln_rt_conv2d_backward_data_f64(const double *grad_output,
                                      const double *weights, double *grad_input,
                                      KILN_RT_CONV2D_GEOMETRY);
/// grad_weights = the gradient of conv2d w.r.t. its weights.
void kiln_rt_conv2d_backward_weights_f32(const float *grad_output,
                                         const float *input,
                                         float *grad_weights,
                                         KILN_RT_CONV2D_GEOMETRY);
void kiln_rt_conv2d_backward_weights_f64(const double *grad_output,
                                         const double *input,
                                         double *grad_weights,
                                         KILN_RT_CONV2D_GEOMETRY);

/// Window maxima; padding counts as -infinity.
void kiln_rt_max_pool2d_forward_f32(const float *input, float *output,
                                    KILN_RT_POOL2D_GEOMETRY);
void kiln_rt_max_pool2d_forward_f64(const double *input, double *output,
                                    KILN_RT_POOL2D_GEOMETRY);
/// Routes grad_output to the first maximum of each window of input.
void kiln_rt_max_pool2d_backward_f32(const float *grad_output,
                                     const float *input, float *grad_input,
                                     KILN_RT_POOL2D_GEOMETRY);
void kiln_rt_max_pool2d_backward_f64(const double *grad_output,
                                     const double *input, double *grad_input,
                                     KILN_RT_POOL2D_GEOMETRY);
/// Window means, dividing by kernel_h * kernel_w (padding counts as zeros).
void kiln_rt_avg_pool2d_forward_f32(const float *input, float *output,
                                    KILN_RT_POOL2D_GEOMETRY);
void kiln_rt_avg_pool2d_forward_f64(const double *input, double *output,
                                    KILN_RT_POOL2D_GEOMETRY);
/// Spreads grad_output evenly over each window.
void kiln_rt_avg_pool2d_backward_f32(const float *grad_output,
                                     float *grad_input,
                                     KILN_RT_POOL2D_GEOMETRY);
void kiln_rt_avg_pool2d_backward_f64(const double *grad_output,
                                     double *grad_input,
                                     KILN_RT_POOL2D_GEOMETRY);

// --- Batch normalization, f32
// -------------------------------------------------
//
// The input is [batch, channels, spatial...] with the spatial dimensions
// flattened into `spatial` (1 for [batch, channels]); weight, bias and the
// statistics are [channels]. The forward pass normalizes with the batch's
// statistics when `training` is nonzero (and returns the running statistics
// updated with `momentum` and the unbiased variance, as PyTorch), else with
// the running statistics (which it returns unchanged). The backward pass
// recomputes the batch statistics from the input.
void kiln_rt_batch_norm_forward_f32(
    const float *input, const float *weight, const float *bias,
    const float *running_mean, const float *running_var, float *output,
    float *new_running_mean, float *new_running_var, int64_t batch,
    int64_t channels, int64_t spatial, int64_t training, double epsilon,
    double momentum);
void kiln_rt_batch_norm_backward_f32(const float *grad_output,
                                     const float *input, const float *weight,
                                     float *grad_input, float *grad_weight,
                                     float *grad_bias, int64_t batch,
                                     int64_t channels, int64_t spatial,
                                     double epsilon);

#ifdef __cplusplus
}
#endif

#endif // KILN_RUNTIME_ABI_H
