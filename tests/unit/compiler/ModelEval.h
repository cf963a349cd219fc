//===- ModelEval.h - Run a model file's eval entry --------------*- C++ -*-===//
//
// Test support for forward tests of layers: builds a model file with the
// frontend (as kilnc does), compiles its eval entry with the CPU pipeline
// through the JIT and runs it on values given per argument, parameters
// included, so layers are checked as the frontend emits them.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_TESTS_UNIT_COMPILER_MODELEVAL_H
#define KILN_TESTS_UNIT_COMPILER_MODELEVAL_H

#include "JitHarness.h"

#include <string>
#include <vector>

namespace kiln::testing {

/// Builds `model` (a model section; a train section is added) with the
/// frontend and compiles it into `module`, running `pipeline` before the
/// lowering, and the lowering with `codegen`. Records a test failure and
/// returns false on errors.
bool compileModel(const std::string &model, const std::string &pipeline,
                  CompiledModule &module, const CodegenOptions &codegen = {});

/// Compiles `model` as compileModel does and calls its eval entry with
/// `arguments`, one vector per argument in the entry's order (input, label,
/// then parameters and buffers as declared). Returns the elements of each
/// result: loss, per-sample losses, compared values. Records a test failure and
/// returns {} on errors.
std::vector<std::vector<double>>
evaluateModel(const std::string &model,
              const std::vector<std::vector<double>> &arguments);

} // namespace kiln::testing

#endif // KILN_TESTS_UNIT_COMPILER_MODELEVAL_H
