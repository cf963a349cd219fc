//===- Compiler.cpp - kilnc's compilation driver --------------------------===//
//
// Runs the same pipelines kiln-opt exposes (Pipelines.h), then emits code for
// the host and links it with the runtime archives built alongside kilnc. The
// binary needs no LLVM or MLIR at run time: only the runtime's own
// dependencies (oneDNN, zlib) and the C++ standard library.
//
//===----------------------------------------------------------------------===//
#include "compiler/Driver/Compiler.h"

#include "compiler/Pipelines/Pipelines.h"
#include "compiler/Target/ObjectEmitter.h"
#include "frontends/lang/Frontend.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;

namespace {
LogicalResult error(const Twine &message) {
  llvm::errs() << "kilnc: error: " << message << "\n";
  return failure();
}

LogicalResult runPipeline(ModuleOp module,
                          LogicalResult (*build)(OpPassManager &)) {
  PassManager pm(module.getContext());
  if (failed(build(pm)))
    return error("internal error: invalid pass pipeline");
  return pm.run(module);
}

/// Links `object` with the runtime into the executable `output`.
LogicalResult linkExecutable(StringRef object, StringRef output) {
  llvm::ErrorOr<std::string> cxx = llvm::sys::findProgramByName("c++");
  if (!cxx)
    return error("cannot find `c++` to link the binary (install g++)");
  SmallVector<StringRef> args{*cxx,
                              "-o",
                              output,
                              object,
                              KILN_RUNTIME_MAIN_LIBRARY,
                              KILN_RUNTIME_LIBRARY,
                              "-ldnnl",
                              "-lz",
                              "-llapack", // Newton's method (full_batch.cpp)
                              "-lm"};
  std::string message;
  int status =
      llvm::sys::ExecuteAndWait(*cxx, args, std::nullopt, {}, 0, 0, &message);
  if (status != 0)
    return error("linking " + output + " failed" +
                 (message.empty() ? "" : ": " + message));
  return success();
}
} // namespace

LogicalResult kiln::compileModel(const CompileOptions &options) {
  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> file =
      openInputFile(options.inputPath, &errorMessage);
  if (!file)
    return error(errorMessage);

  registerKilnPasses();
  DialectRegistry registry;
  registerKilnDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);

  OwningOpRef<ModuleOp> module = lang::buildModule(sourceMgr, &context);
  if (!module || failed(runPipeline(*module, buildTrainingPipeline)))
    return failure();

  bool textual = options.stage == Stage::Mlir || options.stage == Stage::Llvm;
  std::string outputPath = options.outputPath;
  if (outputPath.empty())
    outputPath = textual ? "-" : "a.out";
  if (options.stage == Stage::Mlir) {
    auto output = openOutputFile(outputPath, &errorMessage);
    if (!output)
      return error(errorMessage);
    module->print(output->os());
    output->keep();
    return success();
  }

  if (failed(runPipeline(*module, buildCpuLoweringPipeline)))
    return failure();
  EmitKind kind =
      options.stage == Stage::Llvm ? EmitKind::LlvmIr : EmitKind::Object;
  if (options.stage != Stage::Executable) {
    auto output = openOutputFile(outputPath, &errorMessage);
    if (!output)
      return error(errorMessage);
    if (failed(emitForHost(*module, kind, output->os())))
      return failure();
    output->keep();
    return success();
  }

  SmallString<128> objectPath;
  int fd;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("kiln", "o", fd, objectPath))
    return error("cannot create a temporary object file: " + ec.message());
  llvm::FileRemover removeObject(objectPath);
  {
    llvm::raw_fd_ostream object(fd, /*shouldClose=*/true);
    if (failed(emitForHost(*module, EmitKind::Object, object)))
      return failure();
  }
  return linkExecutable(objectPath, outputPath);
}
