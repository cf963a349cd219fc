//===- RecipeFullBatch.cpp - Newton's method, line search, tolerance ------===//
//
// The train section's settings of the full-batch methods (FullBatch.h):
// `optimizer = newton(lr = 1)`, `line_search = armijo(c = 1e-4, shrink = 0.5,
// max_trials = 50)` and `tolerance = 1e-8`. Their iterations are the
// runtime's, which applies no schedule, warm-up, clipping or parameter
// group, so those settings are errors rather than silently ignored.
//
//===----------------------------------------------------------------------===//
#include "frontends/lang/RecipeParts.h"

#include "compiler/Training/FullBatch.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lang;
using llvm::dyn_cast;

namespace {
/// The checked settings of `call`, named, with `name` = `callee`; null after
/// reporting errors. Settings are keywords only, as for the optimizers.
DictionaryAttr readNamedCall(GenContext &gen, const ast::CallExpr &call,
                             ArrayRef<HyperParameter> params, StringRef owner,
                             StringRef callee) {
  Builder b(gen.getContext());
  if (!call.args.empty())
    gen.error(call.args.front()->loc)
        << owner << " takes its settings by name, e.g. `" << callee
        << "(lr = 1.0)`";
  auto entries = readHyperParameters(gen, call, params, owner, "setting");
  if (!entries || !call.args.empty())
    return nullptr;
  entries->push_back(b.getNamedAttr("name", b.getStringAttr(callee)));
  return b.getDictionaryAttr(*entries);
}

/// Whether `optimizer` searches along -g: sgd without momentum or decay.
bool isPlainGradientDescent(HyperConfig optimizer) {
  return optimizer.name() == "sgd" && optimizer.real("momentum") == 0 &&
         optimizer.real("weight_decay") == 0;
}

DictionaryAttr buildLineSearch(GenContext &gen, const ast::Expr &expr,
                               DictionaryAttr optimizer) {
  const ast::CallExpr *call =
      expectCall(gen, expr, "line_search", "armijo(c = 1e-4, shrink = 0.5)");
  if (!call)
    return nullptr;
  const LineSearchKind *kind = lookupLineSearch(call->callee);
  if (!kind) {
    SmallVector<StringRef> names;
    for (const LineSearchKind &known : allLineSearches())
      names.push_back(known.name);
    unknownCallee(gen, *call, "line search", "line searches", names);
    return nullptr;
  }
  std::string owner = ("line search `" + kind->name + "`").str();
  DictionaryAttr config =
      readNamedCall(gen, *call, kind->parameters, owner, kind->name);
  if (!config)
    return nullptr;
  SettingProblem bad = kind->check(HyperConfig(config));
  if (!bad.problem.empty()) {
    const ast::KeywordArg *kw = call->findKeyword(bad.key);
    gen.error(kw ? kw->value->loc : call->calleeLoc) << bad.problem;
    return nullptr;
  }
  // The search needs a descent direction the runtime can compute from the
  // gradient alone (or with the Hessian); momentum and decay would change it.
  if (optimizer && HyperConfig(optimizer).name() != kNewton &&
      !isPlainGradientDescent(HyperConfig(optimizer))) {
    gen.error(expr.loc) << "a line search needs `newton` or plain `sgd` "
                           "(momentum = 0, weight_decay = 0), which step "
                           "along -H^-1 g or -g; this optimizer is `"
                        << HyperConfig(optimizer).name() << "`"
                        << (HyperConfig(optimizer).name() == "sgd"
                                ? " with momentum or weight decay"
                                : "");
    return nullptr;
  }
  return config;
}
} // namespace

DictionaryAttr kiln::lang::buildNewton(GenContext &gen,
                                       const ast::CallExpr &call) {
  return readNamedCall(gen, call, newtonParameters(), "optimizer `newton`",
                       kNewton);
}

void kiln::lang::addFullBatchSettings(
    GenContext &gen, const llvm::StringMap<const ast::BindingStmt *> &keys,
    ArrayRef<const ast::BindingStmt *> groups, DictionaryAttr optimizer,
    SmallVectorImpl<NamedAttribute> &entries) {
  Builder b(gen.getContext());
  const ast::BindingStmt *lineSearch = keys.lookup("line_search");
  if (lineSearch)
    if (DictionaryAttr config =
            buildLineSearch(gen, *lineSearch->value, optimizer))
      entries.push_back(b.getNamedAttr("line_search", config));
  bool newton = optimizer && HyperConfig(optimizer).name() == kNewton;
  const ast::BindingStmt *tolerance = keys.lookup("tolerance");
  if (tolerance && !newton && !lineSearch)
    gen.error(tolerance->nameLoc)
        << "`tolerance` applies to full-batch methods: `optimizer = "
           "newton()` or a `line_search`";
  else if (tolerance)
    if (std::optional<double> value =
            gen.number(*tolerance->value, "tolerance")) {
      if (*value < 0)
        gen.error(tolerance->value->loc) << "tolerance must not be negative";
      else
        entries.push_back(
            b.getNamedAttr("tolerance", b.getF64FloatAttr(*value)));
    }
  if (!newton && !lineSearch)
    return;
  // The runtime drives these iterations with one step length, from `lr` or
  // the line search, and the gradient as the compiled step returns it.
  for (StringRef key : {"clip", "schedule", "warmup"})
    if (const ast::BindingStmt *other = keys.lookup(key))
      gen.error(other->nameLoc)
          << "`" << key << "` does not apply to full-batch methods ("
          << (newton ? "`newton`" : "`line_search`") << ")";
  for (const ast::BindingStmt *group : groups)
    gen.error(group->nameLoc)
        << "parameter groups do not apply to full-batch methods ("
        << (newton ? "`newton`" : "`line_search`")
        << "): every parameter takes the same step";
}
