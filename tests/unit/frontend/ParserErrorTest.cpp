//===- ParserErrorTest.cpp - One test per Kiln syntax error message -------===//
//
// Each test asserts the complete clang-style output users see: the
// `file:line:col: error:` line, the source line, the caret and any note. The
// first test spells the output out literally to pin the format; the others
// build the same text with diag() to keep the expectations readable.
//
//===----------------------------------------------------------------------===//

#include "ParseHelpers.h"

#include <gtest/gtest.h>

using namespace kiln;
using kiln::test::parseText;

namespace {

/// One printed diagnostic: header, source line and caret.
std::string diag(unsigned line, unsigned col, const std::string &severity,
                 const std::string &message, const std::string &sourceLine) {
  return "test.kiln:" + std::to_string(line) + ":" + std::to_string(col) +
         ": " + severity + ": " + message + "\n" + sourceLine + "\n" +
         std::string(col - 1, ' ') + "^\n";
}
std::string error(unsigned line, unsigned col, const std::string &message,
                  const std::string &sourceLine) {
  return diag(line, col, "error", message, sourceLine);
}
std::string note(unsigned line, unsigned col, const std::string &message,
                 const std::string &sourceLine) {
  return diag(line, col, "note", message, sourceLine);
}
/// A note at the error's own location: MLIR does not repeat the source line.
std::string hint(unsigned line, unsigned col, const std::string &message) {
  return "test.kiln:" + std::to_string(line) + ":" + std::to_string(col) +
         ": note: " + message + "\n";
}

/// Parses `source` and checks the whole diagnostic output and error count.
void expectDiagnostics(const std::string &source, const std::string &expected,
                       unsigned numErrors = 1) {
  test::ParseOutput out = parseText(source);
  EXPECT_EQ(out.diagnostics, expected);
  EXPECT_EQ(out.numErrors, numErrors);
  ASSERT_TRUE(out.file); // The recovering entry point always returns a tree.
}

} // namespace

//===--- Statements ---------------------------------------------------------//

TEST(ParserError, MissingEqualsPinsTheFormat) {
  expectDiagnostics("model m {\n  fc1 linear(h, 256)\n}\n",
                    "test.kiln:2:7: error: expected '=' after `fc1`\n"
                    "  fc1 linear(h, 256)\n"
                    "      ^\n");
}

TEST(ParserError, MissingEqualsAtEndOfLinePointsAfterTheName) {
  expectDiagnostics("model m {\n  fc1\n  a = 1\n}\n",
                    error(2, 6, "expected '=' after `fc1`", "  fc1"));
}

TEST(ParserError, DeclarationWithoutColon) {
  expectDiagnostics(
      "model m {\n  input x f32[1]\n}\n",
      error(2, 9, "expected '=' after `input`", "  input x f32[1]") +
          note(2, 3, "a declaration is written `input x: f32[128, 784]`",
               "  input x f32[1]"));
}

TEST(ParserError, MissingExpression) {
  expectDiagnostics("model m {\n  a =\n  b = 1\n}\n",
                    error(2, 6, "expected an expression after `a =`", "  a ="));
}

TEST(ParserError, StrayToken) {
  expectDiagnostics(
      "model m {\n  a = relu(x))\n  b = 1\n}\n",
      error(2, 14,
            "expected a binding `name = ...` or a declaration, found `)`",
            "  a = relu(x))"));
}

//===--- Sections -----------------------------------------------------------//

TEST(ParserError, MissingLBrace) {
  expectDiagnostics(
      "model m\n  a = 1\n}\n",
      error(1, 8, "expected '{' after section header `model m`", "model m"));
}

TEST(ParserError, BindingOutsideSection) {
  expectDiagnostics(
      "x = 1\n",
      error(1, 3, "expected '{' after section header `x`", "x = 1") +
          note(1, 1,
               "bindings must be inside a section such as `model name { ... "
               "}`",
               "x = 1"));
}

TEST(ParserError, MissingRBraceAtEndOfFile) {
  expectDiagnostics(
      "model m {\n  a = 1\n",
      error(2, 8, "expected '}' at end of file to close section `model`",
            "  a = 1") +
          note(1, 9, "to match this '{'", "model m {"));
}

TEST(ParserError, MissingRBraceBeforeNextSection) {
  expectDiagnostics(
      "model m {\n  a = 1\ntrain {\n  epochs = 1\n}\n",
      error(2, 8,
            "expected '}' to close section `model` before section `train`",
            "  a = 1") +
          note(1, 9, "to match this '{'", "model m {"));
}

TEST(ParserError, StrayTokenAtTopLevel) {
  expectDiagnostics(
      "}\nmodel m {\n}\n",
      error(1, 1, "expected a section such as `model name {`, found `}`", "}"));
}

