//===- RecipeParts.h - Settings of the train section ------------*- C++ -*-===//
//
// Private to frontends/lang: the builders of the train section's call-valued
// settings (RecipeOptimizer.cpp), used by buildTrainRecipe (Recipe.cpp).
// Each reports its errors at their source locations and returns null then.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTENDS_LANG_RECIPEPARTS_H
#define KILN_FRONTENDS_LANG_RECIPEPARTS_H

#include "frontends/lang/GenContext.h"

#include "compiler/Training/HyperParameters.h"

#include "llvm/ADT/StringMap.h"

#include <optional>

namespace kiln::lang {

/// Reads the keyword arguments of `call` against `params` (`owner` and
/// `noun`, e.g. "optimizer `sgd`" and "hyper-parameter", name them in
/// errors): unknown names with
/// suggestions, values out of range, missing required settings. Settings not
/// given take `base`'s value if `base` is set, else their default.
/// `extraKeys` are keywords the caller reads itself.
std::optional<llvm::SmallVector<mlir::NamedAttribute>>
readHyperParameters(GenContext &gen, const ast::CallExpr &call,
                    llvm::ArrayRef<HyperParameter> params,
                    llvm::StringRef owner, llvm::StringRef noun,
                    mlir::DictionaryAttr base = nullptr,
                    llvm::ArrayRef<llvm::StringRef> extraKeys = {});

/// The call `expr`, or null after reporting that `what` must be one, e.g.
/// "optimizer must be a call such as `sgd(lr = 0.1)`".
const ast::CallExpr *expectCall(GenContext &gen, const ast::Expr &expr,
                                llvm::StringRef what, llvm::StringRef example);

/// Reports that `call` names none of `names`, kinds of `what` ("unknown
/// schedule `cosin`") with a "did you mean" over `plural`.
void unknownCallee(GenContext &gen, const ast::CallExpr &call,
                   llvm::StringRef what, llvm::StringRef plural,
                   llvm::ArrayRef<llvm::StringRef> names);

/// `optimizer = sgd(lr = 0.1, momentum = 0.9)`.
mlir::DictionaryAttr buildOptimizer(GenContext &gen, const ast::Expr &expr);
/// `schedule = cosine(t_max = 30)`, `multi_step(30, 80, gamma = 0.1)`...
mlir::DictionaryAttr buildSchedule(GenContext &gen, const ast::Expr &expr);
/// `warmup = linear(steps = 500, start_factor = 0.1)`.
mlir::DictionaryAttr buildWarmup(GenContext &gen, const ast::Expr &expr);
/// `optimizer = newton(lr = 1.0)` (RecipeFullBatch.cpp).
mlir::DictionaryAttr buildNewton(GenContext &gen, const ast::CallExpr &call);
/// `line_search = armijo(...)` and `tolerance`, added to `entries`, and the
/// settings full-batch methods exclude (clip, schedule, warmup, groups).
void addFullBatchSettings(GenContext &gen,
                          const llvm::StringMap<const ast::BindingStmt *> &keys,
                          llvm::ArrayRef<const ast::BindingStmt *> groups,
                          mlir::DictionaryAttr optimizer,
                          llvm::SmallVectorImpl<mlir::NamedAttribute> &entries);
/// `group = params("*.bias", "bn*", weight_decay = 0)` or `frozen = true`:
/// {patterns, optimizer = `optimizer` with the overrides, frozen}. Every
/// pattern must match one of `paramNames`.
mlir::DictionaryAttr buildGroup(GenContext &gen, const ast::Expr &expr,
                                mlir::DictionaryAttr optimizer,
                                llvm::ArrayRef<std::string> paramNames);

/// Reports at `loc` when the groups `groups` freeze every parameter.
void checkSomethingTrains(GenContext &gen,
                          llvm::ArrayRef<mlir::Attribute> groups,
                          llvm::ArrayRef<std::string> paramNames,
                          ast::SourceLoc loc);

} // namespace kiln::lang

#endif // KILN_FRONTENDS_LANG_RECIPEPARTS_H
