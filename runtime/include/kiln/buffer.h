//===- buffer.h - Aligned buffers and dense tensors -------------*- C++ -*-===//
//
// Generated code expects every buffer to be dense, row-major and 64-byte
// aligned (abi.h); 64 bytes is one cache line and the widest AVX-512 load.
// AlignedBuffer owns such memory; Tensor adds an element type and a shape.
// Both are move-only so that buffer swaps in the training loop never copy.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_BUFFER_H
#define KILN_RUNTIME_BUFFER_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kiln {

/// A model computes in F32 or F64 (its input's type); I32 holds class
/// labels, and I64 is only used for the rng seed an entry point may take
/// (docs/abi.md). U8 holds a dataset's stored pixels, which batches
/// normalise into the model's float type (dataset.h).
enum class DType { F32, F64, I32, I64, U8 };

/// Size of one element in bytes.
size_t dtypeSize(DType dtype);
/// The manifest spelling: "f32", "f64", "i32", "i64" or "u8".
const char *dtypeName(DType dtype);
/// F32 or F64.
inline bool isFloat(DType dtype) {
  return dtype == DType::F32 || dtype == DType::F64;
}

/// Number of elements of `shape`; throws kiln::Error on negative dimensions
/// or overflow so that corrupt inputs cannot cause huge allocations to wrap.
int64_t shapeNumel(const std::vector<int64_t> &shape);
/// "[256, 784]", used in error messages.
std::string shapeString(const std::vector<int64_t> &shape);

/// Zero-initialised, 64-byte aligned heap memory.
class AlignedBuffer {
public:
  static constexpr size_t kAlignment = 64;

  AlignedBuffer() = default;
  explicit AlignedBuffer(size_t bytes);

  void *data() { return ptr_.get(); }
  const void *data() const { return ptr_.get(); }
  size_t size() const { return size_; }

private:
  struct Free {
    void operator()(void *p) const;
  };
  std::unique_ptr<void, Free> ptr_;
  size_t size_ = 0;
};

/// A dense row-major tensor of f32, f64, i32, i64 or u8 elements.
class Tensor {
public:
  Tensor() = default;
  Tensor(DType dtype, std::vector<int64_t> shape);

  DType dtype() const { return dtype_; }
  const std::vector<int64_t> &shape() const { return shape_; }
  int64_t numel() const { return numel_; }
  size_t bytes() const {
    return static_cast<size_t>(numel_) * dtypeSize(dtype_);
  }

  void *raw() { return storage_.data(); }
  const void *raw() const { return storage_.data(); }
  float *f32() { return static_cast<float *>(raw()); }
  const float *f32() const { return static_cast<const float *>(raw()); }
  double *f64() { return static_cast<double *>(raw()); }
  const double *f64() const { return static_cast<const double *>(raw()); }
  int32_t *i32() { return static_cast<int32_t *>(raw()); }
  const int32_t *i32() const { return static_cast<const int32_t *>(raw()); }
  int64_t *i64() { return static_cast<int64_t *>(raw()); }
  const int64_t *i64() const { return static_cast<const int64_t *>(raw()); }
  uint8_t *u8() { return static_cast<uint8_t *>(raw()); }
  const uint8_t *u8() const { return static_cast<const uint8_t *>(raw()); }

private:
  DType dtype_ = DType::F32;
  std::vector<int64_t> shape_;
  int64_t numel_ = 0;
  AlignedBuffer storage_;
};

/// Element `i` of an F32 or F64 tensor, widened to double, so that code
/// reading losses or targets works for models of either float type.
double realAt(const Tensor &tensor, int64_t i);

/// Sets element `i` of an F32 or F64 tensor, rounding to f32 if need be.
void setReal(Tensor &tensor, int64_t i, double value);

/// A copy of the F32 or F64 tensor `tensor` with its elements rounded (or
/// widened) to the float type `dtype`; the data a model reads must have the
/// model's float type.
Tensor convertFloat(const Tensor &tensor, DType dtype);

} // namespace kiln

#endif // KILN_RUNTIME_BUFFER_H
