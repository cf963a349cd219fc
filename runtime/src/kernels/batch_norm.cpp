//===- batch_norm.cpp - kiln_rt_batch_norm_*_f32 on oneDNN ----------------===//
//
// Batch normalization runs oneDNN's multi-threaded batch_normalization
// primitives on the user's buffers, seen as [batch, channels, spatial, 1]
// whatever the number of spatial dimensions (1 for [batch, channels]), in
// the layout the call names: oneDNN's JIT kernels need channels blocked, its
// NCHW kernel is plain C++ several times slower.
// oneDNN normalizes with the batch mean and biased variance in training and
// with the running statistics (use_global_stats) in inference, as PyTorch
// does; the running statistics' update, with momentum and the unbiased
// n/(n-1) variance, is PyTorch's and done here per channel. The training
// forward writes the batch statistics to the caller's saved_mean and
// saved_var, and with a fused ReLU (oneDNN's fuse_norm_relu) the ReLU's
// mask, oneDNN's workspace, to the caller's buffer; the backward calls read
// them back, so nothing is recomputed.
//
//===----------------------------------------------------------------------===//
#include "kiln/abi.h"
#include "kiln/abi/workspaces.h"

#include "dnnl_context.h"

#include <algorithm>
#include <array>
#include <map>
#include <stdexcept>
#include <string>
#include <unordered_map>

#if DNNL_VERSION_MAJOR != 2
#error "the batch normalization calls use oneDNN 2.x operation descriptors"
#endif

using namespace kiln::dnnl_context;

