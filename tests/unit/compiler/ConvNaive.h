//===- ConvNaive.h - Naive convolution and pooling for tests ----*- C++ -*-===//
//
// The reference ConvForwardTest.cpp compares compiled convolution and
// pooling ops with: direct loops in f64 that gather each result element from
// its definition (the backward ops from the elements a gradient element is
// reachable from), written independently of the runtime's loops, which
// scatter over shared taps.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_TESTS_UNIT_COMPILER_CONVNAIVE_H
#define KILN_TESTS_UNIT_COMPILER_CONVNAIVE_H

#include <array>
#include <cstdint>
#include <ostream>
#include <utility>
#include <vector>

namespace kiln::testing {

using Shape = std::vector<int64_t>;
using Pair = std::array<int64_t, 2>;

/// One op applied to operands of the given shapes, with its attributes.
struct ForwardCase {
  const char *name;
  const char *op; // the kiln op, e.g. "kiln.conv2d"
  std::vector<Shape> operands;
  Shape result;
  Pair strides, padding, dilations = {1, 1}, kernel = {0, 0};
  int64_t groups = 1;
  bool ties = false; // small integer inputs, so pooling windows tie
};

inline void PrintTo(const ForwardCase &c, std::ostream *os) { *os << c.name; }

/// A dense NCHW (or OIHW) tensor of doubles.
struct Tensor {
  Shape shape;
  std::vector<double> data;

  explicit Tensor(Shape s) : shape(std::move(s)) {
    int64_t size = 1;
    for (int64_t dim : shape)
      size *= dim;
    data.assign(size, 0.0);
  }
  int64_t index(int64_t a, int64_t b, int64_t c, int64_t d) const {
    return ((a * shape[1] + b) * shape[2] + c) * shape[3] + d;
  }
  double &at(int64_t a, int64_t b, int64_t c, int64_t d) {
    return data[index(a, b, c, d)];
  }
  bool inside(int64_t c, int64_t d) const {
    return c >= 0 && c < shape[2] && d >= 0 && d < shape[3];
  }
  /// The element at (a, b, c, d), or `outside` if (c, d) is out of range.
  double get(int64_t a, int64_t b, int64_t c, int64_t d, double outside) {
    return inside(c, d) ? at(a, b, c, d) : outside;
  }
};

/// The result of `c`'s op on `operands`, computed naively.
Tensor naiveResult(const ForwardCase &c, std::vector<Tensor> &operands);

} // namespace kiln::testing

#endif // KILN_TESTS_UNIT_COMPILER_CONVNAIVE_H
