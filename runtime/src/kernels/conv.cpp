//===- conv.cpp - kiln_rt_conv2d_*_f32 on oneDNN --------------------------===//
//
// The three directions of a 2-D convolution run oneDNN's convolution
// primitives. Each primitive is created with format_tag::any so it can pick
// the blocked layouts its fastest kernels use; user buffers in other layouts
// are reordered in and out around it (dnnl_context.h). Backward
// primitives are created with the forward one as their hint, as oneDNN
// requires. Creating primitives JIT-compiles code, so everything is cached
// per direction, geometry and layouts; a model uses a handful of them. The
// activations come in the layouts the call names: with the blocked layout
// the primitive prefers, they need no reorder.
//
// PyTorch rounds output sizes down; oneDNN checks
//   out = (in + pad_l + pad_r - span) / stride + 1
// in integer arithmetic, so symmetric padding on both sides agrees with it.
//
//===----------------------------------------------------------------------===//
#include "kiln/abi.h"

#include "conv_geometry.h"
#include "dnnl_context.h"

#include <map>
#include <stdexcept>
#include <tuple>

#if DNNL_VERSION_MAJOR != 2
#error "the convolution calls use oneDNN 2.x operation descriptors"
#endif

using namespace kiln;
using namespace kiln::dnnl_context;

namespace {

using desc = dnnl::memory::desc;
using tag = dnnl::memory::format_tag;
constexpr auto f32 = dnnl::memory::data_type::f32;

enum class Direction { Forward, BackwardData, BackwardWeights };

/// A convolution primitive with its two inputs and its output.
struct CachedConv {
  dnnl::primitive primitive;
  Staged a, b, out;
  int argA, argB, argOut;
};

/// The layouts of a call's input side (input, grad_input) and output side
/// (output, grad_output).
struct ConvLayouts {
  int64_t input, output;
};

desc image(int64_t n, int64_t c, int64_t h, int64_t w, int64_t layout) {
  return desc({n, c, h, w}, f32, activationFormat(layout));
}

/// OIHW weights; with groups oneDNN wants the group as an extra leading
/// dimension, which has the same row-major layout.
desc weights(const ConvGeometry &g) {
  int64_t in = g.inChannels / g.groups;
  if (g.groups == 1)
    return desc({g.outChannels, in, g.kernelH, g.kernelW}, f32, tag::oihw);
  return desc({g.groups, g.outChannels / g.groups, in, g.kernelH, g.kernelW},
              f32, tag::goihw);
}

desc anyLayout(const desc &plain) { return desc(plain.dims(), f32, tag::any); }

CachedConv create(Context &ctx, Direction direction, const ConvGeometry &g,
                  ConvLayouts layouts) {
  desc src = image(g.batch, g.inChannels, g.inH, g.inW, layouts.input);
  desc dst = image(g.batch, g.outChannels, g.outH, g.outW, layouts.output);
  desc wei = weights(g);
  // oneDNN counts dilation from 0 (no gaps), PyTorch from 1.
  dnnl::memory::dims strides{g.strideH, g.strideW};
  dnnl::memory::dims dilates{g.dilationH - 1, g.dilationW - 1};
  dnnl::memory::dims padding{g.padH, g.padW};
  auto algorithm = dnnl::algorithm::convolution_direct;
  dnnl::convolution_forward::primitive_desc forward(
      dnnl::convolution_forward::desc(
          dnnl::prop_kind::forward_training, algorithm, anyLayout(src),
          anyLayout(wei), anyLayout(dst), strides, dilates, padding, padding),
      ctx.engine);
  switch (direction) {
  case Direction::Forward:
    return CachedConv{dnnl::convolution_forward(forward),
                      Staged(ctx, src, forward.src_desc(), true),
                      Staged(ctx, wei, forward.weights_desc(), true),
                      Staged(ctx, dst, forward.dst_desc(), false),
                      DNNL_ARG_SRC,
                      DNNL_ARG_WEIGHTS,
                      DNNL_ARG_DST};
  case Direction::BackwardData: {
    dnnl::convolution_backward_data::primitive_desc pd(
        dnnl::convolution_backward_data::desc(
            algorithm, anyLayout(src), anyLayout(wei), anyLayout(dst), strides,
            dilates, padding, padding),
        ctx.engine, forward);
    return CachedConv{dnnl::convolution_backward_data(pd),
                      Staged(ctx, dst, pd.diff_dst_desc(), true),
                      Staged(ctx, wei, pd.weights_desc(), true),
                      Staged(ctx, src, pd.diff_src_desc(), false),
                      DNNL_ARG_DIFF_DST,
                      DNNL_ARG_WEIGHTS,
                      DNNL_ARG_DIFF_SRC};
  }
  case Direction::BackwardWeights: {
    dnnl::convolution_backward_weights::primitive_desc pd(
        dnnl::convolution_backward_weights::desc(
            algorithm, anyLayout(src), anyLayout(wei), anyLayout(dst), strides,
            dilates, padding, padding),
        ctx.engine, forward);
    return CachedConv{dnnl::convolution_backward_weights(pd),
                      Staged(ctx, dst, pd.diff_dst_desc(), true),
                      Staged(ctx, src, pd.src_desc(), true),
                      Staged(ctx, wei, pd.diff_weights_desc(), false),
                      DNNL_ARG_DIFF_DST,
                      DNNL_ARG_SRC,
                      DNNL_ARG_DIFF_WEIGHTS};
  }
  }
  throw std::logic_error("unknown convolution direction");
}

/// Runs `direction` on the user buffers `a`, `b` (inputs) and `out`.
void convolve(Direction direction, const ConvGeometry &g, ConvLayouts layouts,
              const float *a, const float *b, float *out) {
  run("convolution", [&](Context &ctx) {
    using Key =
        std::tuple<Direction, std::array<int64_t, 16>, int64_t, int64_t>;
    static std::map<Key, CachedConv> cache;
    Key key{direction, g.key(), layouts.input, layouts.output};
    auto it = cache.find(key);
    if (it == cache.end())
      it = cache.emplace(key, create(ctx, direction, g, layouts)).first;
    CachedConv &conv = it->second;
    conv.a.bind(a);
    conv.b.bind(b);
    conv.out.bind(out);
    conv.a.load(ctx);
    conv.b.load(ctx);
    conv.primitive.execute(ctx.stream, {{conv.argA, conv.a.inner},
                                        {conv.argB, conv.b.inner},
                                        {conv.argOut, conv.out.inner}});
    conv.out.store(ctx);
    ctx.stream.wait();
  });
}

} // namespace

