//===- KilnInterfaces.td - Interfaces of kiln ops ----------*- tablegen -*-===//
//
// DifferentiableOpInterface is how reverse-mode autodiff learns each op's
// vector-Jacobian product: the pass never switches over op kinds, so a new op
// becomes differentiable by implementing this interface alone.
// TrainingModeOpInterface is how the training step switches ops such as batch
// normalization and dropout to their training form.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_INTERFACES_TD
#define KILN_INTERFACES_TD

include "mlir/IR/OpBase.td"

def Kiln_DifferentiableOpInterface : OpInterface<"DifferentiableOpInterface"> {
  let cppNamespace = "::kiln";
  let description = [{
    An op that can propagate gradients backwards. Given the gradient of the
    loss with respect to each result (null where a result does not reach the
    loss), `buildVJP` builds the gradient with respect to each operand at the
    builder's insertion point. It fills `operandGrads` with one value per
    operand, null for operands that carry no gradient (such as class labels).
  }];
  let methods = [
    InterfaceMethod<
      "Builds the vector-Jacobian product of this op.",
      "::llvm::LogicalResult", "buildVJP",
      (ins "::mlir::OpBuilder &":$builder,
           "::mlir::ArrayRef<::mlir::Value>":$resultGrads,
           "::llvm::SmallVectorImpl<::mlir::Value> &":$operandGrads)>
  ];
}

def Kiln_TrainingModeOpInterface : OpInterface<"TrainingModeOpInterface"> {
  let cppNamespace = "::kiln";
  let description = [{
    An op that computes differently while training, such as batch
    normalization (batch statistics instead of running ones) and dropout
    (a random mask instead of the identity). The frontend builds the
    inference form; kiln-build-training-step switches the training step's
    copy to the training form. Ops that carry state from step to step (running
    statistics) name which result is the new value of which operand, so the
    pass can thread it through the step's signature.
  }];
  let methods = [
    InterfaceMethod<"Whether the op is in its training form.", "bool",
                    "isTrainingMode", (ins), [{}],
                    [{ return $_op.getTraining(); }]>,
    InterfaceMethod<"Switches between the training and inference forms.",
                    "void", "setTrainingMode", (ins "bool":$training), [{}],
                    [{ $_op.setTraining(training); }]>,
    InterfaceMethod<
      "Pairs (operand index, result index): in the training form the result "
      "is the new value of the state the operand holds.",
      "::llvm::SmallVector<std::pair<unsigned, unsigned>>", "getStateUpdates",
      (ins), [{}], [{ return {}; }]>
  ];
}

#endif // KILN_INTERFACES_TD
