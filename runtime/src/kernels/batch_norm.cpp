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
// n/(n-1) variance, is PyTorch's and done here per channel. The backward
// call gets only the input, as the IR's batch_norm_grad does, so it
// recomputes the batch statistics with a forward pass first. With a fused
// ReLU (oneDNN's fuse_norm_relu) the forward writes relu(y) and the
// recomputation also rebuilds the ReLU's mask, oneDNN's workspace, which
// the backward applies to the incoming gradient.
//
//===----------------------------------------------------------------------===//
#include "kiln/abi.h"

#include "dnnl_context.h"

#include <array>
#include <map>
#include <optional>

#if DNNL_VERSION_MAJOR != 2
#error "the batch normalization calls use oneDNN 2.x operation descriptors"
#endif

using namespace kiln::dnnl_context;

namespace {

using tag = dnnl::memory::format_tag;
using flags = dnnl::normalization_flags;
constexpr auto f32 = dnnl::memory::data_type::f32;

/// The primitives of one shape, epsilon and ReLU fusion, and memories
/// bound to the user's buffers before each call; `mean`, `variance` and
/// `workspace` (the ReLU's mask, with fusion) are the cache entry's own,
/// from the last training forward pass.
struct CachedNorm {
  dnnl::batch_normalization_forward train, infer;
  dnnl::batch_normalization_backward backward;
  dnnl::memory src, dst, scale, shift, mean, variance, workspace, userMean,
      userVariance, diffSrc, diffDst, diffScale, diffShift;
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
                    dnnl::batch_normalization_backward(backward),
                    user(data),
                    user(data),
                    user(perChannel),
                    user(perChannel),
                    dnnl::memory(perChannel, ctx.engine),
                    dnnl::memory(perChannel, ctx.engine),
                    dnnl::memory(train.workspace_desc(), ctx.engine),
                    user(perChannel),
                    user(perChannel),
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

void bind(dnnl::memory &memory, const float *data) {
  memory.set_data_handle(const_cast<float *>(data));
}

/// Runs the training forward: y and the batch statistics (into n's own
/// mean and variance) and, with a fused ReLU, its mask.
void forwardTraining(Context &ctx, CachedNorm &n) {
  n.train.execute(ctx.stream, {{DNNL_ARG_SRC, n.src},
                               {DNNL_ARG_DST, n.dst},
                               {DNNL_ARG_SCALE, n.scale},
                               {DNNL_ARG_SHIFT, n.shift},
                               {DNNL_ARG_MEAN, n.mean},
                               {DNNL_ARG_VARIANCE, n.variance},
                               {DNNL_ARG_WORKSPACE, n.workspace}});
}

/// The gradients of the training form (with the ReLU of `shift`'s cache
/// entry, if fused). The recomputation only needs the statistics and the
/// mask: its y goes to the input gradient's buffer, which the backward pass
/// then overwrites. Without a ReLU the shift does not matter and any valid
/// buffer will do.
void backward(Context &ctx, CachedNorm &n, const float *grad_output,
              const float *input, const float *weight, const float *shift,
              float *grad_input, float *grad_weight, float *grad_bias) {
  bind(n.src, input);
  bind(n.dst, grad_input);
  bind(n.scale, weight);
  bind(n.shift, shift);
  bind(n.diffDst, grad_output);
  bind(n.diffSrc, grad_input);
  bind(n.diffScale, grad_weight);
  bind(n.diffShift, grad_bias);
  forwardTraining(ctx, n);
  n.backward.execute(ctx.stream, {{DNNL_ARG_SRC, n.src},
                                  {DNNL_ARG_MEAN, n.mean},
                                  {DNNL_ARG_VARIANCE, n.variance},
                                  {DNNL_ARG_DIFF_DST, n.diffDst},
                                  {DNNL_ARG_SCALE, n.scale},
                                  {DNNL_ARG_SHIFT, n.shift},
                                  {DNNL_ARG_WORKSPACE, n.workspace},
                                  {DNNL_ARG_DIFF_SRC, n.diffSrc},
                                  {DNNL_ARG_DIFF_SCALE, n.diffScale},
                                  {DNNL_ARG_DIFF_SHIFT, n.diffShift}});
  ctx.stream.wait();
}

} // namespace

extern "C" void kiln_rt_batch_norm_forward_f32(
    const float *input, const float *weight, const float *bias,
    const float *running_mean, const float *running_var, float *output,
    float *new_running_mean, float *new_running_var, int64_t batch,
    int64_t channels, int64_t spatial, int64_t training, double epsilon,
    double momentum, int64_t relu, int64_t layout) {
  run("batch normalization", [&](Context &ctx) {
    CachedNorm &n =
        cached(ctx, {batch, channels, spatial, layout, relu != 0}, epsilon);
    bind(n.src, input);
    bind(n.dst, output);
    bind(n.scale, weight);
    bind(n.shift, bias);
    if (!training) {
      bind(n.userMean, running_mean);
      bind(n.userVariance, running_var);
      n.infer.execute(ctx.stream, {{DNNL_ARG_SRC, n.src},
                                   {DNNL_ARG_DST, n.dst},
                                   {DNNL_ARG_SCALE, n.scale},
                                   {DNNL_ARG_SHIFT, n.shift},
                                   {DNNL_ARG_MEAN, n.userMean},
                                   {DNNL_ARG_VARIANCE, n.userVariance}});
      ctx.stream.wait();
      for (int64_t c = 0; c < channels; ++c) {
        new_running_mean[c] = running_mean[c];
        new_running_var[c] = running_var[c];
      }
      return;
    }
    forwardTraining(ctx, n);
    ctx.stream.wait();
    const auto *mean = static_cast<const float *>(n.mean.get_data_handle());
    const auto *var = static_cast<const float *>(n.variance.get_data_handle());
    const double count = static_cast<double>(batch) * spatial;
    const double unbias = count > 1 ? count / (count - 1) : 1.0;
    for (int64_t c = 0; c < channels; ++c) {
      new_running_mean[c] = static_cast<float>(
          (1 - momentum) * running_mean[c] + momentum * mean[c]);
      new_running_var[c] = static_cast<float>((1 - momentum) * running_var[c] +
                                              momentum * var[c] * unbias);
    }
  });
}

extern "C" void kiln_rt_batch_norm_backward_f32(
    const float *grad_output, const float *input, const float *weight,
    float *grad_input, float *grad_weight, float *grad_bias, int64_t batch,
    int64_t channels, int64_t spatial, double epsilon, int64_t layout) {
  run("batch normalization", [&](Context &ctx) {
    backward(ctx, cached(ctx, {batch, channels, spatial, layout, 0}, epsilon),
             grad_output, input, weight, weight, grad_input, grad_weight,
             grad_bias);
  });
}

extern "C" void kiln_rt_batch_norm_relu_backward_f32(
    const float *grad_output, const float *input, const float *weight,
    const float *bias, float *grad_input, float *grad_weight, float *grad_bias,
    int64_t batch, int64_t channels, int64_t spatial, double epsilon,
    int64_t layout) {
  run("batch normalization", [&](Context &ctx) {
    backward(ctx, cached(ctx, {batch, channels, spatial, layout, 1}, epsilon),
             grad_output, input, weight, bias, grad_input, grad_weight,
             grad_bias);
  });
}
