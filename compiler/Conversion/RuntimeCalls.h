//===- RuntimeCalls.h - Calling the runtime from generated code -*- C++ -*-===//
//
// Generated code calls the runtime's kiln_rt_* functions (runtime abi.h) with
// bare buffer pointers and scalar sizes. These helpers declare such a
// function once per module and turn a memref into the pointer to its first
// element, for every lowering that hands work to the runtime.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_CONVERSION_RUNTIMECALLS_H
#define KILN_COMPILER_CONVERSION_RUNTIMECALLS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

namespace kiln::lowering {

/// Declares the external function `name` of `type` at the start of `module`
/// unless the module has a symbol of that name already.
void declareRuntimeFunction(mlir::OpBuilder &b, mlir::ModuleOp module,
                            llvm::StringRef name, mlir::FunctionType type);

/// The aligned base address of `memref` (an identity-layout buffer) as an
/// !llvm.ptr.
mlir::Value basePointer(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value memref);

} // namespace kiln::lowering

#endif // KILN_COMPILER_CONVERSION_RUNTIMECALLS_H
