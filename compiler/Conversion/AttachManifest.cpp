//===- AttachManifest.cpp - Describe the program for the runtime ----------===//
//
// The runtime learns everything about a compiled program from one JSON
// document (docs/abi.md): the entry points, the role, name, shape and type of
// every pointer each one takes, the metric the outputs support, parameter
// initialisers, and the training and data settings the runtime acts on. It
// is derived here from the typed attributes that describe the program, so
// there is no second source of truth, and it spells roles, entry points,
// metrics, initialisers, datasets and targets as the ABI table does.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/Passes.h"
#include "dialects/kiln/IR/KilnConventions.h"

#include "llvm/Support/JSON.h"

namespace kiln {
#define GEN_PASS_DEF_ATTACHMANIFEST
#include "compiler/Conversion/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;
namespace json = llvm::json;

namespace {
/// The ABI table's spelling of `kind` (a role, entry point, metric...).
template <typename Kind> std::string spell(Kind kind) {
  return std::string(rt::name(kind));
}

/// The settings of a verified settings attribute, as JSON values.
json::Object settingsJson(DictionaryAttr settings) {
  json::Object object;
  for (NamedAttribute entry : settings) {
    Attribute value = entry.getValue();
    json::Value v = nullptr;
    // BoolAttr is an IntegerAttr too, so it goes first.
    if (auto flag = dyn_cast<BoolAttr>(value))
      v = flag.getValue();
    else if (auto number = dyn_cast<FloatAttr>(value))
      v = number.getValueAsDouble();
    else if (auto count = dyn_cast<IntegerAttr>(value))
      v = count.getInt();
    else if (auto text = dyn_cast<StringAttr>(value))
      v = text.getValue();
    object[entry.getName().getValue()] = std::move(v);
  }
  return object;
}

json::Object describeTensor(StringRef tensorName, Type type) {
  auto tensor = cast<RankedTensorType>(type);
  std::string dtype;
  llvm::raw_string_ostream(dtype) << tensor.getElementType();
  json::Object object{{"shape", json::Array(tensor.getShape())},
                      {"dtype", dtype}};
  if (!tensorName.empty())
    object["name"] = tensorName;
  return object;
}

StringRef nameOr(StringAttr attr) { return attr ? attr.getValue() : ""; }

/// The arguments of `fn` with role `role`, with their initialisers.
json::Array describeArguments(func::FuncOp fn, rt::Role role) {
  json::Array tensors;
  for (BlockArgument arg : argsWithRole(fn, role)) {
    unsigned i = arg.getArgNumber();
    json::Object tensor = describeTensor(nameOr(argName(fn, i)), arg.getType());
    if (auto init = fn.getArgAttrOfType<InitAttr>(i, attr::kInit)) {
      json::Object spec = settingsJson(init.getSettings());
      spec["kind"] = spell(init.getKind());
      tensor["init"] = std::move(spec);
    }
    tensors.push_back(std::move(tensor));
  }
  return tensors;
}

/// The metric the logits of `fn` support against its labels, from what they
/// predict; none for an entry without labels (predict).
std::optional<rt::Metric> metricOf(func::FuncOp fn) {
  if (argsWithRole(fn, rt::Role::Label).empty())
    return std::nullopt;
  for (unsigned i : resultsWithRole(fn, rt::Role::Logits)) {
    auto prediction =
        fn.getResultAttrOfType<PredictionAttr>(i, attr::kPrediction);
    if (!prediction)
      continue;
    switch (prediction.getValue()) {
    case Prediction::ClassScores:
      return rt::Metric::Accuracy;
    case Prediction::BinaryLogits:
      return rt::Metric::BinaryAccuracy;
    case Prediction::Values:
      return std::nullopt;
    }
  }
  return std::nullopt;
}

/// The signature of entry point `fn`: per argument and result, in pointer
/// order, its role, name, shape and type. The runtime builds the packed
/// buffer array from it, so argument order is not part of the ABI.
json::Object describeSignature(func::FuncOp fn) {
  json::Array args, results;
  for (unsigned i = 0; i < fn.getNumArguments(); ++i) {
    json::Object arg =
        describeTensor(nameOr(argName(fn, i)), fn.getArgument(i).getType());
    if (std::optional<rt::Role> role = argRole(fn, i))
      arg["role"] = spell(*role);
    args.push_back(std::move(arg));
  }
  for (unsigned i = 0; i < fn.getNumResults(); ++i) {
    json::Object result =
        describeTensor(nameOr(resultName(fn, i)), fn.getResultTypes()[i]);
    if (std::optional<rt::Role> role = resultRole(fn, i))
      result["role"] = spell(*role);
    results.push_back(std::move(result));
  }
  json::Object signature{{"args", std::move(args)},
                         {"results", std::move(results)}};
  if (std::optional<rt::Metric> metric = metricOf(fn))
    signature["metrics"] = json::Array{spell(*metric)};
  return signature;
}

/// The settings the runtime acts on; the rest is compiled into the step.
json::Object describeTraining(TrainRecipeAttr recipe) {
  json::Object train{{"epochs", recipe.getEpochs()},
                     {"seed", recipe.getSeed()}};
  if (FloatAttr split = recipe.getValSplit())
    train["val_split"] = split.getValueAsDouble();
  if (StringAttr path = recipe.getInitFrom())
    train["init_from"] = path.getValue();
  ScheduleAttr schedule = recipe.getSchedule();
  if (schedule && schedule.getKind() == ScheduleKind::ReduceOnPlateau) {
    json::Object plateau = settingsJson(schedule.getSettings());
    plateau.erase("min_lr"); // applied by the compiled step
    train["plateau"] = std::move(plateau);
  }
  if (recipe.isFullBatch()) {
    json::Object fullBatch{
        {"method", recipe.isNewton() ? "newton" : "gradient_descent"},
        {"lr", recipe.getOptimizer().getReal("lr")},
        {"tolerance", recipe.getTolerance()
                          ? recipe.getTolerance().getValueAsDouble()
                          : 0.0}};
    if (LineSearchAttr search = recipe.getLineSearch())
      fullBatch["line_search"] = settingsJson(search.getSettings());
    train["full_batch"] = std::move(fullBatch);
  }
  return train;
}

json::Object describeData(DataAttr data) {
  DatasetAttr dataset = data.getDataset();
  json::Object object{{"dataset", spell(dataset.getKind())}};
  if (dataset.getKind() == rt::Dataset::SyntheticLogistic) {
    object[spell(dataset.getKind())] = settingsJson(dataset.getSettings());
    return object;
  }
  object["dir"] = dataset.getText("dir");
  object["normalize"] = json::Object{{"mean", dataset.getReal("mean")},
                                     {"std", dataset.getReal("std")}};
  if (TargetsAttr targets = data.getTargets()) {
    json::Object spec = settingsJson(targets.getSettings());
    spec["kind"] = spell(targets.getKind());
    object["targets"] = std::move(spec);
  }
  return object;
}

struct AttachManifestPass : kiln::impl::AttachManifestBase<AttachManifestPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    func::FuncOp eval = lookupEntry(module, rt::Entry::Eval);
    if (!eval) {
      module.emitError("no function is marked kiln.entry = #kiln.entry<eval>");
      return signalPassFailure();
    }
    json::Object manifest{{"kiln_abi", 2}};
    for (auto [key, attrName] :
         {std::pair{"model", attr::kModel}, std::pair{"source", attr::kSource}})
      if (auto value = module->getAttrOfType<StringAttr>(attrName))
        manifest[key] = value.getValue();

