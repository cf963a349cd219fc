//===- Optimizers.h - Update rules of the training optimizers ---*- C++ -*-===//
//
// Each optimizer is an OptimizerRule: its hyper-parameters (with defaults and
// valid ranges, which the frontend checks), the state it keeps per parameter
// and the IR of one update. The optimizer pass and the frontend share this
// one registry, so adding an optimizer adds one file in Optimizers/ and one
// entry in allOptimizers().
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_TRAINING_OPTIMIZERS_H
#define KILN_COMPILER_TRAINING_OPTIMIZERS_H

#include "compiler/Training/HyperParameters.h"
#include "compiler/Training/TensorMath.h"

#include "mlir/IR/Builders.h"

namespace kiln {

/// One per-parameter state tensor, named `PARAM.NAME` in IR and checkpoints.
struct StateSlot {
  llvm::StringRef name; // PyTorch's name: "exp_avg", "momentum_buffer"...
  /// A 0-d tensor of the parameter's element type (a step count) instead of
  /// a tensor of the parameter's shape.
  bool scalar = false;
  /// The runtime fills the tensor with it before the first step.
  double initialValue = 0.0;
};

class OptimizerRule {
public:
  virtual ~OptimizerRule() = default;
  virtual llvm::StringRef name() const = 0;
  virtual llvm::ArrayRef<HyperParameter> hyperParameters() const = 0;
  /// The per-parameter state tensors, e.g. "momentum_buffer".
  virtual llvm::SmallVector<StateSlot>
  stateSlots(const HyperConfig &config) const = 0;
  /// Builds one update; returns the new parameter and appends the new state
  /// (in stateSlots order) to `newState`. `lr` is this step's learning rate
  /// in the parameter's element type: the schedule's value, or config's
  /// `lr`, known at compile time, without a schedule.
  virtual mlir::Value
  buildUpdate(mlir::OpBuilder &b, mlir::Location loc, const HyperConfig &config,
              const Scalar &lr, mlir::Value param, mlir::Value grad,
              mlir::ValueRange state,
              llvm::SmallVectorImpl<mlir::Value> &newState) const = 0;

  /// Checks combinations of hyper-parameters that are each in range;
  /// returns a phrase describing the conflict, or an empty string.
  virtual std::string checkConsistency(const HyperConfig &config) const {
    return "";
  }

  const HyperParameter *lookupHyperParameter(llvm::StringRef name) const;
};

/// The optimizer called `name`, or null.
const OptimizerRule *lookupOptimizer(llvm::StringRef name);
/// Every registered optimizer, for suggestions in diagnostics.
llvm::ArrayRef<const OptimizerRule *> allOptimizers();

} // namespace kiln

#endif // KILN_COMPILER_TRAINING_OPTIMIZERS_H
