//===- ConvNaive.cpp - Naive convolution and pooling for tests ------------===//
#include "ConvNaive.h"

#include "llvm/ADT/StringRef.h"

#include <algorithm>
#include <limits>
#include <optional>

using namespace kiln::testing;

namespace {
/// The element of input `x` that weight [o, ci, kh, kw] multiplies for output
/// [n, o, oh, ow] (zero in the padding).
double tapInput(const ForwardCase &c, Tensor &x, int64_t outPerGroup,
                int64_t inPerGroup, int64_t n, int64_t o, int64_t ci,
                int64_t oh, int64_t ow, int64_t kh, int64_t kw) {
  return x.get(n, o / outPerGroup * inPerGroup + ci,
               oh * c.strides[0] - c.padding[0] + kh * c.dilations[0],
               ow * c.strides[1] - c.padding[1] + kw * c.dilations[1], 0.0);
}

/// conv2d(x, w), output element by output element.
void convForward(const ForwardCase &c, Tensor &x, Tensor &w, Tensor &y) {
  int64_t inPerGroup = w.shape[1], outPerGroup = y.shape[1] / c.groups;
  for (int64_t n = 0; n < y.shape[0]; ++n)
    for (int64_t o = 0; o < y.shape[1]; ++o)
      for (int64_t oh = 0; oh < y.shape[2]; ++oh)
        for (int64_t ow = 0; ow < y.shape[3]; ++ow)
          for (int64_t ci = 0; ci < inPerGroup; ++ci)
            for (int64_t kh = 0; kh < w.shape[2]; ++kh)
              for (int64_t kw = 0; kw < w.shape[3]; ++kw)
                y.at(n, o, oh, ow) += w.at(o, ci, kh, kw) *
                                      tapInput(c, x, outPerGroup, inPerGroup, n,
                                               o, ci, oh, ow, kh, kw);
}

/// The output index along one dimension whose window puts tap `k` on input
/// index `i`, if any.
std::optional<int64_t> outputIndex(int64_t i, int64_t k, int64_t stride,
                                   int64_t pad, int64_t dilation,
                                   int64_t size) {
  int64_t offset = i + pad - k * dilation;
  if (offset < 0 || offset % stride != 0 || offset / stride >= size)
    return std::nullopt;
  return offset / stride;
}

/// The gradient of conv2d w.r.t. its input, input element by input element.
void convBackwardData(const ForwardCase &c, Tensor &dy, Tensor &w, Tensor &dx) {
  int64_t inPerGroup = w.shape[1], outPerGroup = dy.shape[1] / c.groups;
  for (int64_t n = 0; n < dx.shape[0]; ++n)
    for (int64_t ch = 0; ch < dx.shape[1]; ++ch)
      for (int64_t ih = 0; ih < dx.shape[2]; ++ih)
        for (int64_t iw = 0; iw < dx.shape[3]; ++iw)
          for (int64_t j = 0; j < outPerGroup; ++j) {
            int64_t o = ch / inPerGroup * outPerGroup + j;
            for (int64_t kh = 0; kh < w.shape[2]; ++kh)
              for (int64_t kw = 0; kw < w.shape[3]; ++kw) {
                auto oh = outputIndex(ih, kh, c.strides[0], c.padding[0],
                                      c.dilations[0], dy.shape[2]);
                auto ow = outputIndex(iw, kw, c.strides[1], c.padding[1],
                                      c.dilations[1], dy.shape[3]);
                if (oh && ow)
                  dx.at(n, ch, ih, iw) +=
                      dy.at(n, o, *oh, *ow) * w.at(o, ch % inPerGroup, kh, kw);
              }
          }
}

/// The gradient of conv2d w.r.t. its weights, weight by weight.
void convBackwardWeights(const ForwardCase &c, Tensor &dy, Tensor &x,
                         Tensor &dw) {
  int64_t inPerGroup = dw.shape[1], outPerGroup = dy.shape[1] / c.groups;
  for (int64_t o = 0; o < dw.shape[0]; ++o)
    for (int64_t ci = 0; ci < inPerGroup; ++ci)
      for (int64_t kh = 0; kh < dw.shape[2]; ++kh)
        for (int64_t kw = 0; kw < dw.shape[3]; ++kw)
          for (int64_t n = 0; n < dy.shape[0]; ++n)
            for (int64_t oh = 0; oh < dy.shape[2]; ++oh)
              for (int64_t ow = 0; ow < dy.shape[3]; ++ow)
                dw.at(o, ci, kh, kw) += dy.at(n, o, oh, ow) *
                                        tapInput(c, x, outPerGroup, inPerGroup,
                                                 n, o, ci, oh, ow, kh, kw);
}

/// Calls visit(n, ch, oh, ow, ih, iw) for every padded window position.
template <typename Visit>
void forEachWindow(const ForwardCase &c, const Shape &out, Visit visit) {
  for (int64_t n = 0; n < out[0]; ++n)
    for (int64_t ch = 0; ch < out[1]; ++ch)
      for (int64_t oh = 0; oh < out[2]; ++oh)
        for (int64_t ow = 0; ow < out[3]; ++ow)
          for (int64_t kh = 0; kh < c.kernel[0]; ++kh)
            for (int64_t kw = 0; kw < c.kernel[1]; ++kw)
              visit(n, ch, oh, ow, oh * c.strides[0] - c.padding[0] + kh,
                    ow * c.strides[1] - c.padding[1] + kw);
}

/// Max or average pooling; `argmax` receives the index in `x` of each
/// window's first maximum.
void pool(const ForwardCase &c, Tensor &x, Tensor &y, bool max,
          std::vector<int64_t> *argmax = nullptr) {
  double inf = std::numeric_limits<double>::infinity();
  std::fill(y.data.begin(), y.data.end(), max ? -inf : 0.0);
  if (argmax)
    argmax->assign(y.data.size(), -1);
  double area = static_cast<double>(c.kernel[0] * c.kernel[1]);
  forEachWindow(c, y.shape,
                [&](int64_t n, int64_t ch, int64_t oh, int64_t ow, int64_t ih,
                    int64_t iw) {
                  double v = x.get(n, ch, ih, iw, max ? -inf : 0.0);
                  double &out = y.at(n, ch, oh, ow);
                  if (!max) {
                    out += v / area;
                  } else if (v > out) {
                    out = v;
                    if (argmax)
                      (*argmax)[y.index(n, ch, oh, ow)] =
                          x.index(n, ch, ih, iw);
                  }
                });
}

} // namespace

