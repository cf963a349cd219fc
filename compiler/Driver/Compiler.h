//===- Compiler.h - kilnc's compilation driver ------------------*- C++ -*-===//
//
// Model file -> kiln IR -> training step -> LLVM -> object -> executable,
// for a target, stopping at any stage on request. kilnc is a thin command
// line over this.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_DRIVER_COMPILER_H
#define KILN_COMPILER_DRIVER_COMPILER_H

#include "compiler/Target/Target.h"
#include "llvm/Support/LogicalResult.h"
#include <string>

namespace kiln {

/// Where compilation stops and what it writes.
enum class Stage {
  Mlir,       // kiln IR of the training step
  Llvm,       // optimised LLVM IR
  Object,     // relocatable object file
  Executable, // standalone training binary
};

struct CompileOptions {
  std::string inputPath;
  std::string outputPath; // "-" writes text stages to stdout
  Stage stage = Stage::Executable;
  std::string target = "cpu"; // a registered Target's name
  CodegenOptions codegen;
};

/// Compiles as `options` say. Errors are printed clang-style to stderr.
llvm::LogicalResult compileModel(const CompileOptions &options);

} // namespace kiln

#endif // KILN_COMPILER_DRIVER_COMPILER_H