//===--- Declarations -------------------------------------------------------//

TEST(ParserError, MissingElementType) {
  expectDiagnostics("model m {\n  input x: [1]\n}\n",
                    error(2, 12,
                          "expected an element type such as `f32` after `x:`",
                          "  input x: [1]"));
}

TEST(ParserError, MissingShape) {
  expectDiagnostics(
      "model m {\n  input x: f32 1, 2\n}\n",
      error(2, 16, "expected '[' after element type `f32`",
            "  input x: f32 1, 2") +
          note(2, 3,
               "shapes are static and include the batch size, as in `input "
               "x: f32[128, 784]`",
               "  input x: f32 1, 2"));
}

TEST(ParserError, NegativeDimension) {
  expectDiagnostics(
      "model m {\n  input x: f32[128, -3]\n}\n",
      error(2, 21, "expected a dimension size in the shape of `x`, found `-3`",
            "  input x: f32[128, -3]") +
          hint(2, 21,
               "dimension sizes are non-negative integers such as `128`"));
}

TEST(ParserError, DimensionTooLarge) {
  expectDiagnostics("model m {\n  label y: i32[99999999999999999999]\n}\n",
                    error(2, 16,
                          "dimension size `99999999999999999999` is too large",
                          "  label y: i32[99999999999999999999]"));
}

TEST(ParserError, MissingRBracket) {
  expectDiagnostics(
      "model m {\n  input x: f32[128, 784\n  a = 1\n}\n",
      error(2, 24, "expected ']' to close the shape of `x`",
            "  input x: f32[128, 784") +
          note(2, 15, "to match this '['", "  input x: f32[128, 784"));
}

TEST(ParserError, MissingCommaBetweenDimensions) {
  expectDiagnostics(
      "model m {\n  input x: f32[28 28]\n}\n",
      error(2, 19, "expected ',' or ']' after dimension `28`, found `28`",
            "  input x: f32[28 28]"));
}

//===--- Calls --------------------------------------------------------------//

TEST(ParserError, MissingRParen) {
  expectDiagnostics("model m {\n  a = linear(x, 28\n  b = relu(a)\n}\n",
                    error(2, 19, "expected ')' to close the call to `linear`",
                          "  a = linear(x, 28") +
                        note(2, 13, "to match this '('", "  a = linear(x, 28"));
}

TEST(ParserError, MissingComma) {
  expectDiagnostics(
      "model m {\n  a = linear(x 28)\n}\n",
      error(2, 16, "expected ',' or ')' after argument of `linear`, found `28`",
            "  a = linear(x 28)"));
}

TEST(ParserError, PositionalAfterKeyword) {
  const char *line = "  fc2 = linear(a1, bias = false, 128)";
  expectDiagnostics(
      std::string("model m {\n") + line + "\n}\n",
      error(2, 34, "positional argument `128` follows keyword argument `bias`",
            line) +
          note(2, 20, "positional arguments must come before keyword arguments",
               line));
}

TEST(ParserError, DuplicateKeyword) {
  const char *line = "  optimizer = sgd(lr = 0.1, lr = 0.2)";
  expectDiagnostics(
      std::string("train {\n") + line + "\n}\n",
      error(2, 29, "duplicate keyword argument `lr` in call to `sgd`", line) +
          note(2, 19, "`lr` was first given here", line));
}

TEST(ParserError, TrailingComma) {
  expectDiagnostics(
      "model m {\n  a = f(x, )\n}\n",
      error(2, 12, "expected an expression, found `)`", "  a = f(x, )") +
          note(2, 10, "remove this trailing ','", "  a = f(x, )"));
}

//===--- Lexical errors -----------------------------------------------------//

TEST(ParserError, UnexpectedCharacter) {
  expectDiagnostics("model m {\n  a = $relu(x)\n}\n",
                    error(2, 7, "unexpected character `$`", "  a = $relu(x)"));
}

TEST(ParserError, UnexpectedCharacterHints) {
  struct Case {
    const char *line;
    unsigned col;
    const char *character;
    const char *hint;
  } cases[] = {
      {"  a = relu(x);", 14, ";",
       "statements need no separator; remove the `;`"},
      {"  a = 'x'", 7, "'", "strings use double quotes: `\"...\"`"},
      {"  a = 1 // one", 9, "/", "comments start with `#`"},
      {"  a = .5", 7, ".", "numbers need a digit before the '.', as in `0.5`"},
      {"  a = - 1", 7, "-",
       "`-` may only start a number such as `-3`; there are no operators"},
  };
  for (const Case &c : cases) {
    test::ParseOutput out =
        parseText(std::string("model m {\n") + c.line + "\n}\n");
    std::string expected =
        error(2, c.col,
              std::string("unexpected character `") + c.character + "`",
              c.line) +
        hint(2, c.col, c.hint);
    EXPECT_EQ(out.diagnostics.substr(0, expected.size()), expected) << c.line;
  }
}

