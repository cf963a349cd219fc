//===- Lexer.cpp - Tokenizer of the Kiln model language -------------------===//
//
// Hand-written, byte-oriented lexer. Errors are recovered locally (a bad
// character run is skipped, an unterminated string ends at the end of its
// line, a malformed number keeps its valid prefix) so that one typo yields one
// diagnostic rather than a cascade in the parser.
//
//===----------------------------------------------------------------------===//

#include "frontends/lang/Lexer.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ConvertUTF.h"

using namespace kiln;
using namespace kiln::lang;

//===----------------------------------------------------------------------===//
// SyntaxDiagnostics
//===----------------------------------------------------------------------===//

SyntaxDiagnostics::SyntaxDiagnostics(mlir::MLIRContext *ctx,
                                     llvm::StringRef filename,
                                     unsigned errorLimit)
    : ctx(ctx), filename(filename.str()), errorLimit(errorLimit) {}

mlir::Location SyntaxDiagnostics::getLoc(ast::SourceLoc loc) const {
  return mlir::FileLineColLoc::get(ctx, filename, loc.line, loc.col);
}

mlir::InFlightDiagnostic SyntaxDiagnostics::error(ast::SourceLoc loc) {
  if (isStopped) {
    mlir::InFlightDiagnostic diag = mlir::emitError(getLoc(loc));
    diag.abandon();
    return diag;
  }
  ++errorCount;
  if (errorLimit == 0 || errorCount <= errorLimit)
    return mlir::emitError(getLoc(loc));
  // Report the limit instead of the error itself and drop everything after.
  isStopped = true;
  mlir::emitError(getLoc(loc)) << "too many errors emitted, stopping now";
  mlir::InFlightDiagnostic diag = mlir::emitError(getLoc(loc));
  diag.abandon();
  return diag;
}

std::string kiln::lang::spellForDiag(llvm::StringRef text) {
  constexpr size_t maxBytes = 32;
  std::string out;
  size_t i = 0;
  for (; i < text.size() && i < maxBytes;) {
    unsigned char c = text[i];
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    // Keep valid multi-byte UTF-8 (e.g. a typographic quote pasted from a
    // PDF) readable; anything else is shown as hex so messages stay clean.
    unsigned n = llvm::getNumBytesForUTF8(c);
    const auto *p = reinterpret_cast<const llvm::UTF8 *>(text.data() + i);
    if (c >= 0x80 && n > 1 && i + n <= text.size() &&
        llvm::isLegalUTF8Sequence(p, p + n)) {
      out.append(text.data() + i, n);
      i += n;
      continue;
    }
    out += "\\x";
    out += llvm::hexdigit(c >> 4);
    out += llvm::hexdigit(c & 0xf);
    ++i;
  }
  if (i < text.size())
    out += "...";
  return out;
}

std::string Token::describe() const {
  if (kind == TokenKind::Eof)
    return "end of file";
  return "`" + spellForDiag(text) + "`";
}

//===----------------------------------------------------------------------===//
// Lexer
//===----------------------------------------------------------------------===//

static bool isIdentStart(char c) { return llvm::isAlpha(c) || c == '_'; }
static bool isIdentChar(char c) { return llvm::isAlnum(c) || c == '_'; }

static TokenKind punctuationKind(char c) {
  switch (c) {
  case '{':
    return TokenKind::LBrace;
  case '}':
    return TokenKind::RBrace;
  case '(':
    return TokenKind::LParen;
  case ')':
    return TokenKind::RParen;
  case '[':
    return TokenKind::LBracket;
  case ']':
    return TokenKind::RBracket;
  case ',':
    return TokenKind::Comma;
  case ':':
    return TokenKind::Colon;
  case '=':
    return TokenKind::Equal;
  default:
    return TokenKind::Eof; // Not punctuation.
  }
}

void Lexer::skipSpaceAndComments() {
  while (pos < src.size()) {
    char c = src[pos];
    if (c == '\n') {
      ++pos;
      ++line;
      lineStart = pos;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      ++pos;
    } else if (c == '#') {
      while (pos < src.size() && src[pos] != '\n')
        ++pos;
    } else {
      return;
    }
  }
}

bool Lexer::canStartToken(size_t at) const {
  char c = src[at];
  if (isIdentStart(c) || llvm::isDigit(c) || c == '"' || c == '#' ||
      punctuationKind(c) != TokenKind::Eof)
    return true;
  return c == '-' && at + 1 < src.size() && llvm::isDigit(src[at + 1]);
}

Token Lexer::makeToken(TokenKind kind, size_t start, ast::SourceLoc loc) {
  Token tok;
  tok.kind = kind;
  tok.text = src.slice(start, pos);
  tok.loc = loc;
  return tok;
}

Token Lexer::lex() {
  while (!diags.stopped()) {
    skipSpaceAndComments();
    size_t start = pos;
    ast::SourceLoc loc = here();
    if (pos >= src.size())
      return makeToken(TokenKind::Eof, start, loc);
    char c = src[pos];
    if (isIdentStart(c))
      return lexIdent(start, loc);
    if (c == '"')
      return lexString(start, loc);
    if (llvm::isDigit(c) || c == '-') {
      if (canStartToken(pos))
        return lexNumber(start, loc);
    } else if (TokenKind kind = punctuationKind(c); kind != TokenKind::Eof) {
      ++pos;
      return makeToken(kind, start, loc);
    }
    skipInvalidRun(start, loc);
  }
  return makeToken(TokenKind::Eof, pos, here());
}

