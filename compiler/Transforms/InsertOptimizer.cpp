//===- InsertOptimizer.cpp - Insert the optimizer update ------------------===//
//
// Turns @train_step's gradients into parameter updates. The optimizer's
// per-parameter state becomes explicit arguments and results, so the runtime
// (and later checkpoints and all-reduce) handle it like any other buffer:
//   (inputs, params, buffers, state, clocks)
//       -> (loss, params', buffers', state', statistics..., lr)
// Each parameter takes the settings of the first parameter group whose name
// pattern matches it (kiln.train's `groups`), else the optimizer's own. The
// learning rate is computed in the step from the schedule's clock argument
// (completed epochs or steps, or the runtime's plateau factor), times the
// warm-up factor; a constant rate folds into the update. Frozen parameters
// get no update and leave the results; their gradients then die.
//
//===----------------------------------------------------------------------===//
#include "compiler/Training/FullBatch.h"
#include "compiler/Training/Optimizers.h"
#include "compiler/Training/Schedules.h"
#include "compiler/Training/TensorMath.h"
#include "compiler/Transforms/Passes.h"
#include "dialects/kiln/IR/KilnConventions.h"

#include "llvm/Support/GlobPattern.h"

#include <map>

namespace kiln {
#define GEN_PASS_DEF_INSERTOPTIMIZER
#include "compiler/Transforms/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;

namespace {
/// One entry of kiln.train's `groups`: {patterns = ["*.bias"], optimizer =
/// {...}, frozen = false}, the optimizer dictionary complete with overrides.
struct ParamGroup {
  SmallVector<llvm::GlobPattern> patterns;
  DictionaryAttr optimizer;
  bool frozen = false;

