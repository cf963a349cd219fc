//===- RuntimeCalls.h - Calling the runtime from generated code -*- C++ -*-===//
//
// Generated code calls the runtime's kernels (runtime_calls.def) with bare
// buffer pointers and scalars, in the order of the kernel's table entry.
// These helpers are the one place that order is applied: they declare a
// kernel from its table entry and build calls of it, taking scalars by name.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_CONVERSION_RUNTIMECALLS_H
#define KILN_COMPILER_CONVERSION_RUNTIMECALLS_H

#include "dialects/kiln/IR/RuntimeFunctions.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

namespace kiln::lowering {

/// Declares kernel `fn` at the start of `module`, with the type the table
/// gives it, unless the module declares it already.
void declareRuntimeFunction(mlir::OpBuilder &b, mlir::ModuleOp module,
                            const rt::RuntimeFunction &fn);

/// The aligned base address of `memref` (an identity-layout buffer) as an
/// !llvm.ptr.
mlir::Value basePointer(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value memref);

/// Calls kernel `fn` on the buffers `inputs` and `outputs` (identity-layout
/// memrefs, each list in the table's order) with `scalars`, which holds each
/// scalar parameter by name (a verified kiln.runtime_call's, or built by a
/// lowering); declares the kernel in the enclosing module.
void createRuntimeCall(mlir::OpBuilder &b, mlir::Location loc,
                       const rt::RuntimeFunction &fn, mlir::ValueRange inputs,
                       mlir::ValueRange outputs, mlir::DictionaryAttr scalars);

} // namespace kiln::lowering

#endif // KILN_COMPILER_CONVERSION_RUNTIMECALLS_H
