//===- Parser.cpp - Recursive-descent parser of the Kiln language ---------===//
//
// Builds the AST of AST.h from the token stream of Lexer.h. The grammar is
// deliberately generic (sections of bindings whose values are calls with
// positional and keyword arguments) so that new layers and training options
// need no parser change.
//
// Error recovery: a statement with an error is dropped and the parser skips to
// the first identifier on a later line (or to the section's '}'), which is
// where the next statement almost always starts since statements are written
// one per line. A section header inside a section is taken as a missing '}'.
// Every loop consumes a token or exits, so any input terminates.
//
//===----------------------------------------------------------------------===//

#include "frontends/lang/Parser.h"
#include "frontends/lang/ParserImpl.h"

#include "mlir/IR/MLIRContext.h"

using namespace kiln;
using namespace kiln::lang;
using ast::SourceLoc;
using kiln::lang::detail::Parser;

std::unique_ptr<ast::File> Parser::parseFile(llvm::StringRef filename) {
  auto file = std::make_unique<ast::File>();
  file->filename = filename.str();
  while (!diags.stopped() && !at(TokenKind::Eof)) {
    if (at(TokenKind::Ident)) {
      file->sections.push_back(parseSection());
      continue;
    }
    diags.error(peek().loc)
        << "expected a section such as `model name {`, found "
        << peek().describe();
    consume();
    while (!diags.stopped() && !at(TokenKind::Eof) && !looksLikeSectionStart())
      consume();
  }
  return file;
}

ast::Section Parser::parseSection() {
  ast::Section section;
  Token kind = consume();
  section.kind = kind.text.str();
  section.kindLoc = kind.loc;
  if (at(TokenKind::Ident)) {
    Token name = consume();
    section.name = name.text.str();
    section.nameLoc = name.loc;
  }
  if (at(TokenKind::LBrace)) {
    section.lbraceLoc = consume().loc;
    parseSectionBody(section, /*hasLBrace=*/true);
    return section;
  }
  std::string header = section.kind;
  if (section.hasName())
    header += " " + section.name;
  auto diag = diags.error(expectedLoc())
              << "expected '{' after section header `" << spellForDiag(header)
              << "`";
  if (at(TokenKind::Equal))
    diag.attachNote(loc(kind.loc))
        << "bindings must be inside a section such as `model name { ... }`";
  diag.report();
  // Parse the body anyway: a forgotten '{' should not hide the errors in the
  // statements that follow it.
  if (!onNewLine())
    skipToNextLine();
  parseSectionBody(section, /*hasLBrace=*/false);
  return section;
}

void Parser::parseSectionBody(ast::Section &section, bool hasLBrace) {
  while (!diags.stopped()) {
    if (at(TokenKind::RBrace)) {
      section.rbraceLoc = consume().loc;
      return;
    }
    bool atEof = at(TokenKind::Eof);
    if (atEof || looksLikeSectionStart()) {
      // Without a '{' the missing one was already reported.
      if (!hasLBrace)
        return;
      auto diag = diags.error(expectedLoc());
      diag << "expected '}' ";
      if (atEof)
        diag << "at end of file ";
      diag << "to close section `" << spellForDiag(section.kind) << "`";
      if (!atEof)
        diag << " before section `" << spellForDiag(peek().text) << "`";
      diag.attachNote(loc(section.lbraceLoc)) << "to match this '{'";
      return;
    }
    size_t consumedBefore = numConsumed;
    unsigned errorsBefore = diags.numErrors();
    std::unique_ptr<ast::Stmt> stmt = parseStmt();
    if (stmt) {
      // Statements with non-structural errors (duplicate keyword, ...) parse
      // to the end but are left out of the partial tree.
      if (diags.numErrors() == errorsBefore)
        section.stmts.push_back(std::move(stmt));
      continue;
    }
    if (numConsumed == consumedBefore)
      consume(); // Always make progress past the offending token.
    skipToNextLine();
  }
}

std::unique_ptr<ast::Stmt> Parser::parseStmt() {
  const Token &tok = peek();
  if (!tok.is(TokenKind::Ident)) {
    diags.error(tok.loc)
        << "expected a binding `name = ...` or a declaration, found "
        << tok.describe();
    return nullptr;
  }
  // `input` and `label` are keywords only in this exact position, so they
  // stay usable as ordinary names elsewhere.
  if ((tok.text == "input" || tok.text == "label") && at(TokenKind::Ident, 1) &&
      at(TokenKind::Colon, 2))
    return parseDecl();
  return parseBinding();
}

