//===- safetensors.h - Reading and writing .safetensors files ---*- C++ -*-===//
//
// Trained parameters are saved in the safetensors format so that PyTorch and
// other tools can load them directly:
//   8 bytes   little-endian uint64 N, the header size
//   N bytes   JSON header, padded with spaces to a multiple of 8:
//             {"__metadata__": {"k": "v"},
//              "name": {"dtype": "F32", "shape": [...],
//                       "data_offsets": [begin, end]}, ...}
//   rest      tensor data, offsets relative to the end of the header
// Tensors are written in the given order, packed back to back. Writes are
// atomic (FILE.tmp, fsync, rename) so a crash never leaves a half-written
// file under the final name.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_SAFETENSORS_H
#define KILN_RUNTIME_SAFETENSORS_H

#include "kiln/buffer.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace kiln {

/// A borrowed tensor to save under `first`.
using TensorRef = std::pair<std::string, const Tensor *>;

void writeSafetensors(const std::string &path,
                      const std::vector<TensorRef> &tensors,
                      const std::map<std::string, std::string> &metadata = {});

struct NamedTensor {
  std::string name;
  Tensor tensor;
};

struct SafetensorsFile {
  std::map<std::string, std::string> metadata;
  std::vector<NamedTensor> tensors; ///< In data-offset order.

  /// The tensor called `name`, or nullptr.
  const Tensor *find(const std::string &name) const;
};

/// Reads and validates a safetensors file with F32, F64, I32 and I64
/// tensors; throws kiln::Error naming `path` on any inconsistency.
SafetensorsFile readSafetensors(const std::string &path);

} // namespace kiln

#endif // KILN_RUNTIME_SAFETENSORS_H
