//===- manifest_entries.cpp - The entry signatures of the manifest --------===//
//
// "entries" gives, per entry point, the role, name, shape and element type of
// every pointer of its packed array (docs/abi.md). Everything the runtime
// relies on when it binds those pointers is checked here, once, at startup:
// entries and roles it knows, names that exist, shapes that agree with the
// tensors they name, no pointer twice, the results each entry must have, and
// a train step that writes every tensor it reads, so that swapping the two
// sets after a step never leaves a stale one.
//
//===----------------------------------------------------------------------===//
#include "kiln/error.h"
#include "manifest_json.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>
#include <vector>

namespace kiln {

std::vector<size_t> EntrySignature::resultsWith(Role role) const {
  std::vector<size_t> found;
  for (size_t i = 0; i < results.size(); ++i)
    if (results[i].role == role)
      found.push_back(i);
  return found;
}

const EntrySignature *Manifest::find(Entry e) const {
  const std::optional<EntrySignature> &sig = entries[static_cast<size_t>(e)];
  return sig ? &*sig : nullptr;
}

const EntrySignature &Manifest::entry(Entry e) const {
  if (const EntrySignature *sig = find(e))
    return *sig;
  throw Error("the program " + model + " has no entry point '" +
              std::string(rt::name(e)) + "'");
}

namespace manifest_json {
namespace {

/// "a, b or c": the names of `table` that `keep` accepts, for messages.
template <typename Info, size_t N, typename Keep>
std::string nameList(const Info (&table)[N], Keep keep) {
  std::vector<std::string> names;
  for (size_t i = 0; i < N; ++i)
    if (keep(i))
      names.emplace_back(table[i].name);
  std::string text;
  for (size_t i = 0; i < names.size(); ++i)
    text += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  return text;
}

/// The tensor that a binding of a model tensor, input or label refers to, or
/// null; fails when the name is not in the matching list.
const TensorSpec *describedTensor(const Binding &b, const std::string &where,
                                  const Manifest &m) {
  if (b.role == Role::Input || b.role == Role::Label) {
    const TensorSpec &spec = b.role == Role::Input ? m.input : m.label;
    if (!b.name.empty() && b.name != spec.name)
      fail(join(where, "name"), std::string(rt::name(b.role)) + " '" + b.name +
                                    "' is not the " +
                                    std::string(rt::name(b.role)) + " '" +
                                    spec.name + "' of the manifest");
    return &spec;
  }
  // A gradient is named after, and shaped like, its parameter.
  Role listRole = b.role == Role::Grad ? Role::Param : b.role;
  if (!rt::isModelTensor(listRole))
    return nullptr;
  if (b.name.empty())
    fail(where, "missing key 'name'");
  const std::vector<TensorSpec> &list = listRole == Role::Param    ? m.params
                                        : listRole == Role::Buffer ? m.buffers
                                                                   : m.state;
  auto it = std::find_if(list.begin(), list.end(),
                         [&](const TensorSpec &t) { return t.name == b.name; });
  if (it == list.end())
    fail(join(where, "name"), std::string(rt::name(b.role)) + " '" + b.name +
                                  "' is not in \"" +
                                  (listRole == Role::Param    ? "params"
                                   : listRole == Role::Buffer ? "buffers"
                                                              : "state") +
                                  "\"");
  return &*it;
}

/// One binding. Its shape and dtype may be left out where the manifest
/// describes the tensor elsewhere (inputs, labels, params, buffers, state,
/// gradients); given, they must agree.
Binding getBinding(const json &j, const std::string &where, bool isResult,
                   const Manifest &m) {
  Binding b;
  std::string role = getString(member(j, where, "role"), join(where, "role"));
  std::optional<Role> parsed = rt::parse<Role>(role);
  auto allowed = [&](Role r) {
    return isResult ? rt::isResultRole(r) : rt::isArgumentRole(r);
  };
  if (!parsed || !allowed(*parsed))
    fail(join(where, "role"),
         "unknown " + std::string(isResult ? "result" : "argument") +
             " role '" + role + "' (expected " +
             nameList(rt::kRoles,
                      [&](size_t i) { return allowed(static_cast<Role>(i)); }) +
             ")");
  b.role = *parsed;
  if (const json *name = optionalMember(j, "name"))
    b.name = getString(*name, join(where, "name"));
  const TensorSpec *described = describedTensor(b, where, m);
  const json *shape = optionalMember(j, "shape");
  const json *dtype = optionalMember(j, "dtype");
  if (!described && !shape)
    fail(where, "missing key 'shape'");
  if (!described && !dtype)
    fail(where, "missing key 'dtype'");
  b.shape = shape ? getShape(*shape, join(where, "shape")) : described->shape;
  b.dtype = dtype ? getDType(*dtype, join(where, "dtype")) : described->dtype;
  if (described && (b.shape != described->shape || b.dtype != described->dtype))
    fail(where, std::string(rt::name(b.role)) + " '" + described->name +
                    "' is " + dtypeName(b.dtype) + shapeString(b.shape) +
                    " here but " + dtypeName(described->dtype) +
                    shapeString(described->shape) + " in the manifest");
  return b;
}

std::vector<Binding> getBindings(const json &j, const std::string &where,
                                 bool isResult, const Manifest &m) {
  if (!j.is_array())
    fail(where, "expected an array");
  std::vector<Binding> list;
  std::set<std::pair<Role, std::string>> seen;
  for (size_t i = 0; i < j.size(); ++i) {
    std::string at = where + "[" + std::to_string(i) + "]";
    list.push_back(getBinding(j[i], at, isResult, m));
    const Binding &b = list.back();
    // Two pointers for one buffer would make a result alias another.
    if (!seen.insert({b.role, b.name}).second)
      fail(at, "duplicate " + std::string(rt::name(b.role)) +
                   (b.name.empty() ? "" : " '" + b.name + "'"));
  }
  return list;
}

/// The result of `sig` with role `role`; fails when there is none.
const Binding &requireResult(const EntrySignature &sig,
                             const std::string &where, Role role) {
  for (const Binding &r : sig.results)
    if (r.role == role)
      return r;
  fail(where + ".results",
       "no result with role '" + std::string(rt::name(role)) + "'");
}

/// A metric compares the logits with the labels: class indices need
/// [batch, classes, positions...] logits, 0/1 targets logits of their shape.
void checkMetric(Metric metric, const EntrySignature &sig,
                 const std::string &where, const Manifest &m) {
  const Binding &logits = requireResult(sig, where, Role::Logits);
  std::vector<int64_t> expected = m.label.shape;
  if (metric == Metric::Accuracy) {
    if (m.label.dtype != DType::I32)
      fail(where + ".metrics", "accuracy needs i32 class labels");
    expected.insert(expected.begin() + 1, m.classes);
  } else if (!isFloat(m.label.dtype)) {
    fail(where + ".metrics", "binary_accuracy needs float 0/1 targets");
  }
  if (logits.shape != expected)
    fail(where + ".metrics", std::string(rt::name(metric)) +
                                 " compares logits " + shapeString(expected) +
                                 " with the labels, but the logits are " +
                                 shapeString(logits.shape));
}

EntrySignature getEntry(const json &entry, const std::string &where,
                        const Manifest &m) {
  EntrySignature sig;
  sig.args = getBindings(member(entry, where, "args"), where + ".args",
                         /*isResult=*/false, m);
  sig.results = getBindings(member(entry, where, "results"), where + ".results",
                            /*isResult=*/true, m);
  if (const json *metrics = optionalMember(entry, "metrics")) {
    if (!metrics->is_array())
      fail(where + ".metrics", "expected an array");
    for (const json &name : *metrics) {
      std::string text = getString(name, where + ".metrics");
      std::optional<Metric> metric = rt::parse<Metric>(text);
      if (!metric)
        fail(where + ".metrics",
             "unknown metric '" + text + "' (expected " +
                 nameList(rt::kMetrics, [](size_t) { return true; }) + ")");
      checkMetric(*metric, sig, where, m);
      sig.metrics.push_back(*metric);
    }
  }
  return sig;
}

/// The results the runtime reads of each entry; it ignores any others.
void requireResults(Entry entry, const EntrySignature &sig,
                    const std::string &where) {
  switch (entry) {
  case Entry::TrainStep:
    requireResult(sig, where, Role::Loss);
    return;
  case Entry::Eval:
    requireResult(sig, where, Role::SampleLoss);
    return;
  case Entry::Predict:
    requireResult(sig, where, Role::Logits);
    return;
  case Entry::Hessian:
    requireResult(sig, where, Role::Loss);
    requireResult(sig, where, Role::Hessian);
    return;
  }
}

/// A train step carries every buffer and state tensor it reads to the next
/// step; one it read but did not write would be lost. Parameters may be
/// read only: frozen layers are not updated.
void checkWritesWhatItReads(const EntrySignature &sig,
                            const std::string &where) {
  for (size_t i = 0; i < sig.args.size(); ++i) {
    const Binding &a = sig.args[i];
    if ((a.role == Role::Buffer || a.role == Role::State) &&
        std::none_of(sig.results.begin(), sig.results.end(),
                     [&](const Binding &r) {
                       return r.role == a.role && r.name == a.name;
                     }))
      fail(where + ".args[" + std::to_string(i) + "]",
           "reads " + std::string(rt::name(a.role)) + " '" + a.name +
               "' but no result writes it");
  }
}

/// The runtime holds one buffer per role and name besides the model's
/// tensors (CallTensors), so every entry must agree on its shape.
void checkSharedBuffers(const Manifest &m) {
  std::map<std::pair<Role, std::string>, const Binding *> first;
  for (size_t e = 0; e < rt::kNumEntries; ++e) {
    if (!m.entries[e])
      continue;
    for (const auto *list : {&m.entries[e]->args, &m.entries[e]->results})
      for (const Binding &b : *list) {
        if (rt::isModelTensor(b.role))
          continue;
        auto [it, inserted] = first.try_emplace({b.role, b.name}, &b);
        if (!inserted &&
            (it->second->shape != b.shape || it->second->dtype != b.dtype))
          fail("entries." + std::string(rt::kEntries[e].name),
               std::string(rt::name(b.role)) + " is " + dtypeName(b.dtype) +
                   shapeString(b.shape) + " here but " +
                   dtypeName(it->second->dtype) +
                   shapeString(it->second->shape) + " in another entry");
      }
  }
}

} // namespace

void parseEntries(const json &root, Manifest &m) {
  const json &entries = member(root, "", "entries");
  if (!entries.is_object())
    fail("entries", "expected an object");
  for (auto it = entries.begin(); it != entries.end(); ++it) {
    std::string where = "entries." + it.key();
    std::optional<Entry> entry = rt::parse<Entry>(it.key());
    if (!entry)
      fail(where, "unknown entry point (expected " +
                      nameList(rt::kEntries, [](size_t) { return true; }) +
                      ")");
    EntrySignature sig = getEntry(it.value(), where, m);
    requireResults(*entry, sig, where);
    if (*entry == Entry::TrainStep)
      checkWritesWhatItReads(sig, where);
    m.entries[static_cast<size_t>(*entry)] = std::move(sig);
  }
  checkSharedBuffers(m);
}

} // namespace manifest_json
} // namespace kiln
