//===- ParamGroups.cpp - Parameter groups of a recipe ---------------------===//
#include "compiler/Training/ParamGroups.h"

#include "dialects/kiln/IR/KilnConventions.h"

using namespace mlir;
using namespace kiln;

bool ParamGroup::matches(StringRef name) const {
  return llvm::any_of(patterns, [&](const llvm::GlobPattern &pattern) {
    return pattern.match(name);
  });
}

FailureOr<SmallVector<ParamGroup>> kiln::readParamGroups(ModuleOp module) {
  auto train = module->getAttrOfType<DictionaryAttr>(attr::kTrain);
  auto entries = train ? train.getAs<ArrayAttr>("groups") : nullptr;
  if (!entries)
    return SmallVector<ParamGroup>();
  return parseParamGroups(entries, module.getLoc());
}

FailureOr<SmallVector<ParamGroup>> kiln::parseParamGroups(ArrayAttr entries,
                                                          Location loc) {
  SmallVector<ParamGroup> groups;
  for (Attribute entry : entries) {
    auto dict = dyn_cast<DictionaryAttr>(entry);
    auto patterns = dict ? dict.getAs<ArrayAttr>("patterns") : nullptr;
    ParamGroup group;
    group.optimizer = dict ? dict.getAs<DictionaryAttr>("optimizer") : nullptr;
    if (!patterns || !group.optimizer)
      return emitError(loc, "a kiln.train group needs `patterns` and "
                            "`optimizer`");
    auto frozen = dict.getAs<BoolAttr>("frozen");
    group.frozen = frozen && frozen.getValue();
    for (Attribute p : patterns) {
      auto text = dyn_cast<StringAttr>(p);
      llvm::Expected<llvm::GlobPattern> pattern =
          text ? llvm::GlobPattern::create(text.getValue())
               : llvm::createStringError("not a string");
      if (!pattern) {
        llvm::consumeError(pattern.takeError());
        return emitError(loc) << "bad parameter pattern " << p;
      }
      group.patterns.push_back(std::move(*pattern));
    }
    groups.push_back(std::move(group));
  }
  return groups;
}

const ParamGroup *kiln::findGroup(ArrayRef<ParamGroup> groups, StringRef name) {
  for (const ParamGroup &group : groups)
    if (group.matches(name))
      return &group;
  return nullptr;
}