    json::Array inputs = describeArguments(eval, rt::Role::Input);
    json::Array labels = describeArguments(eval, rt::Role::Label);
    if (!inputs.empty())
      manifest["input"] = std::move(inputs[0]);
    if (!labels.empty()) {
      json::Value label = std::move(labels[0]);
      // Class scores are [batch, classes, ...].
      if (metricOf(eval) == rt::Metric::Accuracy)
        for (unsigned i : resultsWithRole(eval, rt::Role::Logits))
          (*label.getAsObject())["classes"] =
              cast<RankedTensorType>(eval.getResultTypes()[i]).getDimSize(1);
      manifest["label"] = std::move(label);
    }
    manifest["params"] = describeArguments(eval, rt::Role::Param);
    manifest["buffers"] = describeArguments(eval, rt::Role::Buffer);
    func::FuncOp step = lookupEntry(module, rt::Entry::TrainStep);
    manifest["state"] =
        step ? describeArguments(step, rt::Role::State) : json::Array();
    json::Object entries;
    for (auto fn : module.getOps<func::FuncOp>())
      if (std::optional<rt::Entry> entry = entryOf(fn))
        entries[spell(*entry)] = describeSignature(fn);
    manifest["entries"] = std::move(entries);
    // A model file always has both; IR written by hand may lack them.
    if (TrainRecipeAttr recipe = getTrainRecipe(module))
      manifest["train"] = describeTraining(recipe);
    if (DataAttr data = getDataRecipe(module))
      manifest["data"] = describeData(data);

    std::string text;
    llvm::raw_string_ostream(text) << json::Value(std::move(manifest));
    module->setAttr(attr::kManifest, StringAttr::get(&getContext(), text));
  }
};
} // namespace
