//===- manifest_entries.cpp - The entry signatures of the manifest --------===//
//
// "entries" gives, per entry point, the role of every pointer of its packed
// array (docs/abi.md). Everything the trainer relies on when it binds those
// pointers is checked here, once, at startup: roles it knows, names that
// exist, no pointer twice, and a train step that writes every tensor it
// reads, so that swapping the two sets after a step never leaves a stale one.
//
//===----------------------------------------------------------------------===//
#include "kiln/error.h"
#include "manifest_json.h"

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

namespace kiln {

const char *roleName(Role role) {
  switch (role) {
  case Role::Input:
    return "input";
  case Role::Label:
    return "label";
  case Role::Param:
    return "param";
  case Role::Buffer:
    return "buffer";
  case Role::State:
    return "state";
  case Role::Rng:
    return "rng";
  case Role::Loss:
    return "loss";
  case Role::SampleLoss:
    return "sample_loss";
  case Role::Logits:
    return "logits";
  case Role::Epoch:
    return "epoch";
  case Role::Step:
    return "step";
  case Role::LrScale:
    return "lr_scale";
  case Role::Lr:
    return "lr";
  case Role::GradNorm:
    return "grad_norm";
  case Role::Grad:
    return "grad";
  case Role::Hessian:
    return "hessian";
  }
  return "?";
}

std::vector<size_t> EntrySignature::resultsWith(Role role) const {
  std::vector<size_t> found;
  for (size_t i = 0; i < results.size(); ++i)
    if (results[i].role == role)
      found.push_back(i);
  return found;
}

namespace manifest_json {
namespace {

const std::vector<Role> kArgRoles = {Role::Input,  Role::Label, Role::Param,
                                     Role::Buffer, Role::State, Role::Rng,
                                     Role::Epoch,  Role::Step,  Role::LrScale};
const std::vector<Role> kResultRoles = {
    Role::Loss,  Role::SampleLoss, Role::Logits,   Role::Param, Role::Buffer,
    Role::State, Role::Lr,         Role::GradNorm, Role::Grad,  Role::Hessian};

bool isModelTensor(Role role) {
  return role == Role::Param || role == Role::Buffer || role == Role::State;
}

/// The manifest key and list that a param/buffer/state binding names a
/// member of.
std::pair<const char *, const std::vector<TensorSpec> *>
tensorList(const Manifest &m, Role role) {
  switch (role) {
  case Role::Param:
    return {"params", &m.params};
  case Role::Buffer:
    return {"buffers", &m.buffers};
  default:
    return {"state", &m.state};
  }
}

/// `kind` is "role" for arguments and "output" for results.
Role getRole(const json &j, const std::string &where, const std::string &kind,
             const std::vector<Role> &allowed) {
  std::string s = getString(j, where);
  std::string expected;
  for (size_t i = 0; i < allowed.size(); ++i) {
    if (s == roleName(allowed[i]))
      return allowed[i];
    if (i > 0)
      expected += i + 1 == allowed.size() ? " or " : ", ";
    expected += roleName(allowed[i]);
  }
  fail(where, "unknown " + kind + " '" + s + "' (expected " + expected + ")");
}

/// The name of a param/buffer/state binding must be in the matching list,
/// and an input or label, when named, must be the manifest's.
void checkName(const Binding &b, const std::string &where, const Manifest &m) {
  std::string role = roleName(b.role);
  if (isModelTensor(b.role) || b.role == Role::Grad) {
    if (b.name.empty())
      fail(where, "missing key 'name'");
    // A gradient is named after its parameter.
    auto [key, list] =
        tensorList(m, b.role == Role::Grad ? Role::Param : b.role);
    if (std::none_of(list->begin(), list->end(),
                     [&](const TensorSpec &t) { return t.name == b.name; }))
      fail(join(where, "name"),
           role + " '" + b.name + "' is not in \"" + key + "\"");
  }
  const TensorSpec *batch = b.role == Role::Input   ? &m.input
                            : b.role == Role::Label ? &m.label
                                                    : nullptr;
  if (batch && !b.name.empty() && b.name != batch->name)
    fail(join(where, "name"), role + " '" + b.name + "' is not the " + role +
                                  " '" + batch->name + "' of the manifest");
}

std::vector<Binding> getBindings(const json &j, const std::string &where,
                                 const std::string &kind,
                                 const std::vector<Role> &allowed,
                                 const Manifest &m) {
  if (!j.is_array())
    fail(where, "expected an array");
  std::vector<Binding> list;
  std::set<std::pair<Role, std::string>> seen;
  for (size_t i = 0; i < j.size(); ++i) {
    std::string at = where + "[" + std::to_string(i) + "]";
    Binding b;
    b.role = getRole(member(j[i], at, kind), join(at, kind), kind, allowed);
    if (const json *name = optionalMember(j[i], "name"))
      b.name = getString(*name, join(at, "name"));
    checkName(b, at, m);
    // Two pointers for one buffer would make a result alias another.
    if (!seen.insert({b.role, b.name}).second)
      fail(at, "duplicate " + std::string(roleName(b.role)) +
                   (b.name.empty() ? "" : " '" + b.name + "'"));
    list.push_back(std::move(b));
  }
  return list;
}

EntrySignature getEntry(const json &entries, const std::string &name,
                        const Manifest &m) {
  std::string where = "entries." + name;
  const json &entry = member(entries, "entries", name);
  EntrySignature sig;
  sig.args = getBindings(member(entry, where, "args"), where + ".args", "role",
                         kArgRoles, m);
  sig.results = getBindings(member(entry, where, "results"), where + ".results",
                            "output", kResultRoles, m);
  return sig;
}

void requireResult(const EntrySignature &sig, const std::string &where,
                   Role role) {
  if (std::none_of(sig.results.begin(), sig.results.end(),
                   [&](const Binding &r) { return r.role == role; }))
    fail(where + ".results",
         "no result with output '" + std::string(roleName(role)) + "'");
}

/// A train step carries every buffer and state tensor it reads to the next
/// step; one it read but did not write would be lost. Parameters may be
/// read only: frozen layers are not updated.
void checkWritesWhatItReads(const EntrySignature &sig) {
  for (size_t i = 0; i < sig.args.size(); ++i) {
    const Binding &a = sig.args[i];
    if ((a.role == Role::Buffer || a.role == Role::State) &&
        std::none_of(sig.results.begin(), sig.results.end(),
                     [&](const Binding &r) {
                       return r.role == a.role && r.name == a.name;
                     }))
      fail("entries.train_step.args[" + std::to_string(i) + "]",
           "reads " + std::string(roleName(a.role)) + " '" + a.name +
               "' but no result writes it");
  }
}

} // namespace

void parseEntries(const json &root, Manifest &m) {
  const json *entries = optionalMember(root, "entries");
  if (!entries)
    throw Error("manifest has no \"entries\" (compiled by an older kilnc?)");
  m.trainStep = getEntry(*entries, "train_step", m);
  m.eval = getEntry(*entries, "eval", m);
  if (optionalMember(*entries, "hessian"))
    m.hessian = getEntry(*entries, "hessian", m);
  checkWritesWhatItReads(m.trainStep);
  // The results the trainer reads; any others go to scratch buffers.
  requireResult(m.trainStep, "entries.train_step", Role::Loss);
  requireResult(m.eval, "entries.eval", Role::SampleLoss);
  requireResult(m.eval, "entries.eval", Role::Logits);
}

} // namespace manifest_json
} // namespace kiln
