//===- SyntheticData.cpp - The synthetic_logistic dataset -----------------===//
//
// Reads the settings of `synthetic_logistic(n = N, d = D, bias = B,
// seed = S)` and checks the model's declarations against them: the runtime
// generates N training and N / 5 test points of D features each, with one
// 0/1 target per point, so the input must be [batch, D], the label a float
// [batch] and a batch must fit in N.
//
//===----------------------------------------------------------------------===//
#include "frontends/lang/SyntheticData.h"

#include "dialects/kiln/IR/KilnDialect.h"
#include "frontends/lang/DataTargets.h"
#include "frontends/lang/Suggest.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lang;

namespace {

/// The smallest n: the test split has n / 5 points and must not be empty.
constexpr int64_t kMinPoints = 5;

/// Reports the input or label declaration `decl` that does not fit the
/// dataset, with a note at the call.
void mismatch(GenContext &gen, const AcceptedDecl &decl, StringRef kind,
              const std::string &expected, const ast::CallExpr &call) {
  const ast::DeclStmt &stmt = *decl.stmt;
  InFlightDiagnostic diag = gen.error(stmt.nameLoc)
                            << kind << " `" << stmt.name << "` does not fit `"
                            << kSyntheticLogistic << "`: expected " << expected
                            << ", got " << stmt.dtype
                            << formatShape(decl.shape);
  diag.attachNote(gen.loc(call.calleeLoc)) << "the dataset is set here";
}

/// Checks the declarations against n points of d features.
void checkModel(GenContext &gen, const ast::CallExpr &call,
                const ast::KeywordArg &nArg, int64_t n, int64_t d) {
  std::optional<AcceptedDecl> input = acceptedDecl(gen, /*isLabel=*/false);
  std::optional<AcceptedDecl> label = acceptedDecl(gen, /*isLabel=*/true);
  if (!input)
    return; // Missing or invalid: reported by ModelGen.
  const int64_t batch = input->shape[0];
  const std::string batchText = std::to_string(batch);
  if (input->shape.size() != 2 || input->shape[1] != d)
    mismatch(gen, *input, "input",
             input->stmt->dtype + "[" + batchText + ", " + std::to_string(d) +
                 "], " + std::to_string(d) + " features per point",
             call);
  if (label && label->shape[0] == batch &&
      (!isFloatDType(label->stmt->dtype) || label->shape.size() != 1))
    mismatch(gen, *label, "label",
             input->stmt->dtype + "[" + batchText +
                 "], one 0/1 target per point",
             call);
  if (n < batch)
    gen.error(nArg.value->loc)
        << "n = " << n << " is smaller than the batch size " << batch
        << " of input `" << input->stmt->name
        << "`; the training set must hold one batch";
}

} // namespace

DictionaryAttr kiln::lang::buildSyntheticLogistic(GenContext &gen,
                                                  const ast::CallExpr &call) {
  bool ok = true;
  if (!call.args.empty()) {
    gen.error(call.args.front()->loc)
        << "`" << kSyntheticLogistic << "` takes its settings by name, e.g. `"
        << kSyntheticLogistic << "(n = 1000, d = 10)`";
    ok = false;
  }
  const SmallVector<StringRef> settings{"n", "d", "bias", "seed"};
  const ast::KeywordArg *nArg = nullptr;
  std::optional<int64_t> n, d, seed = 0;
  std::optional<double> bias = 0.0;
  for (const ast::KeywordArg &kw : call.kwargs) {
    if (kw.name == "n") {
      nArg = &kw;
      n = gen.integer(*kw.value, "n", kMinPoints);
    } else if (kw.name == "d") {
      d = gen.integer(*kw.value, "d", 1);
    } else if (kw.name == "bias") {
      bias = gen.number(*kw.value, "bias");
    } else if (kw.name == "seed") {
      seed = gen.integer(*kw.value, "seed", 0);
    } else {
      InFlightDiagnostic diag = gen.error(kw.nameLoc)
                                << "`" << kSyntheticLogistic
                                << "` has no setting `" << kw.name << "`";
      suggest(diag, gen.loc(kw.nameLoc), kw.name, settings, "settings");
      ok = false;
    }
  }
  for (StringRef required : {"n", "d"})
    if (!call.findKeyword(required)) {
      gen.error(call.calleeLoc)
          << "`" << kSyntheticLogistic << "` needs `" << required << "`, e.g. `"
          << kSyntheticLogistic << "(n = 1000, d = 10)`";
      ok = false;
    }
  if (!ok || !n || !d || !seed || !bias)
    return nullptr;
  checkModel(gen, call, *nArg, *n, *d);

  Builder b(gen.getContext());
  return b.getDictionaryAttr(
      {b.getNamedAttr("n", b.getI64IntegerAttr(*n)),
       b.getNamedAttr("d", b.getI64IntegerAttr(*d)),
       b.getNamedAttr("bias", b.getF64FloatAttr(*bias)),
       b.getNamedAttr("seed", b.getI64IntegerAttr(*seed))});
}
