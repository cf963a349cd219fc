//===- RecipeGroups.cpp - Parameter groups of the train section -----------===//
//
// `group = params("*.bias", "bn*", weight_decay = 0, lr = 0.1)` gives the
// parameters whose PyTorch names match a pattern their own optimizer
// settings, `frozen = true` takes them out of training. A pattern must match
// a parameter, so a typo is an error with the parameters listed rather than a
// group that silently selects nothing.
//
//===----------------------------------------------------------------------===//
#include "frontends/lang/RecipeParts.h"

#include "llvm/Support/GlobPattern.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lang;
using llvm::dyn_cast;

namespace {
/// The patterns of `call`, each checked to match a parameter; null after
/// reporting.
ArrayAttr readPatterns(GenContext &gen, const ast::CallExpr &call,
                       ArrayRef<std::string> paramNames) {
  Builder b(gen.getContext());
  bool ok = true;
  SmallVector<Attribute> patterns;
  for (const auto &arg : call.args) {
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
  if (call.args.empty()) {
    gen.error(call.calleeLoc) << "`params` needs at least one name pattern, "
                                 "e.g. params(\"*.bias\", weight_decay = 0)";
    ok = false;
  }
  return ok ? b.getArrayAttr(patterns) : nullptr;
}
} // namespace

ParamGroupAttr kiln::lang::buildGroup(GenContext &gen, const ast::Expr &expr,
                                      OptimizerAttr optimizer,
                                      ArrayRef<std::string> paramNames) {
  const ast::CallExpr *call =
      expectCall(gen, expr, "group", "params(\"*.bias\", weight_decay = 0)");
  if (!call)
    return nullptr;
  if (call->callee != "params") {
    InFlightDiagnostic diag = gen.error(call->calleeLoc)
                              << "unknown parameter group `" << call->callee
                              << "`";
    suggest(diag, gen.loc(call->calleeLoc), call->callee, {"params"},
            "parameter groups");
    return nullptr;
  }
  ArrayAttr patterns = readPatterns(gen, *call, paramNames);
  if (!optimizer)
    return nullptr; // the optimizer's own error was reported
  bool frozen = false;
  if (const ast::KeywordArg *kw = call->findKeyword("frozen"))
    frozen = gen.boolean(*kw->value, "frozen").value_or(false);
  // The patterns are positional; the settings override the optimizer's.
  StringRef frozenKey[] = {"frozen"};
  DictionaryAttr settings = readKindSettings(
      gen,
      SettingsCall{call, call->calleeLoc, 0, optimizer.getSettings(),
                   CallerReads{frozenKey, true}},
      optimizer.getKind());
  if (!settings || !patterns)
    return nullptr;
  MLIRContext *ctx = gen.getContext();
  return ParamGroupAttr::get(
      ctx, patterns, OptimizerAttr::get(ctx, optimizer.getKind(), settings),
      BoolAttr::get(ctx, frozen));
}

void kiln::lang::checkSomethingTrains(GenContext &gen,
                                      ArrayRef<ParamGroupAttr> groups,
                                      ArrayRef<std::string> paramNames,
                                      ast::SourceLoc loc) {
  auto frozen = [&](StringRef name) {
    for (ParamGroupAttr group : groups)
      if (group.matches(name))
        return group.isFrozen();
    return false;
  };
  if (!paramNames.empty() && llvm::all_of(paramNames, frozen))
    gen.error(loc) << "every parameter is frozen: there is nothing to train";
}
