//===- Recipe.cpp - The train section -------------------------------------===//
//
// Turns the training recipe into the module's #kiln.train. Each call-valued
// setting (optimizer, schedule, warm-up, clipping, line search) names a kind
// of the dialect's vocabulary and its settings (RecipeVocabulary.cpp), read
// by readCallSetting; the rules that relate settings across the recipe (what
// full-batch methods exclude) are the attribute's own, reported here at the
// setting they name.
//
//===----------------------------------------------------------------------===//
#include "frontends/lang/RecipeParts.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lang;
using llvm::dyn_cast;
using llvm::StringMap;

StringMap<const ast::BindingStmt *>
kiln::lang::collectKeys(GenContext &gen, const ast::Section &section,
                        ArrayRef<StringRef> validKeys, StringRef repeatable,
                        SmallVectorImpl<const ast::BindingStmt *> *repeated) {
  StringMap<const ast::BindingStmt *> keys;
  for (const auto &stmt : section.stmts) {
    auto *binding = dyn_cast<ast::BindingStmt>(stmt.get());
    if (!binding) {
      gen.error(stmt->loc) << "declarations belong in the model section";
      continue;
    }
    if (!llvm::is_contained(validKeys, binding->name)) {
      InFlightDiagnostic diag = gen.error(binding->nameLoc)
                                << "unknown setting `" << binding->name
                                << "` in the " << section.kind << " section";
      suggest(diag, gen.loc(binding->nameLoc), binding->name, validKeys,
              "settings");
      continue;
    }
    if (binding->name == repeatable)
      repeated->push_back(binding);
    else if (!keys.try_emplace(binding->name, binding).second)
      gen.error(binding->nameLoc) << "`" << binding->name << "` is set twice";
  }
  return keys;
}

namespace {
/// The section's settings as typed attributes, and where each is written.
struct TrainSettings {
  StringMap<const ast::BindingStmt *> keys;
  SmallVector<const ast::BindingStmt *> groups;

  template <typename AttrT>
  AttrT call(GenContext &gen, StringRef key, StringRef example,
             size_t positional = 0) const {
    const ast::BindingStmt *binding = keys.lookup(key);
    return binding ? readCallSetting<AttrT>(gen, *binding->value, key, example,
                                            positional)
                   : nullptr;
  }
  FloatAttr number(GenContext &gen, StringRef key) const {
    const ast::BindingStmt *binding = keys.lookup(key);
    std::optional<double> value =
        binding ? gen.number(*binding->value, key) : std::nullopt;
    return value ? Builder(gen.getContext()).getF64FloatAttr(*value) : nullptr;
  }
};

/// Reports the recipe's rules at the settings they name.
void reportRecipeProblems(GenContext &gen, const TrainSettings &in,
                          ArrayRef<SettingProblem> problems,
                          ast::SourceLoc sectionLoc) {
  for (const SettingProblem &problem : problems) {
    if (problem.key == "group") {
      for (const ast::BindingStmt *group : in.groups)
        gen.error(group->nameLoc) << problem.message;
      continue;
    }
    const ast::BindingStmt *binding = in.keys.lookup(problem.key);
    gen.error(binding ? binding->nameLoc : sectionLoc) << problem.message;
  }
}
} // namespace

TrainRecipeAttr kiln::lang::buildTrainRecipe(GenContext &gen,
                                             const ast::Section *section,
                                             ArrayRef<std::string> paramNames) {
  MLIRContext *ctx = gen.getContext();
  if (!section) {
    gen.error(ast::SourceLoc{1, 1}) << "the file has no `train` section";
    return nullptr;
  }
  TrainSettings in;
  in.keys = collectKeys(gen, *section,
                        {"optimizer", "epochs", "seed", "clip", "init",
                         "schedule", "warmup", "group", "init_from",
                         "val_split", "line_search", "tolerance"},
                        "group", &in.groups);
  int64_t epochs = 1, seed = 0;
  if (const ast::BindingStmt *binding = in.keys.lookup("epochs"))
    epochs = gen.integer(*binding->value, "epochs", 1).value_or(1);
  if (const ast::BindingStmt *binding = in.keys.lookup("seed"))
    seed = gen.integer(*binding->value, "seed", 0).value_or(0);
  auto clip = in.call<ClipAttr>(gen, "clip", "global_norm(5.0)", 1);
  auto schedule = in.call<ScheduleAttr>(gen, "schedule", "cosine(t_max = 30)");
  auto warmup = in.call<WarmupAttr>(gen, "warmup", "linear(steps = 500)");
  auto lineSearch = in.call<LineSearchAttr>(gen, "line_search",
                                            "armijo(c = 1e-4, shrink = 0.5)");
  StringAttr initFrom;
  if (const ast::BindingStmt *binding = in.keys.lookup("init_from"))
    if (std::optional<std::string> path =
            gen.path(*binding->value, "init_from"))
      initFrom = StringAttr::get(ctx, *path);
  FloatAttr valSplit = in.number(gen, "val_split");
  FloatAttr tolerance = in.number(gen, "tolerance");

  const ast::BindingStmt *optimizerKey = in.keys.lookup("optimizer");
  if (!optimizerKey) {
    gen.error(section->kindLoc)
        << "the train section sets no optimizer, e.g. "
           "`optimizer = sgd(lr = 0.1, momentum = 0.9)`";
    return nullptr;
  }
  auto optimizer = readCallSetting<OptimizerAttr>(gen, *optimizerKey->value,
                                                  "optimizer", "sgd(lr = 0.1)");
  SmallVector<ParamGroupAttr> groups;
  for (const ast::BindingStmt *group : in.groups)
    if (ParamGroupAttr attr =
            buildGroup(gen, *group->value, optimizer, paramNames))
      groups.push_back(attr);
  if (!in.groups.empty() && groups.size() == in.groups.size())
    checkSomethingTrains(gen, groups, paramNames, in.groups.back()->loc);
  if (!optimizer)
    return nullptr;
  ArrayAttr groupList =
      groups.empty() ? nullptr
                     : ArrayAttr::get(ctx, SmallVector<Attribute>(
                                               groups.begin(), groups.end()));
  SmallVector<SettingProblem> problems =
      TrainRecipeAttr::check(epochs, optimizer, schedule, warmup, clip,
                             groupList, lineSearch, tolerance, valSplit);
  reportRecipeProblems(gen, in, problems, section->kindLoc);
  if (gen.hasErrors())
    return nullptr;
  return TrainRecipeAttr::get(ctx, epochs, seed, optimizer, schedule, warmup,
                              clip, groupList, lineSearch, tolerance, valSplit,
                              initFrom);
}
