//===- Recipe.cpp - The train and data sections ---------------------------===//
//
// Turns the training recipe and the data section into module attributes.
// Optimizer hyper-parameters are checked against the optimizer registry the
// compiler uses, so a misspelt or out-of-range hyper-parameter is a
// compile-time error at its location, and defaults are written into the IR.
//
//===----------------------------------------------------------------------===//
#include "frontends/lang/GenContext.h"

#include "compiler/Training/Clipping.h"
#include "compiler/Training/Optimizers.h"
#include "frontends/lang/DataTargets.h"
#include "frontends/lang/Suggest.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

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

namespace {
/// The bindings of a recipe section by key; reports unknown and repeated
/// keys.
llvm::StringMap<const ast::BindingStmt *>
collectKeys(GenContext &gen, const ast::Section &section,
            ArrayRef<StringRef> validKeys) {
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
    if (!keys.try_emplace(binding->name, binding).second)
      gen.error(binding->nameLoc) << "`" << binding->name << "` is set twice";
  }
  return keys;
}

DictionaryAttr buildOptimizer(GenContext &gen, const ast::Expr &expr) {
  Builder b(gen.getContext());
  auto *call = dyn_cast<ast::CallExpr>(&expr);
  if (!call) {
    gen.error(expr.loc) << "optimizer must be a call such as `sgd(lr = 0.1)`";
    return nullptr;
  }
  const OptimizerRule *rule = lookupOptimizer(call->callee);
  if (!rule) {
    SmallVector<StringRef> names;
    for (const OptimizerRule *known : allOptimizers())
      names.push_back(known->name());
    InFlightDiagnostic diag = gen.error(call->calleeLoc)
                              << "unknown optimizer `" << call->callee << "`";
    suggest(diag, gen.loc(call->calleeLoc), call->callee, names, "optimizers");
    return nullptr;
  }
  if (!call->args.empty())
    gen.error(call->args.front()->loc)
        << "optimizer hyper-parameters are given by name, e.g. `"
        << rule->name() << "(lr = 0.1)`";

  SmallVector<StringRef> names;
  for (const HyperParameter &hp : rule->hyperParameters())
    names.push_back(hp.name);
  llvm::StringMap<double> values;
  llvm::StringSet<> given; // valid names, even when their value was bad
  for (const ast::KeywordArg &kw : call->kwargs) {
    const HyperParameter *hp = rule->lookupHyperParameter(kw.name);
    if (!hp) {
      InFlightDiagnostic diag = gen.error(kw.nameLoc)
                                << "optimizer `" << rule->name()
                                << "` has no hyper-parameter `" << kw.name
                                << "`";
      suggest(diag, gen.loc(kw.nameLoc), kw.name, names, "hyper-parameters");
      continue;
    }
    given.insert(kw.name);
    std::optional<double> value =
        hp->range == HyperRange::Bool
            ? std::optional<double>(gen.boolean(*kw.value, kw.name))
            : gen.number(*kw.value, kw.name);
    if (!value)
      continue;
    std::string problem = checkHyperRange(hp->range, *value);
    if (!problem.empty()) {
      gen.error(kw.value->loc)
          << "`" << kw.name << "` (" << hp->help << ") " << problem;
      continue;
    }
    values[kw.name] = *value;
  }

  SmallVector<NamedAttribute> entries{
      b.getNamedAttr("name", b.getStringAttr(rule->name()))};
  for (const HyperParameter &hp : rule->hyperParameters()) {
    auto it = values.find(hp.name);
    if (it == values.end() && hp.required) {
      if (given.contains(hp.name))
        continue; // its value was reported already
      gen.error(call->calleeLoc) << "optimizer `" << rule->name() << "` needs `"
                                 << hp.name << "` (" << hp.help << ")";
      continue;
    }
    double value = it == values.end() ? hp.defaultValue : it->second;
    entries.push_back(
        b.getNamedAttr(hp.name, hp.range == HyperRange::Bool
                                    ? Attribute(b.getBoolAttr(value != 0))
                                    : Attribute(b.getF64FloatAttr(value))));
  }
  if (entries.size() != rule->hyperParameters().size() + 1)
    return nullptr; // a missing hyper-parameter was reported
  DictionaryAttr config = b.getDictionaryAttr(entries);
  std::string conflict = rule->checkConsistency(OptimizerConfig(config));
  if (!conflict.empty()) {
    gen.error(call->calleeLoc)
        << "optimizer `" << rule->name() << "`: " << conflict;
    return nullptr;
  }
  return config;
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
                                            const ast::Section *section) {
  Builder b(gen.getContext());
  if (!section) {
    gen.error(ast::SourceLoc{1, 1}) << "the file has no `train` section";
    return nullptr;
  }
  auto keys = collectKeys(gen, *section,
                          {"optimizer", "epochs", "seed", "clip", "init"});
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
  const ast::BindingStmt *optimizer = keys.lookup("optimizer");
  if (!optimizer) {
    gen.error(section->kindLoc)
        << "the train section sets no optimizer, e.g. "
           "`optimizer = sgd(lr = 0.1, momentum = 0.9)`";
    return nullptr;
  }
  DictionaryAttr config = buildOptimizer(gen, *optimizer->value);
  if (!config)
    return nullptr;
  entries.push_back(b.getNamedAttr("optimizer", config));
  return b.getDictionaryAttr(entries);
}

DictionaryAttr kiln::lang::buildDataRecipe(GenContext &gen,
                                           const ast::Section *section) {
  Builder b(gen.getContext());
  std::string dir = kDefaultFashionMnistDir.str();
  double mean = 0.0, std = 1.0;
  DictionaryAttr targets; // Class labels when absent (docs/language.md).
  if (section) {
    auto keys =
        collectKeys(gen, *section, {"dataset", "dir", "normalize", "targets"});
    if (const ast::BindingStmt *binding = keys.lookup("dataset")) {
      auto *name = dyn_cast<ast::IdentExpr>(binding->value.get());
      if (!name || name->name != "fashion_mnist")
        gen.error(binding->value->loc)
            << "unknown dataset; this version reads `fashion_mnist` (IDX "
               "files, optionally gzip-compressed)";
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
