//===- manifest_json.h - Shared helpers of the manifest parser --*- C++ -*-===//
//
// The manifest parser is split in three: manifest.cpp reads the tensors and
// the data section, manifest_train.cpp the training settings and
// manifest_entries.cpp the entry signatures. All read fields and report
// errors through these helpers, so every message has the same
// `malformed manifest: <field>: <problem>` form.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_MANIFEST_JSON_H
#define KILN_RUNTIME_MANIFEST_JSON_H

#include "kiln/manifest.h"

#include <nlohmann/json.hpp>
#include <string>

namespace kiln::manifest_json {

using json = nlohmann::json;

/// Throws kiln::Error("malformed manifest: WHERE: WHAT").
[[noreturn]] void fail(const std::string &where, const std::string &what);
/// The path of `key` inside `where`, e.g. "params[2].init".
std::string join(const std::string &where, const std::string &key);
/// obj[key]; fails unless obj is an object that has `key`.
const json &member(const json &obj, const std::string &where,
                   const std::string &key);
/// obj[key], or nullptr when absent.
const json *optionalMember(const json &obj, const std::string &key);
std::string getString(const json &j, const std::string &where);
/// An integer >= `min`.
int64_t getInt(const json &j, const std::string &where, int64_t min);
/// A seed: any unsigned 64-bit integer.
uint64_t getSeed(const json &j, const std::string &where);
/// A finite number.
double getNumber(const json &j, const std::string &where);
/// A list of dimensions whose product fits in 64 bits.
std::vector<int64_t> getShape(const json &j, const std::string &where);
/// "f32", "f64", "i32" or "i64".
DType getDType(const json &j, const std::string &where);

/// Reads root["train"] into m.
void parseTrain(const json &train, Manifest &m);

/// Reads root["entries"] into m.entries and checks that the runtime can bind
/// them; m's tensor lists, input and label must be read already.
void parseEntries(const json &root, Manifest &m);

} // namespace kiln::manifest_json

#endif // KILN_RUNTIME_MANIFEST_JSON_H
