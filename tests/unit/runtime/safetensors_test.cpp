//===- safetensors_test.cpp - Tests of the safetensors writer and reader --===//
//
// Pins the exact byte layout (so PyTorch's loader accepts our files), checks
// the atomic write, and feeds the reader corrupt files.
//
//===----------------------------------------------------------------------===//
#include "kiln/error.h"
#include "kiln/safetensors.h"
#include "test_util.h"

#include <cstring>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace kiln;
using namespace kiln::test;

namespace {

struct Fixture {
  Tensor weight{DType::F32, {2, 3}};
  Tensor bias{DType::F32, {2}};
  Tensor counts{DType::I32, {3}};
  Fixture() {
    for (int i = 0; i < 6; ++i)
      weight.f32()[i] = 0.5f * i - 1;
    bias.f32()[0] = 3.25f;
    bias.f32()[1] = -7.0f;
    for (int i = 0; i < 3; ++i)
      counts.i32()[i] = 100 * i - 1;
  }
  std::vector<TensorRef> refs() const {
    return {{"fc1.weight", &weight}, {"fc1.bias", &bias}, {"counts", &counts}};
  }
};

uint64_t headerLength(const std::string &bytes) {
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i)
    n = (n << 8) | static_cast<unsigned char>(bytes[i]);
  return n;
}

std::string readError(const std::string &path) {
  try {
    readSafetensors(path);
  } catch (const Error &e) {
    return e.what();
  }
  ADD_FAILURE() << "readSafetensors did not throw";
  return "";
}

/// A file with the given raw header text (length prefix added) and data.
void writeRaw(const std::string &path, const std::string &header,
              const std::string &data) {
  std::string bytes(8, '\0');
  for (int i = 0; i < 8; ++i)
    bytes[i] = static_cast<char>((uint64_t(header.size()) >> (8 * i)) & 0xff);
  writeBytes(path, bytes + header + data, false);
}

TEST(Safetensors, RoundTrip) {
  TempDir dir;
  Fixture f;
  std::string path = dir.file("model.safetensors");
  writeSafetensors(path, f.refs(), {{"format", "pt"}, {"model", "m"}});
  SafetensorsFile file = readSafetensors(path);
  EXPECT_EQ(file.metadata, (std::map<std::string, std::string>{
                               {"format", "pt"}, {"model", "m"}}));
  ASSERT_EQ(file.tensors.size(), 3u);
  EXPECT_EQ(file.tensors[0].name, "fc1.weight"); // Data-offset order.
  const Tensor *w = file.find("fc1.weight");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->shape(), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(std::memcmp(w->raw(), f.weight.raw(), f.weight.bytes()), 0);
  const Tensor *counts = file.find("counts");
  ASSERT_NE(counts, nullptr);
  EXPECT_EQ(counts->dtype(), DType::I32);
  EXPECT_EQ(counts->i32()[2], 199);
  EXPECT_EQ(file.find("nope"), nullptr);
}

TEST(Safetensors, RoundTripsI64) {
  TempDir dir;
  Tensor seeds(DType::I64, {2});
  seeds.i64()[0] = INT64_MIN;
  seeds.i64()[1] = 0x0123456789abcdefLL;
  std::string path = dir.file("i64.safetensors");
  writeSafetensors(path, {{"seeds", &seeds}});
  SafetensorsFile file = readSafetensors(path);
  const Tensor *read = file.find("seeds");
  ASSERT_NE(read, nullptr);
  EXPECT_EQ(read->dtype(), DType::I64);
  EXPECT_EQ(read->i64()[0], INT64_MIN);
  EXPECT_EQ(read->i64()[1], 0x0123456789abcdefLL);
  EXPECT_NE(readFile(path).find(R"("dtype":"I64")"), std::string::npos);
}

TEST(Safetensors, RoundTripsF64) {
  // Values a float cannot hold must come back bit for bit.
  TempDir dir;
  Tensor weight(DType::F64, {3});
  weight.f64()[0] = 0.1;
  weight.f64()[1] = -1e300;
  weight.f64()[2] = 1.0 + 0x1p-52;
  std::string path = dir.file("f64.safetensors");
  writeSafetensors(path, {{"w", &weight}});
  SafetensorsFile file = readSafetensors(path);
  const Tensor *read = file.find("w");
  ASSERT_NE(read, nullptr);
  EXPECT_EQ(read->dtype(), DType::F64);
  EXPECT_EQ(read->shape(), (std::vector<int64_t>{3}));
  EXPECT_EQ(std::memcmp(read->raw(), weight.raw(), weight.bytes()), 0);
  EXPECT_NE(readFile(path).find(R"("w":{"dtype":"F64","shape":[3],)"
                                R"("data_offsets":[0,24]})"),
            std::string::npos);
}