namespace {

using tag = dnnl::memory::format_tag;
using flags = dnnl::normalization_flags;
constexpr auto f32 = dnnl::memory::data_type::f32;

/// The primitives of one shape, epsilon and ReLU fusion, and memories
/// bound to the caller's buffers before each call.
struct CachedNorm {
  dnnl::batch_normalization_forward train, infer;
  /// Whether the training primitive's ReLU mask fits in rt::reluMaskBytes
  /// (workspaces.h), the caller's buffer.
  bool maskFits;
  dnnl::batch_normalization_backward backward;
  dnnl::memory src, dst, scale, shift, mean, variance, workspace, diffSrc,
      diffDst, diffScale, diffShift;
};

/// The primitives' key: batch, channels, spatial, layout and whether a ReLU
/// is fused.
using Shape = std::array<int64_t, 5>;

CachedNorm create(Context &ctx, const Shape &shape, float epsilon) {
  auto [batch, channels, spatial, layout, relu] = shape;
  dnnl::memory::desc data({batch, channels, spatial, 1}, f32,
                          activationFormat(layout));
  dnnl::memory::desc perChannel({channels}, f32, tag::x);
  flags affine = flags::use_scale | flags::use_shift;
  if (relu)
    affine = affine | flags::fuse_norm_relu;
  dnnl::batch_normalization_forward::primitive_desc train(
      dnnl::batch_normalization_forward::desc(dnnl::prop_kind::forward_training,
                                              data, epsilon, affine),
      ctx.engine);
  dnnl::batch_normalization_forward::primitive_desc infer(
      dnnl::batch_normalization_forward::desc(
          dnnl::prop_kind::forward_inference, data, epsilon,
          affine | flags::use_global_stats),
      ctx.engine);
  dnnl::batch_normalization_backward::primitive_desc backward(
      dnnl::batch_normalization_backward::desc(dnnl::prop_kind::backward, data,
                                               data, epsilon, affine),
      ctx.engine, train);
  auto user = [&](const dnnl::memory::desc &md) {
    return dnnl::memory(md, ctx.engine, DNNL_MEMORY_NONE);
  };
  return CachedNorm{dnnl::batch_normalization_forward(train),
                    dnnl::batch_normalization_forward(infer),
                    train.workspace_desc().get_size() <=
                        static_cast<size_t>(kiln::rt::reluMaskBytes(
                            batch * channels * spatial)),
                    dnnl::batch_normalization_backward(backward),
                    user(data),
                    user(data),
                    user(perChannel),
                    user(perChannel),
                    user(perChannel),
                    user(perChannel),
                    user(train.workspace_desc()),
                    user(data),
                    user(data),
                    user(perChannel),
                    user(perChannel)};
}

CachedNorm &cached(Context &ctx, const Shape &shape, double epsilon) {
  static std::map<Shape, std::map<double, CachedNorm>> cache;
  auto &byEpsilon = cache[shape];
  auto it = byEpsilon.find(epsilon);
  if (it == byEpsilon.end())
    it = byEpsilon
             .emplace(epsilon, create(ctx, shape, static_cast<float>(epsilon)))
             .first;
  return it->second;
}

void bind(dnnl::memory &memory, const void *data) {
  memory.set_data_handle(const_cast<void *>(data));
}

/// Binds the caller's ReLU mask, if oneDNN's kernel fits in it.
void bindMask(CachedNorm &n, const uint8_t *mask,
              std::unordered_map<int, dnnl::memory> &args) {
  if (!n.maskFits)
    throw std::runtime_error(
        "oneDNN's batch normalization needs a larger ReLU mask than one bit "
        "per element on this machine; compile with `kilnc --no-fuse`");
  bind(n.workspace, mask);
  args.emplace(DNNL_ARG_WORKSPACE, n.workspace);
}

/// The forward pass; in training, the batch statistics go to `saved_mean`
/// and `saved_var` and, with a fused ReLU, its mask to `workspace`.
void forward(Context &ctx, CachedNorm &n, bool training, const float *input,
             const float *weight, const float *bias, const float *running_mean,
             const float *running_var, float *output, float *new_running_mean,
             float *new_running_var, float *saved_mean, float *saved_var,
             uint8_t *workspace, int64_t batch, int64_t channels,
             int64_t spatial, double momentum) {
  bind(n.src, input);
  bind(n.dst, output);
  bind(n.scale, weight);
  bind(n.shift, bias);
  if (!training) {
    bind(n.mean, running_mean);
    bind(n.variance, running_var);
    n.infer.execute(ctx.stream, {{DNNL_ARG_SRC, n.src},
                                 {DNNL_ARG_DST, n.dst},
                                 {DNNL_ARG_SCALE, n.scale},
                                 {DNNL_ARG_SHIFT, n.shift},
                                 {DNNL_ARG_MEAN, n.mean},
                                 {DNNL_ARG_VARIANCE, n.variance}});
    ctx.stream.wait();
    std::copy_n(running_mean, channels, new_running_mean);
    std::copy_n(running_var, channels, new_running_var);
    std::copy_n(running_mean, channels, saved_mean);
    std::copy_n(running_var, channels, saved_var);
    return;
  }
  bind(n.mean, saved_mean);
  bind(n.variance, saved_var);
  std::unordered_map<int, dnnl::memory> args{
      {DNNL_ARG_SRC, n.src},     {DNNL_ARG_DST, n.dst},
      {DNNL_ARG_SCALE, n.scale}, {DNNL_ARG_SHIFT, n.shift},
      {DNNL_ARG_MEAN, n.mean},   {DNNL_ARG_VARIANCE, n.variance}};
  if (workspace)
    bindMask(n, workspace, args);
  n.train.execute(ctx.stream, args);
  ctx.stream.wait();
  const double count = static_cast<double>(batch) * spatial;
  const double unbias = count > 1 ? count / (count - 1) : 1.0;
  for (int64_t c = 0; c < channels; ++c) {
    new_running_mean[c] = static_cast<float>((1 - momentum) * running_mean[c] +
                                             momentum * saved_mean[c]);
    new_running_var[c] = static_cast<float>((1 - momentum) * running_var[c] +
                                            momentum * saved_var[c] * unbias);
  }
}

/// The gradients of the training form from the saved statistics (and, with
/// a fused ReLU, the saved mask and the shift, which the mask depends on;
/// without one any valid buffer will do for the shift).
void backward(Context &ctx, CachedNorm &n, const float *grad_output,
              const float *input, const float *weight, const float *shift,
              const float *saved_mean, const float *saved_var,
              const uint8_t *workspace, float *grad_input, float *grad_weight,
              float *grad_bias) {
  bind(n.src, input);
  bind(n.scale, weight);
  bind(n.shift, shift);
  bind(n.mean, saved_mean);
  bind(n.variance, saved_var);
  bind(n.diffDst, grad_output);
  bind(n.diffSrc, grad_input);
  bind(n.diffScale, grad_weight);
  bind(n.diffShift, grad_bias);
  std::unordered_map<int, dnnl::memory> args{
      {DNNL_ARG_SRC, n.src},
      {DNNL_ARG_MEAN, n.mean},
      {DNNL_ARG_VARIANCE, n.variance},
      {DNNL_ARG_DIFF_DST, n.diffDst},
      {DNNL_ARG_SCALE, n.scale},
      {DNNL_ARG_SHIFT, n.shift},
      {DNNL_ARG_DIFF_SRC, n.diffSrc},
      {DNNL_ARG_DIFF_SCALE, n.diffScale},
      {DNNL_ARG_DIFF_SHIFT, n.diffShift}};
  if (workspace)
    bindMask(n, workspace, args);
  n.backward.execute(ctx.stream, args);
  ctx.stream.wait();
}

} // namespace

