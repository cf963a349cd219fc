//===- LayerArgs.cpp - Matching and checking layer call arguments ---------===//
//
// Binds a call's arguments to its LayerSpec (bindCall: a variadic argument
// takes the remaining positional ones), checks literal arguments against
// their kinds and asks MLIRGen to resolve tensor names. Every mistake is
// reported, at the argument to fix.
//
//===----------------------------------------------------------------------===//
#include "frontends/lang/Layers.h"

#include "dialects/kiln/IR/KilnDialect.h"
#include "frontends/lang/CallBinding.h"

#include "llvm/Support/Format.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lang;
using llvm::dyn_cast;

namespace {
/// Checks a literal argument of `spec`'s kind.
std::optional<ArgValue> checkLiteral(GenContext &gen, const ArgSpec &spec,
                                     const ast::Expr &expr, StringRef what) {
  switch (spec.kind) {
  case ArgKind::PositiveInt:
    if (std::optional<int64_t> v = gen.integer(expr, what, 1))
      return ArgValue{nullptr, "", *v};
    return std::nullopt;
  case ArgKind::NonNegativeInt:
    if (std::optional<int64_t> v = gen.integer(expr, what, 0))
      return ArgValue{nullptr, "", *v};
    return std::nullopt;
  case ArgKind::Padding: {
    auto *str = dyn_cast<ast::StringExpr>(&expr);
    if (str && str->value == "same") {
      ArgValue same;
      same.text = str->value;
      return same;
    }
    if (str || !isa<ast::NumberExpr>(expr)) {
      gen.error(expr.loc) << what << " must be an integer >= 0 or \"same\"";
      return std::nullopt;
    }
    if (std::optional<int64_t> v = gen.integer(expr, what, 0))
      return ArgValue{nullptr, "", *v};
    return std::nullopt;
  }
  case ArgKind::Int: {
    auto *num = dyn_cast<ast::NumberExpr>(&expr);
    if (num && num->isInteger)
      return ArgValue{nullptr, "", static_cast<int64_t>(num->value)};
    gen.error(expr.loc) << what << " must be an integer";
    return std::nullopt;
  }
  case ArgKind::Bool:
    if (std::optional<bool> v = gen.boolean(expr, what))
      return ArgValue{nullptr, "", *v};
    return std::nullopt;
  case ArgKind::Real:
  case ArgKind::Rate: {
    std::optional<double> v = gen.number(expr, what);
    if (!v)
      return std::nullopt;
    if (spec.kind == ArgKind::Rate && !(*v >= 0 && *v < 1)) {
      gen.error(expr.loc) << what << " must be in [0, 1), got " << *v;
      return std::nullopt;
    }
    return ArgValue{nullptr, "", 0, *v};
  }
  case ArgKind::Init: {
    // Checked by layerInits, which knows the weight's fans.
    ArgValue scheme;
    scheme.expr = &expr;
    return scheme;
  }
  case ArgKind::Tensor:
  case ArgKind::Labels:
  case ArgKind::Targets:
    break;
  }
  llvm_unreachable("tensor kinds are resolved by MLIRGen");
}

bool isTensorKind(ArgKind kind) {
  return kind == ArgKind::Tensor || kind == ArgKind::Labels ||
         kind == ArgKind::Targets;
}
} // namespace

std::optional<SmallVector<ArgValue>>
kiln::lang::checkCall(GenContext &gen, const LayerSpec &spec,
                      const ast::CallExpr &call, TensorResolver resolve) {
  SmallVector<Slot> slots;
  for (const ArgSpec &arg : spec.args)
    slots.push_back(
        {arg.name, arg.required, /*positional=*/true, arg.variadic});
  BoundArgs given = bindCall(gen, &call, call.calleeLoc, slots,
                             {spec.name.str(), "argument"});
  bool ok = given.ok;
  SmallVector<ArgValue> values;
  for (auto [argSpec, exprs] : llvm::zip_equal(spec.args, given.slots)) {
    if (exprs.empty()) {
      values.push_back(ArgValue{nullptr, "",
                                static_cast<int64_t>(argSpec.defaultValue),
                                argSpec.defaultValue});
      continue;
    }
    std::string what = (call.callee + " argument `" + argSpec.name + "`").str();
    SmallVector<ArgValue> items;
    for (const ast::Expr *expr : exprs) {
      std::optional<ArgValue> value =
          isTensorKind(argSpec.kind) ? resolve(argSpec, *expr, what)
                                     : checkLiteral(gen, argSpec, *expr, what);
      ok &= value.has_value();
      items.push_back(value.value_or(ArgValue{}));
      items.back().loc = expr->loc;
    }
    values.push_back(items.front());
    if (argSpec.variadic)
      values.back().items.assign(items.begin(), items.end());
  }
  if (!ok)
    return std::nullopt;
  return values;
}

InFlightDiagnostic kiln::lang::argError(LayerBuilder &lb, const ArgValue &arg) {
  return lb.gen.error(arg.loc.isValid() ? arg.loc : lb.callLoc);
}

std::optional<int64_t> kiln::lang::resolveAxis(LayerBuilder &lb,
                                               const ArgValue &axis,
                                               StringRef layer,
                                               const ArgValue &tensor) {
  auto type = cast<RankedTensorType>(tensor.tensor.getType());
  int64_t rank = type.getRank();
  int64_t resolved = axis.integer < 0 ? axis.integer + rank : axis.integer;
  if (resolved >= 1 && resolved < rank)
    return resolved;
  InFlightDiagnostic diag = argError(lb, axis)
                            << layer << " `" << lb.name << "` axis "
                            << axis.integer << " is not a dimension of "
                            << formatShape(type.getShape()) << " from `"
                            << tensor.source << "` other than the batch";
  if (rank == 2)
    diag << ": expected 1 or -1";
  else if (rank > 2)
    diag << ": expected 1 to " << rank - 1 << " or -" << rank - 1 << " to -1";
  return std::nullopt;
}

bool kiln::lang::expectRank(LayerBuilder &lb, StringRef layer,
                            const ArgValue &x, int64_t minRank, int64_t maxRank,
                            StringRef dims) {
  ArrayRef<int64_t> shape = typeOf(x.tensor).getShape();
  int64_t rank = shape.size();
  if (rank >= minRank && rank <= maxRank)
    return true;
  InFlightDiagnostic diag = lb.gen.error(lb.callLoc)
                            << layer << " `" << lb.name << "` expects ";
  if (minRank == maxRank)
    diag << "a " << minRank << "-D input ";
  diag << dims << ", got " << formatShape(shape) << " from `" << x.source
       << "`";
  return false;
}
