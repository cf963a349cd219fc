//===- pool.cpp - kiln_rt_{max,avg}_pool2d_*_f32 on oneDNN ----------------===//
//
// Pooling runs oneDNN's pooling primitives on the user's buffers directly,
// in the layout the call names (NCHW or channels blocked): a pooling
// primitive works in the layout of its source, and a reorder would cost as
// much as the pooling itself, which only streams memory.
//
// Max pooling's backward primitive needs the forward's workspace (which
// element of each window was the maximum). A training step's forward call
// writes it to the caller's buffer and the backward call reads it there; a
// backward call without one recomputes the forward into buffers of its
// cache entry first. Ties go to the first maximum in the window, as in
// PyTorch. Average pooling divides by the whole window (padding included),
// which is PyTorch's count_include_pad default.
//
//===----------------------------------------------------------------------===//
#include "kiln/abi.h"
#include "kiln/abi/workspaces.h"

#include "conv_geometry.h"
#include "dnnl_context.h"

#include <map>
#include <optional>
#include <stdexcept>
#include <tuple>

#if DNNL_VERSION_MAJOR != 2
#error "the pooling calls use oneDNN 2.x operation descriptors"
#endif

using namespace kiln;
using namespace kiln::dnnl_context;

namespace {

using tag = dnnl::memory::format_tag;
constexpr auto f32 = dnnl::memory::data_type::f32;

enum class Pass {
  MaxForward,
  MaxForwardTraining, // also writes the caller's workspace
  MaxBackward,        // recomputes the workspace
  MaxBackwardSaved,   // reads the caller's workspace
  AvgForward,
  AvgBackward
};

bool isForward(Pass pass) {
  return pass == Pass::MaxForward || pass == Pass::MaxForwardTraining ||
         pass == Pass::AvgForward;
}
bool isMax(Pass pass) {
  return pass != Pass::AvgForward && pass != Pass::AvgBackward;
}

/// The primitives of one pass. `src` and `dst` hold the user's buffers in the
/// forward's roles (the backward reads dst's gradient and writes src's);
/// `workspace` is the caller's for the saved passes, else max backward binds
/// the forward `input` and recomputes into `recomputed` and `workspace`.
struct CachedPool {
  dnnl::pooling_forward forward;
  std::optional<dnnl::pooling_backward> backward;
  dnnl::memory src, dst, input, recomputed, workspace;
};

CachedPool create(Context &ctx, Pass pass, const PoolGeometry &g,
                  int64_t layout) {
  tag format = activationFormat(layout);
  dnnl::memory::desc src({g.batch, g.channels, g.inH, g.inW}, f32, format);
  dnnl::memory::desc dst({g.batch, g.channels, g.outH, g.outW}, f32, format);
  dnnl::memory::dims strides{g.strideH, g.strideW};
  dnnl::memory::dims kernel{g.kernelH, g.kernelW};
  dnnl::memory::dims padding{g.padH, g.padW};
  auto algorithm = isMax(pass) ? dnnl::algorithm::pooling_max
                               : dnnl::algorithm::pooling_avg_include_padding;
  auto prop = pass == Pass::MaxForward || pass == Pass::AvgForward
                  ? dnnl::prop_kind::forward_inference
                  : dnnl::prop_kind::forward_training;
  dnnl::pooling_forward::primitive_desc forward(
      dnnl::pooling_forward::desc(prop, algorithm, src, dst, strides, kernel,
                                  padding, padding),
      ctx.engine);
  CachedPool cached{dnnl::pooling_forward(forward),
                    std::nullopt,
                    dnnl::memory(src, ctx.engine, DNNL_MEMORY_NONE),
                    dnnl::memory(dst, ctx.engine, DNNL_MEMORY_NONE),
                    {},
                    {},
                    {}};
  if (pass == Pass::MaxForwardTraining || pass == Pass::MaxBackwardSaved) {
    size_t bytes = static_cast<size_t>(rt::maxPoolWorkspaceBytes(
        g.batch * g.channels * g.outH * g.outW, g.kernelH * g.kernelW));
    if (forward.workspace_desc().get_size() > bytes)
      throw std::runtime_error("oneDNN's max pooling needs a larger workspace "
                               "than the caller's");
    cached.workspace =
        dnnl::memory(forward.workspace_desc(), ctx.engine, DNNL_MEMORY_NONE);
  }
  if (isForward(pass))
    return cached;
  cached.backward =
      dnnl::pooling_backward(dnnl::pooling_backward::primitive_desc(
          dnnl::pooling_backward::desc(algorithm, src, dst, strides, kernel,
                                       padding, padding),
          ctx.engine, forward));
  if (pass == Pass::MaxBackward) {
    cached.input = dnnl::memory(src, ctx.engine, DNNL_MEMORY_NONE);
    cached.recomputed = dnnl::memory(dst, ctx.engine);
    cached.workspace = dnnl::memory(forward.workspace_desc(), ctx.engine);
  }
  return cached;
}

/// Runs `pass` on the user buffers `src` and `dst` (see CachedPool); max
/// backward also reads the forward `input`, the saved passes `workspace`.
void pool(Pass pass, const PoolGeometry &g, int64_t layout, const float *src,
          const float *dst, const float *input = nullptr,
          const uint8_t *workspace = nullptr) {
  run("pooling", [&](Context &ctx) {
    using Key = std::tuple<Pass, std::array<int64_t, 12>, int64_t>;
    static std::map<Key, CachedPool> cache;
    Key key{pass, g.key(), layout};
    auto it = cache.find(key);
    if (it == cache.end())
      it = cache.emplace(key, create(ctx, pass, g, layout)).first;
    CachedPool &p = it->second;
    p.src.set_data_handle(const_cast<float *>(src));
    p.dst.set_data_handle(const_cast<float *>(dst));
    if (workspace)
      p.workspace.set_data_handle(const_cast<uint8_t *>(workspace));
    switch (pass) {
    case Pass::MaxForward:
    case Pass::AvgForward:
      p.forward.execute(ctx.stream,
                        {{DNNL_ARG_SRC, p.src}, {DNNL_ARG_DST, p.dst}});
      break;
    case Pass::MaxForwardTraining:
      p.forward.execute(ctx.stream, {{DNNL_ARG_SRC, p.src},
                                     {DNNL_ARG_DST, p.dst},
                                     {DNNL_ARG_WORKSPACE, p.workspace}});
      break;
    case Pass::AvgBackward:
      p.backward->execute(
          ctx.stream, {{DNNL_ARG_DIFF_DST, p.dst}, {DNNL_ARG_DIFF_SRC, p.src}});
      break;
    case Pass::MaxBackward:
      p.input.set_data_handle(const_cast<float *>(input));
      p.forward.execute(ctx.stream, {{DNNL_ARG_SRC, p.input},
                                     {DNNL_ARG_DST, p.recomputed},
                                     {DNNL_ARG_WORKSPACE, p.workspace}});
      [[fallthrough]];
    case Pass::MaxBackwardSaved:
      p.backward->execute(ctx.stream, {{DNNL_ARG_DIFF_DST, p.dst},
                                       {DNNL_ARG_WORKSPACE, p.workspace},
                                       {DNNL_ARG_DIFF_SRC, p.src}});
      break;
    }
    ctx.stream.wait();
  });
}

} // namespace