extern "C" void kiln_rt_conv2d_forward_f32(const float *input,
                                           const float *weights, float *output,
                                           KILN_RT_CONV2D_GEOMETRY,
                                           KILN_RT_CONV2D_LAYOUTS) {
  convolve(Direction::Forward, KILN_CONV2D_GEOMETRY_ARGS,
           {input_layout, output_layout}, input, weights, output);
}

extern "C" void kiln_rt_conv2d_backward_data_f32(const float *grad_output,
                                                 const float *weights,
                                                 float *grad_input,
                                                 KILN_RT_CONV2D_GEOMETRY,
                                                 KILN_RT_CONV2D_LAYOUTS) {
  convolve(Direction::BackwardData, KILN_CONV2D_GEOMETRY_ARGS,
           {input_layout, output_layout}, grad_output, weights, grad_input);
}

extern "C" void kiln_rt_conv2d_backward_weights_f32(const float *grad_output,
                                                    const float *input,
                                                    float *grad_weights,
                                                    KILN_RT_CONV2D_GEOMETRY,
                                                    KILN_RT_CONV2D_LAYOUTS) {
  convolve(Direction::BackwardWeights, KILN_CONV2D_GEOMETRY_ARGS,
           {input_layout, output_layout}, grad_output, input, grad_weights);
}