Tensor kiln::testing::naiveResult(const ForwardCase &c,
                                  std::vector<Tensor> &in) {
  llvm::StringRef op(c.op);
  Tensor out(c.result);
  if (op == "kiln.conv2d") {
    convForward(c, in[0], in[1], out);
  } else if (op == "kiln.conv2d_backward_data") {
    convBackwardData(c, in[0], in[1], out);
  } else if (op == "kiln.conv2d_backward_weights") {
    convBackwardWeights(c, in[0], in[1], out);
  } else if (op == "kiln.max_pool2d" || op == "kiln.avg_pool2d") {
    pool(c, in[0], out, op == "kiln.max_pool2d");
  } else if (op == "kiln.max_pool2d_grad") {
    Tensor y(in[0].shape);
    std::vector<int64_t> argmax;
    pool(c, in[1], y, true, &argmax);
    for (size_t e = 0; e < argmax.size(); ++e)
      out.data[argmax[e]] += in[0].data[e];
  } else if (op == "kiln.avg_pool2d_grad") {
    double area = static_cast<double>(c.kernel[0] * c.kernel[1]);
    forEachWindow(c, in[0].shape,
                  [&](int64_t n, int64_t ch, int64_t oh, int64_t ow, int64_t ih,
                      int64_t iw) {
                    if (out.inside(ih, iw))
                      out.at(n, ch, ih, iw) += in[0].at(n, ch, oh, ow) / area;
                  });
  }
  return out;
}
