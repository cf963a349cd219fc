//===- Parser.h - Parser of the Kiln model language -------------*- C++ -*-===//
//
// Entry points that turn a model file into the syntax tree of AST.h. Syntax
// errors are reported through the MLIR diagnostic engine of `ctx` as
// FileLineColLoc(filename, line, col); install an
// mlir::SourceMgrDiagnosticHandler over an llvm::SourceMgr that holds a
// buffer named `filename` to get clang-style output with source line and
// caret. The parser recovers after each error, so one run reports all of them
// (up to an error limit). It does no semantic checking.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_FRONTENDS_LANG_PARSER_H
#define KILN_FRONTENDS_LANG_PARSER_H

#include "frontends/lang/AST.h"

#include "mlir/IR/Location.h"
#include "llvm/ADT/StringRef.h"

#include <memory>

namespace mlir {
class MLIRContext;
} // namespace mlir

namespace kiln {
namespace lang {

/// Errors reported before the parser gives up, like clang's -ferror-limit.
constexpr unsigned kDefaultErrorLimit = 20;

/// Parses `source` (the contents of `filename`). Returns nullptr if any
/// syntax error was reported, so callers never see a broken tree.
std::unique_ptr<ast::File> parseFile(llvm::StringRef filename,
                                     llvm::StringRef source,
                                     mlir::MLIRContext *ctx);

/// Like parseFile, but always returns the tree, which is partial when
/// `numErrors` (set to the number of reported errors) is non-zero: statements
/// with errors are left out. `errorLimit` 0 means no limit.
std::unique_ptr<ast::File>
parseFileWithRecovery(llvm::StringRef filename, llvm::StringRef source,
                      mlir::MLIRContext *ctx, unsigned &numErrors,
                      unsigned errorLimit = kDefaultErrorLimit);

/// The MLIR location of an AST position, for MLIRGen and later diagnostics.
mlir::FileLineColLoc toMLIRLoc(mlir::MLIRContext *ctx, const ast::File &file,
                               ast::SourceLoc loc);

} // namespace lang
} // namespace kiln

#endif // KILN_FRONTENDS_LANG_PARSER_H
