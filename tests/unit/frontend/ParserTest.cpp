//===- ParserTest.cpp - Parsing valid Kiln files and robustness -----------===//
//
// Checks the tree built for valid input (through the located dump, so every
// source location is covered), lexical details (numbers, strings, comments,
// contextual keywords) and that arbitrary bytes always terminate. Error
// messages are tested one by one in ParserErrorTest.cpp.
//
//===----------------------------------------------------------------------===//

#include "ParseHelpers.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/Casting.h"

#include <gtest/gtest.h>

#include <random>

using namespace kiln;
using kiln::test::dumpToString;
using kiln::test::parseText;
using kiln::test::printToString;

namespace {

// The v0 example of docs/language.md.
const char *const kFashionMlp = R"(# Fashion-MNIST MLP: 784-256-128-10 with ReLU
model fashion_mlp {
  input x: f32[128, 1, 28, 28]
  label y: i32[128]

  h    = flatten(x)
  fc1  = linear(h, 256)
  a1   = relu(fc1)
  fc2  = linear(a1, 128, bias = false)
  a2   = relu(fc2)
  fc3  = linear(a2, 10)
  loss = softmax_cross_entropy(fc3, y)
}

train {
  optimizer = sgd(lr = 0.05, momentum = 0.9)
  epochs = 5
  seed = 0
}

data {
  dataset = fashion_mnist
  normalize = standardize(mean = 0.2860, std = 0.3530)
}
)";

} // namespace

TEST(Parser, FashionMlpDump) {
  test::ParseOutput out = parseText(kFashionMlp, "fashion.kiln");
  ASSERT_EQ(out.numErrors, 0u) << out.diagnostics;
  EXPECT_EQ(out.diagnostics, "");
  EXPECT_EQ(dumpToString(*out.file),
            R"(# file: fashion.kiln
model@2:1 fashion_mlp@2:7 {@2:19
  input@3:3 x@3:9: f32@3:12[128@3:16, 1@3:21, 28@3:24, 28@3:28]
  label@4:3 y@4:9: i32@4:12[128@4:16]
  h@6:3 = flatten@6:10(x@6:18)
  fc1@7:3 = linear@7:10(h@7:17, 256@7:20)
  a1@8:3 = relu@8:10(fc1@8:15)
  fc2@9:3 = linear@9:10(a1@9:17, 128@9:21, bias@9:26 = false@9:33)
  a2@10:3 = relu@10:10(fc2@10:15)
  fc3@11:3 = linear@11:10(a2@11:17, 10@11:21)
  loss@12:3 = softmax_cross_entropy@12:10(fc3@12:32, y@12:37)
}@13:1

train@15:1 {@15:7
  optimizer@16:3 = sgd@16:15(lr@16:19 = 0.05@16:24, momentum@16:30 = 0.9@16:41)
  epochs@17:3 = 5@17:12
  seed@18:3 = 0@18:10
}@19:1

data@21:1 {@21:6
  dataset@22:3 = fashion_mnist@22:13
  normalize@23:3 = standardize@23:15(mean@23:27 = 0.2860@23:34, std@23:42 = 0.3530@23:48)
}@24:1
)");
}

TEST(Parser, FashionMlpStructure) {
  mlir::MLIRContext ctx(mlir::MLIRContext::Threading::DISABLED);
  std::unique_ptr<ast::File> file =
      lang::parseFile("fashion.kiln", kFashionMlp, &ctx);
  ASSERT_TRUE(file);
  EXPECT_EQ(file->filename, "fashion.kiln");
  ASSERT_EQ(file->sections.size(), 3u);

  const ast::Section *model = file->findSection("model");
  ASSERT_TRUE(model);
  EXPECT_EQ(model->name, "fashion_mlp");
  EXPECT_TRUE(model->hasName());
  EXPECT_FALSE(file->findSection("train")->hasName());
  EXPECT_EQ(file->findSection("missing"), nullptr);
  ASSERT_EQ(model->stmts.size(), 9u);

  const auto *label = llvm::dyn_cast<ast::DeclStmt>(model->stmts[1].get());
  ASSERT_TRUE(label);
  EXPECT_TRUE(label->isLabel);
  EXPECT_EQ(label->dtype, "i32");
  ASSERT_EQ(label->dims.size(), 1u);
  EXPECT_EQ(label->dims[0].value, 128);

  const auto *fc2 = llvm::dyn_cast<ast::BindingStmt>(model->stmts[5].get());
  ASSERT_TRUE(fc2);
  EXPECT_EQ(fc2->name, "fc2");
  const auto *call = llvm::dyn_cast<ast::CallExpr>(fc2->value.get());
  ASSERT_TRUE(call);
  EXPECT_EQ(call->callee, "linear");
  EXPECT_EQ(call->args.size(), 2u);
  EXPECT_TRUE(llvm::isa<ast::IdentExpr>(call->args[0].get()));
  EXPECT_EQ(call->lparenLoc.col, 16u);
  EXPECT_EQ(call->rparenLoc.col, 38u);
  const ast::KeywordArg *bias = call->findKeyword("bias");
  ASSERT_TRUE(bias);
  EXPECT_FALSE(llvm::cast<ast::BoolExpr>(bias->value.get())->value);
  EXPECT_EQ(call->findKeyword("weight"), nullptr);

  mlir::FileLineColLoc loc = lang::toMLIRLoc(&ctx, *file, fc2->nameLoc);
  EXPECT_EQ(loc.getFilename().getValue(), "fashion.kiln");
  EXPECT_EQ(loc.getLine(), 9u);
  EXPECT_EQ(loc.getColumn(), 3u);
}

