//===- RuntimeCalls.cpp - Calling the runtime from generated code ---------===//
#include "compiler/Conversion/RuntimeCalls.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/SymbolTable.h"

using namespace mlir;

void kiln::lowering::declareRuntimeFunction(OpBuilder &b, ModuleOp module,
                                            StringRef name, FunctionType type) {
  if (SymbolTable::lookupSymbolIn(module, name))
    return;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(module.getBody());
  b.create<func::FuncOp>(module.getLoc(), name, type).setPrivate();
}

Value kiln::lowering::basePointer(OpBuilder &b, Location loc, Value memref) {
  Value address = b.create<memref::ExtractAlignedPointerAsIndexOp>(loc, memref);
  Value integer = b.create<arith::IndexCastOp>(loc, b.getI64Type(), address);
  return b.create<LLVM::IntToPtrOp>(
      loc, LLVM::LLVMPointerType::get(b.getContext()), integer);
}
