//===- AST.cpp - Lookup helpers and printers for the Kiln AST -------------===//
//
// print() and dump() share one printer; dump() only adds `@line:col` markers.
// Keeping a single printer guarantees that the dump used by tests shows the
// same structure as the canonical source form.
//
//===----------------------------------------------------------------------===//

#include "frontends/lang/AST.h"

#include "llvm/Support/Casting.h"
#include "llvm/Support/raw_ostream.h"

using namespace kiln::ast;

const KeywordArg *CallExpr::findKeyword(llvm::StringRef name) const {
  for (const KeywordArg &kw : kwargs)
    if (kw.name == name)
      return &kw;
  return nullptr;
}

const Section *File::findSection(llvm::StringRef kind) const {
  for (const Section &section : sections)
    if (section.kind == kind)
      return &section;
  return nullptr;
}

namespace {

class Printer {
public:
  Printer(llvm::raw_ostream &os, bool withLocs) : os(os), withLocs(withLocs) {}

  void printLoc(SourceLoc loc) {
    if (withLocs)
      os << '@' << loc.line << ':' << loc.col;
  }

  void printExpr(const Expr &expr) {
    switch (expr.kind) {
    case Expr::Kind::Number:
      os << llvm::cast<NumberExpr>(expr).text;
      break;
    case Expr::Kind::String:
      printString(llvm::cast<StringExpr>(expr).value);
      break;
    case Expr::Kind::Ident:
      os << llvm::cast<IdentExpr>(expr).name;
      break;
    case Expr::Kind::Bool:
      os << (llvm::cast<BoolExpr>(expr).value ? "true" : "false");
      break;
    case Expr::Kind::Call:
      printCall(llvm::cast<CallExpr>(expr));
      return; // printCall prints the callee location itself.
    }
    printLoc(expr.loc);
  }

  void printStmt(const Stmt &stmt) {
    if (const auto *decl = llvm::dyn_cast<DeclStmt>(&stmt)) {
      os << (decl->isLabel ? "label" : "input");
      printLoc(decl->loc);
      os << ' ' << decl->name;
      printLoc(decl->nameLoc);
      os << ": " << decl->dtype;
      printLoc(decl->dtypeLoc);
      os << '[';
      for (size_t i = 0; i < decl->dims.size(); ++i) {
        if (i)
          os << ", ";
        os << decl->dims[i].value;
        printLoc(decl->dims[i].loc);
      }
      os << ']';
      return;
    }
    const auto &binding = llvm::cast<BindingStmt>(stmt);
    os << binding.name;
    printLoc(binding.nameLoc);
    os << " = ";
    // A binding whose expression failed to parse only exists in partial trees
    // of files with errors; print a marker rather than crash.
    if (binding.value)
      printExpr(*binding.value);
    else
      os << "<error>";
  }

  void printSection(const Section &section) {
    os << section.kind;
    printLoc(section.kindLoc);
    if (section.hasName()) {
      os << ' ' << section.name;
      printLoc(section.nameLoc);
    }
    os << " {";
    printLoc(section.lbraceLoc);
    os << '\n';
    for (const auto &stmt : section.stmts) {
      os << "  ";
      printStmt(*stmt);
      os << '\n';
    }
    os << '}';
    printLoc(section.rbraceLoc);
    os << '\n';
  }

  void printFile(const File &file) {
    if (withLocs)
      os << "# file: " << file.filename << '\n';
    for (size_t i = 0; i < file.sections.size(); ++i) {
      // A blank line between sections, as in hand-written files.
      if (i)
        os << '\n';
      printSection(file.sections[i]);
    }
  }

private:
  void printCall(const CallExpr &call) {
    os << call.callee;
    printLoc(call.calleeLoc);
    os << '(';
    bool first = true;
    for (const auto &arg : call.args) {
      if (!first)
        os << ", ";
      first = false;
      printExpr(*arg);
    }
    for (const KeywordArg &kw : call.kwargs) {
      if (!first)
        os << ", ";
      first = false;
      os << kw.name;
      printLoc(kw.nameLoc);
      os << " = ";
      printExpr(*kw.value);
    }
    os << ')';
  }

  // Re-escapes exactly the two escapes the lexer understands, so printed
  // strings parse back to the same value.
  void printString(llvm::StringRef value) {
    os << '"';
    for (char c : value) {
      if (c == '"' || c == '\\')
        os << '\\';
      os << c;
    }
    os << '"';
  }

  llvm::raw_ostream &os;
  bool withLocs;
};

} // namespace

namespace kiln {
namespace ast {

void print(const File &file, llvm::raw_ostream &os) {
  Printer(os, false).printFile(file);
}
void print(const Section &section, llvm::raw_ostream &os) {
  Printer(os, false).printSection(section);
}
void print(const Stmt &stmt, llvm::raw_ostream &os) {
  Printer(os, false).printStmt(stmt);
}
void print(const Expr &expr, llvm::raw_ostream &os) {
  Printer(os, false).printExpr(expr);
}

void dump(const File &file, llvm::raw_ostream &os) {
  Printer(os, true).printFile(file);
}
void dump(const Section &section, llvm::raw_ostream &os) {
  Printer(os, true).printSection(section);
}
void dump(const Stmt &stmt, llvm::raw_ostream &os) {
  Printer(os, true).printStmt(stmt);
}
void dump(const Expr &expr, llvm::raw_ostream &os) {
  Printer(os, true).printExpr(expr);
}

} // namespace ast
} // namespace kiln