std::unique_ptr<ast::Stmt> Parser::parseDecl() {
  Token keyword = consume();
  Token name = consume();
  consume(); // ':'
  auto decl = std::make_unique<ast::DeclStmt>(keyword.loc);
  decl->isLabel = keyword.text == "label";
  decl->name = name.text.str();
  decl->nameLoc = name.loc;
  std::string what = "`" + spellForDiag(name.text) + "`";

  if (!at(TokenKind::Ident)) {
    diags.error(expectedLoc())
        << "expected an element type such as `f32` after `"
        << spellForDiag(name.text) << ":`";
    return nullptr;
  }
  Token dtype = consume();
  decl->dtype = dtype.text.str();
  decl->dtypeLoc = dtype.loc;
  if (!at(TokenKind::LBracket)) {
    auto diag = diags.error(expectedLoc())
                << "expected '[' after element type " << dtype.describe();
    diag.attachNote(loc(keyword.loc))
        << "shapes are static and include the batch size, as in `"
        << keyword.text << " x: f32[128, 784]`";
    return nullptr;
  }
  Token lbracket = consume();
  while (true) {
    const Token &tok = peek();
    int64_t value = 0;
    if (!tok.is(TokenKind::Number) || !tok.isInteger ||
        tok.text.starts_with("-")) {
      auto diag = diags.error(onNewLine() ? expectedLoc() : tok.loc)
                  << "expected a dimension size in the shape of " << what
                  << ", found " << tok.describe();
      if (tok.is(TokenKind::Number))
        diag.attachNote(loc(tok.loc))
            << "dimension sizes are non-negative integers such as `128`";
      return nullptr;
    }
    if (tok.text.getAsInteger(10, value)) {
      diags.error(tok.loc) << "dimension size " << tok.describe()
                           << " is too large";
      return nullptr;
    }
    decl->dims.push_back({value, consume().loc});
    if (at(TokenKind::Comma)) {
      consume();
      continue;
    }
    if (at(TokenKind::RBracket)) {
      consume();
      return decl;
    }
    if (onNewLine() || at(TokenKind::RBrace)) {
      auto diag = diags.error(expectedLoc())
                  << "expected ']' to close the shape of " << what;
      diag.attachNote(loc(lbracket.loc)) << "to match this '['";
    } else {
      diags.error(peek().loc)
          << "expected ',' or ']' after dimension " << prev.describe()
          << ", found " << peek().describe();
    }
    return nullptr;
  }
}

std::unique_ptr<ast::Stmt> Parser::parseBinding() {
  Token name = consume();
  auto binding = std::make_unique<ast::BindingStmt>(name.loc);
  binding->name = name.text.str();
  if (!at(TokenKind::Equal)) {
    auto diag = diags.error(expectedLoc())
                << "expected '=' after `" << spellForDiag(name.text) << "`";
    if ((name.text == "input" || name.text == "label") &&
        at(TokenKind::Ident) && !onNewLine())
      diag.attachNote(loc(name.loc))
          << "a declaration is written `" << name.text << " x: f32[128, 784]`";
    return nullptr;
  }
  consume();
  // `fc1 =` followed by the next statement: report the missing value here
  // rather than misreading the next line's name as the value.
  if (onNewLine() && (at(TokenKind::Eof) || at(TokenKind::RBrace) ||
                      (at(TokenKind::Ident) && at(TokenKind::Equal, 1)))) {
    diags.error(expectedLoc())
        << "expected an expression after `" << spellForDiag(name.text) << " =`";
    return nullptr;
  }
  binding->value = parseExpr(0);
  if (!binding->value)
    return nullptr;
  return binding;
}

//===----------------------------------------------------------------------===//
// Entry points
//===----------------------------------------------------------------------===//

std::unique_ptr<ast::File> kiln::lang::parseFileWithRecovery(
    llvm::StringRef filename, llvm::StringRef source, mlir::MLIRContext *ctx,
    unsigned &numErrors, unsigned errorLimit) {
  Parser parser(filename, source, ctx, errorLimit);
  std::unique_ptr<ast::File> file = parser.parseFile(filename);
  numErrors = parser.numErrors();
  return file;
}

std::unique_ptr<ast::File> kiln::lang::parseFile(llvm::StringRef filename,
                                                 llvm::StringRef source,
                                                 mlir::MLIRContext *ctx) {
  unsigned numErrors = 0;
  std::unique_ptr<ast::File> file =
      parseFileWithRecovery(filename, source, ctx, numErrors);
  if (numErrors != 0)
    return nullptr;
  return file;
}

mlir::FileLineColLoc kiln::lang::toMLIRLoc(mlir::MLIRContext *ctx,
                                           const ast::File &file,
                                           SourceLoc loc) {
  return mlir::FileLineColLoc::get(ctx, file.filename, loc.line, loc.col);
}
