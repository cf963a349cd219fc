//===- AST.h - Syntax tree of the Kiln model language -----------*- C++ -*-===//
//
// Plain data structures produced by the parser (Parser.h) and consumed by
// MLIRGen. The tree is purely syntactic: it knows nothing about layer names,
// section kinds or element types, so new layers, optimizers and sections need
// no change here. Every node keeps a 1-based source location; the file name is
// stored once in File so that nodes stay small.
//
// Polymorphic nodes (Expr, Stmt) carry a `kind` tag and `classof`, so
// llvm::isa / dyn_cast / cast work on them.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_FRONTENDS_LANG_AST_H
#define KILN_FRONTENDS_LANG_AST_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace kiln {
namespace ast {

/// A 1-based line/column position (columns count bytes). {0, 0} marks a
/// location that does not exist, e.g. the '{' of a section that lacked one in
/// a file with syntax errors.
struct SourceLoc {
  unsigned line = 0;
  unsigned col = 0;

  bool isValid() const { return line != 0; }
};

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

struct Expr {
  enum class Kind { Number, String, Ident, Bool, Call };

  const Kind kind;
  /// Location of the first token of the expression.
  SourceLoc loc;

  Expr(Kind kind, SourceLoc loc) : kind(kind), loc(loc) {}
  virtual ~Expr() = default;
};

/// `128`, `-3`, `0.05`, `1e-4`. The original spelling is kept so that printing
/// and diagnostics show exactly what the user wrote.
struct NumberExpr : Expr {
  double value = 0;
  /// True when written without fraction or exponent; the literal is then
  /// guaranteed to fit in int64_t and `value` holds it exactly when
  /// |value| <= 2^53.
  bool isInteger = false;
  std::string text;

  NumberExpr(SourceLoc loc) : Expr(Kind::Number, loc) {}
  static bool classof(const Expr *e) { return e->kind == Kind::Number; }
};

/// A double-quoted string; `value` has its escapes already decoded.
struct StringExpr : Expr {
  std::string value;

  StringExpr(SourceLoc loc) : Expr(Kind::String, loc) {}
  static bool classof(const Expr *e) { return e->kind == Kind::String; }
};

/// A bare name: a reference to an earlier binding (`x`, `fc1`) or a symbolic
/// value (`fashion_mnist`). Which one is decided by MLIRGen, not the parser.
struct IdentExpr : Expr {
  std::string name;

  IdentExpr(SourceLoc loc) : Expr(Kind::Ident, loc) {}
  static bool classof(const Expr *e) { return e->kind == Kind::Ident; }
};

/// `true` / `false`.
struct BoolExpr : Expr {
  bool value = false;

  BoolExpr(SourceLoc loc) : Expr(Kind::Bool, loc) {}
  static bool classof(const Expr *e) { return e->kind == Kind::Bool; }
};

/// `name = value` inside a call's argument list.
struct KeywordArg {
  std::string name;
  SourceLoc nameLoc;
  std::unique_ptr<Expr> value;
};

/// `callee(positional..., keyword = value...)`. `loc` is the callee's
/// location. Positional arguments precede keyword arguments in valid files.
struct CallExpr : Expr {
  std::string callee;
  SourceLoc calleeLoc;
  std::vector<std::unique_ptr<Expr>> args;
  std::vector<KeywordArg> kwargs;
  /// Kept so that later diagnostics can point at the argument list.
  SourceLoc lparenLoc, rparenLoc;

  CallExpr(SourceLoc loc) : Expr(Kind::Call, loc), calleeLoc(loc) {}
  static bool classof(const Expr *e) { return e->kind == Kind::Call; }

  /// The keyword argument called `name`, or nullptr if it was not given.
  const KeywordArg *findKeyword(llvm::StringRef name) const;
};

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

struct Stmt {
  enum class Kind { Decl, Binding };

  const Kind kind;
  /// Location of the statement's first token.
  SourceLoc loc;

  Stmt(Kind kind, SourceLoc loc) : kind(kind), loc(loc) {}
  virtual ~Stmt() = default;
};

/// One size of a declared shape, with its own location so that a bad
/// dimension can be pointed at precisely.
struct Dim {
  int64_t value = 0;
  SourceLoc loc;
};

/// `input x: f32[128, 1, 28, 28]` or `label y: i32[128]`. `loc` is the
/// location of the `input`/`label` keyword.
struct DeclStmt : Stmt {
  bool isLabel = false;
  std::string name;
  SourceLoc nameLoc;
  /// The element type as written (`f32`, `i32`, ...); validated by MLIRGen.
  std::string dtype;
  SourceLoc dtypeLoc;
  std::vector<Dim> dims;

  DeclStmt(SourceLoc loc) : Stmt(Kind::Decl, loc) {}
  static bool classof(const Stmt *s) { return s->kind == Kind::Decl; }
};

/// `name = expr`. `loc` equals `nameLoc`.
struct BindingStmt : Stmt {
  std::string name;
  SourceLoc nameLoc;
  std::unique_ptr<Expr> value;

  BindingStmt(SourceLoc loc) : Stmt(Kind::Binding, loc), nameLoc(loc) {}
  static bool classof(const Stmt *s) { return s->kind == Kind::Binding; }
};

//===----------------------------------------------------------------------===//
// Sections and files
//===----------------------------------------------------------------------===//

/// `kind [name] { stmt* }`, e.g. `model fashion_mlp { ... }` or `train {...}`.
struct Section {
  std::string kind;
  SourceLoc kindLoc;
  /// Empty when the section has no name.
  std::string name;
  SourceLoc nameLoc;
  std::vector<std::unique_ptr<Stmt>> stmts;
  SourceLoc lbraceLoc, rbraceLoc;

  bool hasName() const { return !name.empty(); }
};

struct File {
  std::string filename;
  std::vector<Section> sections;

  /// The first section of the given kind, or nullptr.
  const Section *findSection(llvm::StringRef kind) const;
};

//===----------------------------------------------------------------------===//
// Printing
//===----------------------------------------------------------------------===//

/// Prints the tree as canonical source text that parses back to an equal
/// tree (one statement per line, two-space indent, original number spelling).
void print(const File &file, llvm::raw_ostream &os);
void print(const Section &section, llvm::raw_ostream &os);
void print(const Stmt &stmt, llvm::raw_ostream &os);
void print(const Expr &expr, llvm::raw_ostream &os);

/// Like print, but appends `@line:col` to every node, to braces and to each
/// keyword-argument name, and starts with a `# file: NAME` comment. Meant for
/// tests and debugging: it shows the whole tree including locations.
void dump(const File &file, llvm::raw_ostream &os);
void dump(const Section &section, llvm::raw_ostream &os);
void dump(const Stmt &stmt, llvm::raw_ostream &os);
void dump(const Expr &expr, llvm::raw_ostream &os);

} // namespace ast
} // namespace kiln

#endif // KILN_FRONTENDS_LANG_AST_H
