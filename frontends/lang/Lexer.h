//===- Lexer.h - Tokenizer of the Kiln model language -----------*- C++ -*-===//
//
// Splits a model file into tokens and reports lexical errors. The lexer never
// fails: after reporting an error it skips the offending bytes (or returns the
// best-effort token) so that the parser keeps going and every error of the
// file is reported in one run.
//
// SyntaxDiagnostics is shared by lexer and parser so that both count towards
// one error limit, which bounds the output for garbage input.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_FRONTENDS_LANG_LEXER_H
#define KILN_FRONTENDS_LANG_LEXER_H

#include "frontends/lang/AST.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace mlir {
class MLIRContext;
} // namespace mlir

namespace kiln {
namespace lang {

/// Emits syntax errors through MLIR's diagnostic engine and enforces an error
/// limit, like clang's -ferror-limit.
class SyntaxDiagnostics {
public:
  SyntaxDiagnostics(mlir::MLIRContext *ctx, llvm::StringRef filename,
                    unsigned errorLimit);

  mlir::Location getLoc(ast::SourceLoc loc) const;

  /// Starts an error at `loc`. Once the limit is reached this reports
  /// "too many errors emitted, stopping now" instead, sets stopped(), and all
  /// later diagnostics are silently dropped (the returned diagnostic is
  /// abandoned, so streaming into it or attaching notes is harmless).
  mlir::InFlightDiagnostic error(ast::SourceLoc loc);

  /// Counts reported errors, including the final "too many errors" one.
  unsigned numErrors() const { return errorCount; }
  /// True once the error limit was hit; lexer and parser then wind down.
  bool stopped() const { return isStopped; }

private:
  mlir::MLIRContext *ctx;
  std::string filename;
  unsigned errorLimit;
  unsigned errorCount = 0;
  bool isStopped = false;
};

/// Quotes `text` for use inside a diagnostic: non-printable bytes become
/// `\xNN` (valid UTF-8 is kept) and long text is shortened with "...".
std::string spellForDiag(llvm::StringRef text);

enum class TokenKind {
  Eof,
  Ident,
  Number,
  String,
  LBrace,
  RBrace,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Colon,
  Equal,
};

struct Token {
  TokenKind kind = TokenKind::Eof;
  /// The token's bytes in the source (strings include their quotes). Tokens
  /// never span lines, so the end column is loc.col + text.size().
  llvm::StringRef text;
  ast::SourceLoc loc;
  /// Decoded contents of a String token.
  std::string stringValue;
  /// For Number tokens: written without fraction or exponent.
  bool isInteger = false;

  bool is(TokenKind k) const { return kind == k; }
  ast::SourceLoc endLoc() const {
    return {loc.line, loc.col + static_cast<unsigned>(text.size())};
  }
  /// "`text`" or "end of file", for messages like "found `)`".
  std::string describe() const;
};

class Lexer {
public:
  /// `source` must outlive the lexer and the tokens it returns.
  Lexer(llvm::StringRef source, SyntaxDiagnostics &diags)
      : src(source), diags(diags) {}

  /// Returns the next token; Eof forever at the end of input or once the
  /// error limit was hit. Every call consumes at least one byte unless it
  /// returns Eof, so lexing always terminates.
  Token lex();

private:
  ast::SourceLoc here() const {
    return {line, static_cast<unsigned>(pos - lineStart) + 1};
  }
  void skipSpaceAndComments();
  bool canStartToken(size_t at) const;
  Token makeToken(TokenKind kind, size_t start, ast::SourceLoc loc);
  Token lexIdent(size_t start, ast::SourceLoc loc);
  Token lexNumber(size_t start, ast::SourceLoc loc);
  Token lexString(size_t start, ast::SourceLoc loc);
  void skipInvalidRun(size_t start, ast::SourceLoc loc);

  llvm::StringRef src;
  SyntaxDiagnostics &diags;
  size_t pos = 0;
  size_t lineStart = 0;
  unsigned line = 1;
};

} // namespace lang
} // namespace kiln

#endif // KILN_FRONTENDS_LANG_LEXER_H
