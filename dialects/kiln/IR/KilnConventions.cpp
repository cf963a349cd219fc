//===- KilnConventions.cpp - Where a program's attributes live ------------===//
#include "dialects/kiln/IR/KilnConventions.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace kiln;

func::FuncOp kiln::lookupEntry(ModuleOp module, rt::Entry entry) {
  for (auto fn : module.getOps<func::FuncOp>())
    if (entryOf(fn) == entry)
      return fn;
  return nullptr;
}

std::optional<rt::Entry> kiln::entryOf(func::FuncOp fn) {
  if (auto entry = fn->getAttrOfType<EntryAttr>(attr::kEntry))
    return entry.getValue();
  return std::nullopt;
}

std::optional<rt::Role> kiln::argRole(func::FuncOp fn, unsigned index) {
  if (auto role = fn.getArgAttrOfType<RoleAttr>(index, attr::kRole))
    return role.getValue();
  return std::nullopt;
}

std::optional<rt::Role> kiln::resultRole(func::FuncOp fn, unsigned index) {
  if (auto role = fn.getResultAttrOfType<RoleAttr>(index, attr::kRole))
    return role.getValue();
  return std::nullopt;
}

StringAttr kiln::argName(func::FuncOp fn, unsigned index) {
  return fn.getArgAttrOfType<StringAttr>(index, attr::kName);
}

StringAttr kiln::resultName(func::FuncOp fn, unsigned index) {
  return fn.getResultAttrOfType<StringAttr>(index, attr::kName);
}

SmallVector<BlockArgument> kiln::argsWithRole(func::FuncOp fn, rt::Role role) {
  SmallVector<BlockArgument> args;
  for (BlockArgument arg : fn.getArguments())
    if (argRole(fn, arg.getArgNumber()) == role)
      args.push_back(arg);
  return args;
}

SmallVector<unsigned> kiln::resultsWithRole(func::FuncOp fn, rt::Role role) {
  SmallVector<unsigned> indices;
  for (unsigned i = 0; i < fn.getNumResults(); ++i)
    if (resultRole(fn, i) == role)
      indices.push_back(i);
  return indices;
}

DictionaryAttr kiln::roleAttrs(MLIRContext *ctx, rt::Role role, StringAttr name,
                               InitAttr init) {
  NamedAttrList attrs;
  attrs.set(attr::kRole, RoleAttr::get(ctx, role));
  if (name)
    attrs.set(attr::kName, name);
  if (init)
    attrs.set(attr::kInit, init);
  return attrs.getDictionary(ctx);
}

namespace {
/// The initialiser `kind` with `values` as its settings, in program.def's
/// order.
InitAttr makeInit(MLIRContext *ctx, rt::Init kind, ArrayRef<double> values) {
  Builder b(ctx);
  NamedAttrList settings;
  for (auto [index, value] : llvm::enumerate(values))
    settings.append(
        StringRef(rt::kInits[static_cast<size_t>(kind)].settings[index]),
        b.getF64FloatAttr(value));
  return InitAttr::get(ctx, kind, settings.getDictionary(ctx));
}
} // namespace

InitAttr kiln::zerosInit(MLIRContext *ctx) {
  return makeInit(ctx, rt::Init::Zeros, {});
}

InitAttr kiln::constantInit(MLIRContext *ctx, double value) {
  if (value == 0.0)
    return zerosInit(ctx);
  return makeInit(ctx, rt::Init::Constant, {value});
}

InitAttr kiln::uniformInit(MLIRContext *ctx, double low, double high) {
  return makeInit(ctx, rt::Init::Uniform, {low, high});
}

InitAttr kiln::normalInit(MLIRContext *ctx, double mean, double std) {
  return makeInit(ctx, rt::Init::Normal, {mean, std});
}

TrainRecipeAttr kiln::getTrainRecipe(ModuleOp module) {
  return module->getAttrOfType<TrainRecipeAttr>(attr::kTrain);
}

DataAttr kiln::getDataRecipe(ModuleOp module) {
  return module->getAttrOfType<DataAttr>(attr::kData);
}
