//===- EmitEntryPoints.cpp - The runtime's packed calling convention ------===//
//
// The runtime calls every compiled function the same way, with one array of
// buffer pointers, so it needs no per-model glue code. This pass runs on the
// LLVM dialect (functions use the bare-pointer memref convention, so each
// buffer is one pointer) and adds, for each function marked
// `kiln.entry = NAME`:
//   void kiln_NAME(void **buffers) { NAME(buffers[0], buffers[1], ...); }
// It also materialises the manifest as the global `kiln_manifest` and drops
// the kiln.* attributes of the entry points.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/Passes.h"
#include "dialects/kiln/IR/KilnConventions.h"

namespace kiln {
#define GEN_PASS_DEF_EMITENTRYPOINTS
#include "compiler/Conversion/Passes.h.inc"
} // namespace kiln

using namespace mlir;
using namespace kiln;

namespace {
struct EmitEntryPointsPass
    : kiln::impl::EmitEntryPointsBase<EmitEntryPointsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (auto fn : llvm::to_vector(module.getOps<LLVM::LLVMFuncOp>())) {
      auto entry = fn->getAttrOfType<StringAttr>(attr::kEntry);
      if (!entry)
        continue;
      if (failed(emitPackedWrapper(module, fn, entry.getValue())))
        return signalPassFailure();
      // The kiln.* argument attributes have served the manifest and mean
      // nothing to LLVM, whose translation would warn about each one.
      fn.removeArgAttrsAttr();
      fn.removeResAttrsAttr();
      fn->removeAttr(attr::kEntry);
    }
    if (auto manifest = module->getAttrOfType<StringAttr>("kiln.manifest"))
      emitManifest(module, manifest.getValue());
  }

  LogicalResult emitPackedWrapper(ModuleOp module, LLVM::LLVMFuncOp fn,
                                  StringRef entry) {
    MLIRContext *ctx = &getContext();
    Type ptr = LLVM::LLVMPointerType::get(ctx);
    LLVM::LLVMFunctionType fnType = fn.getFunctionType();
    if (!llvm::all_of(fnType.getParams(), [&](Type t) { return t == ptr; }) ||
        !isa<LLVM::LLVMVoidType>(fnType.getReturnType()))
      return fn.emitError("entry point `")
             << fn.getName()
             << "` must take only buffers and return nothing; lower it with "
                "buffer-results-to-out-params and bare-pointer memrefs";

    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    Location loc = fn.getLoc();
    auto wrapper = b.create<LLVM::LLVMFuncOp>(
        loc, ("kiln_" + entry).str(),
        LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx), {ptr}));
    Block *body = wrapper.addEntryBlock(b);
    b.setInsertionPointToStart(body);
    Value buffers = body->getArgument(0);
    SmallVector<Value> args;
    for (unsigned i = 0; i < fnType.getNumParams(); ++i) {
      Value slot = b.create<LLVM::GEPOp>(loc, ptr, ptr, buffers,
                                         ArrayRef<LLVM::GEPArg>{int32_t(i)});
      args.push_back(b.create<LLVM::LoadOp>(loc, ptr, slot));
    }
    b.create<LLVM::CallOp>(loc, fn, args);
    b.create<LLVM::ReturnOp>(loc, ValueRange{});
    return success();
  }

  void emitManifest(ModuleOp module, StringRef manifest) {
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    std::string text = manifest.str();
    text.push_back('\0');
    auto type = LLVM::LLVMArrayType::get(b.getI8Type(), text.size());
    b.create<LLVM::GlobalOp>(module.getLoc(), type, /*isConstant=*/true,
                             LLVM::Linkage::External, "kiln_manifest",
                             b.getStringAttr(text));
  }
};
} // namespace