TEST(Parser, PrintRoundTrips) {
  test::ParseOutput first = parseText(kFashionMlp);
  ASSERT_EQ(first.numErrors, 0u);
  std::string printed = printToString(*first.file);
  EXPECT_EQ(
      printed.rfind("model fashion_mlp {\n  input x: f32[128, 1, 28, 28]\n", 0),
      0u);
  test::ParseOutput second = parseText(printed);
  ASSERT_EQ(second.numErrors, 0u) << second.diagnostics;
  EXPECT_EQ(printToString(*second.file), printed);
}

TEST(Parser, Numbers) {
  test::ParseOutput out = parseText(
      "s { a = f(-3, 1e-4, 0.05, 1E+3, 0, -0.5e2, 9223372036854775807) }");
  ASSERT_EQ(out.numErrors, 0u) << out.diagnostics;
  const auto &binding =
      llvm::cast<ast::BindingStmt>(*out.file->sections[0].stmts[0]);
  const auto &call = llvm::cast<ast::CallExpr>(*binding.value);
  struct Expected {
    const char *text;
    double value;
    bool isInteger;
  } expected[] = {{"-3", -3, true},
                  {"1e-4", 1e-4, false},
                  {"0.05", 0.05, false},
                  {"1E+3", 1000, false},
                  {"0", 0, true},
                  {"-0.5e2", -50, false},
                  {"9223372036854775807", 9223372036854775807.0, true}};
  ASSERT_EQ(call.args.size(), std::size(expected));
  for (size_t i = 0; i < std::size(expected); ++i) {
    const auto *num = llvm::dyn_cast<ast::NumberExpr>(call.args[i].get());
    ASSERT_TRUE(num) << i;
    EXPECT_EQ(num->text, expected[i].text);
    EXPECT_EQ(num->value, expected[i].value) << num->text;
    EXPECT_EQ(num->isInteger, expected[i].isInteger) << num->text;
  }
}

TEST(Parser, StringEscapes) {
  test::ParseOutput out =
      parseText(R"(s { a = "plain" b = "q\"uote" c = "back\\slash" d = "" })");
  ASSERT_EQ(out.numErrors, 0u) << out.diagnostics;
  const char *values[] = {"plain", "q\"uote", "back\\slash", ""};
  const ast::Section &s = out.file->sections[0];
  ASSERT_EQ(s.stmts.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    const auto &binding = llvm::cast<ast::BindingStmt>(*s.stmts[i]);
    EXPECT_EQ(llvm::cast<ast::StringExpr>(*binding.value).value, values[i]);
  }
  EXPECT_EQ(printToString(*out.file),
            "s {\n  a = \"plain\"\n  b = \"q\\\"uote\"\n"
            "  c = \"back\\\\slash\"\n  d = \"\"\n}\n");
}

TEST(Parser, EmptyAndCommentOnlyFiles) {
  for (const char *text : {"", "   \n\t\r\n", "# only a comment", "#\n#\n"}) {
    test::ParseOutput out = parseText(text);
    EXPECT_EQ(out.numErrors, 0u) << out.diagnostics;
    ASSERT_TRUE(out.file);
    EXPECT_TRUE(out.file->sections.empty());
  }
}

TEST(Parser, NewlinesAreNotSignificant) {
  test::ParseOutput out =
      parseText("model m { input x: f32[2, 3] h = linear(x,\n 4,\n bias =\n"
                " false) } train{epochs=1}#done");
  ASSERT_EQ(out.numErrors, 0u) << out.diagnostics;
  EXPECT_EQ(printToString(*out.file),
            "model m {\n  input x: f32[2, 3]\n"
            "  h = linear(x, 4, bias = false)\n}\n\ntrain {\n"
            "  epochs = 1\n}\n");
}

