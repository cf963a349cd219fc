//===- KilnInterfaces.td - Interfaces of kiln ops ----------*- tablegen -*-===//
//
// DifferentiableOpInterface is how reverse-mode autodiff learns each op's
// vector-Jacobian product: the pass never switches over op kinds, so a new op
// becomes differentiable by implementing this interface alone.
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

#endif // KILN_INTERFACES_TD
