//===- ParseHelpers.h - Shared helpers of the parser unit tests -*- C++ -*-===//
//
// Parses a source string the way kilnc does (SourceMgr + SourceMgr diagnostic
// handler) but captures the clang-style diagnostics in a string, so tests can
// assert the exact text users will see.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TESTS_UNIT_FRONTEND_PARSEHELPERS_H
#define KILN_TESTS_UNIT_FRONTEND_PARSEHELPERS_H

#include "frontends/lang/AST.h"
#include "frontends/lang/Parser.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>

namespace kiln {
namespace test {

struct ParseOutput {
  std::unique_ptr<ast::File> file;
  /// Everything the diagnostic handler printed.
  std::string diagnostics;
  unsigned numErrors = 0;
};

inline ParseOutput parseText(llvm::StringRef source,
                             llvm::StringRef filename = "test.kiln",
                             unsigned errorLimit = lang::kDefaultErrorLimit) {
  // No threading: tests create many contexts and need no thread pool.
  mlir::MLIRContext ctx(mlir::MLIRContext::Threading::DISABLED);
  llvm::SourceMgr mgr;
  // A copy: the handler needs a buffer named like the file, and garbage
  // inputs in tests are not NUL-terminated.
  mgr.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(source, filename),
                         llvm::SMLoc());
  ParseOutput out;
  llvm::raw_string_ostream os(out.diagnostics);
  mlir::SourceMgrDiagnosticHandler handler(mgr, &ctx, os);
  out.file = lang::parseFileWithRecovery(filename, source, &ctx, out.numErrors,
                                         errorLimit);
  os.flush();
  return out;
}

/// The canonical dump (with locations) of a tree.
inline std::string dumpToString(const ast::File &file) {
  std::string text;
  llvm::raw_string_ostream os(text);
  ast::dump(file, os);
  return os.str();
}

/// The canonical source form of a tree.
inline std::string printToString(const ast::File &file) {
  std::string text;
  llvm::raw_string_ostream os(text);
  ast::print(file, os);
  return os.str();
}

} // namespace test
} // namespace kiln

#endif // KILN_TESTS_UNIT_FRONTEND_PARSEHELPERS_H
