//===- RuntimeCalls.cpp - Calling the runtime from generated code ---------===//
#include "compiler/Conversion/RuntimeCalls.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
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

void kiln::lowering::replaceWithRuntimeCall(PatternRewriter &rewriter,
                                            Operation *op, StringRef name,
                                            ArrayRef<int64_t> ints,
                                            ArrayRef<double> reals) {
  Location loc = op->getLoc();
  SmallVector<Value> args;
  for (Value operand : op->getOperands()) {
    auto type = cast<RankedTensorType>(operand.getType());
    Value buffer = rewriter.create<bufferization::ToMemrefOp>(
        loc, MemRefType::get(type.getShape(), type.getElementType()), operand,
        /*read_only=*/true);
    args.push_back(basePointer(rewriter, loc, buffer));
  }
  SmallVector<Value> results;
  for (Type type : op->getResultTypes()) {
    auto tensor = cast<RankedTensorType>(type);
    results.push_back(rewriter.create<memref::AllocOp>(
        loc, MemRefType::get(tensor.getShape(), tensor.getElementType())));
    args.push_back(basePointer(rewriter, loc, results.back()));
  }
  SmallVector<Type> argTypes(args.size(), args.front().getType());
  for (int64_t value : ints)
    args.push_back(rewriter.create<arith::ConstantIntOp>(loc, value, 64));
  argTypes.append(ints.size(), rewriter.getI64Type());
  for (double value : reals)
    args.push_back(rewriter.create<arith::ConstantFloatOp>(
        loc, APFloat(value), rewriter.getF64Type()));
  argTypes.append(reals.size(), rewriter.getF64Type());
  declareRuntimeFunction(rewriter, op->getParentOfType<ModuleOp>(), name,
                         rewriter.getFunctionType(argTypes, {}));
  rewriter.create<func::CallOp>(loc, name, TypeRange{}, args);
  SmallVector<Value> tensors;
  for (auto [type, buffer] : llvm::zip_equal(op->getResultTypes(), results))
    tensors.push_back(rewriter.create<bufferization::ToTensorOp>(
        loc, type, buffer, /*restrict=*/true, /*writable=*/true));
  rewriter.replaceOp(op, tensors);
}
