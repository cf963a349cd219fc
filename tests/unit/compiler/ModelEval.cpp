//===- ModelEval.cpp - Run a model file's eval entry on given values ------===//
#include "ModelEval.h"

#include "JitHarness.h"

#include "frontends/lang/Frontend.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <gtest/gtest.h>

using namespace kiln::testing;

bool kiln::testing::compileModel(const std::string &model,
                                 const std::string &pipeline,
                                 CompiledModule &module,
                                 const CodegenOptions &codegen) {
  std::string file = model + "\ntrain {\n  optimizer = sgd(lr = 0.1)\n}\n";
  mlir::MLIRContext frontendContext;
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(file, "test.kiln"), llvm::SMLoc());
  std::string diagnostics;
  llvm::raw_string_ostream os(diagnostics);
  mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &frontendContext, os);
  mlir::OwningOpRef<mlir::ModuleOp> built =
      kiln::lang::buildModule(sourceMgr, &frontendContext);
  EXPECT_TRUE(built) << diagnostics;
  if (!built)
    return false;
  std::string text;
  llvm::raw_string_ostream printed(text);
  built->print(printed);
  std::string error = module.compile(text, pipeline, codegen);
  EXPECT_EQ(error, "") << text;
  return error.empty();
}

std::vector<std::vector<double>> kiln::testing::evaluateModel(
    const std::string &model,
    const std::vector<std::vector<double>> &arguments) {
  CompiledModule module;
  if (!compileModel(model, "canonicalize", module))
    return {};
  std::vector<HostBuffer> args = module.makeArguments("eval");
  EXPECT_EQ(args.size(), arguments.size());
  if (args.size() != arguments.size())
    return {};
  for (size_t i = 0; i < args.size(); ++i) {
    EXPECT_EQ(args[i].size(), static_cast<int64_t>(arguments[i].size()))
        << "argument " << i;
    for (int64_t e = 0;
         e < std::min<int64_t>(args[i].size(), arguments[i].size()); ++e)
      args[i].set(e, arguments[i][e]);
  }
  std::vector<HostBuffer> results = module.makeResults("eval");
  EXPECT_EQ(module.call("eval", args, results), "");
  std::vector<std::vector<double>> values;
  for (const HostBuffer &result : results)
    values.push_back(result.values());
  return values;
}
