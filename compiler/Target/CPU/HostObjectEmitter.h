//===- HostObjectEmitter.h - LLVM dialect to host code ----------*- C++ -*-===//
//
// Private to the CPU target: translation to LLVM IR, -O3 and code
// generation for the machine that compiles (like -march=native).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_TARGET_CPU_HOSTOBJECTEMITTER_H
#define KILN_COMPILER_TARGET_CPU_HOSTOBJECTEMITTER_H

#include "compiler/Target/Target.h"

namespace kiln::cpu {

/// Translates `module` (LLVM dialect) to LLVM IR, optimises it at -O3 for the
/// host CPU (its name and features, AVX-512 where present) and writes either
/// the optimised IR as text or a position-independent object file.
llvm::LogicalResult emitForHost(mlir::ModuleOp module, EmitKind kind,
                                llvm::raw_pwrite_stream &os);

} // namespace kiln::cpu

#endif // KILN_COMPILER_TARGET_CPU_HOSTOBJECTEMITTER_H
