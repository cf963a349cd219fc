//===- Optimizers.h - Update rules of the training optimizers ---*- C++ -*-===//
//
// Each optimizer of #kiln.optimizer (whose settings the dialect lists and
// checks, RecipeVocabulary.cpp) has an OptimizerRule here: the state it keeps
// per parameter and the IR of one update. Adding an optimizer adds its enum
// case and settings to the dialect, one file in Optimizers/ and one entry in
// lookupOptimizerRule.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_TRAINING_OPTIMIZERS_H
#define KILN_COMPILER_TRAINING_OPTIMIZERS_H

#include "compiler/Training/TensorMath.h"
#include "dialects/kiln/IR/KilnDialect.h"

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
  /// The per-parameter state tensors, e.g. "momentum_buffer".
  virtual llvm::SmallVector<StateSlot>
  stateSlots(OptimizerAttr config) const = 0;
  /// Builds one update; returns the new parameter and appends the new state
  /// (in stateSlots order) to `newState`. `lr` is this step's learning rate
  /// in the parameter's element type: the schedule's value, or config's
  /// `lr`, known at compile time, without a schedule.
  virtual mlir::Value
  buildUpdate(mlir::OpBuilder &b, mlir::Location loc, OptimizerAttr config,
              const Scalar &lr, mlir::Value param, mlir::Value grad,
              mlir::ValueRange state,
              llvm::SmallVectorImpl<mlir::Value> &newState) const = 0;
};

/// The update rule of `kind`, or null for Newton's method, whose step the
/// runtime takes.
const OptimizerRule *lookupOptimizerRule(OptimizerKind kind);

} // namespace kiln

#endif // KILN_COMPILER_TRAINING_OPTIMIZERS_H
