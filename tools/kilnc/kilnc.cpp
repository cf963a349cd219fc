//===- kilnc.cpp - The Kiln compiler --------------------------------------===//
//
//   kilnc train MODEL.kiln -o BIN          standalone training binary
//   kilnc train MODEL.kiln --emit=mlir     kiln IR of the training step
//   kilnc train MODEL.kiln --emit=llvm     optimised LLVM IR
//   kilnc train MODEL.kiln --emit=obj -o F object file
//
//===----------------------------------------------------------------------===//
#include "compiler/Driver/Compiler.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

namespace cl = llvm::cl;

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::opt<std::string> command(cl::Positional, cl::Required,
                               cl::desc("<command>"), cl::value_desc("train"));
  cl::opt<std::string> input(cl::Positional, cl::Required,
                             cl::desc("<model.kiln>"));
  cl::opt<std::string> output("o", cl::desc("Output file"),
                              cl::value_desc("file"), cl::init(""));
  cl::opt<kiln::Stage> emit(
      "emit", cl::desc("Stop early and write this stage"),
      cl::init(kiln::Stage::Executable),
      cl::values(
          clEnumValN(kiln::Stage::Mlir, "mlir", "kiln IR of the training step"),
          clEnumValN(kiln::Stage::Llvm, "llvm", "optimised LLVM IR"),
          clEnumValN(kiln::Stage::Object, "obj", "object file"),
          clEnumValN(kiln::Stage::Executable, "exe",
                     "standalone training binary (default)")));
  cl::ParseCommandLineOptions(
      argc, argv,
      "kilnc: compiles a Kiln model file into a standalone training binary\n\n"
      "  kilnc train MODEL.kiln -o BIN\n");
  if (command != "train") {
    llvm::errs() << "kilnc: error: unknown command `" << command
                 << "`; the command is `train` (see kilnc --help)\n";
    return 2;
  }
  return failed(kiln::compileModel({input, output, emit})) ? 1 : 0;
}