TEST(ParserError, TypographicQuote) {
  // LLVM prints no caret under lines with non-ASCII bytes, so only the
  // headers are checked.
  test::ParseOutput out =
      parseText("data {\n  s = \xE2\x80\x9Cx\xE2\x80\x9D\n}\n");
  EXPECT_EQ(out.numErrors, 2u);
  for (const char *line :
       {"test.kiln:2:7: error: unexpected character `\xE2\x80\x9C`\n",
        "test.kiln:2:7: note: strings use the plain ASCII quote `\"`\n",
        "test.kiln:2:11: error: unexpected character `\xE2\x80\x9D`\n"})
    EXPECT_NE(out.diagnostics.find(line), std::string::npos) << line << "\nin\n"
                                                             << out.diagnostics;
}

TEST(ParserError, InvalidNumberSuffix) {
  expectDiagnostics("model m {\n  a = linear(x, 28x)\n}\n",
                    error(2, 17, "invalid suffix `x` on number `28`",
                          "  a = linear(x, 28x)"));
  expectDiagnostics(
      "train {\n  lr = 1e\n}\n",
      error(2, 8, "invalid suffix `e` on number `1`", "  lr = 1e") +
          hint(2, 8, "an exponent needs digits, as in `1e-4`"));
}

TEST(ParserError, UnterminatedString) {
  expectDiagnostics("data {\n  s = \"abc\n}\n",
                    error(2, 7, "unterminated string literal", "  s = \"abc") +
                        note(2, 11,
                             "add the closing `\"` before the end of the line",
                             "  s = \"abc"));
}

TEST(ParserError, UnknownEscape) {
  expectDiagnostics(
      "data {\n  s = \"a\\nb\"\n}\n",
      error(2, 9, "unknown escape sequence `\\n` in string",
            "  s = \"a\\nb\"") +
          hint(2, 9,
               "only `\\\"` and `\\\\` are escapes; write other characters "
               "directly"));
}

TEST(ParserError, IntegerTooLarge) {
  expectDiagnostics("train {\n  a = 99999999999999999999\n}\n",
                    error(2, 7,
                          "integer `99999999999999999999` does not fit in 64 "
                          "bits",
                          "  a = 99999999999999999999"));
}

TEST(ParserError, NumberOutOfRange) {
  expectDiagnostics(
      "train {\n  a = 1e999\n}\n",
      error(2, 7, "number `1e999` is out of range", "  a = 1e999"));
}

//===--- Recovery -----------------------------------------------------------//

TEST(ParserError, ThreeMistakesGiveThreeErrors) {
  const char *source = "model m {\n"
                       "  input x f32[1, 784]\n"
                       "  fc1 = linear(x 10)\n"
                       "  a1 = relu(fc1)\n"
                       "  loss = softmax_cross_entropy(fc1, y\n"
                       "}\n";
  expectDiagnostics(
      source,
      error(2, 9, "expected '=' after `input`", "  input x f32[1, 784]") +
          note(2, 3, "a declaration is written `input x: f32[128, 784]`",
               "  input x f32[1, 784]") +
          error(3, 18,
                "expected ',' or ')' after argument of `linear`, found `10`",
                "  fc1 = linear(x 10)") +
          error(5, 38,
                "expected ')' to close the call to `softmax_cross_"
                "entropy`",
                "  loss = softmax_cross_entropy(fc1, y") +
          note(5, 31, "to match this '('",
               "  loss = softmax_cross_entropy(fc1, y"),
      3);
  // The statement without errors is kept in the partial tree.
  test::ParseOutput out = parseText(source);
  EXPECT_EQ(test::printToString(*out.file), "model m {\n  a1 = relu(fc1)\n}\n");
}

TEST(ParserError, ErrorLimitStopsParsing) {
  std::string source = "model m {\n";
  for (int i = 0; i < 30; ++i)
    source += "  a b\n";
  source += "}\n";
  test::ParseOutput out = parseText(source);
  EXPECT_EQ(out.numErrors, lang::kDefaultErrorLimit + 1);
  std::string last =
      error(22, 5, "too many errors emitted, stopping now", "  a b");
  ASSERT_GE(out.diagnostics.size(), last.size());
  EXPECT_EQ(out.diagnostics.substr(out.diagnostics.size() - last.size()), last);

  // Limit 0 means unlimited.
  EXPECT_EQ(parseText(source, "test.kiln", 0).numErrors, 30u);
}