TEST(Safetensors, ExactByteLayout) {
  TempDir dir;
  Fixture f;
  std::string path = dir.file("layout.safetensors");
  writeSafetensors(path, f.refs(), {{"format", "pt"}});
  std::string bytes = readFile(path);
  uint64_t n = headerLength(bytes);
  EXPECT_EQ(n % 8, 0u);
  ASSERT_EQ(bytes.size(), 8 + n + 24 + 8 + 12);
  std::string header = bytes.substr(8, n);
  // Padding is trailing spaces after the closing brace.
  size_t close = header.rfind('}');
  EXPECT_EQ(header.find_first_not_of(' ', close + 1), std::string::npos);
  EXPECT_LT(header.size() - close - 1, 8u);
  nlohmann::json parsed = nlohmann::json::parse(header);
  nlohmann::json expected = {
      {"__metadata__", {{"format", "pt"}}},
      {"fc1.weight",
       {{"dtype", "F32"}, {"shape", {2, 3}}, {"data_offsets", {0, 24}}}},
      {"fc1.bias",
       {{"dtype", "F32"}, {"shape", {2}}, {"data_offsets", {24, 32}}}},
      {"counts",
       {{"dtype", "I32"}, {"shape", {3}}, {"data_offsets", {32, 44}}}}};
  EXPECT_EQ(parsed, expected);
  // Keys keep the caller's order, metadata first.
  EXPECT_LT(header.find("__metadata__"), header.find("fc1.weight"));
  EXPECT_LT(header.find("fc1.weight"), header.find("fc1.bias"));
  // Data follows the header directly, little-endian f32.
  float bias0;
  std::memcpy(&bias0, bytes.data() + 8 + n + 24, 4);
  EXPECT_EQ(bias0, 3.25f);
}

TEST(Safetensors, NoMetadataKeyWhenEmpty) {
  TempDir dir;
  Fixture f;
  writeSafetensors(dir.file("a"), {{"b", &f.bias}});
  std::string bytes = readFile(dir.file("a"));
  EXPECT_EQ(bytes.find("__metadata__"), std::string::npos);
  EXPECT_TRUE(readSafetensors(dir.file("a")).metadata.empty());
}

TEST(Safetensors, AtomicWriteLeavesNoTempFile) {
  TempDir dir;
  Fixture f;
  std::string path = dir.file("p.safetensors");
  writeBytes(path, "old contents", false);
  writeSafetensors(path, f.refs());
  EXPECT_FALSE(fileExists(path + ".tmp"));
  EXPECT_EQ(readSafetensors(path).tensors.size(), 3u);
}

TEST(Safetensors, WriteIntoMissingFolderFails) {
  TempDir dir;
  Fixture f;
  std::string path = dir.file("missing/p.safetensors");
  EXPECT_THROW(writeSafetensors(path, f.refs()), Error);
  EXPECT_FALSE(fileExists(path + ".tmp"));
}

TEST(Safetensors, DuplicateNamesRejected) {
  TempDir dir;
  Fixture f;
  EXPECT_THROW(
      writeSafetensors(dir.file("d"), {{"x", &f.bias}, {"x", &f.bias}}), Error);
}

TEST(Safetensors, RejectsTruncatedFile) {
  TempDir dir;
  Fixture f;
  std::string path = dir.file("t.safetensors");
  writeSafetensors(path, f.refs());
  std::string bytes = readFile(path);
  writeBytes(path, bytes.substr(0, bytes.size() - 4), false);
  EXPECT_EQ(readError(path).rfind(path + ": corrupt safetensors", 0), 0u)
      << readError(path);
  writeBytes(path, bytes.substr(0, 5), false);
  EXPECT_EQ(readError(path),
            path + ": not a safetensors file (only 5 bytes long)");
}

TEST(Safetensors, RejectsHugeHeaderLength) {
  TempDir dir;
  std::string path = dir.file("h");
  writeBytes(path, std::string("\xff\xff\xff\xff\0\0\0\0{}", 10), false);
  EXPECT_NE(readError(path).find("header size 4294967295 exceeds"),
            std::string::npos);
}

TEST(Safetensors, RejectsInvalidJson) {
  TempDir dir;
  std::string path = dir.file("j");
  writeRaw(path, "{\"a\": [1, 2", "");
  EXPECT_NE(readError(path).find("invalid JSON"), std::string::npos);
}

TEST(Safetensors, RejectsShapeOffsetMismatch) {
  TempDir dir;
  std::string path = dir.file("s");
  writeRaw(path, R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})",
           std::string(8, '\0'));
  EXPECT_EQ(readError(path), path + ": corrupt safetensors header: tensor 'w': "
                                    "data_offsets span 8 bytes but shape [3] "
                                    "needs 12");
}

TEST(Safetensors, RejectsGapsAndTrailingData) {
  TempDir dir;
  std::string path = dir.file("g");
  writeRaw(path, R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})",
           std::string(8, '\0'));
  EXPECT_NE(readError(path).find("gap or overlap"), std::string::npos);
  writeRaw(path, R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})",
           std::string(8, '\0'));
  EXPECT_NE(readError(path).find("the data section has 8 bytes but the "
                                 "tensors cover 4"),
            std::string::npos);
}

TEST(Safetensors, RejectsUnsupportedDType) {
  TempDir dir;
  std::string path = dir.file("u");
  writeRaw(path, R"({"w":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}})",
           std::string(4, '\0'));
  EXPECT_EQ(readError(path), path +
                                 ": tensor 'w' has unsupported dtype BF16 "
                                 "(only F32, F64, I32 and I64 are supported)");
}

TEST(Safetensors, MissingFile) {
  TempDir dir;
  EXPECT_NE(readError(dir.file("none")).find(": cannot open"),
            std::string::npos);
}

} // namespace
