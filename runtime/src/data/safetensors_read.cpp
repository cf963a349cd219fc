//===- safetensors_read.cpp - Reading .safetensors files ------------------===//
//
// Validates everything before trusting it: the header length, the JSON, each
// entry's dtype, shape and offsets, and that the tensors tile the data
// section exactly (no gaps, overlaps or trailing bytes), as the format
// requires. Files come from users (--init), so every check names the file.
//
//===----------------------------------------------------------------------===//
#include "kiln/error.h"
#include "kiln/safetensors.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

namespace kiln {
namespace {

using json = nlohmann::json;

/// Same limit as the reference implementation: headers are small, and a
/// huge length is a sign of a corrupt or foreign file.
constexpr uint64_t kMaxHeader = 100 << 20;

struct Entry {
  std::string name;
  DType dtype;
  std::vector<int64_t> shape;
  uint64_t begin, end;
};

Entry parseEntry(const std::string &name, const json &j, uint64_t dataSize,
                 const std::string &path) {
  auto bad = [&](const std::string &what) {
    return Error(path + ": corrupt safetensors header: tensor '" + name +
                 "': " + what);
  };
  if (!j.is_object() || !j.contains("dtype") || !j.contains("shape") ||
      !j.contains("data_offsets"))
    throw bad("expected an object with dtype, shape and data_offsets");
  Entry e{name, DType::F32, {}, 0, 0};
  const json &dtype = j["dtype"];
  if (!dtype.is_string())
    throw bad("dtype is not a string");
  if (dtype == "F32")
    e.dtype = DType::F32;
  else if (dtype == "F64")
    e.dtype = DType::F64;
  else if (dtype == "I32")
    e.dtype = DType::I32;
  else if (dtype == "I64")
    e.dtype = DType::I64;
  else
    throw Error(path + ": tensor '" + name + "' has unsupported dtype " +
                dtype.get<std::string>() +
                " (only F32, F64, I32 and I64 are supported)");
  const json &shape = j["shape"];
  if (!shape.is_array())
    throw bad("shape is not an array");
  for (const json &d : shape) {
    if (!d.is_number_unsigned())
      throw bad("shape has a non-integer or negative dimension");
    e.shape.push_back(d.get<int64_t>());
  }
  const json &offsets = j["data_offsets"];
  if (!offsets.is_array() || offsets.size() != 2 ||
      !offsets[0].is_number_unsigned() || !offsets[1].is_number_unsigned())
    throw bad("data_offsets is not a pair of non-negative integers");
  e.begin = offsets[0].get<uint64_t>();
  e.end = offsets[1].get<uint64_t>();
  if (e.begin > e.end || e.end > dataSize)
    throw bad("data_offsets [" + std::to_string(e.begin) + ", " +
              std::to_string(e.end) + "] outside the data section of " +
              std::to_string(dataSize) + " bytes");
  int64_t numel;
  try {
    numel = shapeNumel(e.shape);
  } catch (const Error &err) {
    throw bad(err.what());
  }
  uint64_t need = static_cast<uint64_t>(numel) * dtypeSize(e.dtype);
  if (e.end - e.begin != need)
    throw bad("data_offsets span " + std::to_string(e.end - e.begin) +
              " bytes but shape " + shapeString(e.shape) + " needs " +
              std::to_string(need));
  return e;
}

} // namespace

const Tensor *SafetensorsFile::find(const std::string &name) const {
  for (const NamedTensor &t : tensors)
    if (t.name == name)
      return &t.tensor;
  return nullptr;
}

SafetensorsFile readSafetensors(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error(path + ": cannot open: " + std::strerror(errno));
  std::string bytes((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
  if (in.bad())
    throw Error(path + ": read failed");
  if (bytes.size() < 8)
    throw Error(path + ": not a safetensors file (only " +
                std::to_string(bytes.size()) + " bytes long)");
  uint64_t headerSize = 0;
  for (int i = 7; i >= 0; --i)
    headerSize = (headerSize << 8) | static_cast<unsigned char>(bytes[i]);
  if (headerSize > kMaxHeader || headerSize > bytes.size() - 8)
    throw Error(path + ": not a safetensors file (header size " +
                std::to_string(headerSize) + " exceeds the file size " +
                std::to_string(bytes.size()) + ")");

  json header;
  try {
    header = json::parse(bytes.begin() + 8, bytes.begin() + 8 + headerSize);
  } catch (const json::parse_error &e) {
    throw Error(path + ": corrupt safetensors header: invalid JSON (" +
                e.what() + ")");
  }
  if (!header.is_object())
    throw Error(path + ": corrupt safetensors header: not a JSON object");

  const uint64_t dataStart = 8 + headerSize;
  const uint64_t dataSize = bytes.size() - dataStart;
  SafetensorsFile file;
  std::vector<Entry> entries;
  for (const auto &[key, value] : header.items()) {
    if (key != "__metadata__") {
      entries.push_back(parseEntry(key, value, dataSize, path));
      continue;
    }
    if (!value.is_object())
      throw Error(path + ": corrupt safetensors header: __metadata__ is not "
                         "an object");
    for (const auto &[mkey, mvalue] : value.items()) {
      if (!mvalue.is_string())
        throw Error(path + ": corrupt safetensors header: metadata '" + mkey +
                    "' is not a string");
      file.metadata[mkey] = mvalue.get<std::string>();
    }
  }

  std::sort(entries.begin(), entries.end(), [](const Entry &x, const Entry &y) {
    return x.begin != y.begin ? x.begin < y.begin : x.end < y.end;
  });
  uint64_t expect = 0;
  for (const Entry &e : entries) {
    if (e.begin != expect)
      throw Error(path + ": corrupt safetensors file: tensor '" + e.name +
                  "' starts at byte " + std::to_string(e.begin) +
                  " of the data section, expected " + std::to_string(expect) +
                  " (gap or overlap)");
    expect = e.end;
  }
  if (expect != dataSize)
    throw Error(path + ": corrupt safetensors file: the data section has " +
                std::to_string(dataSize) + " bytes but the tensors cover " +
                std::to_string(expect));

  for (const Entry &e : entries) {
    Tensor t(e.dtype, e.shape);
    if (t.bytes())
      std::memcpy(t.raw(), bytes.data() + dataStart + e.begin, t.bytes());
    file.tensors.push_back({e.name, std::move(t)});
  }
  return file;
}

} // namespace kiln
