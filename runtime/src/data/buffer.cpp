//===- buffer.cpp - Aligned buffers and dense tensors ---------------------===//
//
// Implements the allocation behind kiln::Tensor. Memory is zeroed so that
// output buffers and padding never expose stale data, and sizes are checked
// for overflow because shapes come from files the user supplies.
//
//===----------------------------------------------------------------------===//
#include "kiln/buffer.h"
#include "kiln/error.h"

#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>

namespace kiln {

size_t dtypeSize(DType dtype) {
  switch (dtype) {
  case DType::F32:
  case DType::I32:
    return 4;
  case DType::F64:
  case DType::I64:
    return 8;
  case DType::U8:
    return 1;
  }
  return 4;
}

const char *dtypeName(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "f32";
  case DType::F64:
    return "f64";
  case DType::I32:
    return "i32";
  case DType::I64:
    return "i64";
  case DType::U8:
    return "u8";
  }
  return "f32";
}

int64_t shapeNumel(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0)
      throw Error("negative dimension in shape " + shapeString(shape));
    if (d != 0 && n > std::numeric_limits<int64_t>::max() / 8 / d)
      throw Error("shape " + shapeString(shape) + " is too large");
    n *= d;
  }
  return n;
}

std::string shapeString(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

void AlignedBuffer::Free::operator()(void *p) const { std::free(p); }

AlignedBuffer::AlignedBuffer(size_t bytes) : size_(bytes) {
  // aligned_alloc wants a multiple of the alignment; a zero-byte buffer still
  // gets real memory so generated code never sees a null pointer.
  size_t rounded = (bytes + kAlignment - 1) / kAlignment * kAlignment;
  if (rounded == 0)
    rounded = kAlignment;
  void *p = std::aligned_alloc(kAlignment, rounded);
  if (!p)
    throw std::bad_alloc();
  std::memset(p, 0, rounded);
  ptr_.reset(p);
}

Tensor::Tensor(DType dtype, std::vector<int64_t> shape)
    : dtype_(dtype), shape_(std::move(shape)), numel_(shapeNumel(shape_)),
      storage_(static_cast<size_t>(numel_) * dtypeSize(dtype)) {}

double realAt(const Tensor &tensor, int64_t i) {
  return tensor.dtype() == DType::F64 ? tensor.f64()[i] : tensor.f32()[i];
}

void setReal(Tensor &tensor, int64_t i, double value) {
  if (tensor.dtype() == DType::F64)
    tensor.f64()[i] = value;
  else
    tensor.f32()[i] = static_cast<float>(value);
}

Tensor convertFloat(const Tensor &tensor, DType dtype) {
  Tensor out(dtype, tensor.shape());
  for (int64_t i = 0; i < tensor.numel(); ++i) {
    setReal(out, i, realAt(tensor, i));
  }
  return out;
}

} // namespace kiln
