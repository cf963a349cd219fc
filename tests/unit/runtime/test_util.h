//===- test_util.h - Helpers shared by the runtime unit tests ---*- C++ -*-===//
//
// Temporary folders and IDX file writers, so that tests build the exact
// (possibly broken) files they need instead of depending on checked-in data.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_TESTS_UNIT_RUNTIME_TEST_UTIL_H
#define KILN_TESTS_UNIT_RUNTIME_TEST_UTIL_H

#include <cstdint>
#include <string>
#include <vector>

namespace kiln::test {

/// A fresh folder under $TMPDIR (or /tmp), removed with its contents.
class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;

  const std::string &path() const { return path_; }
  std::string file(const std::string &name) const { return path_ + "/" + name; }

private:
  std::string path_;
};

/// Writes `bytes` to `path`, gzip-compressed when `gzip` (via zlib gzopen).
void writeBytes(const std::string &path, const std::string &bytes, bool gzip);

/// The bytes of an IDX file of unsigned bytes with the given dimensions.
std::string idxBytes(const std::vector<uint32_t> &dims,
                     const std::vector<uint8_t> &data);

std::string readFile(const std::string &path);
bool fileExists(const std::string &path);

/// Writes a learnable 10-class dataset in Fashion-MNIST layout to `dir`
/// ({train,t10k}-{images-idx3,labels-idx1}-ubyte.gz, 28x28 images): class c
/// lights up pixels [78c, 78c + 78), everything else is low noise.
void writeSyntheticFashionMnist(const std::string &dir, int64_t trainSize,
                                int64_t testSize);

} // namespace kiln::test

#endif // KILN_TESTS_UNIT_RUNTIME_TEST_UTIL_H
