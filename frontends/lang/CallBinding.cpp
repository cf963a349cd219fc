//===- CallBinding.cpp - Binding a call's arguments to its parameters -----===//
#include "frontends/lang/CallBinding.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lang;
using llvm::dyn_cast;

BoundArgs kiln::lang::bindCall(GenContext &gen, const ast::CallExpr *call,
                               ast::SourceLoc nameLoc, ArrayRef<Slot> slots,
                               const Callable &callable,
                               const CallerReads &callerReads) {
  BoundArgs result;
  result.slots.resize(slots.size());
  auto &bound = result.slots;
  const ast::CallExpr bare(nameLoc);
  const ast::CallExpr &given = call ? *call : bare;
  bool ok = true;
  // Positional arguments fill the positional slots in order; a variadic
  // slot takes the rest.
  SmallVector<size_t> positional;
  for (auto [index, slot] : llvm::enumerate(slots))
    if (slot.positional)
      positional.push_back(index);
  size_t next = 0;
  bool rejectedPositional = false;
  for (const auto &arg : given.args) {
    if (callerReads.positional)
      break;
    if (next == positional.size()) {
      if (positional.empty())
        gen.error(arg->loc) << callable.owner << " takes its " << callable.noun
                            << "s by name, e.g. `" << callable.example << "`";
      else
        gen.error(arg->loc)
            << callable.owner << " takes at most " << positional.size()
            << (positional.size() == 1 ? " argument" : " arguments") << ", got "
            << given.args.size();
      ok = false;
      rejectedPositional = true;
      break;
    }
    size_t slot = positional[next];
    bound[slot].push_back(arg.get());
    if (!slots[slot].variadic)
      ++next;
  }
  SmallVector<StringRef> names;
  for (const Slot &slot : slots)
    names.push_back(slot.name);
  for (const ast::KeywordArg &kw : given.kwargs) {
    if (llvm::is_contained(callerReads.keywords, kw.name))
      continue;
    auto it = llvm::find(names, kw.name);
    if (names.empty()) {
      gen.error(kw.nameLoc)
          << callable.owner << " takes no " << callable.noun << "s";
      ok = false;
      break;
    }
    if (it == names.end()) {
      InFlightDiagnostic diag = gen.error(kw.nameLoc)
                                << callable.owner << " has no " << callable.noun
                                << " `" << kw.name << "`";
      suggest(diag, gen.loc(kw.nameLoc), kw.name, names,
              (callable.noun + "s").str());
      ok = false;
      continue;
    }
    auto &exprs = bound[it - names.begin()];
    if (!exprs.empty()) {
      gen.error(kw.nameLoc) << "`" << kw.name << "` is given twice";
      ok = false;
    }
    exprs.push_back(kw.value.get());
  }
  // Missing arguments follow from rejected positional ones: say it once.
  for (auto [slot, exprs] : llvm::zip_equal(slots, bound)) {
    if (!slot.required || !exprs.empty() || rejectedPositional)
      continue;
    InFlightDiagnostic diag =
        gen.error(given.rparenLoc.isValid() ? given.rparenLoc : nameLoc)
        << callable.owner << " needs ";
    if (slot.help.empty())
      diag << "its `" << slot.name << "` " << callable.noun;
    else
      diag << "`" << slot.name << "` (" << slot.help << ")";
    ok = false;
  }
  result.ok = ok;
  return result;
}

const ast::CallExpr *kiln::lang::expectCall(GenContext &gen,
                                            const ast::Expr &expr,
                                            StringRef what, StringRef example) {
  auto *call = dyn_cast<ast::CallExpr>(&expr);
  if (!call)
    gen.error(expr.loc) << what << " must be a call such as `" << example
                        << "`";
  return call;
}
