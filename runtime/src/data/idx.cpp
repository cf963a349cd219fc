//===- idx.cpp - Reader for the IDX file format ---------------------------===//
//
// Reads IDX files through zlib's gz* interface, which decompresses gzip
// files and passes plain files through unchanged, so one code path serves
// both. Data is read in chunks into a growing vector rather than allocated
// from the header's claimed size up front, so a corrupt header cannot make
// the runtime allocate gigabytes before noticing the file is short.
//
//===----------------------------------------------------------------------===//
#include "kiln/idx.h"
#include "kiln/buffer.h"
#include "kiln/error.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sys/stat.h>
#include <zlib.h>

namespace kiln {
namespace {

class GzFile {
public:
  explicit GzFile(gzFile f) : f_(f) {}
  ~GzFile() { gzclose(f_); }
  GzFile(const GzFile &) = delete;
  GzFile &operator=(const GzFile &) = delete;
  gzFile get() const { return f_; }

private:
  gzFile f_;
};

std::string hex(unsigned value, int digits) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%0*x", digits, value);
  return buf;
}

/// Reads up to `size` bytes, fewer only at the end of the data. A gzip
/// stream that ends early counts as end of data (the caller reports the file
/// as truncated); any other zlib failure is reported as corruption.
size_t readUpTo(gzFile f, void *dst, size_t size, const std::string &path) {
  size_t total = 0;
  auto *out = static_cast<unsigned char *>(dst);
  while (total < size) {
    unsigned chunk =
        static_cast<unsigned>(std::min<size_t>(size - total, 1u << 24));
    int n = gzread(f, out + total, chunk);
    if (n < 0) {
      int code = 0;
      const char *msg = gzerror(f, &code);
      if (code == Z_BUF_ERROR) // "unexpected end of file"
        break;
      throw Error(path + ": corrupt gzip data (" + msg + ")");
    }
    if (n == 0)
      break;
    total += static_cast<size_t>(n);
  }
  return total;
}

uint32_t bigEndian32(const unsigned char *p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) |
         (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

} // namespace

IdxArray readIdx(const std::string &path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    throw Error(path + ": no such file");
  if (S_ISDIR(st.st_mode))
    throw Error(path + ": is a folder, not an IDX file");

  gzFile raw = gzopen(path.c_str(), "rb");
  if (!raw)
    throw Error(path + ": cannot open: " + std::strerror(errno));
  GzFile file(raw);
  gzbuffer(raw, 1 << 20); // Fewer, larger reads of a 26 MB gzip file.

  unsigned char magic[4];
  size_t got = readUpTo(raw, magic, 4, path);
  if (got < 4)
    throw Error(path + ": not an IDX file (only " + std::to_string(got) +
                " bytes long)");
  if (magic[0] != 0 || magic[1] != 0 || magic[3] == 0)
    throw Error(path + ": not an IDX file (magic number " +
                hex(bigEndian32(magic), 8) + ")");
  if (magic[2] != 0x08)
    throw Error(path + ": unsupported IDX element type " + hex(magic[2], 2) +
                " (only unsigned byte, 0x08, is supported)");

  IdxArray array;
  unsigned ndim = magic[3];
  std::vector<unsigned char> header(4 * ndim);
  got = readUpTo(raw, header.data(), header.size(), path);
  if (got < header.size())
    throw Error(path + ": truncated: the header declares " +
                std::to_string(ndim) + " dimensions but the file ends after " +
                std::to_string(4 + got) + " bytes");
  for (unsigned i = 0; i < ndim; ++i)
    array.dims.push_back(bigEndian32(&header[4 * i]));

  int64_t expected = shapeNumel(array.dims);
  constexpr size_t kChunk = 64 << 20;
  size_t have = 0;
  while (have < static_cast<size_t>(expected)) {
    size_t want = std::min<size_t>(expected - have, kChunk);
    array.data.resize(have + want);
    size_t n = readUpTo(raw, array.data.data() + have, want, path);
    have += n;
    if (n < want)
      break;
  }
  if (have < static_cast<size_t>(expected))
    throw Error(path + ": truncated: expected " + std::to_string(expected) +
                " bytes of data, found " + std::to_string(have));
  array.data.resize(have);

  // Extra bytes mean the dimensions do not describe the file; trusting them
  // would silently drop data.
  unsigned char extra;
  if (readUpTo(raw, &extra, 1, path) != 0)
    throw Error(path + ": unexpected data after the " +
                std::to_string(expected) + " bytes the header declares");
  return array;
}

} // namespace kiln
