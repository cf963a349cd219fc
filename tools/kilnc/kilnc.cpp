//===- kilnc.cpp - The Kiln compiler --------------------------------------===//
//
//   kilnc train MODEL.kiln -o BIN          standalone training binary
//   kilnc train MODEL.kiln --emit=mlir     kiln IR of the training step
//   kilnc train MODEL.kiln --emit=llvm     optimised LLVM IR
//   kilnc train MODEL.kiln --emit=obj -o F object file
//   kilnc train MODEL.kiln --target=NAME   for another target (--help lists
//                                          them)
//
//===----------------------------------------------------------------------===//
#include "compiler/Driver/Compiler.h"
#include "compiler/Pipelines/Pipelines.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

namespace cl = llvm::cl;

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  kiln::registerKilnTargets();
  std::string targets = "Generate code for this target:";
  for (const kiln::Target *target : kiln::allTargets())
    targets += ("\n    " + target->name() + "  " + target->description()).str();

  // --help shows kilnc's own options, not every option LLVM registers.
  cl::OptionCategory options("kilnc options");
  cl::opt<std::string> command(cl::Positional, cl::Required,
                               cl::desc("<command>"), cl::value_desc("train"),
                               cl::cat(options));
  cl::opt<std::string> input(cl::Positional, cl::Required,
                             cl::desc("<model.kiln>"), cl::cat(options));
  cl::opt<std::string> output("o", cl::desc("Output file"),
                              cl::value_desc("file"), cl::init(""),
                              cl::cat(options));
  cl::opt<kiln::Stage> emit(
      "emit", cl::desc("Stop early and write this stage"),
      cl::init(kiln::Stage::Executable), cl::cat(options),
      cl::values(
          clEnumValN(kiln::Stage::Mlir, "mlir", "kiln IR of the training step"),
          clEnumValN(kiln::Stage::Llvm, "llvm", "optimised LLVM IR"),
          clEnumValN(kiln::Stage::Object, "obj", "object file"),
          clEnumValN(kiln::Stage::Executable, "exe",
                     "standalone training binary (default)")));
  cl::opt<std::string> target("target", cl::desc(targets),
                              cl::value_desc("name"), cl::init("cpu"),
                              cl::cat(options));
  cl::opt<int64_t> channelBlock(
      "channel-block",
      cl::desc("Channels per block of the feature maps between the target's "
               "kernels: 0 for the target's choice (default), 1 for NCHW"),
      cl::value_desc("n"), cl::init(0), cl::cat(options));
  cl::opt<bool> noFuse(
      "no-fuse",
      cl::desc("Do not fuse ops into the target's kernels (batch norm + ReLU)"),
      cl::init(false), cl::cat(options));
  cl::HideUnrelatedOptions(options);
  cl::ParseCommandLineOptions(
      argc, argv,
      "kilnc: compiles a Kiln model file into a standalone training binary\n\n"
      "  kilnc train MODEL.kiln -o BIN\n");
  if (command != "train") {
    llvm::errs() << "kilnc: error: unknown command `" << command
                 << "`; the command is `train` (see kilnc --help)\n";
    return 2;
  }
  return failed(kiln::compileModel(
             {input, output, emit, target, {channelBlock, !noFuse}}))
             ? 1
             : 0;
}
