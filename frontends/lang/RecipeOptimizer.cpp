//===- RecipeOptimizer.cpp - Optimizer, schedule, warm-up and groups ------===//
//
// The train section's settings that are calls with checked keyword
// arguments: `optimizer = sgd(lr = 0.1)`, `schedule = cosine(t_max = 30)`,
// `warmup = linear(steps = 500)` and `group = params("*.bias", weight_decay =
// 0)`. All of them are read against the registries the compiler passes use
// (Optimizers.h, Schedules.h), so a misspelt or out-of-range setting is a
// compile-time error at its location and defaults are written into the IR.
//
//===----------------------------------------------------------------------===//
#include "frontends/lang/RecipeParts.h"

#include "compiler/Training/FullBatch.h"
#include "compiler/Training/Optimizers.h"
#include "compiler/Training/ParamGroups.h"
#include "compiler/Training/Schedules.h"
#include "frontends/lang/Suggest.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/GlobPattern.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lang;
using llvm::cast;
using llvm::dyn_cast;

const ast::CallExpr *kiln::lang::expectCall(GenContext &gen,
                                            const ast::Expr &expr,
                                            StringRef what, StringRef example) {
  auto *call = dyn_cast<ast::CallExpr>(&expr);
  if (!call)
    gen.error(expr.loc) << what << " must be a call such as `" << example
                        << "`";
  return call;
}

void kiln::lang::unknownCallee(GenContext &gen, const ast::CallExpr &call,
                               StringRef what, StringRef plural,
                               ArrayRef<StringRef> names) {
  InFlightDiagnostic diag = gen.error(call.calleeLoc)
                            << "unknown " << what << " `" << call.callee << "`";
  suggest(diag, gen.loc(call.calleeLoc), call.callee, names, plural);
}

std::optional<SmallVector<NamedAttribute>> kiln::lang::readHyperParameters(
    GenContext &gen, const ast::CallExpr &call, ArrayRef<HyperParameter> params,
    StringRef owner, StringRef noun, DictionaryAttr base,
    ArrayRef<StringRef> extraKeys) {
  Builder b(gen.getContext());
  SmallVector<StringRef> names(extraKeys);
  for (const HyperParameter &hp : params)
    names.push_back(hp.name);
  llvm::StringMap<double> values;
  llvm::StringSet<> given; // valid names, even when their value was bad
  bool ok = true;
  for (const ast::KeywordArg &kw : call.kwargs) {
    if (llvm::is_contained(extraKeys, kw.name))
      continue;
    const HyperParameter *hp = lookupHyperParameter(params, kw.name);
    if (!hp) {
      InFlightDiagnostic diag = gen.error(kw.nameLoc)
                                << owner << " has no " << noun << " `"
                                << kw.name << "`";
      suggest(diag, gen.loc(kw.nameLoc), kw.name, names, noun.str() + "s");
      ok = false;
      continue;
    }
    given.insert(kw.name);
    std::optional<double> value =
        hp->range == HyperRange::Bool
            ? std::optional<double>(gen.boolean(*kw.value, kw.name))
            : gen.number(*kw.value, kw.name);
    if (!value) {
      ok = false;
      continue;
    }
    std::string problem = checkHyperRange(hp->range, *value);
    if (!problem.empty()) {
      gen.error(kw.value->loc)
          << "`" << kw.name << "` (" << hp->help << ") " << problem;
      ok = false;
      continue;
    }
    values[kw.name] = *value;
  }

  SmallVector<NamedAttribute> entries;
  for (const HyperParameter &hp : params) {
    auto it = values.find(hp.name);
    if (it != values.end()) {
      entries.push_back(b.getNamedAttr(
          hp.name, hp.range == HyperRange::Bool
                       ? Attribute(b.getBoolAttr(it->second != 0))
                       : Attribute(b.getF64FloatAttr(it->second))));
    } else if (base) {
      entries.push_back(b.getNamedAttr(hp.name, base.get(hp.name)));
    } else if (!hp.required) {
      entries.push_back(b.getNamedAttr(
          hp.name, hp.range == HyperRange::Bool
                       ? Attribute(b.getBoolAttr(hp.defaultValue != 0))
                       : Attribute(b.getF64FloatAttr(hp.defaultValue))));
    } else if (!given.contains(hp.name)) { // else its value was reported
      gen.error(call.calleeLoc)
          << owner << " needs `" << hp.name << "` (" << hp.help << ")";
      ok = false;
    }
  }
  if (!ok)
    return std::nullopt;
  return entries;
}

