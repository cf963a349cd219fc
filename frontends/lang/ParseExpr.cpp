//===- ParseExpr.cpp - Expressions and calls of the Kiln language ---------===//
//
// The expression half of the recursive-descent parser (see ParserImpl.h):
// literals, names and calls with positional and keyword arguments. Argument
// order and duplicate keywords are checked here because they are purely
// syntactic; whether a callee or keyword exists is MLIRGen's business.
//
//===----------------------------------------------------------------------===//

#include "frontends/lang/ParserImpl.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

using namespace kiln;
using namespace kiln::lang;
using kiln::lang::detail::Parser;

std::unique_ptr<ast::Expr> Parser::parseExpr(unsigned depth) {
  const Token &tok = peek();
  switch (tok.kind) {
  case TokenKind::Number:
    return parseNumber();
  case TokenKind::String: {
    Token str = consume();
    auto expr = std::make_unique<ast::StringExpr>(str.loc);
    expr->value = std::move(str.stringValue);
    return expr;
  }
  case TokenKind::Ident: {
    Token ident = consume();
    if (ident.text == "true" || ident.text == "false") {
      auto expr = std::make_unique<ast::BoolExpr>(ident.loc);
      expr->value = ident.text == "true";
      return expr;
    }
    if (at(TokenKind::LParen)) {
      if (depth >= kMaxCallDepth) {
        diags.error(ident.loc) << "calls are nested too deeply (more than "
                               << kMaxCallDepth << " levels)";
        return nullptr;
      }
      return parseCall(ident, depth);
    }
    auto expr = std::make_unique<ast::IdentExpr>(ident.loc);
    expr->name = ident.text.str();
    return expr;
  }
  default:
    break;
  }
  bool newLine = onNewLine();
  auto diag = diags.error(expectedLoc()) << "expected an expression";
  if (newLine)
    diag << " after " << prev.describe();
  else
    diag << ", found " << tok.describe();
  if (!newLine && tok.is(TokenKind::RParen) && prev.is(TokenKind::Comma))
    diag.attachNote(loc(prev.loc)) << "remove this trailing ','";
  return nullptr;
}

std::unique_ptr<ast::Expr> Parser::parseNumber() {
  Token num = consume();
  auto expr = std::make_unique<ast::NumberExpr>(num.loc);
  expr->text = num.text.str();
  expr->isInteger = num.isInteger;
  if (num.isInteger) {
    int64_t value = 0;
    if (num.text.getAsInteger(10, value))
      diags.error(num.loc) << "integer " << num.describe()
                           << " does not fit in 64 bits";
    expr->value = static_cast<double>(value);
    return expr;
  }
  // APFloat rather than strtod: the result must not depend on the C locale.
  llvm::APFloat value(llvm::APFloat::IEEEdouble());
  auto status =
      value.convertFromString(num.text, llvm::APFloat::rmNearestTiesToEven);
  if (!status) {
    llvm::consumeError(status.takeError());
    diags.error(num.loc) << "invalid number " << num.describe();
  } else if (*status & llvm::APFloat::opOverflow) {
    diags.error(num.loc) << "number " << num.describe() << " is out of range";
  }
  expr->value = value.convertToDouble();
  return expr;
}

std::unique_ptr<ast::Expr> Parser::parseCall(const Token &callee,
                                             unsigned depth) {
  auto call = std::make_unique<ast::CallExpr>(callee.loc);
  call->callee = callee.text.str();
  std::string what = "`" + spellForDiag(callee.text) + "`";
  Token lparen = consume();
  call->lparenLoc = lparen.loc;
  if (at(TokenKind::RParen)) {
    call->rparenLoc = consume().loc;
    return call;
  }
  while (true) {
    if (at(TokenKind::Ident) && at(TokenKind::Equal, 1)) {
      Token name = consume();
      consume(); // '='
      std::unique_ptr<ast::Expr> value = parseExpr(depth + 1);
      if (!value)
        return nullptr;
      if (const ast::KeywordArg *first = call->findKeyword(name.text)) {
        auto diag = diags.error(name.loc)
                    << "duplicate keyword argument " << name.describe()
                    << " in call to " << what;
        diag.attachNote(loc(first->nameLoc))
            << name.describe() << " was first given here";
      }
      call->kwargs.push_back({name.text.str(), name.loc, std::move(value)});
    } else {
      std::unique_ptr<ast::Expr> value = parseExpr(depth + 1);
      if (!value)
        return nullptr;
      if (!call->kwargs.empty()) {
        const ast::KeywordArg &last = call->kwargs.back();
        std::string text;
        llvm::raw_string_ostream os(text);
        ast::print(*value, os);
        auto diag = diags.error(value->loc)
                    << "positional argument `" << spellForDiag(os.str())
                    << "` follows keyword argument `" << last.name << "`";
        diag.attachNote(loc(last.nameLoc))
            << "positional arguments must come before keyword arguments";
      }
      call->args.push_back(std::move(value));
    }
    if (at(TokenKind::Comma)) {
      consume();
      continue;
    }
    if (at(TokenKind::RParen)) {
      call->rparenLoc = consume().loc;
      return call;
    }
    if (onNewLine() || at(TokenKind::RBrace)) {
      auto diag = diags.error(expectedLoc())
                  << "expected ')' to close the call to " << what;
      diag.attachNote(loc(lparen.loc)) << "to match this '('";
    } else {
      diags.error(peek().loc) << "expected ',' or ')' after argument of "
                              << what << ", found " << peek().describe();
    }
    return nullptr;
  }
}
