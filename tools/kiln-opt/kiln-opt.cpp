//===- kiln-opt.cpp - Inspect and transform Kiln IR -----------------------===//
//
// mlir-opt with Kiln's dialect, passes and pipelines. It also reads model
// files (`.kiln`): the frontend's IR is fed to the usual driver, and when no
// pass is named the training pipeline runs, so
//   kiln-opt model.kiln --mlir-print-ir-after-all
// shows the forward graph, the derived backward graph and the optimizer
// updates. `--dot=FILE` also writes the final IR as a Graphviz graph.
//
//===----------------------------------------------------------------------===//
#include "compiler/Pipelines/Pipelines.h"
#include "frontends/lang/Frontend.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/ViewOpGraph.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;

static llvm::cl::opt<std::string>
    dotFile("dot",
            llvm::cl::desc("Also write the final IR as a Graphviz graph"),
            llvm::cl::value_desc("file"), llvm::cl::init(""));

/// True when the command line names a pass or pipeline to run.
static bool namesPasses(int argc, char **argv) {
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg(argv[i]);
    if (!arg.consume_front("--") && !arg.consume_front("-"))
      continue;
    arg = arg.split('=').first;
    if (arg == "pass-pipeline" || PassInfo::lookup(arg) ||
        PassPipelineInfo::lookup(arg))
      return true;
  }
  return false;
}

/// The model file's kiln IR as text, with locations, or null on errors.
static std::unique_ptr<llvm::MemoryBuffer>
translateModelFile(StringRef path, DialectRegistry &registry) {
  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> file = openInputFile(path, &error);
  if (!file) {
    llvm::errs() << "kiln-opt: error: " << error << "\n";
    return nullptr;
  }
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = kiln::lang::buildModule(sourceMgr, &context);
  if (!module)
    return nullptr;
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os, OpPrintingFlags().enableDebugInfo());
  return llvm::MemoryBuffer::getMemBufferCopy(text, path);
}

/// Writes `ir` as a Graphviz graph of its ops and values to `path`.
static LogicalResult writeGraph(StringRef ir, StringRef path,
                                DialectRegistry &registry) {
  MLIRContext context(registry);
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(ir, &context);
  std::string error;
  auto file = openOutputFile(path, &error);
  if (!module || !file) {
    llvm::errs() << "kiln-opt: error: cannot write " << path << ": " << error
                 << "\n";
    return failure();
  }
  PassManager pm(&context);
  pm.addPass(createPrintOpGraphPass(file->os()));
  if (failed(pm.run(*module)))
    return failure();
  file->keep();
  return success();
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  kiln::registerKilnPasses();
  DialectRegistry registry;
  kiln::registerKilnDialects(registry);
  auto [inputPath, outputPath] =
      registerAndParseCLIOptions(argc, argv, "Kiln IR optimizer", registry);
  MlirOptMainConfig config = MlirOptMainConfig::createFromCLOptions();

  std::unique_ptr<llvm::MemoryBuffer> input;
  if (StringRef(inputPath).ends_with(".kiln")) {
    input = translateModelFile(inputPath, registry);
    if (!namesPasses(argc, argv))
      config.setPassPipelineSetupFn(
          [](PassManager &pm) { return kiln::buildTrainingPipeline(pm); });
  } else {
    std::string error;
    input = openInputFile(inputPath, &error);
    if (!input)
      llvm::errs() << "kiln-opt: error: " << error << "\n";
  }
  if (!input)
    return 1;

  std::string error;
  auto output = openOutputFile(outputPath, &error);
  if (!output) {
    llvm::errs() << "kiln-opt: error: " << error << "\n";
    return 1;
  }
  std::string result;
  llvm::raw_string_ostream resultStream(result);
  if (failed(MlirOptMain(resultStream, std::move(input), registry, config)))
    return 1;
  output->os() << result;
  output->keep();
  if (dotFile.empty())
    return 0;
  return failed(writeGraph(result, dotFile, registry)) ? 1 : 0;
}
