//===- EmitEntryPoints.cpp - The runtime's packed calling convention ------===//
//
// The runtime calls every compiled function the same way, with one array of
// buffer pointers, so it needs no per-model glue code (abi.h). This pass
// runs on the LLVM dialect (functions use the bare-pointer memref
// convention, so each buffer is one pointer) and adds, for each function
// marked `kiln.entry = #kiln.entry<NAME>`:
//   void kiln_NAME(void **buffers) { NAME(buffers[0], buffers[1], ...); }
// then the table kiln_entry_points[] of those wrappers, indexed as
// program.def lists the entry points (null where the program has none), and
// the manifest as the global kiln_manifest. It drops the kiln.* attributes,
// which have served the manifest and mean nothing to LLVM.
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
    SmallVector<LLVM::LLVMFuncOp> wrappers(rt::kNumEntries);
    for (auto fn : llvm::to_vector(module.getOps<LLVM::LLVMFuncOp>())) {
      auto entry = fn->getAttrOfType<EntryAttr>(attr::kEntry);
      if (!entry)
        continue;
      FailureOr<LLVM::LLVMFuncOp> wrapper =
          emitPackedWrapper(module, fn, entry.getValue());
      if (failed(wrapper))
        return signalPassFailure();
      wrappers[static_cast<size_t>(entry.getValue())] = *wrapper;
      fn.removeArgAttrsAttr();
      fn.removeResAttrsAttr();
      fn->removeAttr(attr::kEntry);
    }
    emitEntryTable(module, wrappers);
    if (auto manifest = module->getAttrOfType<StringAttr>(attr::kManifest)) {
      emitManifest(module, manifest.getValue());
      module->removeAttr(attr::kManifest);
    }
  }

  FailureOr<LLVM::LLVMFuncOp>
  emitPackedWrapper(ModuleOp module, LLVM::LLVMFuncOp fn, rt::Entry entry) {
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
        loc, ("kiln_" + llvm::StringRef(rt::name(entry))).str(),
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
    return wrapper;
  }

  /// const kiln_entry_fn kiln_entry_points[KILN_NUM_ENTRIES] (abi.h).
  void emitEntryTable(ModuleOp module, ArrayRef<LLVM::LLVMFuncOp> wrappers) {
    MLIRContext *ctx = &getContext();
    Type ptr = LLVM::LLVMPointerType::get(ctx);
    auto type = LLVM::LLVMArrayType::get(ptr, wrappers.size());
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    Location loc = module.getLoc();
    auto table = b.create<LLVM::GlobalOp>(loc, type, /*isConstant=*/true,
                                          LLVM::Linkage::External,
                                          "kiln_entry_points", Attribute());
    b.setInsertionPointToStart(b.createBlock(&table.getInitializerRegion()));
    Value array = b.create<LLVM::UndefOp>(loc, type);
    for (auto [index, wrapper] : llvm::enumerate(wrappers)) {
      Value address =
          wrapper ? b.create<LLVM::AddressOfOp>(loc, wrapper).getResult()
                  : b.create<LLVM::ZeroOp>(loc, ptr).getResult();
      array = b.create<LLVM::InsertValueOp>(loc, array, address, index);
    }
    b.create<LLVM::ReturnOp>(loc, array);
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
