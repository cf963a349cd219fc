//===- safetensors_write.cpp - Writing .safetensors files -----------------===//
//
// The header is built with nlohmann::ordered_json so that tensors appear in
// the caller's order (manifest order for parameters) and the output is a
// pure function of the inputs: the same run saves byte-identical files.
// The file is written to FILE.tmp in the same folder, fsync'ed and renamed
// over FILE; rename within one file system is atomic, so readers see either
// the old file or the complete new one.
//
//===----------------------------------------------------------------------===//
#include "kiln/error.h"
#include "kiln/safetensors.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <set>
#include <unistd.h>

namespace kiln {
namespace {

const char *safetensorsDType(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "F32";
  case DType::F64:
    return "F64";
  case DType::I32:
    return "I32";
  case DType::I64:
    return "I64";
  case DType::U8:
    return "U8";
  }
  return "F32";
}

std::string buildHeader(const std::vector<TensorRef> &tensors,
                        const std::map<std::string, std::string> &metadata,
                        const std::string &path) {
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata.empty()) {
    nlohmann::ordered_json meta = nlohmann::ordered_json::object();
    for (const auto &[key, value] : metadata)
      meta[key] = value;
    header["__metadata__"] = meta;
  }
  std::set<std::string> seen;
  uint64_t offset = 0;
  for (const auto &[name, tensor] : tensors) {
    if (name == "__metadata__" || !seen.insert(name).second)
      throw Error(path + ": cannot save tensor named '" + name +
                  "' (reserved or duplicate name)");
    uint64_t end = offset + tensor->bytes();
    header[name] = {{"dtype", safetensorsDType(tensor->dtype())},
                    {"shape", tensor->shape()},
                    {"data_offsets", {offset, end}}};
    offset = end;
  }
  std::string text = header.dump();
  // Padding the header keeps the data section 8-byte aligned for readers
  // that map the file; the format allows trailing spaces.
  text.append((8 - text.size() % 8) % 8, ' ');
  return text;
}

void writeAll(std::FILE *f, const void *data, size_t size,
              const std::string &tmp) {
  if (size && std::fwrite(data, 1, size, f) != size)
    throw Error(tmp + ": write failed: " + std::strerror(errno));
}

/// Makes the rename itself durable; failure here is harmless, so ignored.
void syncFolder(const std::string &path) {
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
  if (dir.empty())
    dir = "/";
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

} // namespace

void writeSafetensors(const std::string &path,
                      const std::vector<TensorRef> &tensors,
                      const std::map<std::string, std::string> &metadata) {
  std::string header = buildHeader(tensors, metadata, path);
  std::string tmp = path + ".tmp";
  std::FILE *f = std::fopen(tmp.c_str(), "wb");
  if (!f)
    throw Error(path + ": cannot write: " + std::strerror(errno));
  try {
    unsigned char length[8];
    uint64_t n = header.size();
    for (int i = 0; i < 8; ++i)
      length[i] = static_cast<unsigned char>(n >> (8 * i)); // Little-endian.
    writeAll(f, length, 8, tmp);
    writeAll(f, header.data(), header.size(), tmp);
    // Tensor data is stored little-endian, the host order on every target
    // Kiln supports (x86-64, AArch64).
    for (const auto &entry : tensors)
      writeAll(f, entry.second->raw(), entry.second->bytes(), tmp);
    if (std::fflush(f) != 0 || ::fsync(fileno(f)) != 0)
      throw Error(tmp + ": write failed: " + std::strerror(errno));
  } catch (...) {
    std::fclose(f);
    std::remove(tmp.c_str());
    throw;
  }
  if (std::fclose(f) != 0) {
    std::remove(tmp.c_str());
    throw Error(tmp + ": write failed: " + std::strerror(errno));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    std::remove(tmp.c_str());
    throw Error(path + ": cannot replace with " + tmp + ": " +
                std::strerror(err));
  }
  syncFolder(path);
}

} // namespace kiln
