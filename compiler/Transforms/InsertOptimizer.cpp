//===- InsertOptimizer.cpp - Insert the optimizer update ------------------===//
//
// Turns @train_step's gradients into parameter updates. The optimizer's
// per-parameter state becomes explicit arguments and results, so the runtime
// (and later checkpoints and all-reduce) handle it like any other buffer:
//   (inputs, params, buffers, clocks, state)
//       -> (loss, params', buffers', state', statistics..., lr)
// Each parameter takes the settings of the first parameter group whose name
// pattern matches it (kiln.train's `groups`, ParamGroups.h), else the
// optimizer's own; frozen parameters have no gradient, so they get no update
// and are not results. The learning rate is computed in the step from the
// schedule's clock argument (completed epochs or steps, or the runtime's
// plateau factor), times the warm-up factor; a constant rate folds into the
// update.
//
//===----------------------------------------------------------------------===//
#include "compiler/Training/FullBatch.h"
#include "compiler/Training/Optimizers.h"
#include "compiler/Training/ParamGroups.h"
#include "compiler/Training/Schedules.h"
#include "compiler/Training/TensorMath.h"
#include "compiler/Transforms/Passes.h"
#include "dialects/kiln/IR/KilnConventions.h"

#include <map>

namespace kiln {
#define GEN_PASS_DEF_INSERTOPTIMIZER
#include "compiler/Transforms/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;

namespace {
/// The parts of kiln.train this pass reads, checked.
struct Recipe {
  DictionaryAttr optimizer;
  SmallVector<ParamGroup> groups;
  const ScheduleKind *schedule = nullptr;
  DictionaryAttr scheduleConfig, warmup;
};

/// Checks the schedule (settings and milestones) and warm-up of `train`.
LogicalResult readSchedule(ModuleOp module, DictionaryAttr train,
                           Recipe &recipe) {
  recipe.scheduleConfig = train.getAs<DictionaryAttr>("schedule");
  if (recipe.scheduleConfig) {
    auto name = recipe.scheduleConfig.getAs<StringAttr>("name");
    recipe.schedule = name ? lookupSchedule(name) : nullptr;
    if (!recipe.schedule)
      return module.emitError("kiln.train's schedule has no known name");
    std::string problem =
        verifyHyperConfig(recipe.scheduleConfig, recipe.schedule->parameters);
    auto milestones = recipe.scheduleConfig.getAs<ArrayAttr>("milestones");
    if (problem.empty() && recipe.schedule->takesMilestones &&
        (!milestones || milestones.empty() ||
         !llvm::all_of(milestones, llvm::IsaPred<FloatAttr>)))
      problem = "`milestones` must be a non-empty array of f64";
    if (!problem.empty())
      return module.emitError()
             << "schedule `" << recipe.schedule->name << "`: " << problem;
  }
  recipe.warmup = train.getAs<DictionaryAttr>("warmup");
  if (recipe.warmup) {
    std::string problem = verifyHyperConfig(recipe.warmup, warmupParameters());
    if (!problem.empty())
      return module.emitError() << "warm-up: " << problem;
  }
  return success();
}

FailureOr<Recipe> readRecipe(ModuleOp module) {
  Recipe recipe;
  auto train = module->getAttrOfType<DictionaryAttr>(attr::kTrain);
  recipe.optimizer = train ? train.getAs<DictionaryAttr>("optimizer") : nullptr;
  if (!recipe.optimizer || !recipe.optimizer.getAs<StringAttr>("name"))
    return module.emitError("the module's kiln.train attribute names no "
                            "optimizer");
  FailureOr<SmallVector<ParamGroup>> groups = readParamGroups(module);
  if (failed(groups) || failed(readSchedule(module, train, recipe)))
    return failure();
  recipe.groups = std::move(*groups);
  return recipe;
}

/// Checks that `config` names a known optimizer and holds each of its
/// hyper-parameters (the frontend writes them all).
const OptimizerRule *checkedRule(ModuleOp module, DictionaryAttr config) {
  auto name = config.getAs<StringAttr>("name");
  const OptimizerRule *rule = name ? lookupOptimizer(name) : nullptr;
  if (!rule) {
    if (name)
      module.emitError() << "unknown optimizer `" << name.getValue() << "`";
    else
      module.emitError("a kiln.train optimizer has no `name`");
    return nullptr;
  }
  std::string problem = verifyHyperConfig(config, rule->hyperParameters());
  if (!problem.empty()) {
    module.emitError() << "optimizer `" << rule->name() << "`: " << problem;
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
    /// Adds the clock arguments the recipe reads, before any state.
    LearningRates(func::FuncOp step, const Recipe &recipe, Type elementType)
        : step(step), recipe(recipe), elementType(elementType),
          builder(OpBuilder::atBlockBegin(&step.getBody().front())) {
      if (recipe.schedule)
        addClock(
            clockRole(*recipe.schedule, HyperConfig(recipe.scheduleConfig)));
      if (recipe.warmup)
        addClock("step");
    }

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
    /// A 0-d argument that the runtime sets before each step.
    void addClock(StringRef role) {
      if (role.empty() || clocks.count(role))
        return;
      Builder b(step.getContext());
      auto attrs = b.getDictionaryAttr(
          {b.getNamedAttr(attr::kRole, b.getStringAttr(role))});
      unsigned index = step.getNumArguments();
      step.insertArgument(index, RankedTensorType::get({}, elementType), attrs,
                          step.getLoc());
      clocks[role] = step.getArgument(index);
    }
    Value clock(StringRef role) const { return clocks.lookup(role); }

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
    // returning the gradients: the runtime takes their steps. A line search
    // compares the step's loss with eval's, so both must be one function
    // (kiln-build-hessian checks Newton's models).
    auto train = module->getAttrOfType<DictionaryAttr>(attr::kTrain);
    if (isFullBatchRecipe(train))
      return success(isNewtonRecipe(train) ||
                     succeeded(rejectTrainingModeOps(step, "a line search")));
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

    // Each gradient result names its parameter; frozen parameters have none
    // (kiln-build-training-step did not differentiate them) or lose it.
    llvm::StringMap<BlockArgument> params;
    for (BlockArgument arg : step.getArguments())
      if (argString(step, arg.getArgNumber(), attr::kRole) == "param")
        params[argString(step, arg.getArgNumber(), attr::kName)] = arg;
    for (unsigned i = 1; i < oldReturn->getNumOperands(); ++i) {
      if (resultString(step, i, attr::kOutput) != "grad")
        continue;
      auto paramName = step.getResultAttrOfType<StringAttr>(i, attr::kName);
      Value param = paramName ? params.lookup(paramName) : Value();
      if (!param)
        return step.emitError("gradient result ")
               << i << " names no parameter argument";
      Value grad = oldReturn->getOperand(i);
      const ParamGroup *group = findGroup(recipe->groups, paramName);
      if (group && group->frozen)
        continue; // Its gradient dies.
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

    if (newParams.empty())
      return emitError(step.getLoc(), "every parameter is frozen: there is "
                                      "nothing to train");

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