Token Lexer::lexIdent(size_t start, ast::SourceLoc loc) {
  while (pos < src.size() && isIdentChar(src[pos]))
    ++pos;
  return makeToken(TokenKind::Ident, start, loc);
}

Token Lexer::lexNumber(size_t start, ast::SourceLoc loc) {
  auto digitAt = [&](size_t at) {
    return at < src.size() && llvm::isDigit(src[at]);
  };
  if (src[pos] == '-')
    ++pos;
  while (digitAt(pos))
    ++pos;
  bool isInteger = true;
  if (pos < src.size() && src[pos] == '.' && digitAt(pos + 1)) {
    isInteger = false;
    for (++pos; digitAt(pos);)
      ++pos;
  }
  if (pos < src.size() && (src[pos] == 'e' || src[pos] == 'E')) {
    size_t digits = pos + 1;
    if (digits < src.size() && (src[digits] == '+' || src[digits] == '-'))
      ++digits;
    if (digitAt(digits)) {
      isInteger = false;
      for (pos = digits; digitAt(pos);)
        ++pos;
    }
  }
  Token tok = makeToken(TokenKind::Number, start, loc);
  tok.isInteger = isInteger;

  // `28x`, `1e`, `1.` and `1.2.3` are single typos; swallow the suffix and
  // keep the valid prefix so the parser does not report a second error.
  size_t suffixStart = pos;
  while (pos < src.size() && (isIdentChar(src[pos]) || src[pos] == '.'))
    ++pos;
  if (pos != suffixStart) {
    llvm::StringRef suffix = src.slice(suffixStart, pos);
    auto diag = diags.error(loc) << "invalid suffix `" << spellForDiag(suffix)
                                 << "` on number " << tok.describe();
    if (suffix[0] == 'e' || suffix[0] == 'E')
      diag.attachNote(diags.getLoc(loc))
          << "an exponent needs digits, as in `1e-4`";
    else if (suffix[0] == '.')
      diag.attachNote(diags.getLoc(loc))
          << "a fraction needs digits after '.', as in `1.0`";
  }
  return tok;
}

Token Lexer::lexString(size_t start, ast::SourceLoc loc) {
  std::string value;
  ++pos; // Opening quote.
  while (true) {
    if (pos >= src.size() || src[pos] == '\n') {
      // Strings never span lines: ending the token here lets the next line
      // lex normally instead of being swallowed into the string.
      auto diag = diags.error(loc) << "unterminated string literal";
      diag.attachNote(diags.getLoc(here()))
          << "add the closing `\"` before the end of the line";
      break;
    }
    char c = src[pos];
    if (c == '"') {
      ++pos;
      break;
    }
    if (c == '\\' && pos + 1 < src.size() && src[pos + 1] != '\n') {
      char escaped = src[pos + 1];
      if (escaped != '"' && escaped != '\\') {
        auto diag = diags.error(here())
                    << "unknown escape sequence `\\"
                    << spellForDiag(src.substr(pos + 1, 1)) << "` in string";
        diag.attachNote(diags.getLoc(here()))
            << "only `\\\"` and `\\\\` are escapes; write other characters "
               "directly";
      }
      value += escaped;
      pos += 2;
      continue;
    }
    value += c;
    ++pos;
  }
  Token tok = makeToken(TokenKind::String, start, loc);
  tok.stringValue = std::move(value);
  return tok;
}

void Lexer::skipInvalidRun(size_t start, ast::SourceLoc loc) {
  // Report only the first character of a run of junk: pasted binary data
  // should produce one error, not one per byte.
  while (pos < src.size() && !llvm::isSpace(src[pos]) &&
         (pos == start || !canStartToken(pos)))
    ++pos;
  unsigned char first = src[start];
  unsigned width = 1;
  const auto *p = reinterpret_cast<const llvm::UTF8 *>(src.data() + start);
  unsigned n = llvm::getNumBytesForUTF8(first);
  if (first >= 0x80 && n > 1 && start + n <= src.size() &&
      llvm::isLegalUTF8Sequence(p, p + n))
    width = n;
  llvm::StringRef ch = src.substr(start, width);
  auto diag = diags.error(loc)
              << "unexpected character `" << spellForDiag(ch) << "`";

  // Hints for the mistakes people make when coming from other languages.
  llvm::StringRef next = src.substr(start + 1, 1);
  llvm::StringRef hint;
  if (ch == ";")
    hint = "statements need no separator; remove the `;`";
  else if (ch == "'")
    hint = "strings use double quotes: `\"...\"`";
  else if (ch == "/" && next == "/")
    hint = "comments start with `#`";
  else if (ch == "." && !next.empty() && llvm::isDigit(next[0]))
    hint = "numbers need a digit before the '.', as in `0.5`";
  else if (ch == "-")
    hint = "`-` may only start a number such as `-3`; there are no operators";
  else if (ch == "\xE2\x80\x9C" || ch == "\xE2\x80\x9D")
    hint = "strings use the plain ASCII quote `\"`";
  if (!hint.empty())
    diag.attachNote(diags.getLoc(loc)) << hint;
}