DictionaryAttr kiln::lang::buildOptimizer(GenContext &gen,
                                          const ast::Expr &expr) {
  Builder b(gen.getContext());
  const ast::CallExpr *call =
      expectCall(gen, expr, "optimizer", "sgd(lr = 0.1)");
  if (!call)
    return nullptr;
  const OptimizerRule *rule = lookupOptimizer(call->callee);
  if (!rule && call->callee == kNewton) // solved by the runtime, no rule
    return buildNewton(gen, *call);
  if (!rule) {
    SmallVector<StringRef> names;
    for (const OptimizerRule *known : allOptimizers())
      names.push_back(known->name());
    names.push_back(kNewton);
    unknownCallee(gen, *call, "optimizer", "optimizers", names);
    return nullptr;
  }
  if (!call->args.empty())
    gen.error(call->args.front()->loc)
        << "optimizer hyper-parameters are given by name, e.g. `"
        << rule->name() << "(lr = 0.1)`";
  std::string owner = ("optimizer `" + rule->name() + "`").str();
  auto entries = readHyperParameters(gen, *call, rule->hyperParameters(), owner,
                                     "hyper-parameter");
  if (!entries)
    return nullptr;
  entries->push_back(b.getNamedAttr("name", b.getStringAttr(rule->name())));
  DictionaryAttr config = b.getDictionaryAttr(*entries);
  std::string conflict = rule->checkConsistency(HyperConfig(config));
  if (!conflict.empty()) {
    gen.error(call->calleeLoc) << owner << ": " << conflict;
    return nullptr;
  }
  return config;
}

DictionaryAttr kiln::lang::buildSchedule(GenContext &gen,
                                         const ast::Expr &expr) {
  Builder b(gen.getContext());
  const ast::CallExpr *call =
      expectCall(gen, expr, "schedule", "cosine(t_max = 30)");
  if (!call)
    return nullptr;
  const ScheduleKind *kind = lookupSchedule(call->callee);
  if (!kind) {
    SmallVector<StringRef> names;
    for (const ScheduleKind &known : allSchedules())
      names.push_back(known.name);
    unknownCallee(gen, *call, "schedule", "schedules", names);
    return nullptr;
  }
  std::string owner = ("schedule `" + kind->name + "`").str();
  SmallVector<Attribute> milestones;
  bool ok = true;
  if (kind->takesMilestones) {
    double last = 0;
    for (const auto &arg : call->args) {
      std::optional<int64_t> m = gen.integer(*arg, "a milestone", 1);
      if (m && *m <= last) {
        gen.error(arg->loc) << "milestones must increase";
        m.reset();
      }
      ok &= m.has_value();
      last = m.value_or(last);
      milestones.push_back(b.getF64FloatAttr(last));
    }
    if (call->args.empty()) {
      gen.error(call->calleeLoc) << owner << " needs its milestones, e.g. `"
                                 << kind->name << "(30, 80, gamma = 0.1)`";
      ok = false;
    }
  } else if (!call->args.empty()) {
    gen.error(call->args.front()->loc)
        << owner << " takes its settings by name";
    ok = false;
  }
  auto entries =
      readHyperParameters(gen, *call, kind->parameters, owner, "setting");
  if (!entries || !ok)
    return nullptr;
  entries->push_back(b.getNamedAttr("name", b.getStringAttr(kind->name)));
  if (kind->takesMilestones)
    entries->push_back(
        b.getNamedAttr("milestones", b.getArrayAttr(milestones)));
  return b.getDictionaryAttr(*entries);
}

DictionaryAttr kiln::lang::buildWarmup(GenContext &gen, const ast::Expr &expr) {
  Builder b(gen.getContext());
  const ast::CallExpr *call =
      expectCall(gen, expr, "warmup", "linear(steps = 500)");
  if (!call)
    return nullptr;
  if (call->callee != "linear") {
    unknownCallee(gen, *call, "warm-up", "warm-ups", {"linear"});
    return nullptr;
  }
  auto entries = readHyperParameters(gen, *call, warmupParameters(),
                                     "warm-up `linear`", "setting");
  if (!entries)
    return nullptr;
  DictionaryAttr config = b.getDictionaryAttr(*entries);
  if (HyperConfig(config).real("start_factor") > 1) {
    gen.error(call->findKeyword("start_factor")->value->loc)
        << "`start_factor` must be at most 1: warm-up raises the rate";
    return nullptr;
  }
  return config;
}

