//===- conv_geometry.h - Sizes of a convolution or pooling call -*- C++ -*-===//
//
// Generated code passes the complete geometry of every convolution and
// pooling call as scalars (runtime_calls.def lists them), already checked by
// the compiler's verifiers. These structs name them for the oneDNN path and the
// f64 reference loops, and serve as keys of the primitive caches.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_CONV_GEOMETRY_H
#define KILN_RUNTIME_CONV_GEOMETRY_H

#include <array>
#include <cstdint>

namespace kiln {

/// input [batch, inChannels, inH, inW], weights [outChannels,
/// inChannels / groups, kernelH, kernelW], output [batch, outChannels, outH,
/// outW]; padding is added on both sides.
struct ConvGeometry {
  int64_t batch, inChannels, inH, inW, outChannels, outH, outW, kernelH,
      kernelW, strideH, strideW, padH, padW, dilationH, dilationW, groups;

  std::array<int64_t, 16> key() const {
    return {batch, inChannels, inH,       inW,     outChannels, outH,
            outW,  kernelH,    kernelW,   strideH, strideW,     padH,
            padW,  dilationH,  dilationW, groups};
  }
};

/// input [batch, channels, inH, inW], output [batch, channels, outH, outW].
struct PoolGeometry {
  int64_t batch, channels, inH, inW, outH, outW, kernelH, kernelW, strideH,
      strideW, padH, padW;

  std::array<int64_t, 12> key() const {
    return {batch,   channels, inH,     inW,     outH, outW,
            kernelH, kernelW,  strideH, strideW, padH, padW};
  }
};

} // namespace kiln

/// The geometry of a kiln_rt_* call, inside a function declared with
/// KILN_RT_CONV2D_GEOMETRY or KILN_RT_POOL2D_GEOMETRY (runtime_calls.def).
#define KILN_CONV2D_GEOMETRY_ARGS                                              \
  ::kiln::ConvGeometry {                                                       \
    batch, in_channels, in_h, in_w, out_channels, out_h, out_w, kernel_h,      \
        kernel_w, stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w,    \
        groups                                                                 \
  }
#define KILN_POOL2D_GEOMETRY_ARGS                                              \
  ::kiln::PoolGeometry {                                                       \
    batch, channels, in_h, in_w, out_h, out_w, kernel_h, kernel_w, stride_h,   \
        stride_w, pad_h, pad_w                                                 \
  }

#endif // KILN_RUNTIME_CONV_GEOMETRY_H
