//===- BuildHelpers.h - Shared helpers of the frontend unit tests -*- C++ -*-=//
//
// Runs the whole frontend (kiln::lang::buildModule) on a source string the
// way kilnc does, with an mlir::SourceMgrDiagnosticHandler, and captures the
// clang-style diagnostics so tests can assert the exact text users see. Also
// builds that text: one diagnostic is the `file:line:col: severity: message`
// line, the source line and a caret under the column.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TESTS_UNIT_FRONTEND_BUILDHELPERS_H
#define KILN_TESTS_UNIT_FRONTEND_BUILDHELPERS_H

#include "dialects/kiln/IR/KilnDialect.h"
#include "frontends/lang/Frontend.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace kiln {
namespace test {

/// The result of one frontend run. The module lives in `ctx`, so the whole
/// struct is kept together (and heap-allocated: MLIRContext cannot move).
struct BuildOutput {
  // No threading: tests create many contexts and need no thread pool.
  mlir::MLIRContext ctx{mlir::MLIRContext::Threading::DISABLED};
  llvm::SourceMgr sourceMgr;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  /// Everything the diagnostic handler printed.
  std::string diagnostics;

  /// The number of printed `error:` lines.
  unsigned numErrors() const {
    unsigned count = 0;
    for (size_t at = diagnostics.find(": error: "); at != std::string::npos;
         at = diagnostics.find(": error: ", at + 1))
      ++count;
    return count;
  }
};

inline std::unique_ptr<BuildOutput>
buildText(llvm::StringRef source, llvm::StringRef filename = "test.kiln") {
  auto out = std::make_unique<BuildOutput>();
  out->sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(source, filename), llvm::SMLoc());
  llvm::raw_string_ostream os(out->diagnostics);
  mlir::SourceMgrDiagnosticHandler handler(out->sourceMgr, &out->ctx, os);
  out->module = lang::buildModule(out->sourceMgr, &out->ctx);
  os.flush();
  return out;
}

/// One printed diagnostic: header, source line and caret.
inline std::string diag(unsigned line, unsigned col,
                        const std::string &severity, const std::string &message,
                        const std::string &sourceLine) {
  return "test.kiln:" + std::to_string(line) + ":" + std::to_string(col) +
         ": " + severity + ": " + message + "\n" + sourceLine + "\n" +
         std::string(col - 1, ' ') + "^\n";
}
inline std::string error(unsigned line, unsigned col,
                         const std::string &message,
                         const std::string &sourceLine) {
  return diag(line, col, "error", message, sourceLine);
}
inline std::string note(unsigned line, unsigned col, const std::string &message,
                        const std::string &sourceLine) {
  return diag(line, col, "note", message, sourceLine);
}
/// A note at its error's own location: MLIR does not repeat the source line.
inline std::string hint(unsigned line, unsigned col,
                        const std::string &message) {
  return "test.kiln:" + std::to_string(line) + ":" + std::to_string(col) +
         ": note: " + message + "\n";
}

/// The module's #kiln.train and #kiln.data, or null when there is no
/// module.
inline TrainRecipeAttr trainOf(BuildOutput &out) {
  return out.module
             ? (*out.module)->getAttrOfType<TrainRecipeAttr>("kiln.train")
             : nullptr;
}
inline DataAttr dataOf(BuildOutput &out) {
  return out.module ? (*out.module)->getAttrOfType<DataAttr>("kiln.data")
                    : nullptr;
}

/// The spelling of `role`, or "" when there is none.
inline std::string roleName(std::optional<rt::Role> role) {
  return role ? std::string(rt::name(*role)) : "";
}

//===--- Source templates ----------------------------------------------------//
//
// Small valid files with one place to put a mistake, so each test's line
// numbers are easy to follow.

/// The train section of a valid file (3 lines).
inline const char kTrain[] = "train {\n"
                             "  optimizer = sgd(lr = 0.1)\n"
                             "}\n";

/// A model whose body starts on line 4, after `model m {`, input `x` of
/// f32[4, 8] and label `y` of i32[4]; then the closing brace and kTrain.
inline std::string withModel(const std::string &body) {
  return "model m {\n"
         "  input x: f32[4, 8]\n"
         "  label y: i32[4]\n" +
         body + "}\n" + kTrain;
}

/// A valid model (lines 1-6) followed by a train section whose body starts
/// on line 8.
inline std::string withTrain(const std::string &body) {
  return "model m {\n"
         "  input x: f32[4, 8]\n"
         "  label y: i32[4]\n"
         "  fc = linear(x, 3)\n"
         "  loss = softmax_cross_entropy(fc, y)\n"
         "}\n"
         "train {\n" +
         body + "}\n";
}

/// A valid model and train section (lines 1-9) followed by a data section
/// whose body starts on line 11.
inline std::string withData(const std::string &body) {
  return withTrain("  optimizer = sgd(lr = 0.1)\n") + "data {\n" + body + "}\n";
}

/// A model with an image input x: f32[2, 3, 8, 8]; `layer` is on line 4 and
/// binds `c`, which feeds the loss.
inline std::string withImageLayer(const std::string &layer) {
  return "model m {\n"
         "  input x: f32[2, 3, 8, 8]\n"
         "  label y: i32[2]\n"
         "  " +
         layer +
         "\n"
         "  h = flatten(c)\n"
         "  fc = linear(h, 10)\n"
         "  loss = softmax_cross_entropy(fc, y)\n"
         "}\n" +
         kTrain;
}

/// Builds `layer` (line 4) and checks its one error at `col`.
inline void expectLayerError(const std::string &layer, unsigned col,
                             const std::string &message) {
  std::unique_ptr<BuildOutput> out = buildText(withImageLayer(layer));
  EXPECT_EQ(out->diagnostics, error(4, col, message, "  " + layer));
  EXPECT_EQ(out->numErrors(), 1u);
  EXPECT_FALSE(out->module);
}

/// Builds `source` and checks the whole diagnostic output and error count.
inline void expectErrors(const std::string &source, const std::string &expected,
                         unsigned numErrors = 1) {
  std::unique_ptr<BuildOutput> out = buildText(source);
  EXPECT_EQ(out->diagnostics, expected);
  EXPECT_EQ(out->numErrors(), numErrors);
  EXPECT_FALSE(out->module) << "no module is built when there are errors";
}

/// A train section whose optimizer is `optimizer` (on line 8).
inline std::string withOptimizer(const std::string &optimizer) {
  return withTrain("  optimizer = " + optimizer + "\n");
}

} // namespace test
} // namespace kiln

#endif // KILN_TESTS_UNIT_FRONTEND_BUILDHELPERS_H
