//===- conv_reference.cpp - The f64 convolution and pooling calls ---------===//
//
// oneDNN has no f64 convolution or pooling, and f64 only serves the
// compiler's gradient checks (small shapes, exactness over speed), so the
// *_f64 calls are direct loops. Each family visits its index pairs in one
// place (forEachTap, forEachWindowElement) and each direction is one line
// over them, so the three convolution directions cannot disagree on which
// input element meets which weight.
//
//===----------------------------------------------------------------------===//
#include "kiln/abi.h"

#include "conv_geometry.h"

#include <algorithm>
#include <vector>

using namespace kiln;

namespace {

/// Calls visit(inputIndex, weightIndex, outputIndex) for every product
/// input * weight that contributes to an output element of the convolution.
template <typename Visit> void forEachTap(const ConvGeometry &g, Visit visit) {
  int64_t inPerGroup = g.inChannels / g.groups;
  int64_t outPerGroup = g.outChannels / g.groups;
  for (int64_t n = 0; n < g.batch; ++n)
    for (int64_t o = 0; o < g.outChannels; ++o)
      for (int64_t oh = 0; oh < g.outH; ++oh)
        for (int64_t ow = 0; ow < g.outW; ++ow) {
          int64_t out = ((n * g.outChannels + o) * g.outH + oh) * g.outW + ow;
          for (int64_t ci = 0; ci < inPerGroup; ++ci) {
            int64_t c = o / outPerGroup * inPerGroup + ci;
            for (int64_t kh = 0; kh < g.kernelH; ++kh) {
              int64_t ih = oh * g.strideH - g.padH + kh * g.dilationH;
              if (ih < 0 || ih >= g.inH)
                continue;
              for (int64_t kw = 0; kw < g.kernelW; ++kw) {
                int64_t iw = ow * g.strideW - g.padW + kw * g.dilationW;
                if (iw < 0 || iw >= g.inW)
                  continue;
                visit(((n * g.inChannels + c) * g.inH + ih) * g.inW + iw,
                      ((o * inPerGroup + ci) * g.kernelH + kh) * g.kernelW + kw,
                      out);
              }
            }
          }
        }
}

/// Calls visit(inputIndex, outputIndex) for every input element inside the
/// window of an output element, in row-major window order; padding is
/// skipped.
template <typename Visit>
void forEachWindowElement(const PoolGeometry &g, Visit visit) {
  for (int64_t nc = 0; nc < g.batch * g.channels; ++nc)
    for (int64_t oh = 0; oh < g.outH; ++oh)
      for (int64_t ow = 0; ow < g.outW; ++ow) {
        int64_t out = (nc * g.outH + oh) * g.outW + ow;
        for (int64_t kh = 0; kh < g.kernelH; ++kh) {
          int64_t ih = oh * g.strideH - g.padH + kh;
          if (ih < 0 || ih >= g.inH)
            continue;
          for (int64_t kw = 0; kw < g.kernelW; ++kw) {
            int64_t iw = ow * g.strideW - g.padW + kw;
            if (iw >= 0 && iw < g.inW)
              visit((nc * g.inH + ih) * g.inW + iw, out);
          }
        }
      }
}

int64_t inputSize(const PoolGeometry &g) {
  return g.batch * g.channels * g.inH * g.inW;
}
int64_t outputSize(const PoolGeometry &g) {
  return g.batch * g.channels * g.outH * g.outW;
}

/// The index of the first maximum of each window.
std::vector<int64_t> argmax(const PoolGeometry &g, const double *input) {
  std::vector<int64_t> best(outputSize(g), -1);
  forEachWindowElement(g, [&](int64_t in, int64_t out) {
    if (best[out] < 0 || input[in] > input[best[out]])
      best[out] = in;
  });
  return best;
}

} // namespace

extern "C" void kiln_rt_conv2d_forward_f64(const double *input,
                                           const double *weights,
                                           double *output,
                                           KILN_RT_CONV2D_GEOMETRY) {
  ConvGeometry g = KILN_CONV2D_GEOMETRY_ARGS;
  std::fill_n(output, g.batch * g.outChannels * g.outH * g.outW, 0.0);
  forEachTap(g, [&](int64_t in, int64_t w, int64_t out) {
    output[out] += input[in] * weights[w];
  });
}

extern "C" void kiln_rt_conv2d_backward_data_f64(const double *grad_output,
                                                 const double *weights,
                                                 double *grad_input,
                                                 KILN_RT_CONV2D_GEOMETRY) {
  ConvGeometry g = KILN_CONV2D_GEOMETRY_ARGS;
  std::fill_n(grad_input, g.batch * g.inChannels * g.inH * g.inW, 0.0);
  forEachTap(g, [&](int64_t in, int64_t w, int64_t out) {
    grad_input[in] += grad_output[out] * weights[w];
  });
}

extern "C" void kiln_rt_conv2d_backward_weights_f64(const double *grad_output,
                                                    const double *input,
                                                    double *grad_weights,
                                                    KILN_RT_CONV2D_GEOMETRY) {
  ConvGeometry g = KILN_CONV2D_GEOMETRY_ARGS;
  std::fill_n(grad_weights,
              g.outChannels * (g.inChannels / g.groups) * g.kernelH * g.kernelW,
              0.0);
  forEachTap(g, [&](int64_t in, int64_t w, int64_t out) {
    grad_weights[w] += grad_output[out] * input[in];
  });
}

extern "C" void kiln_rt_max_pool2d_forward_f64(const double *input,
                                               double *output,
                                               KILN_RT_POOL2D_GEOMETRY) {
  PoolGeometry g = KILN_POOL2D_GEOMETRY_ARGS;
  std::vector<int64_t> best = argmax(g, input);
  for (int64_t out = 0; out < outputSize(g); ++out)
    output[out] = input[best[out]];
}

extern "C" void kiln_rt_max_pool2d_backward_f64(const double *grad_output,
                                                const double *input,
                                                double *grad_input,
                                                KILN_RT_POOL2D_GEOMETRY) {
  PoolGeometry g = KILN_POOL2D_GEOMETRY_ARGS;
  std::fill_n(grad_input, inputSize(g), 0.0);
  std::vector<int64_t> best = argmax(g, input);
  for (int64_t out = 0; out < outputSize(g); ++out)
    grad_input[best[out]] += grad_output[out];
}

extern "C" void kiln_rt_avg_pool2d_forward_f64(const double *input,
                                               double *output,
                                               KILN_RT_POOL2D_GEOMETRY) {
  PoolGeometry g = KILN_POOL2D_GEOMETRY_ARGS;
  double scale = 1.0 / static_cast<double>(g.kernelH * g.kernelW);
  std::fill_n(output, outputSize(g), 0.0);
  forEachWindowElement(
      g, [&](int64_t in, int64_t out) { output[out] += input[in] * scale; });
}

extern "C" void kiln_rt_avg_pool2d_backward_f64(const double *grad_output,
                                                double *grad_input,
                                                KILN_RT_POOL2D_GEOMETRY) {
  PoolGeometry g = KILN_POOL2D_GEOMETRY_ARGS;
  double scale = 1.0 / static_cast<double>(g.kernelH * g.kernelW);
  std::fill_n(grad_input, inputSize(g), 0.0);
  forEachWindowElement(g, [&](int64_t in, int64_t out) {
    grad_input[in] += grad_output[out] * scale;
  });
}
