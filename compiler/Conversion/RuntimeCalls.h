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
#include "mlir/IR/PatternMatch.h"

namespace kiln::lowering {

/// Declares the external function `name` of `type` at the start of `module`
/// unless the module has a symbol of that name already.
void declareRuntimeFunction(mlir::OpBuilder &b, mlir::ModuleOp module,
                            llvm::StringRef name, mlir::FunctionType type);

/// The aligned base address of `memref` (an identity-layout buffer) as an
/// !llvm.ptr.
mlir::Value basePointer(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value memref);

/// Replaces `op`, still on tensors, by a call of the runtime function
/// `name`: a pointer to each operand (read only), then to a fresh buffer per
/// result, then `ints` as i64 and `reals` as f64 scalars, in abi.h's order:
///
///   %a = bufferization.to_memref %operand read_only   (each operand)
///   %r = memref.alloc()                                (each result)
///   func.call @name(ptr(%a)..., ptr(%r)..., ints..., reals...)
///   %t = bufferization.to_tensor %r restrict writable
///
/// One-Shot Bufferize then sees each operand read at the call and fresh
/// buffers come out of it. Buffer deallocation cannot see the pointers, but
/// ownership-based deallocation frees buffers at the end of their block,
/// after every call in it (tests/lit/Conversion/conv-to-runtime.mlir).
void replaceWithRuntimeCall(mlir::PatternRewriter &rewriter,
                            mlir::Operation *op, llvm::StringRef name,
                            llvm::ArrayRef<int64_t> ints,
                            llvm::ArrayRef<double> reals = {});

} // namespace kiln::lowering

#endif // KILN_COMPILER_CONVERSION_RUNTIMECALLS_H
