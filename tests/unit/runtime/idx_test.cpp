//===- idx_test.cpp - Tests of the IDX reader -----------------------------===//
//
// Round trips through generated files (plain and gzipped) and checks that
// each kind of broken file is rejected with a message naming the file.
//
//===----------------------------------------------------------------------===//
#include "kiln/error.h"
#include "kiln/idx.h"
#include "test_util.h"

#include <gtest/gtest.h>

using namespace kiln;
using namespace kiln::test;

namespace {

/// The message of the kiln::Error that reading `path` throws.
std::string idxError(const std::string &path) {
  try {
    readIdx(path);
  } catch (const Error &e) {
    return e.what();
  }
  ADD_FAILURE() << "readIdx(" << path << ") did not throw";
  return "";
}

class IdxRoundTrip : public ::testing::TestWithParam<bool> {};

TEST_P(IdxRoundTrip, ReadsWhatWasWritten) {
  TempDir dir;
  std::vector<uint8_t> data;
  for (int i = 0; i < 3 * 4 * 5; ++i)
    data.push_back(static_cast<uint8_t>(i * 7));
  std::string path = dir.file(GetParam() ? "a.idx.gz" : "a.idx");
  writeBytes(path, idxBytes({3, 4, 5}, data), GetParam());
  IdxArray array = readIdx(path);
  EXPECT_EQ(array.dims, (std::vector<int64_t>{3, 4, 5}));
  EXPECT_EQ(array.data, data);
}

INSTANTIATE_TEST_SUITE_P(PlainAndGzip, IdxRoundTrip, ::testing::Bool(),
                         [](const auto &info) {
                           return info.param ? "Gzip" : "Plain";
                         });

TEST(Idx, EmptyFirstDimension) {
  TempDir dir;
  writeBytes(dir.file("e.gz"), idxBytes({0, 28, 28}, {}), true);
  IdxArray array = readIdx(dir.file("e.gz"));
  EXPECT_EQ(array.dims, (std::vector<int64_t>{0, 28, 28}));
  EXPECT_TRUE(array.data.empty());
}

TEST(Idx, MissingFile) {
  TempDir dir;
  std::string path = dir.file("train-images-idx3-ubyte.gz");
  EXPECT_EQ(idxError(path), path + ": no such file");
}

TEST(Idx, WrongMagicNumber) {
  TempDir dir;
  std::string path = dir.file("train-images-idx3-ubyte.gz");
  writeBytes(path, std::string("\x12\x34\x56\x78\0\0\0\0", 8), true);
  EXPECT_EQ(idxError(path),
            path + ": not an IDX file (magic number 0x12345678)");
}

TEST(Idx, UnsupportedElementType) {
  TempDir dir;
  std::string path = dir.file("floats.idx");
  writeBytes(path, std::string("\0\0\x0d\x01\0\0\0\x01\0\0\0\0", 12), false);
  EXPECT_EQ(idxError(path), path + ": unsupported IDX element type 0x0d "
                                   "(only unsigned byte, 0x08, is supported)");
}

TEST(Idx, TooShortForMagic) {
  TempDir dir;
  std::string path = dir.file("short");
  writeBytes(path, std::string("\0\0", 2), false);
  EXPECT_EQ(idxError(path), path + ": not an IDX file (only 2 bytes long)");
}

TEST(Idx, TruncatedHeader) {
  TempDir dir;
  std::string path = dir.file("hdr.gz");
  writeBytes(path, std::string("\0\0\x08\x03\0\0\0\x0a", 8), true);
  EXPECT_EQ(idxError(path), path + ": truncated: the header declares 3 "
                                   "dimensions but the file ends after 8 "
                                   "bytes");
}

TEST(Idx, TruncatedData) {
  TempDir dir;
  std::string path = dir.file("train-images-idx3-ubyte.gz");
  writeBytes(path, idxBytes({60000, 28, 28}, std::vector<uint8_t>(1000, 1)),
             true);
  EXPECT_EQ(idxError(path),
            path + ": truncated: expected 47040000 bytes of data, found 1000");
}

TEST(Idx, TruncatedGzipStream) {
  TempDir dir;
  std::string whole = dir.file("whole.gz");
  std::vector<uint8_t> data(20000);
  for (size_t i = 0; i < data.size(); ++i)
    data[i] = static_cast<uint8_t>((i * 2654435761u) >> 13);
  writeBytes(whole, idxBytes({20000}, data), true);
  std::string bytes = readFile(whole);
  std::string cut = dir.file("cut.gz");
  writeBytes(cut, bytes.substr(0, bytes.size() / 2), false);
  std::string message = idxError(cut);
  EXPECT_EQ(message.rfind(cut + ": truncated: expected 20000 bytes", 0), 0u)
      << message;
}

TEST(Idx, TrailingData) {
  TempDir dir;
  std::string path = dir.file("long.idx");
  writeBytes(path, idxBytes({2}, {1, 2, 3}), false);
  EXPECT_EQ(idxError(path),
            path + ": unexpected data after the 2 bytes the header declares");
}

TEST(Idx, FolderInsteadOfFile) {
  TempDir dir;
  EXPECT_EQ(idxError(dir.path()),
            dir.path() + ": is a folder, not an IDX file");
}

} // namespace
