//===- Compiler.cpp - kilnc's compilation driver --------------------------===//
//
// Runs the same pipelines kiln-opt exposes (Pipelines.h) for the chosen
// target, which then emits code and links it with its runtime. The binary
// needs no LLVM or MLIR at run time: only the runtime's own dependencies
// (oneDNN, zlib, LAPACK) and the C++ standard library.
//
//===----------------------------------------------------------------------===//
#include "compiler/Driver/Compiler.h"

#include "compiler/Pipelines/Pipelines.h"
#include "frontends/lang/Frontend.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;

namespace {
LogicalResult error(const Twine &message) {
  llvm::errs() << "kilnc: error: " << message << "\n";
  return failure();
}

LogicalResult
runPipeline(ModuleOp module,
            llvm::function_ref<LogicalResult(OpPassManager &)> build) {
  PassManager pm(module.getContext());
  if (failed(build(pm)))
    return error("internal error: invalid pass pipeline");
  return pm.run(module);
}
} // namespace

LogicalResult kiln::compileModel(const CompileOptions &options) {
  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> file =
      openInputFile(options.inputPath, &errorMessage);
  if (!file)
    return error(errorMessage);

  registerKilnPasses();
  const Target *target = lookupTarget(options.target);
  if (!target)
    return error("unknown target `" + options.target +
                 "` (kilnc --help lists the targets)");
  DialectRegistry registry;
  registerKilnDialects(registry);
  MLIRContext context(registry);
  // Errors point into the model file; the IR they arose in means nothing to
  // its author.
  context.printOpOnDiagnostic(false);
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

  if (failed(runPipeline(*module, [&](OpPassManager &pm) {
        return buildLoweringPipeline(pm, *target, options.codegen);
      })))
    return failure();
  EmitKind kind =
      options.stage == Stage::Llvm ? EmitKind::LlvmIr : EmitKind::Object;
  if (options.stage != Stage::Executable) {
    auto output = openOutputFile(outputPath, &errorMessage);
    if (!output)
      return error(errorMessage);
    if (failed(target->emit(*module, kind, output->os())))
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
    if (failed(target->emit(*module, EmitKind::Object, object)))
      return failure();
  }
  return target->link(objectPath, outputPath);
}
