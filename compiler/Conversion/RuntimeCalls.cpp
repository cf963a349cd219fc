//===- RuntimeCalls.cpp - Calling the runtime from generated code ---------===//
#include "compiler/Conversion/RuntimeCalls.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/SymbolTable.h"

using namespace mlir;
using namespace kiln;

void kiln::lowering::declareRuntimeFunction(OpBuilder &b, ModuleOp module,
                                            const rt::RuntimeFunction &fn) {
  if (SymbolTable::lookupSymbolIn(module, fn.symbol))
    return;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(module.getBody());
  b.create<func::FuncOp>(module.getLoc(), fn.symbol,
                         rt::functionType(b.getContext(), fn))
      .setPrivate();
}

Value kiln::lowering::basePointer(OpBuilder &b, Location loc, Value memref) {
  Value address = b.create<memref::ExtractAlignedPointerAsIndexOp>(loc, memref);
  Value integer = b.create<arith::IndexCastOp>(loc, b.getI64Type(), address);
  return b.create<LLVM::IntToPtrOp>(
      loc, LLVM::LLVMPointerType::get(b.getContext()), integer);
}

void kiln::lowering::createRuntimeCall(OpBuilder &b, Location loc,
                                       const rt::RuntimeFunction &fn,
                                       ValueRange inputs, ValueRange outputs,
                                       DictionaryAttr scalars) {
  // The lowerings build the scalars themselves: a mismatch is a compiler
  // bug, reported as one rather than as a call with wrong arguments.
  std::string problem = rt::checkScalars(fn, scalars);
  if (!problem.empty())
    llvm::report_fatal_error(llvm::Twine("kiln: internal error: ") + problem);
  SmallVector<Value> args;
  size_t nextInput = 0, nextOutput = 0;
  for (const rt::RuntimeParam &param : fn.params) {
    switch (param.kind) {
    case rt::ParamKind::In:
      args.push_back(basePointer(b, loc, inputs[nextInput++]));
      break;
    case rt::ParamKind::Out:
      args.push_back(basePointer(b, loc, outputs[nextOutput++]));
      break;
    case rt::ParamKind::I64:
      args.push_back(b.create<arith::ConstantIntOp>(
          loc, cast<IntegerAttr>(scalars.get(param.name)).getInt(), 64));
      break;
    case rt::ParamKind::F64:
      args.push_back(b.create<arith::ConstantFloatOp>(
          loc, cast<FloatAttr>(scalars.get(param.name)).getValue(),
          b.getF64Type()));
      break;
    }
  }
  declareRuntimeFunction(
      b, b.getBlock()->getParentOp()->getParentOfType<ModuleOp>(), fn);
  b.create<func::CallOp>(loc, fn.symbol, TypeRange{}, args);
}
