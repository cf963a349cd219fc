//===- GenContext.h - State shared by the parts of MLIRGen ------*- C++ -*-===//
//
// Private to frontends/lang. MLIRGen is split by section (model, train,
// data) and layer registry; this class gives them one place for source
// locations, error accounting and the checked reading of literal arguments.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTENDS_LANG_GENCONTEXT_H
#define KILN_FRONTENDS_LANG_GENCONTEXT_H

#include "frontends/lang/AST.h"
#include "frontends/lang/Parser.h"

#include "dialects/kiln/IR/KilnDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"

namespace kiln::lang {

class GenContext {
public:
  GenContext(mlir::MLIRContext *ctx, const ast::File &file)
      : ctx(ctx), file(file) {}

  mlir::MLIRContext *getContext() const { return ctx; }
  const ast::File &getFile() const { return file; }
  mlir::Location loc(ast::SourceLoc at) const {
    return toMLIRLoc(ctx, file, at);
  }
  /// Reports an error at `at`; the module will not be built.
  mlir::InFlightDiagnostic error(ast::SourceLoc at) {
    ++errors;
    return mlir::emitError(loc(at));
  }
  bool hasErrors() const { return errors != 0; }

  /// The value of a number literal, or an error naming `what`.
  std::optional<double> number(const ast::Expr &expr, llvm::StringRef what);
  /// The value of an integer literal that is >= `min`, or an error.
  std::optional<int64_t> integer(const ast::Expr &expr, llvm::StringRef what,
                                 int64_t min);
  /// The value of `true` / `false`, or an error.
  std::optional<bool> boolean(const ast::Expr &expr, llvm::StringRef what);
  /// A string literal naming a file; a relative path is taken from the
  /// model file's folder and made absolute, so the binary finds it from
  /// any working directory.
  std::optional<std::string> path(const ast::Expr &expr, llvm::StringRef what);

  /// The train section's checked `init` scheme, the default of every layer
  /// that creates weights (InitSchemes.cpp); null when not set.
  const ast::Expr *defaultInit = nullptr;

private:
  mlir::MLIRContext *ctx;
  const ast::File &file;
  unsigned errors = 0;
};

/// A number as a user would write it: 0, 1.5, 1e-05.
std::string formatNumber(double value);

/// Whether `dtype` names a floating-point element type of the language.
inline bool isFloatDType(llvm::StringRef dtype) {
  return dtype == "f32" || dtype == "f64";
}

/// Builds the module's #kiln.train from the train section; parameter-group
/// patterns must match one of `paramNames`. Null after reporting errors.
TrainRecipeAttr buildTrainRecipe(GenContext &gen, const ast::Section *section,
                                 llvm::ArrayRef<std::string> paramNames);
/// Builds the module's #kiln.data from the data section (which may be
/// absent: Fashion-MNIST from its Debian package is the default).
DataAttr buildDataRecipe(GenContext &gen, const ast::Section *section);

} // namespace kiln::lang

#endif // KILN_FRONTENDS_LANG_GENCONTEXT_H
