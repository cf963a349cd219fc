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
// recomputes the batch statistics with a forward pass first.
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

/// The primitives of one shape and epsilon, and memories bound to the
/// user's buffers before each call; `mean` and `variance` are the cache
/// entry's own, the batch statistics of the last forward pass.
struct CachedNorm {
  dnnl::batch_normalization_forward train, infer;
  dnnl::batch_normalization_backward backward;
  dnnl::memory src, dst, scale, shift, mean, variance, userMean, userVariance,
      diffSrc, diffDst, diffScale, diffShift;
};

/// The primitives' key: batch, channels, spatial and layout.
using Shape = std::array<int64_t, 4>;

CachedNorm create(Context &ctx, const Shape &shape, float epsilon) {
  auto [batch, channels, spatial, layout] = shape;
  dnnl::memory::desc data({batch, channels, spatial, 1}, f32,
                          activationFormat(layout));
  dnnl::memory::desc perChannel({channels}, f32, tag::x);
  const flags affine = flags::use_scale | flags::use_shift;
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
/// mean and variance).
void forwardTraining(Context &ctx, CachedNorm &n) {
  n.train.execute(ctx.stream, {{DNNL_ARG_SRC, n.src},
                               {DNNL_ARG_DST, n.dst},
                               {DNNL_ARG_SCALE, n.scale},
                               {DNNL_ARG_SHIFT, n.shift},
                               {DNNL_ARG_MEAN, n.mean},
                               {DNNL_ARG_VARIANCE, n.variance}});
}

} // namespace

extern "C" void kiln_rt_batch_norm_forward_f32(
    const float *input, const float *weight, const float *bias,
    const float *running_mean, const float *running_var, float *output,
    float *new_running_mean, float *new_running_var, int64_t batch,
    int64_t channels, int64_t spatial, int64_t training, double epsilon,
    double momentum, int64_t layout) {
  run("batch normalization", [&](Context &ctx) {
    CachedNorm &n = cached(ctx, {batch, channels, spatial, layout}, epsilon);
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
    CachedNorm &n = cached(ctx, {batch, channels, spatial, layout}, epsilon);
    // The recomputation only needs the statistics: its y goes to the input
    // gradient's buffer, which the backward pass then overwrites, and any
    // valid shift will do.
    bind(n.src, input);
    bind(n.dst, grad_input);
    bind(n.scale, weight);
    bind(n.shift, weight);
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
                                    {DNNL_ARG_DIFF_SRC, n.diffSrc},
                                    {DNNL_ARG_DIFF_SCALE, n.diffScale},
                                    {DNNL_ARG_DIFF_SHIFT, n.diffShift}});
    ctx.stream.wait();
  });
}
