//===- InitSchemes.cpp - torch.nn.init schemes of layer weights -----------===//
//
// A scheme is a bare name (`xavier_uniform`) or a call with positional or
// keyword arguments (`kaiming_normal(mode = fan_out, nonlinearity = relu)`),
// checked like a layer call. Fans follow
// torch.nn.init._calculate_fan_in_and_fan_out: fan_in = shape[1] * receptive
// field, fan_out = shape[0] * receptive field, the receptive field being the
// product of the kernel dimensions.
//
// Rule for biases: a scheme sets the weight only, because torch.nn.init is
// applied to weights and the bias keeps PyTorch's U(+-1/sqrt(fan_in)); only
// zeros and constant, whose purpose is to show symmetry, set the bias too.
//
//===----------------------------------------------------------------------===//
#include "frontends/lang/InitSchemes.h"

#include "frontends/lang/CallBinding.h"

#include "dialects/kiln/IR/KilnConventions.h"

#include "llvm/ADT/StringExtras.h"

#include <cmath>

using namespace mlir;
using namespace kiln;
using namespace kiln::lang;
using llvm::dyn_cast;

namespace {
enum class Scheme {
  Pytorch,
  Zeros,
  Constant,
  Uniform,
  Normal,
  XavierUniform,
  XavierNormal,
  KaimingUniform,
  KaimingNormal
};

/// A scheme argument: a number, or a word from `words` (mode, nonlinearity).
struct Param {
  StringLiteral name;
  bool required;
  double number;
  ArrayRef<StringRef> words = {};
  StringLiteral word = "";
};

struct SchemeSpec {
  StringLiteral name;
  Scheme scheme;
  std::vector<Param> params;
};

const StringRef kModes[] = {"fan_in", "fan_out"};
// torch.nn.init.calculate_gain's nonlinearities.
const StringRef kNonlinearities[] = {
    "linear", "conv1d",     "conv2d", "conv_transpose2d", "sigmoid", "tanh",
    "relu",   "leaky_relu", "selu"};

const std::vector<SchemeSpec> &schemes() {
  static const std::vector<SchemeSpec> specs = {
      {"pytorch", Scheme::Pytorch, {}},
      {"zeros", Scheme::Zeros, {}},
      {"constant", Scheme::Constant, {{"value", true, 0}}},
      {"uniform", Scheme::Uniform, {{"low", false, 0}, {"high", false, 1}}},
      {"normal", Scheme::Normal, {{"mean", false, 0}, {"std", false, 1}}},
      {"xavier_uniform", Scheme::XavierUniform, {{"gain", false, 1}}},
      {"xavier_normal", Scheme::XavierNormal, {{"gain", false, 1}}},
      {"kaiming_uniform",
       Scheme::KaimingUniform,
       {{"a", false, 0},
        {"mode", false, 0, kModes, "fan_in"},
        {"nonlinearity", false, 0, kNonlinearities, "leaky_relu"}}},
      {"kaiming_normal",
       Scheme::KaimingNormal,
       {{"a", false, 0},
        {"mode", false, 0, kModes, "fan_in"},
        {"nonlinearity", false, 0, kNonlinearities, "leaky_relu"}}},
  };
  return specs;
}

/// A checked scheme: its spec and each parameter's value.
struct Parsed {
  const SchemeSpec *spec;
  SmallVector<double> numbers;
  SmallVector<std::string> words;
};

std::optional<std::string> wordOf(const ast::Expr &expr) {
  if (auto *ident = dyn_cast<ast::IdentExpr>(&expr))
    return ident->name;
  if (auto *str = dyn_cast<ast::StringExpr>(&expr))
    return str->value;
  return std::nullopt;
}

std::optional<Parsed> parseScheme(GenContext &gen, const ast::Expr &expr) {
  StringRef name;
  ast::SourceLoc nameLoc = expr.loc;
  auto *call = dyn_cast<ast::CallExpr>(&expr);
  if (auto *ident = dyn_cast<ast::IdentExpr>(&expr))
    name = ident->name;
  else if (call)
    name = call->callee, nameLoc = call->calleeLoc;
  else {
    gen.error(expr.loc) << "init must be a scheme such as `xavier_uniform` or "
                           "`normal(0, 0.02)`";
    return std::nullopt;
  }
  auto spec = llvm::find_if(
      schemes(), [&](const SchemeSpec &s) { return s.name == name; });
  if (spec == schemes().end()) {
    SmallVector<StringRef> names;
    for (const SchemeSpec &s : schemes())
      names.push_back(s.name);
    InFlightDiagnostic diag = gen.error(nameLoc)
                              << "unknown init scheme `" << name << "`";
    suggest(diag, gen.loc(nameLoc), name, names, "init schemes");
    return std::nullopt;
  }
  SmallVector<Slot> slots;
  for (const Param &param : spec->params)
    slots.push_back({param.name, param.required});
  BoundArgs bound =
      bindCall(gen, call, nameLoc, slots, {name.str(), "argument"});
  SmallVector<const ast::Expr *> given;
  for (const auto &exprs : bound.slots)
    given.push_back(exprs.empty() ? nullptr : exprs.front());
  bool ok = bound.ok;
  Parsed parsed{&*spec, {}, {}};
  for (auto [param, arg] : llvm::zip_equal(spec->params, given)) {
    parsed.numbers.push_back(param.number);
    parsed.words.push_back(param.word.str());
    if (!arg)
      continue;
    std::string what = (name + " argument `" + param.name + "`").str();
    if (param.words.empty()) {
      std::optional<double> v = gen.number(*arg, what);
      ok &= v.has_value();
      parsed.numbers.back() = v.value_or(0);
      continue;
    }
    std::optional<std::string> word = wordOf(*arg);
    if (!word || !llvm::is_contained(param.words, *word)) {
      InFlightDiagnostic diag = gen.error(arg->loc)
                                << what << " must be one of "
                                << llvm::join(param.words, ", ");
      if (word)
        suggest(diag, gen.loc(arg->loc), *word, param.words, "values");
      ok = false;
      continue;
    }
    parsed.words.back() = *word;
  }
  if (!ok)
    return std::nullopt;
  // Bounds that torch.nn.init would reject or that leave nothing to draw.
  auto at = [&](size_t index) {
    return given[index] ? given[index]->loc : nameLoc;
  };
  if (spec->scheme == Scheme::Uniform &&
      !(parsed.numbers[0] < parsed.numbers[1])) {
    gen.error(at(1)) << "uniform needs low < high, got low = "
                     << formatNumber(parsed.numbers[0])
                     << " and high = " << formatNumber(parsed.numbers[1]);
    return std::nullopt;
  }
  if (spec->scheme == Scheme::Normal && parsed.numbers[1] < 0) {
    gen.error(at(1)) << "normal needs std >= 0, got "
                     << formatNumber(parsed.numbers[1]);
    return std::nullopt;
  }
  if ((spec->scheme == Scheme::XavierUniform ||
       spec->scheme == Scheme::XavierNormal) &&
      parsed.numbers[0] < 0) {
    gen.error(at(0)) << name << " needs gain >= 0, got "
                     << formatNumber(parsed.numbers[0]);
    return std::nullopt;
  }
  return parsed;
}

/// torch.nn.init.calculate_gain(nonlinearity, a).
double gainOf(StringRef nonlinearity, double a) {
  if (nonlinearity == "tanh")
    return 5.0 / 3;
  if (nonlinearity == "relu")
    return std::sqrt(2.0);
  if (nonlinearity == "leaky_relu")
    return std::sqrt(2.0 / (1 + a * a));
  if (nonlinearity == "selu")
    return 3.0 / 4;
  return 1.0; // linear, convolutions, sigmoid
}
} // namespace

