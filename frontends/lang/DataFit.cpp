//===- DataFit.cpp - Does the model fit its data? -------------------------===//
//
// The dataset's image size is not known at compile time (`dir` may hold any
// IDX files), so a mask is only checked to have one element per input
// feature; the training binary checks its height and width against the
// images at startup.
//
//===----------------------------------------------------------------------===//
#include "frontends/lang/DataFit.h"

#include "dialects/kiln/IR/KilnDialect.h"

#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lang;
using llvm::dyn_cast;

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

void kiln::lang::checkTargetsFit(GenContext &gen, rt::Targets targets,
                                 ast::SourceLoc targetsLoc) {
  StringRef kind = rt::name(targets);
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
  if (targets == rt::Targets::Classes) {
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

namespace {
/// Reports the input or label declaration `decl` that does not fit the
/// generated dataset, with a note at the call.
void mismatch(GenContext &gen, const AcceptedDecl &decl, StringRef kind,
              const std::string &expected, const ast::CallExpr &call) {
  const ast::DeclStmt &stmt = *decl.stmt;
  InFlightDiagnostic diag = gen.error(stmt.nameLoc)
                            << kind << " `" << stmt.name << "` does not fit `"
                            << call.callee << "`: expected " << expected
                            << ", got " << stmt.dtype
                            << formatShape(decl.shape);
  diag.attachNote(gen.loc(call.calleeLoc)) << "the dataset is set here";
}
} // namespace

void kiln::lang::checkSyntheticFit(GenContext &gen, const ast::CallExpr &call,
                                   ast::SourceLoc nLoc, int64_t n, int64_t d) {
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
    gen.error(nLoc) << "n = " << n << " is smaller than the batch size "
                    << batch << " of input `" << input->stmt->name
                    << "`; the training set must hold one batch";
}
