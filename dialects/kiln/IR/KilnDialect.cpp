//===- KilnDialect.cpp - The kiln dialect ---------------------------------===//
//
// Registers the ops and attributes of the kiln dialect and the definitions
// generated for its interfaces.
//
//===----------------------------------------------------------------------===//
#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;

#include "dialects/kiln/IR/KilnDialect.cpp.inc"
#include "dialects/kiln/IR/KilnInterfaces.cpp.inc"

void kiln::KilnDialect::initialize() {
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "dialects/kiln/IR/KilnOps.cpp.inc"
      >();
}
