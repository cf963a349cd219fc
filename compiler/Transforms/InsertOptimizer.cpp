//===- InsertOptimizer.cpp - Insert the optimizer update ------------------===//
//
// Turns @train_step's gradients into parameter updates. The optimizer's
// per-parameter state becomes explicit arguments and results, so the runtime
// (and later checkpoints and all-reduce) handle it like any other buffer:
//   (inputs, params, buffers, state) -> (loss, params', buffers', state')
//
//===----------------------------------------------------------------------===//
#include "compiler/Training/Optimizers.h"
#include "compiler/Transforms/Passes.h"
#include "dialects/kiln/IR/KilnConventions.h"

namespace kiln {
#define GEN_PASS_DEF_INSERTOPTIMIZER
#include "compiler/Transforms/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;

namespace {
struct InsertOptimizerPass
    : kiln::impl::InsertOptimizerBase<InsertOptimizerPass> {
  void runOnOperation() override {
    if (failed(insertUpdates(getOperation())))
      signalPassFailure();
  }

  LogicalResult insertUpdates(ModuleOp module) {
    func::FuncOp step = lookupEntry(module, "train_step");
    if (!step)
      return module.emitError("no @train_step: run kiln-build-training-step "
                              "first");
    auto train = module->getAttrOfType<DictionaryAttr>(attr::kTrain);
    auto optimizerDict =
        train ? train.getAs<DictionaryAttr>("optimizer") : nullptr;
    if (!optimizerDict || !optimizerDict.getAs<StringAttr>("name"))
      return module.emitError("the module's kiln.train attribute names no "
                              "optimizer");
    OptimizerConfig config(optimizerDict);
    const OptimizerRule *rule = lookupOptimizer(config.name());
    if (!rule)
      return module.emitError()
             << "unknown optimizer `" << config.name() << "`";
    for (const HyperParameter &hp : rule->hyperParameters())
      if (!optimizerDict.get(hp.name))
        return module.emitError()
               << "optimizer `" << config.name()
               << "` is missing hyper-parameter `" << hp.name << "`";

    Operation *oldReturn = step.getBody().front().getTerminator();
    SmallVector<Value> newParams, newState;
    SmallVector<Attribute> paramAttrs, stateAttrs;
    Builder attrs(&getContext());
    auto describe = [&](StringRef output, StringAttr name) {
      return attrs.getDictionaryAttr(
          {attrs.getNamedAttr(attr::kOutput, attrs.getStringAttr(output)),
           attrs.getNamedAttr(attr::kName, name)});
    };
    // The runtime's init dictionaries: {kind = "zeros"} or a constant.
    auto initAttr = [&](double value) {
      if (value == 0.0)
        return attrs.getDictionaryAttr(
            {attrs.getNamedAttr("kind", attrs.getStringAttr("zeros"))});
      return attrs.getDictionaryAttr(
          {attrs.getNamedAttr("kind", attrs.getStringAttr("constant")),
           attrs.getNamedAttr("value", attrs.getF64FloatAttr(value))});
    };

    unsigned gradIndex = 1; // result 0 is the loss
    unsigned numArgs = step.getNumArguments();
    for (unsigned argIndex = 0; argIndex < numArgs; ++argIndex) {
      if (argString(step, argIndex, attr::kRole) != "param")
        continue;
      Value param = step.getArgument(argIndex);
      Value grad = oldReturn->getOperand(gradIndex++);
      auto paramName = step.getArgAttrOfType<StringAttr>(argIndex, attr::kName);
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
        stateAttrs.push_back(describe("state", stateName));
      }
      OpBuilder builder(oldReturn);
      newParams.push_back(rule->buildUpdate(builder, param.getLoc(), config,
                                            param, grad, state, newState));
      paramAttrs.push_back(describe("param", paramName));
    }

    // Buffers (running statistics) pass through between params and state.
    SmallVector<Value> buffers;
    SmallVector<Attribute> bufferAttrs;
    for (unsigned i = 0; i < oldReturn->getNumOperands(); ++i) {
      if (resultString(step, i, attr::kOutput) != "buffer")
        continue;
      buffers.push_back(oldReturn->getOperand(i));
      bufferAttrs.push_back(step.getResultAttrDict(i));
    }
    SmallVector<Value> results{oldReturn->getOperand(0)};
    llvm::append_range(results, newParams);
    llvm::append_range(results, buffers);
    llvm::append_range(results, newState);
    SmallVector<Attribute> resultAttrs{step.getResultAttrDict(0)};
    llvm::append_range(resultAttrs, paramAttrs);
    llvm::append_range(resultAttrs, bufferAttrs);
    llvm::append_range(resultAttrs, stateAttrs);
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
