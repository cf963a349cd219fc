//===- ParserImpl.h - Internal parser class of Kiln -------------*- C++ -*-===//
//
// Private to frontends/lang: the recursive-descent parser is split over
// Parser.cpp (sections, statements, declarations, entry points) and
// ParseExpr.cpp (expressions and calls) to keep files small, so its class
// lives here. Use Parser.h from outside.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_FRONTENDS_LANG_PARSERIMPL_H
#define KILN_FRONTENDS_LANG_PARSERIMPL_H

#include "frontends/lang/AST.h"
#include "frontends/lang/Lexer.h"

#include <deque>
#include <memory>

namespace kiln {
namespace lang {
namespace detail {

/// Bounds recursion so that `f(f(f(...` from a fuzzer cannot blow the stack.
constexpr unsigned kMaxCallDepth = 256;

/// Recursive-descent parser over a Lexer with unbounded lookahead (the grammar
/// needs at most three tokens). Reports through SyntaxDiagnostics.
class Parser {
public:
  Parser(llvm::StringRef filename, llvm::StringRef source,
         mlir::MLIRContext *ctx, unsigned errorLimit)
      : diags(ctx, filename, errorLimit), lexer(source, diags) {}

  std::unique_ptr<ast::File> parseFile(llvm::StringRef filename);
  unsigned numErrors() const { return diags.numErrors(); }

private:
  //===--- Token stream ---------------------------------------------------===//

  const Token &peek(unsigned n = 0) {
    while (ahead.size() <= n)
      ahead.push_back(lexer.lex());
    return ahead[n];
  }
  bool at(TokenKind kind, unsigned n = 0) { return peek(n).is(kind); }
  Token consume() {
    peek();
    prev = std::move(ahead.front());
    ahead.pop_front();
    hasPrev = true;
    ++numConsumed;
    return prev;
  }
  /// True if the next token does not continue the current line, which is
  /// where a missing closing token or operand most likely belongs.
  bool onNewLine() {
    return at(TokenKind::Eof) || (hasPrev && peek().loc.line != prev.loc.line);
  }
  /// Where to report a missing token: at the offending token when it is on the
  /// same line, else right after the previous token (like clang's "expected
  /// ';' after expression").
  ast::SourceLoc expectedLoc() {
    if (hasPrev && onNewLine())
      return prev.endLoc();
    return peek().loc;
  }
  mlir::Location loc(ast::SourceLoc l) const { return diags.getLoc(l); }
  bool looksLikeSectionStart() {
    return at(TokenKind::Ident) &&
           (at(TokenKind::LBrace, 1) ||
            (at(TokenKind::Ident, 1) && at(TokenKind::LBrace, 2)));
  }
  /// Skips to the first identifier on a later line than the last consumed
  /// token, or to a '}' / end of file.
  void skipToNextLine() {
    unsigned line = hasPrev ? prev.loc.line : 0;
    while (!diags.stopped()) {
      const Token &tok = peek();
      if (tok.is(TokenKind::Eof) || tok.is(TokenKind::RBrace) ||
          (tok.is(TokenKind::Ident) && tok.loc.line > line))
        return;
      consume();
    }
  }

  //===--- Grammar --------------------------------------------------------===//

  ast::Section parseSection();
  void parseSectionBody(ast::Section &section, bool hasLBrace);
  std::unique_ptr<ast::Stmt> parseStmt();
  std::unique_ptr<ast::Stmt> parseDecl();
  std::unique_ptr<ast::Stmt> parseBinding();
  std::unique_ptr<ast::Expr> parseExpr(unsigned depth);
  std::unique_ptr<ast::Expr> parseNumber();
  std::unique_ptr<ast::Expr> parseCall(const Token &callee, unsigned depth);

  SyntaxDiagnostics diags;
  Lexer lexer;
  std::deque<Token> ahead;
  Token prev;
  bool hasPrev = false;
  size_t numConsumed = 0;
};

} // namespace detail
} // namespace lang
} // namespace kiln

#endif // KILN_FRONTENDS_LANG_PARSERIMPL_H
