//===- KilnAttrs.cpp - Attributes that describe a program -----------------===//
//
// The recipe attributes' own rules (the settings attributes share theirs,
// RecipeSettings.h), the ABI enums' spelling, and the dialect's checks of
// the kiln.* attributes of modules, functions, arguments and results.
//
//===----------------------------------------------------------------------===//
#include "dialects/kiln/IR/KilnConventions.h"
#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/GlobPattern.h"

using namespace mlir;
using namespace kiln;

#define GET_ATTRDEF_CLASSES
#include "dialects/kiln/IR/KilnAttrs.cpp.inc"

void KilnDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/kiln/IR/KilnAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Roles and entry points: spelled as the ABI table spells them
//===----------------------------------------------------------------------===//

namespace {
template <typename AttrT, typename Enum>
Attribute parseAbiEnum(AsmParser &parser, StringRef noun) {
  StringRef word;
  SMLoc loc = parser.getCurrentLocation();
  if (parser.parseLess() || parser.parseKeyword(&word) || parser.parseGreater())
    return {};
  if (std::optional<Enum> value = rt::parse<Enum>(word))
    return AttrT::get(parser.getContext(), *value);
  InFlightDiagnostic diag = parser.emitError(loc)
                            << "unknown " << noun << " `" << word
                            << "`; expected one of";
  for (const auto &info : rt::tableOf(Enum{}))
    diag << " " << StringRef(info.name);
  return {};
}
} // namespace

Attribute RoleAttr::parse(AsmParser &parser, Type) {
  return parseAbiEnum<RoleAttr, rt::Role>(parser, "role");
}

void RoleAttr::print(AsmPrinter &printer) const {
  printer << "<" << StringRef(rt::name(getValue())) << ">";
}

Attribute EntryAttr::parse(AsmParser &parser, Type) {
  return parseAbiEnum<EntryAttr, rt::Entry>(parser, "entry point");
}

void EntryAttr::print(AsmPrinter &printer) const {
  printer << "<" << StringRef(rt::name(getValue())) << ">";
}

//===----------------------------------------------------------------------===//
// Parameter groups and the recipe
//===----------------------------------------------------------------------===//

LogicalResult
ParamGroupAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                       ArrayAttr patterns, OptimizerAttr, BoolAttr) {
  if (patterns.empty())
    return emitError() << "a parameter group needs at least one pattern";
  for (Attribute pattern : patterns) {
    auto text = llvm::dyn_cast<StringAttr>(pattern);
    if (!text)
      return emitError() << "a parameter pattern is a string such as "
                            "\"*.bias\", got "
                         << pattern;
    llvm::Expected<llvm::GlobPattern> glob =
        llvm::GlobPattern::create(text.getValue());
    if (!glob)
      return emitError() << "bad parameter pattern \"" << text.getValue()
                         << "\": " << llvm::toString(glob.takeError());
  }
  return success();
}

bool ParamGroupAttr::matches(StringRef name) const {
  return llvm::any_of(getPatterns(), [&](Attribute pattern) {
    llvm::Expected<llvm::GlobPattern> glob =
        llvm::GlobPattern::create(llvm::cast<StringAttr>(pattern).getValue());
    return glob && glob->match(name); // verify() checked the pattern
  });
}

SmallVector<SettingProblem>
TrainRecipeAttr::check(uint64_t epochs, OptimizerAttr optimizer,
                       ScheduleAttr schedule, WarmupAttr warmup, ClipAttr clip,
                       ArrayAttr groups, LineSearchAttr lineSearch,
                       FloatAttr tolerance, FloatAttr valSplit) {
  SmallVector<SettingProblem> problems;
  auto report = [&](StringRef key, const Twine &message) {
    problems.push_back({key.str(), message.str()});
  };
  if (epochs < 1)
    report("epochs", "a recipe trains for at least one epoch");
  if (!optimizer)
    report("optimizer", "a recipe needs an optimizer");
  if (groups && !llvm::all_of(groups, llvm::IsaPred<ParamGroupAttr>))
    report("group", "`groups` holds #kiln.param_group attributes");
  if (valSplit &&
      !(valSplit.getValueAsDouble() > 0 && valSplit.getValueAsDouble() < 1))
    report("val_split", "val_split must be in (0, 1)");
  if (tolerance && !(tolerance.getValueAsDouble() >= 0))
    report("tolerance", "tolerance must not be negative");
  bool newton = optimizer && optimizer.getKind() == OptimizerKind::Newton;
  if (!newton && !lineSearch) {
    if (tolerance)
      report("tolerance", "`tolerance` applies to full-batch methods: "
                          "`optimizer = newton()` or a `line_search`");
    return problems;
  }
  // The runtime drives these iterations with one step length, from `lr` or
  // the line search, and the gradient as the compiled step returns it.
  StringRef method = newton ? "(`newton`)" : "(`line_search`)";
  for (auto [key, given] : {std::pair<StringRef, bool>{"clip", bool(clip)},
                            {"schedule", bool(schedule)},
                            {"warmup", bool(warmup)}})
    if (given)
      report(key,
             "`" + key + "` does not apply to full-batch methods " + method);
  if (groups && !groups.empty())
    report("group", "parameter groups do not apply to full-batch methods " +
                        method + ": every parameter takes the same step");
  // The search needs a descent direction the runtime can compute from the
  // gradient alone (or with the Hessian); momentum and decay would change
  // it.
  if (lineSearch && optimizer && !newton &&
      (optimizer.getKind() != OptimizerKind::Sgd ||
       optimizer.getReal("momentum") != 0 ||
       optimizer.getReal("weight_decay") != 0))
    report("line_search",
           "a line search needs `newton` or plain `sgd` (momentum = 0, "
           "weight_decay = 0), which step along -H^-1 g or -g; this "
           "optimizer is `" +
               stringifyOptimizerKind(optimizer.getKind()) + "`" +
               (optimizer.getKind() == OptimizerKind::Sgd
                    ? " with momentum or weight decay"
                    : ""));
  return problems;
}