  bool matches(StringRef name) const {
    return llvm::any_of(patterns, [&](const llvm::GlobPattern &pattern) {
      return pattern.match(name);
    });
  }
};

/// The parts of kiln.train this pass reads, checked.
struct Recipe {
  DictionaryAttr optimizer;
  SmallVector<ParamGroup> groups;
  const ScheduleKind *schedule = nullptr;
  DictionaryAttr scheduleConfig, warmup;
};

FailureOr<Recipe> readRecipe(ModuleOp module) {
  Recipe recipe;
  auto train = module->getAttrOfType<DictionaryAttr>(attr::kTrain);
  recipe.optimizer = train ? train.getAs<DictionaryAttr>("optimizer") : nullptr;
  if (!recipe.optimizer || !recipe.optimizer.getAs<StringAttr>("name"))
    return module.emitError("the module's kiln.train attribute names no "
                            "optimizer");
  for (Attribute entry : train.getAs<ArrayAttr>("groups")
                             ? train.getAs<ArrayAttr>("groups").getValue()
                             : ArrayRef<Attribute>()) {
    auto dict = dyn_cast<DictionaryAttr>(entry);
    auto patterns = dict ? dict.getAs<ArrayAttr>("patterns") : nullptr;
    ParamGroup group;
    group.optimizer = dict ? dict.getAs<DictionaryAttr>("optimizer") : nullptr;
    if (!patterns || !group.optimizer)
      return module.emitError("a kiln.train group needs `patterns` and "
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
        return module.emitError() << "bad parameter pattern " << p;
      }
      group.patterns.push_back(std::move(*pattern));
    }
    recipe.groups.push_back(std::move(group));
  }
  recipe.scheduleConfig = train.getAs<DictionaryAttr>("schedule");
  if (recipe.scheduleConfig) {
    auto name = recipe.scheduleConfig.getAs<StringAttr>("name");
    recipe.schedule = name ? lookupSchedule(name) : nullptr;
    if (!recipe.schedule)
      return module.emitError("kiln.train's schedule has no known name");
  }
  recipe.warmup = train.getAs<DictionaryAttr>("warmup");
  return recipe;
}

/// Checks that `config` names a known optimizer and holds each of its
/// hyper-parameters (the frontend writes them all).
const OptimizerRule *checkedRule(ModuleOp module, DictionaryAttr config) {
  HyperConfig hyper(config);
  const OptimizerRule *rule = lookupOptimizer(hyper.name());
  if (!rule) {
    module.emitError() << "unknown optimizer `" << hyper.name() << "`";
    return nullptr;
  }
  for (const HyperParameter &hp : rule->hyperParameters())
    if (!config.get(hp.name)) {
      module.emitError() << "optimizer `" << hyper.name()
                         << "` is missing hyper-parameter `" << hp.name << "`";
      return nullptr;
    }
  return rule;
}

struct InsertOptimizerPass
    : kiln::impl::InsertOptimizerBase<InsertOptimizerPass> {
  void runOnOperation() override {
    if (failed(insertUpdates(getOperation())))
      signalPassFailure();
  }

  /// Builds each learning rate once per base rate, at the top of the step.
  class LearningRates {
  public:
    LearningRates(func::FuncOp step, const Recipe &recipe, Type elementType)
        : step(step), recipe(recipe), elementType(elementType),
          builder(OpBuilder::atBlockBegin(&step.getBody().front())) {}

    Scalar get(double baseLr) {
      auto it = cache.find(baseLr);
      if (it != cache.end())
        return it->second;
      Location loc = step.getLoc();
      Value lr;
      const ScheduleKind *schedule = recipe.schedule;
      if (schedule) {
        HyperConfig config(recipe.scheduleConfig);
        StringRef role = clockRole(*schedule, config);
        lr = schedule->build(builder, loc, config, elementType,
                             role.empty() ? Value() : clock(role), baseLr);
      } else {
        lr = scalarConstant(builder, loc, elementType, baseLr);
      }
      if (recipe.warmup)
        lr = applyWarmup(builder, loc, HyperConfig(recipe.warmup),
                         clock("step"), lr);
      bool fixed = !recipe.warmup &&
                   (!schedule || schedule->clock == ScheduleClock::None);
      return cache.emplace(baseLr, fixed ? Scalar(lr, baseLr) : Scalar(lr))
          .first->second;
    }

  private:
    /// The 0-d argument the runtime sets before each step, added on first use.
    Value clock(StringRef role) {
      Value &arg = clocks[role];
      if (arg)
        return arg;
      Builder b(step.getContext());
      auto attrs = b.getDictionaryAttr(
          {b.getNamedAttr(attr::kRole, b.getStringAttr(role))});
      unsigned index = step.getNumArguments();
      step.insertArgument(index, RankedTensorType::get({}, elementType), attrs,
                          step.getLoc());
      arg = step.getArgument(index);
      return arg;
    }

    func::FuncOp step;
    const Recipe &recipe;
    Type elementType;
    OpBuilder builder;
    std::map<double, Scalar> cache;
    llvm::StringMap<Value> clocks;
  };

  LogicalResult insertUpdates(ModuleOp module) {
    func::FuncOp step = lookupEntry(module, "train_step");
    if (!step)
      return module.emitError("no @train_step: run kiln-build-training-step "
                              "first");
    // Full-batch methods (newton, a line search) leave @train_step
    // returning the gradients: the runtime takes their steps.
    if (isFullBatchRecipe(module->getAttrOfType<DictionaryAttr>(attr::kTrain)))
      return success();
    FailureOr<Recipe> recipe = readRecipe(module);
    if (failed(recipe))
      return failure();
    if (!checkedRule(module, recipe->optimizer))
      return failure();
    for (const ParamGroup &group : recipe->groups)
      if (!checkedRule(module, group.optimizer))
        return failure();

    Operation *oldReturn = step.getBody().front().getTerminator();
    SmallVector<Value> newParams, newState;
    SmallVector<Attribute> paramAttrs, stateAttrs;
    Builder attrs(&getContext());
    // The runtime's init dictionaries: {kind = "zeros"} or a constant.
    auto initAttr = [&](double value) {
      if (value == 0.0)
        return attrs.getDictionaryAttr(
            {attrs.getNamedAttr("kind", attrs.getStringAttr("zeros"))});
      return attrs.getDictionaryAttr(
          {attrs.getNamedAttr("kind", attrs.getStringAttr("constant")),
           attrs.getNamedAttr("value", attrs.getF64FloatAttr(value))});
    };

    // One element type for every parameter: the learning rate is shared.
    Type elementType;
    for (BlockArgument arg : step.getArguments()) {
      if (argString(step, arg.getArgNumber(), attr::kRole) != "param")
        continue;
      Type type = cast<RankedTensorType>(arg.getType()).getElementType();
      if (elementType && type != elementType)
        return step.emitError("the optimizer needs parameters of one element "
                              "type, got ")
               << elementType << " and " << type;
      elementType = type;
    }
    if (!elementType)
      return step.emitError("the model has no parameters to train");
    LearningRates learningRates(step, *recipe, elementType);

    unsigned gradIndex = 1; // result 0 is the loss
    unsigned numArgs = step.getNumArguments();
    for (unsigned argIndex = 0; argIndex < numArgs; ++argIndex) {
      if (argString(step, argIndex, attr::kRole) != "param")
        continue;
      Value param = step.getArgument(argIndex);
      Value grad = oldReturn->getOperand(gradIndex++);
      auto paramName = step.getArgAttrOfType<StringAttr>(argIndex, attr::kName);
      const ParamGroup *group = nullptr;
      for (const ParamGroup &candidate : recipe->groups)
        if (!group && candidate.matches(paramName.getValue()))
          group = &candidate;
      if (group && group->frozen)
        continue;
      HyperConfig config(group ? group->optimizer : recipe->optimizer);
      const OptimizerRule *rule = lookupOptimizer(config.name());
      SmallVector<Value> state;
      auto paramType = cast<RankedTensorType>(param.getType());
      for (const StateSlot &slot : rule->stateSlots(config)) {
        auto stateName =
            attrs.getStringAttr(paramName.getValue() + "." + slot.name);
        auto argAttrs = attrs.getDictionaryAttr(
            {attrs.getNamedAttr(attr::kRole, attrs.getStringAttr("state")),
             attrs.getNamedAttr(attr::kName, stateName),
             attrs.getNamedAttr(attr::kInit, initAttr(slot.initialValue))});
        // A scalar slot (a step count) is 0-d, in the parameter's precision.
        Type type = slot.scalar
                        ? RankedTensorType::get({}, paramType.getElementType())
                        : Type(paramType);
        unsigned stateIndex = step.getNumArguments();
        step.insertArgument(stateIndex, type, argAttrs, param.getLoc());
        state.push_back(step.getArgument(stateIndex));
        stateAttrs.push_back(outputAttrs(attrs, "state", stateName));
      }
      OpBuilder builder(oldReturn);
      Scalar lr = learningRates.get(config.real("lr"));
      newParams.push_back(rule->buildUpdate(builder, param.getLoc(), config, lr,
                                            param, grad, state, newState));
      paramAttrs.push_back(outputAttrs(attrs, "param", paramName));
    }

    // Buffers (running statistics) pass through between params and state;
    // statistics for the log (grad_norm) after the state.
    SmallVector<Value> buffers, statistics;
    SmallVector<Attribute> bufferAttrs, statisticAttrs;
    for (unsigned i = 1; i < oldReturn->getNumOperands(); ++i) {
      StringRef output = resultString(step, i, attr::kOutput);
      if (output == "grad")
        continue;
      bool buffer = output == "buffer";
      (buffer ? buffers : statistics).push_back(oldReturn->getOperand(i));
      (buffer ? bufferAttrs : statisticAttrs)
          .push_back(step.getResultAttrDict(i));
    }
    // The optimizer's own learning rate this step, for the runtime's log.
    statistics.push_back(
        learningRates.get(HyperConfig(recipe->optimizer).real("lr")).value);
    statisticAttrs.push_back(outputAttrs(attrs, "lr"));
    SmallVector<Value> results{oldReturn->getOperand(0)};
    llvm::append_range(results, newParams);
    llvm::append_range(results, buffers);
    llvm::append_range(results, newState);
    llvm::append_range(results, statistics);
    SmallVector<Attribute> resultAttrs{step.getResultAttrDict(0)};
    llvm::append_range(resultAttrs, paramAttrs);
    llvm::append_range(resultAttrs, bufferAttrs);
    llvm::append_range(resultAttrs, stateAttrs);
    llvm::append_range(resultAttrs, statisticAttrs);
    OpBuilder builder(oldReturn);
    builder.create<func::ReturnOp>(oldReturn->getLoc(), results);
    oldReturn->erase();
    step.setFunctionType(builder.getFunctionType(
        step.getArgumentTypes(), ValueRange(results).getTypes()));
    step.setAllResultAttrs(resultAttrs);
    return success();
  }
};
} // namespace
