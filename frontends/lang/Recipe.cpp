//===- Recipe.cpp - The train and data sections ---------------------------===//
//
// Turns the training recipe and the data section into module attributes.
// The call-valued settings (optimizer, schedule, warm-up, parameter groups)
// are read by RecipeOptimizer.cpp against the compiler's registries.
//
//===----------------------------------------------------------------------===//
#include "frontends/lang/RecipeParts.h"

#include "compiler/Training/Clipping.h"
#include "frontends/lang/DataTargets.h"
#include "frontends/lang/Suggest.h"
#include "frontends/lang/SyntheticData.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lang;
using llvm::cast;
using llvm::dyn_cast;

constexpr llvm::StringLiteral kDefaultFashionMnistDir =
    "/usr/share/datasets/fashion-mnist";

std::optional<double> GenContext::number(const ast::Expr &expr,
                                         StringRef what) {
  if (auto *num = dyn_cast<ast::NumberExpr>(&expr))
    return num->value;
  error(expr.loc) << what << " must be a number";
  return std::nullopt;
}

std::optional<int64_t> GenContext::integer(const ast::Expr &expr,
                                           StringRef what, int64_t min) {
  auto *num = dyn_cast<ast::NumberExpr>(&expr);
  if (!num || !num->isInteger || num->value < min) {
    std::string got;
    llvm::raw_string_ostream os(got);
    ast::print(expr, os);
    error(expr.loc) << what << " must be an integer >= " << min << ", got `"
                    << os.str() << "`";
    return std::nullopt;
  }
  return static_cast<int64_t>(num->value);
}

std::optional<bool> GenContext::boolean(const ast::Expr &expr, StringRef what) {
  if (auto *flag = dyn_cast<ast::BoolExpr>(&expr))
    return flag->value;
  error(expr.loc) << what << " must be `true` or `false`";
  return std::nullopt;
}

std::optional<std::string> GenContext::path(const ast::Expr &expr,
                                            StringRef what) {
  auto *str = dyn_cast<ast::StringExpr>(&expr);
  if (!str) {
    error(expr.loc) << what << " must be a string holding a path";
    return std::nullopt;
  }
  SmallString<256> path(str->value);
  if (llvm::sys::path::is_relative(path)) {
    SmallString<256> dir(llvm::sys::path::parent_path(file.filename));
    llvm::sys::path::append(dir, path);
    path = dir;
  }
  if (std::error_code ec = llvm::sys::fs::make_absolute(path)) {
    error(expr.loc) << "cannot resolve " << what << " \"" << str->value
                    << "\": " << ec.message();
    return std::nullopt;
  }
  llvm::sys::path::remove_dots(path, /*remove_dot_dot=*/true);
  return std::string(path);
}