std::optional<LayerInits>
kiln::lang::layerInits(LayerBuilder &lb, const ArgValue &scheme,
                       ArrayRef<int64_t> weightShape) {
  int64_t receptive = 1;
  for (int64_t dim : weightShape.drop_front(2))
    receptive *= dim;
  double fanIn = static_cast<double>(weightShape[1] * receptive);
  double fanOut = static_cast<double>(weightShape[0] * receptive);
  MLIRContext *ctx = lb.b.getContext();
  double bound = 1.0 / std::sqrt(fanIn);
  // PyTorch's kaiming_uniform(a = sqrt(5)) reduces to this bound.
  InitAttr pytorch = uniformInit(ctx, -bound, bound);
  const ast::Expr *expr = scheme.expr ? scheme.expr : lb.gen.defaultInit;
  if (!expr)
    return LayerInits{pytorch, pytorch};
  std::optional<Parsed> parsed = parseScheme(lb.gen, *expr);
  if (!parsed)
    return std::nullopt;
  ArrayRef<double> n = parsed->numbers;
  InitAttr weight;
  switch (parsed->spec->scheme) {
  case Scheme::Pytorch:
    return LayerInits{pytorch, pytorch};
  case Scheme::Zeros:
  case Scheme::Constant:
    weight = constantInit(ctx, n.empty() ? 0.0 : n[0]);
    return LayerInits{weight, weight};
  case Scheme::Uniform:
    weight = uniformInit(ctx, n[0], n[1]);
    break;
  case Scheme::Normal:
    weight = normalInit(ctx, n[0], n[1]);
    break;
  case Scheme::XavierUniform: {
    double a = n[0] * std::sqrt(6.0 / (fanIn + fanOut));
    weight = uniformInit(ctx, -a, a);
    break;
  }
  case Scheme::XavierNormal:
    weight = normalInit(ctx, 0, n[0] * std::sqrt(2.0 / (fanIn + fanOut)));
    break;
  case Scheme::KaimingUniform:
  case Scheme::KaimingNormal: {
    double fan = parsed->words[1] == "fan_in" ? fanIn : fanOut;
    double gain = gainOf(parsed->words[2], n[0]);
    if (parsed->spec->scheme == Scheme::KaimingNormal) {
      weight = normalInit(ctx, 0, gain / std::sqrt(fan));
    } else {
      double limit = gain * std::sqrt(3.0 / fan);
      weight = uniformInit(ctx, -limit, limit);
    }
    break;
  }
  }
  return LayerInits{weight, pytorch};
}

const ast::Expr *kiln::lang::checkDefaultInit(GenContext &gen,
                                              const ast::Expr &expr) {
  return parseScheme(gen, expr) ? &expr : nullptr;
}

double kiln::lang::initMeanSquare(InitAttr init) {
  switch (init.getKind()) {
  case rt::Init::Zeros:
    return 0.0;
  case rt::Init::Constant:
    return init.getReal("value") * init.getReal("value");
  case rt::Init::Uniform: {
    double low = init.getReal("low"), high = init.getReal("high");
    return (low * low + low * high + high * high) / 3;
  }
  case rt::Init::Normal:
    return init.getReal("mean") * init.getReal("mean") +
           init.getReal("std") * init.getReal("std");
  }
  llvm_unreachable("unknown initialiser");
}
