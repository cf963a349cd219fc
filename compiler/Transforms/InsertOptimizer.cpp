//===- InsertOptimizer.cpp - Insert the optimizer update ------------------===//
//
// Turns @train_step's gradients into parameter updates. The optimizer's
// per-parameter state becomes explicit arguments and results, so the runtime
// (and later checkpoints and all-reduce) handle it like any other buffer:
//   (inputs, params, buffers, clocks, state)
//       -> (loss, params', buffers', state', statistics..., lr)
// Each parameter takes the optimizer of the first parameter group whose name
// pattern matches it, else the recipe's; frozen parameters have no gradient,
// so they get no update and are not results. The learning rate is computed
// in the step from the schedule's clock argument (completed epochs or steps,
// or the runtime's plateau factor), times the warm-up factor; a constant
// rate folds into the update.
//
//===----------------------------------------------------------------------===//
#include "compiler/Training/Optimizers.h"
#include "compiler/Training/Schedules.h"
#include "compiler/Transforms/EntryPoints.h"
#include "compiler/Transforms/Passes.h"

#include <map>

namespace kiln {
#define GEN_PASS_DEF_INSERTOPTIMIZER
#include "compiler/Transforms/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;

namespace {
/// Builds each learning rate once per base rate, at the top of the step.
class LearningRates {
public:
  /// Adds the clock arguments the recipe reads, before any state.
  LearningRates(func::FuncOp step, TrainRecipeAttr recipe, Type elementType)
      : step(step), recipe(recipe), elementType(elementType),
        builder(OpBuilder::atBlockBegin(&step.getBody().front())) {
    if (ScheduleAttr schedule = recipe.getSchedule())
      addClock(scheduleClock(schedule));
    if (recipe.getWarmup())
      addClock(rt::Role::Step);
  }

  Scalar get(double baseLr) {
    auto it = cache.find(baseLr);
    if (it != cache.end())
      return it->second;
    Location loc = step.getLoc();
    ScheduleAttr schedule = recipe.getSchedule();
    std::optional<rt::Role> clockRole =
        schedule ? scheduleClock(schedule) : std::nullopt;
    Value lr = schedule ? buildSchedule(builder, loc, schedule, elementType,
                                        clock(clockRole), baseLr)
                        : scalarConstant(builder, loc, elementType, baseLr);
    if (WarmupAttr warmup = recipe.getWarmup())
      lr = applyWarmup(builder, loc, warmup, clock(rt::Role::Step), lr);
    bool fixed = !recipe.getWarmup() && !clockRole;
    return cache.emplace(baseLr, fixed ? Scalar(lr, baseLr) : Scalar(lr))
        .first->second;
  }

private:
  /// A 0-d argument that the runtime sets before each step.
  void addClock(std::optional<rt::Role> role) {
    if (!role || clocks.count(*role))
      return;
    clocks[*role] = appendArgument(step, RankedTensorType::get({}, elementType),
                                   roleAttrs(step.getContext(), *role));
  }
  Value clock(std::optional<rt::Role> role) const {
    return role ? clocks.lookup(*role) : Value();
  }

