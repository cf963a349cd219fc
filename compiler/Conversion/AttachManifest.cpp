//===- AttachManifest.cpp - Describe the program for the runtime ----------===//
//
// The runtime learns everything about a compiled program from one JSON
// document: buffer shapes, parameter names and initialisers, optimizer state,
// the training recipe and the data section. It is derived here from the
// attributes that already describe each argument, so there is no second
// source of truth. docs/abi.md specifies the format.
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
/// Converts a builtin attribute tree (dictionaries, arrays, strings, numbers,
/// booleans) to JSON.
json::Value toJson(Attribute attr) {
  if (auto dict = dyn_cast<DictionaryAttr>(attr)) {
    json::Object object;
    for (NamedAttribute entry : dict)
      object[entry.getName().getValue()] = toJson(entry.getValue());
    return object;
  }
  if (auto array = dyn_cast<ArrayAttr>(attr)) {
    json::Array values;
    for (Attribute element : array)
      values.push_back(toJson(element));
    return values;
  }
  if (auto string = dyn_cast<StringAttr>(attr))
    return string.getValue();
  if (auto flag = dyn_cast<BoolAttr>(attr))
    return flag.getValue();
  if (auto integer = dyn_cast<IntegerAttr>(attr))
    return integer.getInt();
  if (auto real = dyn_cast<FloatAttr>(attr))
    return real.getValueAsDouble();
  return nullptr;
}

json::Value describeTensor(StringRef name, Type type) {
  auto tensor = cast<RankedTensorType>(type);
  std::string dtype;
  llvm::raw_string_ostream(dtype) << tensor.getElementType();
  return json::Object{{"name", name},
                      {"shape", json::Array(tensor.getShape())},
                      {"dtype", dtype}};
}

/// Arguments of `fn` with role `role`, with their initialisers.
json::Array describeArguments(func::FuncOp fn, StringRef role) {
  json::Array buffers;
  for (unsigned i = 0; i < fn.getNumArguments(); ++i) {
    if (argString(fn, i, attr::kRole) != role)
      continue;
    json::Value buffer = describeTensor(argString(fn, i, attr::kName),
                                        fn.getArgument(i).getType());
    if (Attribute init = fn.getArgAttr(i, attr::kInit))
      (*buffer.getAsObject())["init"] = toJson(init);
    buffers.push_back(std::move(buffer));
  }
  return buffers;
}

/// The signature of entry point `fn`: per argument its role and name, per
/// result its output kind and name, in order. The runtime builds the packed
/// buffer array from this, so argument order is not part of the ABI.
json::Object describeSignature(func::FuncOp fn) {
  json::Array args, results;
  for (unsigned i = 0; i < fn.getNumArguments(); ++i) {
    json::Object arg{{"role", argString(fn, i, attr::kRole)}};
    if (StringRef name = argString(fn, i, attr::kName); !name.empty())
      arg["name"] = name;
    args.push_back(std::move(arg));
  }
  for (unsigned i = 0; i < fn.getNumResults(); ++i) {
    json::Object result{{"output", resultString(fn, i, attr::kOutput)}};
    if (StringRef name = resultString(fn, i, attr::kName); !name.empty())
      result["name"] = name;
    results.push_back(std::move(result));
  }
  return json::Object{{"args", std::move(args)},
                      {"results", std::move(results)}};
}

struct AttachManifestPass : kiln::impl::AttachManifestBase<AttachManifestPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    func::FuncOp eval = lookupEntry(module, "eval");
    if (!eval) {
      module.emitError("no function is marked kiln.entry = \"eval\"");
      return signalPassFailure();
    }
    json::Object manifest{{"kiln_abi", 1}};
    for (StringRef key : {attr::kModel, attr::kSource})
      if (Attribute value = module->getAttr(key))
        manifest[key.drop_front(strlen("kiln."))] = toJson(value);

    json::Array inputs = describeArguments(eval, "input");
    json::Array labels = describeArguments(eval, "label");
    if (!inputs.empty())
      manifest["input"] = std::move(inputs[0]);
    if (!labels.empty()) {
      json::Value label = std::move(labels[0]);
      // Class scores are [batch, classes, ...]; regression outputs have no
      // classes.
      for (unsigned i = 0; i < eval.getNumResults(); ++i) {
        auto logits = cast<RankedTensorType>(eval.getResultTypes()[i]);
        if (resultString(eval, i, attr::kOutput) == "logits" &&
            logits.getRank() >= 2)
          (*label.getAsObject())["classes"] = logits.getDimSize(1);
      }
      manifest["label"] = std::move(label);
    }
    manifest["params"] = describeArguments(eval, "param");
    manifest["buffers"] = describeArguments(eval, "buffer");
    json::Object entries;
    for (auto fn : module.getOps<func::FuncOp>())
      if (auto entry = fn->getAttrOfType<StringAttr>(attr::kEntry))
        entries[entry.getValue()] = describeSignature(fn);
    manifest["entries"] = std::move(entries);
    func::FuncOp step = lookupEntry(module, "train_step");
    manifest["state"] = step ? describeArguments(step, "state") : json::Array();
    for (StringRef key : {attr::kTrain, attr::kData})
      if (Attribute value = module->getAttr(key))
        manifest[key.drop_front(strlen("kiln."))] = toJson(value);

    std::string text;
    llvm::raw_string_ostream(text) << json::Value(std::move(manifest));
    module->setAttr("kiln.manifest", StringAttr::get(&getContext(), text));
  }
};
} // namespace