extern "C" void kiln_rt_max_pool2d_forward_f32(const float *input,
                                               float *output,
                                               KILN_RT_POOL2D_GEOMETRY,
                                               int64_t layout) {
  pool(Pass::MaxForward, KILN_POOL2D_GEOMETRY_ARGS, layout, input, output);
}

extern "C" void kiln_rt_max_pool2d_backward_f32(const float *grad_output,
                                                const float *input,
                                                float *grad_input,
                                                KILN_RT_POOL2D_GEOMETRY,
                                                int64_t layout) {
  pool(Pass::MaxBackward, KILN_POOL2D_GEOMETRY_ARGS, layout, grad_input,
       grad_output, input);
}

extern "C" void kiln_rt_max_pool2d_forward_training_f32(const float *input,
                                                        float *output,
                                                        uint8_t *workspace,
                                                        KILN_RT_POOL2D_GEOMETRY,
                                                        int64_t layout) {
  pool(Pass::MaxForwardTraining, KILN_POOL2D_GEOMETRY_ARGS, layout, input,
       output, nullptr, workspace);
}

extern "C" void kiln_rt_max_pool2d_backward_saved_f32(const float *grad_output,
                                                      const uint8_t *workspace,
                                                      float *grad_input,
                                                      KILN_RT_POOL2D_GEOMETRY,
                                                      int64_t layout) {
  pool(Pass::MaxBackwardSaved, KILN_POOL2D_GEOMETRY_ARGS, layout, grad_input,
       grad_output, nullptr, workspace);
}

extern "C" void kiln_rt_avg_pool2d_forward_f32(const float *input,
                                               float *output,
                                               KILN_RT_POOL2D_GEOMETRY,
                                               int64_t layout) {
  pool(Pass::AvgForward, KILN_POOL2D_GEOMETRY_ARGS, layout, input, output);
}

extern "C" void kiln_rt_avg_pool2d_backward_f32(const float *grad_output,
                                                float *grad_input,
                                                KILN_RT_POOL2D_GEOMETRY,
                                                int64_t layout) {
  pool(Pass::AvgBackward, KILN_POOL2D_GEOMETRY_ARGS, layout, grad_input,
       grad_output);
}
