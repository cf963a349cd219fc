//===- GenContext.cpp - Checked literal arguments -------------------------===//
#include "frontends/lang/GenContext.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lang;
using llvm::dyn_cast;

std::optional<double> GenContext::number(const ast::Expr &expr,
                                         StringRef what) {
  if (auto *num = dyn_cast<ast::NumberExpr>(&expr))
    return num->value;
  error(expr.loc) << what << " must be a number";
  return std::nullopt;
}

std::optional<int64_t> GenContext::integer(const ast::Expr &expr,
                                           StringRef what, int64_t min) {
  auto *num = dyn_cast<ast::NumberExpr>(&expr);
  if (!num || !num->isInteger || num->value < min) {
    std::string got;
    llvm::raw_string_ostream os(got);
    ast::print(expr, os);
    error(expr.loc) << what << " must be an integer >= " << min << ", got `"
                    << os.str() << "`";
    return std::nullopt;
  }
  return static_cast<int64_t>(num->value);
}

std::optional<bool> GenContext::boolean(const ast::Expr &expr, StringRef what) {
  if (auto *flag = dyn_cast<ast::BoolExpr>(&expr))
    return flag->value;
  error(expr.loc) << what << " must be `true` or `false`";
  return std::nullopt;
}

std::optional<std::string> GenContext::path(const ast::Expr &expr,
                                            StringRef what) {
  auto *str = dyn_cast<ast::StringExpr>(&expr);
  if (!str) {
    error(expr.loc) << what << " must be a string holding a path";
    return std::nullopt;
  }
  SmallString<256> path(str->value);
  if (llvm::sys::path::is_relative(path)) {
    SmallString<256> dir(llvm::sys::path::parent_path(file.filename));
    llvm::sys::path::append(dir, path);
    path = dir;
  }
  if (std::error_code ec = llvm::sys::fs::make_absolute(path)) {
    error(expr.loc) << "cannot resolve " << what << " \"" << str->value
                    << "\": " << ec.message();
    return std::nullopt;
  }
  llvm::sys::path::remove_dots(path, /*remove_dot_dot=*/true);
  return std::string(path);
}

std::string kiln::lang::formatNumber(double value) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%g", value);
  return text;
}
