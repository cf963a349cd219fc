//===- manifest.cpp - Parsing the embedded JSON manifest ------------------===//
//
// The manifest is produced by the compiler, so a malformed one is a compiler
// bug or a version skew; either way the message should point at the exact
// field (e.g. `params[2].init.low`) so the bug can be found quickly. The
// entry signatures are read by manifest_entries.cpp.
//
//===----------------------------------------------------------------------===//
#include "kiln/error.h"
#include "manifest_json.h"

#include <cmath>
#include <set>

namespace kiln::manifest_json {

[[noreturn]] void fail(const std::string &where, const std::string &what) {
  throw Error("malformed manifest: " + where + ": " + what);
}

std::string join(const std::string &where, const std::string &key) {
  return where.empty() ? key : where + "." + key;
}

const json &member(const json &obj, const std::string &where,
                   const std::string &key) {
  if (!obj.is_object())
    fail(where.empty() ? "top level" : where, "expected an object");
  auto it = obj.find(key);
  if (it == obj.end())
    fail(where.empty() ? "top level" : where, "missing key '" + key + "'");
  return *it;
}

const json *optionalMember(const json &obj, const std::string &key) {
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

std::string getString(const json &j, const std::string &where) {
  if (!j.is_string())
    fail(where, "expected a string");
  return j.get<std::string>();
}

int64_t getInt(const json &j, const std::string &where, int64_t min) {
  if (!j.is_number_integer() ||
      (j.is_number_unsigned() && j.get<uint64_t>() > INT64_MAX))
    fail(where, "expected an integer");
  int64_t v = j.get<int64_t>();
  if (v < min)
    fail(where, "expected an integer >= " + std::to_string(min) + ", got " +
                    std::to_string(v));
  return v;
}

double getNumber(const json &j, const std::string &where) {
  if (!j.is_number())
    fail(where, "expected a number");
  double v = j.get<double>();
  if (!std::isfinite(v))
    fail(where, "expected a finite number");
  return v;
}

uint64_t getSeed(const json &j, const std::string &where) {
  if (j.is_number_unsigned())
    return j.get<uint64_t>();
  return static_cast<uint64_t>(getInt(j, where, 0));
}

std::vector<int64_t> getShape(const json &j, const std::string &where) {
  if (!j.is_array())
    fail(where, "expected an array of dimensions");
  std::vector<int64_t> shape;
  for (size_t i = 0; i < j.size(); ++i)
    shape.push_back(getInt(j[i], where + "[" + std::to_string(i) + "]", 0));
  try {
    shapeNumel(shape);
  } catch (const Error &e) {
    fail(where, e.what());
  }
  return shape;
}

DType getDType(const json &j, const std::string &where) {
  std::string s = getString(j, where);
  for (DType dtype : {DType::F32, DType::F64, DType::I32, DType::I64})
    if (s == dtypeName(dtype))
      return dtype;
  fail(where, "unknown dtype '" + s + "' (expected f32, f64, i32 or i64)");
}

} // namespace kiln::manifest_json

namespace kiln {
namespace {

using namespace manifest_json;

InitSpec getInit(const json &j, const std::string &where) {
  InitSpec init;
  std::string kind = getString(member(j, where, "kind"), join(where, "kind"));
  std::optional<rt::Init> parsed = rt::parse<rt::Init>(kind);
  if (!parsed)
    fail(join(where, "kind"),
         "unknown init kind '" + kind +
             "' (expected zeros, constant, uniform or normal)");
  init.kind = *parsed;
  const auto &settings = rt::kInits[static_cast<size_t>(init.kind)].settings;
  double *values[] = {&init.a, &init.b};
  for (size_t i = 0; i < std::size(settings); ++i) {
    if (settings[i].empty())
      break;
    std::string key(settings[i]);
    *values[i] = getNumber(member(j, where, key), join(where, key));
  }
  return init;
}

/// data.targets: what the runtime feeds the label (docs/runtime.md).
Targets getTargets(const json &j, const std::string &where) {
  Targets targets;
  std::string kind = getString(member(j, where, "kind"), join(where, "kind"));
  std::optional<rt::Targets> parsed = rt::parse<rt::Targets>(kind);
  if (!parsed)
    fail(join(where, "kind"), "unknown targets kind '" + kind +
                                  "' (expected classes or foreground_mask)");
  targets.kind = *parsed;
  if (targets.kind == Targets::Kind::ForegroundMask)
    targets.threshold =
        getNumber(member(j, where, "threshold"), join(where, "threshold"));
  return targets;
}

/// data.synthetic_logistic: the generated dataset's settings.
SyntheticLogistic getSynthetic(const json &j, const std::string &where) {
  SyntheticLogistic s;
  s.n = getInt(member(j, where, "n"), join(where, "n"), 5);
  s.d = getInt(member(j, where, "d"), join(where, "d"), 1);
  s.bias = getNumber(member(j, where, "bias"), join(where, "bias"));
  s.seed = getSeed(member(j, where, "seed"), join(where, "seed"));
  return s;
}

/// The label must be what the targets produce for a batch. kilnc checks this
/// only for models that set `targets`; the others (class labels by default)
/// may declare any label, so a per-pixel label that lacks
/// `targets = foreground_mask(...)` is caught here, at startup, with a hint
/// rather than as a malformed manifest.
void checkLabel(const Manifest &m) {
  const int64_t batch = m.batchSize();
  const std::vector<int64_t> &shape = m.label.shape;
  const std::string declared = "the model's label '" + m.label.name + "' is " +
                               dtypeName(m.label.dtype) + shapeString(shape);
  if (isFloat(m.label.dtype)) {
    // Float targets come from the dataset, one per sample
    // (synthetic_logistic's 0/1 targets).
    if (m.targets.kind != Targets::Kind::Classes)
      fail("data.targets", "foreground masks need an i32 label");
    if (shape != std::vector<int64_t>{batch})
      throw Error(declared + " but the data gives one target per sample, " +
                  dtypeName(m.label.dtype) + "[" + std::to_string(batch) + "]");
    return;
  }
  if (m.targets.kind == Targets::Kind::Classes) {
    if (shape.size() > 1 && shape[0] == batch)
      throw Error(declared +
                  " but the data gives one class index per sample, i32[" +
                  std::to_string(batch) +
                  "] (for per-pixel labels set `targets = "
                  "foreground_mask(threshold = T)` in the data section)");
    if (shape != std::vector<int64_t>{batch})
      fail("label.shape", "expected [" + std::to_string(batch) +
                              "] (one label per input row), got " +
                              shapeString(shape));
    return;
  }
  if (shape.size() != 3 || shape[0] != batch ||
      shape[1] * shape[2] != m.sampleFeatures())
    throw Error(declared + " but foreground_mask targets need i32[" +
                std::to_string(batch) +
                ", H, W] with H * W = " + std::to_string(m.sampleFeatures()) +
                ", one class index per pixel of the input '" + m.input.name +
                "' " + shapeString(m.input.shape));
  if (m.classes < 2)
    throw Error("foreground_mask targets are 0 or 1, but the model's logits "
                "have only " +
                std::to_string(m.classes) + " class");
}

/// An input/label/param/buffer/state entry. Parameters, buffers and state
/// must be f32 or f64 since every init kind produces floats; dtype may be
/// omitted for them (f32).
TensorSpec getTensor(const json &j, const std::string &where, bool withInit) {
  TensorSpec spec;
  spec.name = getString(member(j, where, "name"), join(where, "name"));
  if (spec.name.empty())
    fail(join(where, "name"), "empty name");
  spec.shape = getShape(member(j, where, "shape"), join(where, "shape"));
  if (const json *dtype = optionalMember(j, "dtype"))
    spec.dtype = getDType(*dtype, join(where, "dtype"));
  else if (!withInit)
    fail(where, "missing key 'dtype'");
  if (withInit) {
    if (!isFloat(spec.dtype))
      fail(join(where, "dtype"),
           "parameters, buffers and state must be f32 or f64");
    spec.init = getInit(member(j, where, "init"), join(where, "init"));
  }
  return spec;
}

std::vector<TensorSpec> getTensorList(const json &j, const std::string &where,
                                      std::set<std::string> &names) {
  if (!j.is_array())
    fail(where, "expected an array");
  std::vector<TensorSpec> list;
  for (size_t i = 0; i < j.size(); ++i) {
    std::string at = where + "[" + std::to_string(i) + "]";
    list.push_back(getTensor(j[i], at, /*withInit=*/true));
    if (!names.insert(list.back().name).second)
      fail(at, "duplicate name '" + list.back().name + "'");
  }
  return list;
}

Manifest fromJson(const json &root) {
  Manifest m;
  m.abi = static_cast<int>(getInt(member(root, "", "kiln_abi"), "kiln_abi", 0));
  if (m.abi != kAbiVersion)
    throw Error("the program was compiled for Kiln ABI " +
                std::to_string(m.abi) + " but this runtime implements ABI " +
                std::to_string(kAbiVersion));
  m.model = getString(member(root, "", "model"), "model");
  if (const json *source = optionalMember(root, "source"))
    m.source = getString(*source, "source");

  m.input = getTensor(member(root, "", "input"), "input", false);
  if (!isFloat(m.input.dtype))
    fail("input.dtype", "the input must be f32 or f64");
  if (m.input.shape.empty() || m.input.shape[0] < 1)
    fail("input.shape", "expected [batch, ...] with batch >= 1");
  const json &label = member(root, "", "label");
  m.label = getTensor(label, "label", false);
  // Class indices need the number of classes; float targets are compared
  // with outputs of the model's float type and have none.
  if (m.label.dtype == DType::I32)
    m.classes = getInt(member(label, "label", "classes"), "label.classes", 1);
  else if (m.label.dtype != m.input.dtype)
    fail("label.dtype", "expected i32 or the input's " +
                            std::string(dtypeName(m.input.dtype)));

  std::set<std::string> names;
  m.params = getTensorList(member(root, "", "params"), "params", names);
  if (const json *buffers = optionalMember(root, "buffers"))
    m.buffers = getTensorList(*buffers, "buffers", names);
  if (const json *state = optionalMember(root, "state"))
    m.state = getTensorList(*state, "state", names);

  const json &data = member(root, "", "data");
  std::string dataset =
      getString(member(data, "data", "dataset"), "data.dataset");
  std::optional<rt::Dataset> parsed = rt::parse<rt::Dataset>(dataset);
  if (!parsed)
    fail("data.dataset",
         "unknown dataset '" + dataset +
             "' (expected fashion_mnist or synthetic_logistic)");
  m.dataset = *parsed;
  if (m.dataset == rt::Dataset::SyntheticLogistic)
    m.synthetic =
        getSynthetic(member(data, "data", dataset), join("data", dataset));
  else
    m.dataDir = getString(member(data, "data", "dir"), "data.dir");
  if (const json *norm = optionalMember(data, "normalize")) {
    m.normalize.mean = getNumber(member(*norm, "data.normalize", "mean"),
                                 "data.normalize.mean");
    m.normalize.std =
        getNumber(member(*norm, "data.normalize", "std"), "data.normalize.std");
  }
  if (const json *targets = optionalMember(data, "targets"))
    m.targets = getTargets(*targets, "data.targets");
  checkLabel(m);
  parseEntries(root, m);
  parseTrain(member(root, "", "train"), m);
  return m;
}

} // namespace

int64_t Manifest::sampleFeatures() const {
  return shapeNumel({input.shape.begin() + 1, input.shape.end()});
}

Manifest parseManifest(const std::string &text) {
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error &e) {
    throw Error(std::string("malformed manifest: invalid JSON: ") + e.what());
  }
  return fromJson(root);
}

} // namespace kiln
