//===- CallBinding.h - Binding a call's arguments ---------------*- C++ -*-===//
//
// Private to frontends/lang. Everything callable in a model file (layers,
// init schemes, optimizers, schedules, clipping, line searches, datasets,
// targets) takes positional and keyword arguments. bindCall is the one place
// that matches them to named parameters and reports what is wrong: unknown
// names with a "did you mean", arguments given twice, too many positional
// ones, missing required ones. readKind is the one place that reads which
// kind a recipe names.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTENDS_LANG_CALLBINDING_H
#define KILN_FRONTENDS_LANG_CALLBINDING_H

#include "frontends/lang/GenContext.h"
#include "frontends/lang/Suggest.h"

#include "dialects/kiln/IR/RecipeSettings.h"

namespace kiln::lang {

/// One parameter of a callable.
struct Slot {
  llvm::StringRef name;
  bool required = false;
  /// May be given by position, in slot order.
  bool positional = true;
  /// Takes every remaining positional argument.
  bool variadic = false;
  /// Said when it is missing: "`lr` (learning rate)"; else "its `lr`
  /// argument".
  llvm::StringRef help = "";
};

/// How a callable is named in messages.
struct Callable {
  std::string owner;    ///< "conv2d", "optimizer `sgd`"
  llvm::StringRef noun; ///< "argument", "hyper-parameter", "setting"
  /// A call that names its settings, shown when a callable without
  /// positional parameters gets positional arguments: "sgd(lr = 0.1)".
  std::string example = "";
};

/// The expressions given for each slot, in slot order (empty when not
/// given), and whether the call bound cleanly. Callers check the values of
/// what was bound even when it did not, so one run reports every mistake.
struct BoundArgs {
  llvm::SmallVector<llvm::SmallVector<const ast::Expr *, 1>> slots;
  bool ok = true;
};

/// What of a call its caller reads itself, and bindCall skips.
struct CallerReads {
  llvm::ArrayRef<llvm::StringRef> keywords = {}; ///< a group's `frozen`
  bool positional = false;                       ///< a group's patterns
};

/// Binds the arguments of `call` to `slots`, reporting every mistake. A null
/// `call` is a bare name at `nameLoc` (`xavier_uniform`), which gives no
/// arguments.
BoundArgs bindCall(GenContext &gen, const ast::CallExpr *call,
                   ast::SourceLoc nameLoc, llvm::ArrayRef<Slot> slots,
                   const Callable &callable,
                   const CallerReads &callerReads = {});

/// The call `expr`, or null after reporting that `what` must be one, e.g.
/// "optimizer must be a call such as `sgd(lr = 0.1)`".
const ast::CallExpr *expectCall(GenContext &gen, const ast::Expr &expr,
                                llvm::StringRef what, llvm::StringRef example);

/// The kind a recipe names, written as a name (`classes`) or a call
/// (`sgd(lr = 0.1)`, whose arguments the caller reads); nothing after
/// reporting an unknown one with a "did you mean" over every kind.
template <typename Kind>
std::optional<Kind> readKind(GenContext &gen, llvm::StringRef name,
                             ast::SourceLoc at) {
  if (std::optional<Kind> kind = KindInfo<Kind>::parse(name))
    return kind;
  llvm::SmallVector<llvm::StringRef> names;
  for (Kind known : KindInfo<Kind>::all())
    names.push_back(KindInfo<Kind>::name(known));
  mlir::InFlightDiagnostic diag = gen.error(at)
                                  << "unknown " << KindInfo<Kind>::noun << " `"
                                  << name << "`";
  suggest(diag, gen.loc(at), name, names, KindInfo<Kind>::plural);
  return std::nullopt;
}

} // namespace kiln::lang

#endif // KILN_FRONTENDS_LANG_CALLBINDING_H
