//===- DataTargets.cpp - The data section's `targets` setting -------------===//
//
// Parses `targets = classes` and `targets = foreground_mask(threshold = T)`
// and checks the label declaration against them at compile time, where the
// mistake can be shown in the source. The dataset's image size is not known
// here (`dir` may hold any IDX files), so a mask is only checked to have one
// element per input feature; the training binary checks its height and width
// against the images at startup.
//
//===----------------------------------------------------------------------===//
#include "frontends/lang/DataTargets.h"

#include "dialects/kiln/IR/KilnDialect.h"
#include "frontends/lang/Suggest.h"

#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lang;
using llvm::dyn_cast;

namespace {

constexpr llvm::StringLiteral kClasses = "classes";
constexpr llvm::StringLiteral kForegroundMask = "foreground_mask";
/// The foreground_mask default: pixels above mid-grey.
constexpr double kDefaultThreshold = 0.5;

} // namespace

std::optional<AcceptedDecl> kiln::lang::acceptedDecl(GenContext &gen,
                                                     bool isLabel) {
  const ast::Section *model = gen.getFile().findSection("model");
  if (!model)
    return std::nullopt;
  for (const auto &stmt : model->stmts) {
    auto *decl = dyn_cast<ast::DeclStmt>(stmt.get());
    if (!decl || decl->isLabel != isLabel)
      continue;
    if (!isFloatDType(decl->dtype) && !(isLabel && decl->dtype == "i32"))
      return std::nullopt;
    AcceptedDecl result{decl, {}, 1};
    for (const ast::Dim &dim : decl->dims) {
      if (dim.value <= 0 ||
          llvm::MulOverflow(result.elements, dim.value, result.elements))
        return std::nullopt;
      result.shape.push_back(dim.value);
    }
    return result;
  }
  return std::nullopt;
}

namespace {

/// Reports a label declaration that cannot hold what `kind` produces: class
/// indices i32[N], or masks i32[N, H, W] with one pixel per input feature.
void checkLabel(GenContext &gen, StringRef kind, ast::SourceLoc targetsLoc) {
  std::optional<AcceptedDecl> input = acceptedDecl(gen, /*isLabel=*/false);
  std::optional<AcceptedDecl> label = acceptedDecl(gen, /*isLabel=*/true);
  if (!input || !label || input->shape[0] != label->shape[0])
    return; // Missing, invalid or of another batch: reported by ModelGen.
  const int64_t batch = input->shape[0];
  const int64_t features = input->elements / batch;
  const bool isI32 = label->stmt->dtype == "i32";
  const SmallVector<int64_t> &shape = label->shape;
  std::string expected, example;
  llvm::raw_string_ostream os(expected);
  if (kind == kClasses) {
    if (isI32 && shape.size() == 1)
      return;
    os << "i32[" << batch << "], one class index per sample";
  } else {
    if (isI32 && shape.size() == 3 && shape[1] * shape[2] == features)
      return;
    os << "i32[" << batch
       << ", H, W], one class index per pixel, with H * W = " << features
       << ", the features of an input sample";
    // An image input [N, (C,) H, W] of one channel names its own size.
    size_t rank = input->shape.size();
    if (rank >= 3 &&
        input->shape[rank - 2] * input->shape[rank - 1] == features)
      example = "i32[" + std::to_string(batch) + ", " +
                std::to_string(input->shape[rank - 2]) + ", " +
                std::to_string(input->shape[rank - 1]) + "]";
  }
  const ast::DeclStmt &decl = *label->stmt;
  InFlightDiagnostic diag = gen.error(decl.nameLoc)
                            << "label `" << decl.name
                            << "` does not fit `targets = " << kind
                            << "`: expected " << os.str() << ", got "
                            << decl.dtype << formatShape(shape);
  if (!example.empty())
    diag.attachNote(gen.loc(decl.nameLoc))
        << "declare e.g. `label " << decl.name << ": " << example << "`";
  diag.attachNote(gen.loc(targetsLoc)) << "the targets are set here";
}

/// The threshold of foreground_mask, a number in [0, 1): pixels are scaled
/// to [0, 1], and at 1 or above no pixel would be foreground.
std::optional<double> threshold(GenContext &gen, const ast::Expr &expr) {
  std::optional<double> value = gen.number(expr, "threshold");
  if (value && (*value < 0 || *value >= 1)) {
    std::string text;
    llvm::raw_string_ostream os(text);
    ast::print(expr, os);
    gen.error(expr.loc) << "threshold must be in [0, 1) (pixels are scaled to "
                           "[0, 1]; foreground is above the threshold), got `"
                        << os.str() << "`";
    return std::nullopt;
  }
  return value;
}

} // namespace

DictionaryAttr kiln::lang::buildTargets(GenContext &gen,
                                        const ast::Expr &value) {
  // A kind is written as a name, or as a call that sets its options by
  // keyword: `classes`, `foreground_mask(threshold = 0.5)`.
  auto *call = dyn_cast<ast::CallExpr>(&value);
  StringRef kind;
  ast::SourceLoc kindLoc = value.loc;
  if (auto *name = dyn_cast<ast::IdentExpr>(&value)) {
    kind = name->name;
  } else if (call) {
    kind = call->callee;
    kindLoc = call->calleeLoc;
  } else {
    gen.error(value.loc) << "targets must be `classes` or "
                            "`foreground_mask(threshold = T)`";
    return nullptr;
  }
  const SmallVector<StringRef> kinds{kClasses, kForegroundMask};
  if (!llvm::is_contained(kinds, kind)) {
    InFlightDiagnostic diag = gen.error(kindLoc)
                              << "unknown targets `" << kind << "`";
    suggest(diag, gen.loc(kindLoc), kind, kinds, "targets");
    return nullptr;
  }

  double maskThreshold = kDefaultThreshold;
  bool ok = true;
  if (call && kind == kClasses) {
    if (!call->args.empty() || !call->kwargs.empty()) {
      gen.error(call->args.empty() ? call->kwargs.front().nameLoc
                                   : call->args.front()->loc)
          << "`classes` takes no settings";
      ok = false;
    }
  } else if (call) {
    if (!call->args.empty()) {
      gen.error(call->args.front()->loc)
          << "`foreground_mask` takes its settings by name, e.g. "
             "`foreground_mask(threshold = 0.5)`";
      ok = false;
    }
    const SmallVector<StringRef> settings{"threshold"};
    for (const ast::KeywordArg &kw : call->kwargs) {
      if (!llvm::is_contained(settings, kw.name)) {
        InFlightDiagnostic diag = gen.error(kw.nameLoc)
                                  << "`foreground_mask` has no setting `"
                                  << kw.name << "`";
        suggest(diag, gen.loc(kw.nameLoc), kw.name, settings, "settings");
        ok = false;
      } else if (std::optional<double> t = threshold(gen, *kw.value)) {
        maskThreshold = *t;
      } else {
        ok = false;
      }
    }
  }
  if (!ok)
    return nullptr;
  checkLabel(gen, kind, value.loc);

  Builder b(gen.getContext());
  SmallVector<NamedAttribute> entries{
      b.getNamedAttr("kind", b.getStringAttr(kind))};
  if (kind == kForegroundMask)
    entries.push_back(
        b.getNamedAttr("threshold", b.getF64FloatAttr(maskThreshold)));
  return b.getDictionaryAttr(entries);
}