LogicalResult
TrainRecipeAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                        uint64_t epochs, uint64_t, OptimizerAttr optimizer,
                        ScheduleAttr schedule, WarmupAttr warmup, ClipAttr clip,
                        ArrayAttr groups, LineSearchAttr lineSearch,
                        FloatAttr tolerance, FloatAttr valSplit, StringAttr) {
  SmallVector<SettingProblem> problems =
      check(epochs, optimizer, schedule, warmup, clip, groups, lineSearch,
            tolerance, valSplit);
  if (problems.empty())
    return success();
  return emitError() << "recipe: " << problems.front().message;
}

SmallVector<ParamGroupAttr> TrainRecipeAttr::getGroupList() const {
  SmallVector<ParamGroupAttr> groups;
  if (ArrayAttr list = getGroups())
    for (Attribute group : list)
      groups.push_back(llvm::cast<ParamGroupAttr>(group));
  return groups;
}

ParamGroupAttr TrainRecipeAttr::groupOf(StringRef name) const {
  for (ParamGroupAttr group : getGroupList())
    if (group.matches(name))
      return group;
  return nullptr;
}

bool TrainRecipeAttr::isFrozen(StringRef name) const {
  ParamGroupAttr group = groupOf(name);
  return group && group.isFrozen();
}

OptimizerAttr TrainRecipeAttr::optimizerOf(StringRef name) const {
  ParamGroupAttr group = groupOf(name);
  return group ? group.getOptimizer() : getOptimizer();
}

bool TrainRecipeAttr::isNewton() const {
  return getOptimizer().getKind() == OptimizerKind::Newton;
}

bool TrainRecipeAttr::isFullBatch() const {
  return isNewton() || getLineSearch();
}

//===----------------------------------------------------------------------===//
// Where each kiln.* attribute may appear
//===----------------------------------------------------------------------===//

namespace {
/// Checks that the kiln.* attribute `attr` is `AttrT`.
template <typename AttrT>
LogicalResult expect(Operation *op, NamedAttribute attr, StringRef what) {
  if (isa<AttrT>(attr.getValue()))
    return success();
  return op->emitOpError() << "attribute '" << attr.getName() << "' must be "
                           << what << ", got " << attr.getValue();
}

LogicalResult unknown(Operation *op, NamedAttribute attr, StringRef where) {
  return op->emitOpError() << "has no kiln attribute '" << attr.getName()
                           << "' on " << where;
}

/// The checks of kiln.role, kiln.name, kiln.init (arguments) and
/// kiln.prediction (results). Once bufferization has made results
/// out-parameters, a function returns nothing and those arguments keep the
/// results' attributes, so its arguments may carry either kind.
LogicalResult verifySignatureAttr(Operation *op, NamedAttribute attr,
                                  bool isResult) {
  auto fn = dyn_cast<FunctionOpInterface>(op);
  bool outParams = !isResult && fn && fn.getNumResults() == 0;
  bool asArgument = !isResult, asResult = isResult || outParams;
  StringRef name = attr.getName().getValue();
  if (name == attr::kName)
    return expect<StringAttr>(op, attr, "a string");
  if (name == attr::kInit && asArgument)
    return expect<InitAttr>(op, attr, "a #kiln.init");
  if (name == attr::kPrediction && asResult)
    return expect<PredictionAttr>(op, attr, "a #kiln.prediction");
  if (name != attr::kRole)
    return unknown(op, attr, isResult ? "a result" : "an argument");
  auto role = dyn_cast<RoleAttr>(attr.getValue());
  if (!role)
    return expect<RoleAttr>(op, attr, "a #kiln.role");
  if ((asArgument && rt::isArgumentRole(role.getValue())) ||
      (asResult && rt::isResultRole(role.getValue())))
    return success();
  return op->emitOpError() << "role `" << StringRef(rt::name(role.getValue()))
                           << "` cannot be "
                           << (isResult ? "a result" : "an argument");
}
} // namespace

LogicalResult KilnDialect::verifyOperationAttribute(Operation *op,
                                                    NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  if (name == attr::kEntry) // on func.func, and llvm.func once lowered
    return isa<FunctionOpInterface>(op)
               ? expect<EntryAttr>(op, attr, "a #kiln.entry")
               : unknown(op, attr, "an op that is no function");
  if (!isa<ModuleOp>(op))
    return unknown(op, attr, "an op other than builtin.module");
  if (name == attr::kTrain)
    return expect<TrainRecipeAttr>(op, attr, "a #kiln.train recipe");
  if (name == attr::kData)
    return expect<DataAttr>(op, attr, "a #kiln.data");
  if (name == attr::kModel || name == attr::kSource || name == attr::kManifest)
    return expect<StringAttr>(op, attr, "a string");
  return unknown(op, attr, "a module");
}

LogicalResult KilnDialect::verifyRegionArgAttribute(Operation *op, unsigned,
                                                    unsigned,
                                                    NamedAttribute attr) {
  return verifySignatureAttr(op, attr, /*isResult=*/false);
}

LogicalResult KilnDialect::verifyRegionResultAttribute(Operation *op, unsigned,
                                                       unsigned,
                                                       NamedAttribute attr) {
  return verifySignatureAttr(op, attr, /*isResult=*/true);
}