namespace {
/// The bindings of a recipe section by key; reports unknown keys, and
/// repeated ones except `repeatable`, whose bindings go to `repeated` in
/// order.
llvm::StringMap<const ast::BindingStmt *>
collectKeys(GenContext &gen, const ast::Section &section,
            ArrayRef<StringRef> validKeys, StringRef repeatable = "",
            SmallVectorImpl<const ast::BindingStmt *> *repeated = nullptr) {
  llvm::StringMap<const ast::BindingStmt *> keys;
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

/// `clip = global_norm(5.0)`: one positive threshold, by position or by
/// PyTorch's argument name (`max_norm`, `clip_value`).
DictionaryAttr buildClip(GenContext &gen, const ast::Expr &expr) {
  Builder b(gen.getContext());
  auto *call = dyn_cast<ast::CallExpr>(&expr);
  if (!call) {
    gen.error(expr.loc) << "clip must be a call such as `global_norm(5.0)`";
    return nullptr;
  }
  const ClipKind *kind = lookupClipKind(call->callee);
  if (!kind) {
    SmallVector<StringRef> names;
    for (const ClipKind &known : allClipKinds())
      names.push_back(known.name);
    InFlightDiagnostic diag = gen.error(call->calleeLoc)
                              << "unknown gradient clipping `" << call->callee
                              << "`";
    suggest(diag, gen.loc(call->calleeLoc), call->callee, names,
            "clipping kinds");
    return nullptr;
  }
  for (const ast::KeywordArg &kw : call->kwargs) {
    if (kw.name == kind->threshold)
      continue;
    InFlightDiagnostic diag = gen.error(kw.nameLoc)
                              << "`" << kind->name << "` has no argument `"
                              << kw.name << "`";
    StringRef valid[] = {kind->threshold};
    suggest(diag, gen.loc(kw.nameLoc), kw.name, valid, "arguments");
    return nullptr;
  }
  if (call->args.size() + call->kwargs.size() != 1) {
    gen.error(call->calleeLoc)
        << "`" << kind->name << "` takes one threshold, `" << kind->threshold
        << "` (" << kind->help << ")";
    return nullptr;
  }
  const ast::Expr &value =
      call->args.empty() ? *call->kwargs.front().value : *call->args.front();
  std::optional<double> threshold = gen.number(value, kind->threshold);
  if (!threshold)
    return nullptr;
  if (!(*threshold > 0)) {
    gen.error(value.loc) << "`" << kind->threshold << "` (" << kind->help
                         << ") must be positive";
    return nullptr;
  }
  return b.getDictionaryAttr(
      {b.getNamedAttr("kind", b.getStringAttr(kind->name)),
       b.getNamedAttr(kind->threshold, b.getF64FloatAttr(*threshold))});
}
} // namespace

DictionaryAttr kiln::lang::buildTrainRecipe(GenContext &gen,
                                            const ast::Section *section,
                                            ArrayRef<std::string> paramNames) {
  Builder b(gen.getContext());
  if (!section) {
    gen.error(ast::SourceLoc{1, 1}) << "the file has no `train` section";
    return nullptr;
  }
  SmallVector<const ast::BindingStmt *> groups;
  auto keys = collectKeys(gen, *section,
                          {"optimizer", "epochs", "seed", "clip", "init",
                           "schedule", "warmup", "group", "init_from",
                           "val_split", "line_search", "tolerance"},
                          "group", &groups);
  SmallVector<NamedAttribute> entries;
  int64_t epochs = 1, seed = 0;
  if (const ast::BindingStmt *binding = keys.lookup("epochs"))
    epochs = gen.integer(*binding->value, "epochs", 1).value_or(1);
  if (const ast::BindingStmt *binding = keys.lookup("seed"))
    seed = gen.integer(*binding->value, "seed", 0).value_or(0);
  entries.push_back(b.getNamedAttr("epochs", b.getI64IntegerAttr(epochs)));
  entries.push_back(b.getNamedAttr("seed", b.getI64IntegerAttr(seed)));
  if (const ast::BindingStmt *binding = keys.lookup("clip"))
    if (DictionaryAttr clip = buildClip(gen, *binding->value))
      entries.push_back(b.getNamedAttr("clip", clip));
  if (const ast::BindingStmt *binding = keys.lookup("schedule"))
    if (DictionaryAttr schedule = buildSchedule(gen, *binding->value))
      entries.push_back(b.getNamedAttr("schedule", schedule));
  if (const ast::BindingStmt *binding = keys.lookup("warmup"))
    if (DictionaryAttr warmup = buildWarmup(gen, *binding->value))
      entries.push_back(b.getNamedAttr("warmup", warmup));
  if (const ast::BindingStmt *binding = keys.lookup("init_from"))
    if (std::optional<std::string> path =
            gen.path(*binding->value, "init_from"))
      entries.push_back(b.getNamedAttr("init_from", b.getStringAttr(*path)));
  if (const ast::BindingStmt *binding = keys.lookup("val_split")) {
    std::optional<double> split = gen.number(*binding->value, "val_split");
    if (split && !(*split > 0 && *split < 1))
      gen.error(binding->value->loc) << "val_split must be in (0, 1)";
    else if (split)
      entries.push_back(b.getNamedAttr("val_split", b.getF64FloatAttr(*split)));
  }
  const ast::BindingStmt *optimizer = keys.lookup("optimizer");
  if (!optimizer) {
    gen.error(section->kindLoc)
        << "the train section sets no optimizer, e.g. "
           "`optimizer = sgd(lr = 0.1, momentum = 0.9)`";
    return nullptr;
  }
  DictionaryAttr config = buildOptimizer(gen, *optimizer->value);
  SmallVector<Attribute> groupAttrs;
  for (const ast::BindingStmt *group : groups)
    if (DictionaryAttr attr =
            buildGroup(gen, *group->value, config, paramNames))
      groupAttrs.push_back(attr);
  if (!groups.empty() && groupAttrs.size() == groups.size())
    checkSomethingTrains(gen, groupAttrs, paramNames, groups.back()->loc);
  if (!config)
    return nullptr;
  entries.push_back(b.getNamedAttr("optimizer", config));
  addFullBatchSettings(gen, keys, groups, config, entries);
  if (!groupAttrs.empty())
    entries.push_back(b.getNamedAttr("groups", b.getArrayAttr(groupAttrs)));
  return b.getDictionaryAttr(entries);
}

DictionaryAttr kiln::lang::buildDataRecipe(GenContext &gen,
                                           const ast::Section *section) {
  Builder b(gen.getContext());
  std::string dir = kDefaultFashionMnistDir.str();
  double mean = 0.0, std = 1.0;
  DictionaryAttr targets; // Class labels when absent (docs/language.md).
  // synthetic_logistic's settings, when the data is generated.
  DictionaryAttr synthetic;
  if (section) {
    auto keys =
        collectKeys(gen, *section, {"dataset", "dir", "normalize", "targets"});
    if (const ast::BindingStmt *binding = keys.lookup("dataset")) {
      auto *name = dyn_cast<ast::IdentExpr>(binding->value.get());
      auto *call = dyn_cast<ast::CallExpr>(binding->value.get());
      if (call && call->callee == kSyntheticLogistic) {
        synthetic = buildSyntheticLogistic(gen, *call);
        // It reads no files and generates its own targets.
        for (StringRef key : {"dir", "normalize", "targets"})
          if (const ast::BindingStmt *other = keys.lookup(key))
            gen.error(other->nameLoc) << "`" << key << "` does not apply to `"
                                      << kSyntheticLogistic << "`";
      } else if (!name || name->name != "fashion_mnist") {
        gen.error(binding->value->loc)
            << "unknown dataset; this version reads `fashion_mnist` (IDX "
               "files, optionally gzip-compressed) or generates `"
            << kSyntheticLogistic << "(n, d, bias, seed)`";
      }
    }
    if (const ast::BindingStmt *binding = keys.lookup("dir")) {
      if (auto *path = dyn_cast<ast::StringExpr>(binding->value.get()))
        dir = path->value;
      else
        gen.error(binding->value->loc) << "dir must be a string";
    }
    if (const ast::BindingStmt *binding = keys.lookup("normalize")) {
      auto *call = dyn_cast<ast::CallExpr>(binding->value.get());
      const ast::KeywordArg *meanArg =
          call ? call->findKeyword("mean") : nullptr;
      const ast::KeywordArg *stdArg = call ? call->findKeyword("std") : nullptr;
      if (!call || call->callee != "standardize" || !meanArg || !stdArg ||
          !call->args.empty() || call->kwargs.size() != 2) {
        gen.error(binding->value->loc)
            << "normalize must be `standardize(mean = M, std = S)`";
      } else {
        mean = gen.number(*meanArg->value, "mean").value_or(0.0);
        std = gen.number(*stdArg->value, "std").value_or(1.0);
        if (std <= 0)
          gen.error(stdArg->value->loc) << "std must be positive";
      }
    }
    if (const ast::BindingStmt *binding = keys.lookup("targets"))
      targets = buildTargets(gen, *binding->value);
  }
  if (synthetic)
    return b.getDictionaryAttr(
        {b.getNamedAttr("dataset", b.getStringAttr(kSyntheticLogistic)),
         b.getNamedAttr(kSyntheticLogistic, synthetic)});
  SmallVector<NamedAttribute> entries{
      b.getNamedAttr("dataset", b.getStringAttr("fashion_mnist")),
      b.getNamedAttr("dir", b.getStringAttr(dir)),
      b.getNamedAttr("normalize",
                     b.getDictionaryAttr(
                         {b.getNamedAttr("mean", b.getF64FloatAttr(mean)),
                          b.getNamedAttr("std", b.getF64FloatAttr(std))}))};
  // Written only when set, so files without `targets` keep their IR.
  if (targets)
    entries.push_back(b.getNamedAttr("targets", targets));
  return b.getDictionaryAttr(entries);
}
