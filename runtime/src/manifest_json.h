//===- manifest_json.h - Shared helpers of the manifest parser --*- C++ -*-===//
//
// The manifest parser is split in three: manifest.cpp reads the tensors and
// the data section, manifest_train.cpp the training recipe and
// manifest_entries.cpp the entry signatures. Both read fields and
// report errors through these helpers, so every message has the same
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
/// A finite number.
double getNumber(const json &j, const std::string &where);
/// A whole number >= `min` that the compiler writes as a float attribute
/// (a count among a recipe's real-valued settings).
int64_t getCount(const json &j, const std::string &where, int64_t min);

/// Reads root["train"] (epochs, seed, the plateau schedule's settings,
/// val_split, init_from) into m.
void parseTrain(const json &train, Manifest &m);

/// Reads train.optimizer (newton), train.line_search and train.tolerance
/// into m.fullBatch when the recipe is a full-batch method.
void parseFullBatch(const json &train, Manifest &m);

/// Reads root["entries"] into m.trainStep and m.eval and checks that the
/// trainer can bind them; m's tensor lists must be read already.
void parseEntries(const json &root, Manifest &m);

} // namespace kiln::manifest_json

#endif // KILN_RUNTIME_MANIFEST_JSON_H
