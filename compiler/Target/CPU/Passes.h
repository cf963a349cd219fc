//===- Passes.h - Passes of the CPU target ----------------------*- C++ -*-===//
#ifndef KILN_COMPILER_TARGET_CPU_PASSES_H
#define KILN_COMPILER_TARGET_CPU_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace kiln::cpu {
#define GEN_PASS_DECL
#include "compiler/Target/CPU/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "compiler/Target/CPU/Passes.h.inc"
} // namespace kiln::cpu

#endif // KILN_COMPILER_TARGET_CPU_PASSES_H
