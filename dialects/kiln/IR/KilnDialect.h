//===- KilnDialect.h - The kiln dialect -------------------------*- C++ -*-===//
//
// Declares the kiln dialect, its enums, attributes, interfaces and ops.
// Include this one header to use any part of the dialect.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_DIALECT_KILN_IR_KILNDIALECT_H
#define KILN_DIALECT_KILN_IR_KILNDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/kiln/IR/RecipeSettings.h"
#include "dialects/kiln/IR/RuntimeFunctions.h"

#include "dialects/kiln/IR/KilnDialect.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/kiln/IR/KilnAttrs.h.inc"

#include "dialects/kiln/IR/KilnInterfaces.h.inc"

namespace kiln {
/// Prints a shape the way the model language writes it: [128, 784].
std::string formatShape(llvm::ArrayRef<int64_t> shape);
/// The permutation of transpose(transpose(x, inner), outer) as one
/// transpose of x: inner[outer[i]].
mlir::DenseI64ArrayAttr composePermutations(mlir::Builder &b,
                                            mlir::DenseI64ArrayAttr inner,
                                            mlir::DenseI64ArrayAttr outer);
} // namespace kiln

#define GET_OP_CLASSES
#include "dialects/kiln/IR/KilnOps.h.inc"

#endif // KILN_DIALECT_KILN_IR_KILNDIALECT_H