  func::FuncOp step;
  TrainRecipeAttr recipe;
  Type elementType;
  OpBuilder builder;
  std::map<double, Scalar> cache;
  llvm::DenseMap<rt::Role, Value> clocks;
};

struct InsertOptimizerPass
    : kiln::impl::InsertOptimizerBase<InsertOptimizerPass> {
  void runOnOperation() override {
    if (failed(insertUpdates(getOperation())))
      signalPassFailure();
  }

  /// The one element type of every parameter: the learning rate is shared.
  static FailureOr<Type> parameterElementType(func::FuncOp step) {
    Type elementType;
    for (BlockArgument arg : argsWithRole(step, rt::Role::Param)) {
      Type type = cast<RankedTensorType>(arg.getType()).getElementType();
      if (elementType && type != elementType)
        return step.emitError("the optimizer needs parameters of one element "
                              "type, got ")
               << elementType << " and " << type;
      elementType = type;
    }
    if (!elementType)
      return step.emitError("the model has no parameters to train");
    return elementType;
  }

  LogicalResult insertUpdates(ModuleOp module) {
    func::FuncOp step = lookupEntry(module, rt::Entry::TrainStep);
    if (!step)
      return module.emitError("no @train_step: run kiln-build-training-step "
                              "first");
    TrainRecipeAttr recipe = getTrainRecipe(module);
    if (!recipe)
      return module.emitError("the module has no kiln.train recipe");
    // Full-batch methods (newton, a line search) leave @train_step
    // returning the gradients: the runtime takes their steps. A line search
    // compares the step's loss with eval's, so both must be one function
    // (kiln-build-hessian checks Newton's models).
    if (recipe.isFullBatch())
      return success(recipe.isNewton() ||
                     succeeded(rejectTrainingModeOps(step, "a line search")));
    FailureOr<Type> elementType = parameterElementType(step);
    if (failed(elementType))
      return failure();
    LearningRates learningRates(step, recipe, *elementType);
    MLIRContext *ctx = &getContext();

    // Each gradient result names its parameter; frozen parameters have none
    // (kiln-build-training-step did not differentiate them).
    llvm::StringMap<BlockArgument> params;
    for (BlockArgument arg : argsWithRole(step, rt::Role::Param))
      params[argName(step, arg.getArgNumber())] = arg;
    SmallVector<EntryResult> old = entryResults(step);
    SmallVector<EntryResult> newParams, newState, buffers, statistics;
    SmallVector<Value> state;
    OpBuilder builder(step.getBody().front().getTerminator());
    for (unsigned i : resultsWithRole(step, rt::Role::Grad)) {
      StringAttr name = resultName(step, i);
      Value param = name ? params.lookup(name) : Value();
      if (!param)
        return step.emitError("gradient result ")
               << i << " names no parameter argument";
      if (recipe.isFrozen(name))
        continue; // Its gradient dies.
      OptimizerAttr config = recipe.optimizerOf(name);
      const OptimizerRule *rule = lookupOptimizerRule(config.getKind());
      auto paramType = cast<RankedTensorType>(param.getType());
      state.clear();
      for (const StateSlot &slot : rule->stateSlots(config)) {
        auto stateName =
            StringAttr::get(ctx, name.getValue() + "." + slot.name);
        // A scalar slot (a step count) is 0-d, in the parameter's precision.
        Type type = slot.scalar
                        ? RankedTensorType::get({}, paramType.getElementType())
                        : Type(paramType);
        state.push_back(
            appendArgument(step, type,
                           roleAttrs(ctx, rt::Role::State, stateName,
                                     constantInit(ctx, slot.initialValue))));
        newState.push_back(
            {nullptr, roleAttrs(ctx, rt::Role::State, stateName)});
      }
      SmallVector<Value> updatedState;
      Scalar lr = learningRates.get(config.getReal("lr"));
      Value updated =
          rule->buildUpdate(builder, param.getLoc(), config, lr, param,
                            old[i].value, state, updatedState);
      for (auto [slot, value] :
           llvm::zip(MutableArrayRef<EntryResult>(newState).take_back(
                         updatedState.size()),
                     updatedState))
        slot.value = value;
      newParams.push_back({updated, roleAttrs(ctx, rt::Role::Param, name)});
    }
    if (newParams.empty())
      return emitError(step.getLoc(), "every parameter is frozen: there is "
                                      "nothing to train");

    // Buffers (running statistics) pass through between params and state;
    // statistics for the log (grad_norm) after the state.
    for (auto [i, result] : llvm::enumerate(ArrayRef(old).drop_front())) {
      std::optional<rt::Role> role = resultRole(step, i + 1);
      if (role == rt::Role::Grad)
        continue;
      (role == rt::Role::Buffer ? buffers : statistics).push_back(result);
    }
    // The optimizer's own learning rate this step, for the runtime's log.
    statistics.push_back(
        {learningRates.get(recipe.getOptimizer().getReal("lr")).value,
         roleAttrs(ctx, rt::Role::Lr)});
    SmallVector<EntryResult> results{old.front()};
    for (ArrayRef<EntryResult> part :
         {ArrayRef(newParams), ArrayRef(buffers), ArrayRef(newState),
          ArrayRef(statistics)})
      llvm::append_range(results, part);
    setEntryResults(step, results);
    return success();
  }
};
} // namespace
