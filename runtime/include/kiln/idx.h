//===- idx.h - Reader for the IDX file format -------------------*- C++ -*-===//
//
// MNIST-style datasets ship as IDX files: a 4-byte magic number (two zero
// bytes, an element type, the number of dimensions), one big-endian uint32
// per dimension, then the elements in row-major order. Files are usually
// gzip-compressed; zlib's gz* functions read compressed and plain files alike.
// Only unsigned-byte elements (type 0x08) are supported, which is what image
// and label files use.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_IDX_H
#define KILN_RUNTIME_IDX_H

#include <cstdint>
#include <string>
#include <vector>

namespace kiln {

struct IdxArray {
  std::vector<int64_t> dims;
  std::vector<uint8_t> data; ///< product(dims) elements, row-major.
};

/// Reads an IDX file (gzipped or plain). Throws kiln::Error naming `path` when
/// the file is missing, is not IDX, uses an unsupported element type, is
/// truncated or has trailing bytes.
IdxArray readIdx(const std::string &path);

} // namespace kiln

#endif // KILN_RUNTIME_IDX_H