DictionaryAttr kiln::lang::buildGroup(GenContext &gen, const ast::Expr &expr,
                                      DictionaryAttr optimizer,
                                      ArrayRef<std::string> paramNames) {
  Builder b(gen.getContext());
  const ast::CallExpr *call =
      expectCall(gen, expr, "group", "params(\"*.bias\", weight_decay = 0)");
  if (!call)
    return nullptr;
  if (call->callee != "params") {
    unknownCallee(gen, *call, "parameter group", "parameter groups",
                  {"params"});
    return nullptr;
  }
  bool ok = true;
  SmallVector<Attribute> patterns;
  for (const auto &arg : call->args) {
    auto *text = dyn_cast<ast::StringExpr>(arg.get());
    if (!text) {
      gen.error(arg->loc) << "a parameter pattern is a string such as "
                             "\"*.bias\"";
      ok = false;
      continue;
    }
    llvm::Expected<llvm::GlobPattern> glob =
        llvm::GlobPattern::create(text->value);
    if (!glob) {
      gen.error(arg->loc) << "bad pattern: "
                          << llvm::toString(glob.takeError());
      ok = false;
      continue;
    }
    if (llvm::none_of(paramNames,
                      [&](const std::string &n) { return glob->match(n); })) {
      InFlightDiagnostic diag = gen.error(arg->loc)
                                << "pattern \"" << text->value
                                << "\" matches no parameter";
      SmallVector<StringRef> names(paramNames.begin(), paramNames.end());
      suggest(diag, gen.loc(arg->loc), text->value, names, "parameters");
      ok = false;
    }
    patterns.push_back(b.getStringAttr(text->value));
  }
  if (call->args.empty()) {
    gen.error(call->calleeLoc) << "`params` needs at least one name pattern, "
                                  "e.g. params(\"*.bias\", weight_decay = 0)";
    ok = false;
  }
  const OptimizerRule *rule =
      optimizer ? lookupOptimizer(HyperConfig(optimizer).name()) : nullptr;
  if (!rule)
    return nullptr; // the optimizer's own error was reported
  std::string owner = ("optimizer `" + rule->name() + "`").str();
  auto entries = readHyperParameters(gen, *call, rule->hyperParameters(), owner,
                                     "hyper-parameter", optimizer, {"frozen"});
  bool frozen = false;
  if (const ast::KeywordArg *kw = call->findKeyword("frozen"))
    frozen = gen.boolean(*kw->value, "frozen").value_or(false);
  if (!entries || !ok)
    return nullptr;
  entries->push_back(b.getNamedAttr("name", b.getStringAttr(rule->name())));
  DictionaryAttr config = b.getDictionaryAttr(*entries);
  std::string conflict = rule->checkConsistency(HyperConfig(config));
  if (!conflict.empty()) {
    gen.error(call->calleeLoc) << owner << " in this group: " << conflict;
    return nullptr;
  }
  return b.getDictionaryAttr(
      {b.getNamedAttr("patterns", b.getArrayAttr(patterns)),
       b.getNamedAttr("optimizer", config),
       b.getNamedAttr("frozen", b.getBoolAttr(frozen))});
}

void kiln::lang::checkSomethingTrains(GenContext &gen,
                                      ArrayRef<Attribute> groups,
                                      ArrayRef<std::string> paramNames,
                                      ast::SourceLoc loc) {
  FailureOr<SmallVector<ParamGroup>> parsed =
      parseParamGroups(ArrayAttr::get(gen.getContext(), groups), gen.loc(loc));
  if (failed(parsed))
    return; // Reported; buildGroup writes valid groups.
  auto frozen = [&](StringRef name) {
    const ParamGroup *group = findGroup(*parsed, name);
    return group && group->frozen;
  };
  if (!paramNames.empty() && llvm::all_of(paramNames, frozen))
    gen.error(loc) << "every parameter is frozen: there is nothing to train";
}