TEST(Parser, InputAndLabelAreContextualKeywords) {
  test::ParseOutput out =
      parseText("model { input = relu(label) label = f(input = 1, label = "
                "true)\n input input: f32[1] label label: i32[1] }");
  ASSERT_EQ(out.numErrors, 0u) << out.diagnostics;
  EXPECT_EQ(printToString(*out.file),
            "model {\n  input = relu(label)\n"
            "  label = f(input = 1, label = true)\n"
            "  input input: f32[1]\n  label label: i32[1]\n}\n");
}

TEST(Parser, CallsAndValues) {
  test::ParseOutput out = parseText(
      "s {\n a = f()\n b = g(h(i(x)), k = j(), s = \"t\")\n c = true\n}");
  ASSERT_EQ(out.numErrors, 0u) << out.diagnostics;
  EXPECT_EQ(dumpToString(*out.file),
            "# file: test.kiln\ns@1:1 {@1:3\n  a@2:2 = f@2:6()\n"
            "  b@3:2 = g@3:6(h@3:8(i@3:10(x@3:12)), k@3:17 = j@3:21(), "
            "s@3:26 = \"t\"@3:30)\n  c@4:2 = true@4:6\n}@5:1\n");
}

TEST(Parser, ParseFileReturnsNullOnError) {
  mlir::MLIRContext ctx(mlir::MLIRContext::Threading::DISABLED);
  // Without a handler MLIR prints errors to stderr; collect them instead.
  unsigned seen = 0;
  mlir::ScopedDiagnosticHandler handler(&ctx, [&](mlir::Diagnostic &) {
    ++seen;
    return mlir::success();
  });
  EXPECT_EQ(lang::parseFile("t.kiln", "model { x = }", &ctx), nullptr);
  EXPECT_EQ(seen, 1u);
  EXPECT_NE(lang::parseFile("t.kiln", "model { x = 1 }", &ctx), nullptr);
}

//===----------------------------------------------------------------------===//
// Robustness: any byte string must terminate, with bounded output.
//===----------------------------------------------------------------------===//

TEST(ParserRobustness, GarbageBytesTerminateWithErrors) {
  std::mt19937 rng(1234);
  for (int round = 0; round < 200; ++round) {
    std::string bytes(1 + rng() % 2000, '\0');
    for (char &c : bytes)
      c = static_cast<char>(rng() % 256);
    bytes[0] = '\x01'; // Guarantees at least one error.
    test::ParseOutput out = parseText(bytes);
    EXPECT_GT(out.numErrors, 0u);
    EXPECT_LE(out.numErrors, lang::kDefaultErrorLimit + 1);
    ASSERT_TRUE(out.file);
  }
}

TEST(ParserRobustness, TokenSoupTerminates) {
  // Random sequences of real tokens reach far deeper into the parser than
  // random bytes do.
  const char *pieces[] = {"model", "m",  "{",     "}",     "(", ")",    "[",
                          "]",     ",",  ":",     "=",     "1", "-2.5", "\"s",
                          "\"t\"", "\n", "input", "label", "x", "f32",  "true",
                          "#c\n",  " ",  "1e",    "\\",    "$"};
  std::mt19937 rng(42);
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    for (unsigned n = rng() % 60; n > 0; --n)
      text += pieces[rng() % std::size(pieces)];
    test::ParseOutput out = parseText(text);
    ASSERT_TRUE(out.file) << text;
    EXPECT_LE(out.numErrors, lang::kDefaultErrorLimit + 1) << text;
    // Without errors the tree must print back to equivalent source.
    if (out.numErrors == 0) {
      test::ParseOutput again = parseText(printToString(*out.file));
      EXPECT_EQ(again.numErrors, 0u) << text;
    }
  }
}

TEST(ParserRobustness, MutatedExampleTerminates) {
  std::string base = kFashionMlp;
  std::mt19937 rng(7);
  for (int round = 0; round < 1000; ++round) {
    std::string text = base;
    for (unsigned n = 1 + rng() % 4; n > 0; --n) {
      size_t at = rng() % text.size();
      if (rng() % 2)
        text.erase(at, 1 + rng() % 3);
      else
        text.insert(at, 1, "{}()[],:=\"#x1-\n"[rng() % 15]);
    }
    test::ParseOutput out = parseText(text);
    ASSERT_TRUE(out.file) << text;
  }
}

TEST(ParserRobustness, DeepNestingIsAnErrorNotACrash) {
  std::string text = "s { a = ";
  for (int i = 0; i < 100000; ++i)
    text += "f(";
  test::ParseOutput out = parseText(text);
  EXPECT_GE(out.numErrors, 1u);
  EXPECT_NE(out.diagnostics.find("calls are nested too deeply (more than 256 "
                                 "levels)"),
            std::string::npos);
}