extern "C" void kiln_rt_batch_norm_forward_f32(
    const float *input, const float *weight, const float *bias,
    const float *running_mean, const float *running_var, float *output,
    float *new_running_mean, float *new_running_var, float *saved_mean,
    float *saved_var, int64_t batch, int64_t channels, int64_t spatial,
    int64_t training, double epsilon, double momentum, int64_t relu,
    int64_t layout) {
  run("batch normalization", [&](Context &ctx) {
    forward(ctx,
            cached(ctx, {batch, channels, spatial, layout, relu != 0}, epsilon),
            training != 0, input, weight, bias, running_mean, running_var,
            output, new_running_mean, new_running_var, saved_mean, saved_var,
            nullptr, batch, channels, spatial, momentum);
  });
}

extern "C" void kiln_rt_batch_norm_relu_forward_f32(
    const float *input, const float *weight, const float *bias,
    const float *running_mean, const float *running_var, float *output,
    float *new_running_mean, float *new_running_var, float *saved_mean,
    float *saved_var, uint8_t *workspace, int64_t batch, int64_t channels,
    int64_t spatial, double epsilon, double momentum, int64_t layout) {
  run("batch normalization", [&](Context &ctx) {
    forward(ctx, cached(ctx, {batch, channels, spatial, layout, 1}, epsilon),
            true, input, weight, bias, running_mean, running_var, output,
            new_running_mean, new_running_var, saved_mean, saved_var, workspace,
            batch, channels, spatial, momentum);
  });
}

extern "C" void kiln_rt_batch_norm_backward_f32(
    const float *grad_output, const float *input, const float *weight,
    const float *saved_mean, const float *saved_var, float *grad_input,
    float *grad_weight, float *grad_bias, int64_t batch, int64_t channels,
    int64_t spatial, double epsilon, int64_t layout) {
  run("batch normalization", [&](Context &ctx) {
    backward(ctx, cached(ctx, {batch, channels, spatial, layout, 0}, epsilon),
             grad_output, input, weight, weight, saved_mean, saved_var, nullptr,
             grad_input, grad_weight, grad_bias);
  });
}

extern "C" void kiln_rt_batch_norm_relu_backward_f32(
    const float *grad_output, const float *input, const float *weight,
    const float *bias, const float *saved_mean, const float *saved_var,
    const uint8_t *workspace, float *grad_input, float *grad_weight,
    float *grad_bias, int64_t batch, int64_t channels, int64_t spatial,
    double epsilon, int64_t layout) {
  run("batch normalization", [&](Context &ctx) {
    backward(ctx, cached(ctx, {batch, channels, spatial, layout, 1}, epsilon),
             grad_output, input, weight, bias, saved_mean, saved_var, workspace,
             grad_input, grad_weight, grad_bias);
  });
}
