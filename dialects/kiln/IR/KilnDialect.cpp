//===- KilnDialect.cpp - The kiln dialect ---------------------------------===//
//
// Registers the ops of the kiln dialect and the definitions generated for
// its interfaces.
//
//===----------------------------------------------------------------------===//
#include "dialects/kiln/IR/KilnDialect.h"

using namespace mlir;

#include "dialects/kiln/IR/KilnDialect.cpp.inc"
#include "dialects/kiln/IR/KilnInterfaces.cpp.inc"

void kiln::KilnDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/kiln/IR/KilnOps.cpp.inc"
      >();
}
