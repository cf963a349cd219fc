//===- ObjectEmitter.h - LLVM dialect to LLVM IR and objects ----*- C++ -*-===//
#ifndef KILN_COMPILER_TARGET_OBJECTEMITTER_H
#define KILN_COMPILER_TARGET_OBJECTEMITTER_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

namespace kiln {

enum class EmitKind { LlvmIr, Object };

/// Translates `module` (LLVM dialect) to LLVM IR, optimises it at -O3 for the
/// host CPU (its name and features, AVX-512 where present) and writes either
/// the optimised IR as text or a position-independent object file.
llvm::LogicalResult emitForHost(mlir::ModuleOp module, EmitKind kind,
                                llvm::raw_pwrite_stream &os);

} // namespace kiln

#endif // KILN_COMPILER_TARGET_OBJECTEMITTER_H
