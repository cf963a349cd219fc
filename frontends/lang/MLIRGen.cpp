//===- MLIRGen.cpp - Build kiln IR from a model file ----------------------===//
//
// Checks a parsed model file and builds its module: one function @model with
// the evaluation signature
//   (input, label, params...) -> (loss, sample losses, logits)
// whose arguments and results carry the attributes of KilnConventions.h, plus
// module attributes for the training and data recipes. Errors are reported at
// their source location and checking goes on, so one run reports them all; a
// binding that failed is remembered so its uses do not cascade into more
// errors.
//
//===----------------------------------------------------------------------===//
#include "frontends/lang/Frontend.h"

#include "dialects/kiln/IR/KilnConventions.h"
#include "dialects/kiln/IR/KilnDialect.h"
#include "frontends/lang/InitSchemes.h"
#include "frontends/lang/Layers.h"
#include "frontends/lang/Parser.h"
#include "frontends/lang/Suggest.h"

#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lang;
using llvm::dyn_cast;

namespace {
/// A name visible in the model section.
struct Symbol {
  Value value; // null when its definition had errors
  ast::SourceLoc loc;
  bool isLabel = false;
};

class ModelGen {
public:
  ModelGen(GenContext &gen, ModuleOp module)
      : gen(gen), b(module.getContext()), module(module) {}

  void build(const ast::Section &model);

private:
  void declare(const ast::DeclStmt &decl);
  void bind(const ast::BindingStmt &binding);
  Value emit(const ast::BindingStmt &binding);
  /// Adds `name` to the scope, or reports a redefinition.
  void define(StringRef name, ast::SourceLoc at, Symbol symbol);
  /// Resolves a tensor argument of a layer call (checkCall does the rest).
  std::optional<ArgValue> resolveTensor(const ArgSpec &spec,
                                        const ast::Expr &expr, StringRef what);
  /// A function that declares a `role` argument named after `binding`.
  auto declarer(rt::Role role, const ast::BindingStmt &binding) {
    return [this, role, &binding](StringRef suffix, ArrayRef<int64_t> shape,
                                  InitAttr init) {
      return addArgument(RankedTensorType::get(shape, floatType),
                         binding.nameLoc, role,
                         (binding.name + "." + suffix).str(), init);
    };
  }
  Value addArgument(Type type, ast::SourceLoc at, rt::Role role, StringRef name,
                    InitAttr init);

  GenContext &gen;
  OpBuilder b;
  ModuleOp module;
  Block *body = nullptr;
  SmallVector<DictionaryAttr> argAttrs;
  llvm::StringMap<Symbol> symbols;
  SmallVector<StringRef> symbolOrder;
  std::optional<LayerResult> loss;
  /// The per-step random seed, once a layer asked for it.
  Value seed;
  /// The first input and label declarations, and whether they were valid.
  const ast::DeclStmt *input = nullptr, *label = nullptr;
  bool inputOk = false, labelOk = false;
  /// The model computes in its input's float type: parameters, buffers and
  /// every computed value use it (f32 until an input says otherwise).
  Type floatType;
};

void ModelGen::build(const ast::Section &model) {
  body = new Block();
  b.setInsertionPointToStart(body);
  floatType = b.getF32Type();
  // Declarations first, inputs before labels: abi.h passes (input, label, ..)
  for (bool labels : {false, true})
    for (const auto &stmt : model.stmts)
      if (auto *decl = dyn_cast<ast::DeclStmt>(stmt.get()))
        if (decl->isLabel == labels)
          declare(*decl);
  if (!input)
    gen.error(model.kindLoc) << "the model declares no input, e.g. "
                                "`input x: f32[128, 784]`";
  if (!label)
    gen.error(model.kindLoc) << "the model declares no label, e.g. "
                                "`label y: i32[128]`";
  if (inputOk && labelOk && input->dims[0].value != label->dims[0].value) {
    gen.error(label->dims[0].loc)
        << "label batch size " << label->dims[0].value
        << " differs from input batch size " << input->dims[0].value;
    symbols[label->name].value = nullptr; // uses would repeat the error
  }
  for (const auto &stmt : model.stmts)
    if (auto *binding = dyn_cast<ast::BindingStmt>(stmt.get()))
      bind(*binding);
  if (!loss && !symbols.count("loss"))
    gen.error(model.rbraceLoc.isValid() ? model.rbraceLoc : model.kindLoc)
        << "the model defines no `loss`, e.g. "
           "`loss = softmax_cross_entropy(logits, y)`";

  Location loc = gen.loc(model.kindLoc);
  auto fn = func::FuncOp::create(loc, "model", b.getFunctionType({}, {}));
  fn.getBody().push_back(body);
  module.push_back(fn);
  if (gen.hasErrors())
    return;
  assert(loss && "a model without errors has a loss");
  b.setInsertionPointToEnd(body);
  SmallVector<Value> results{loss->value, loss->sampleLoss, loss->logits};
  b.create<func::ReturnOp>(loc, results);
  fn.setFunctionType(b.getFunctionType(body->getArgumentTypes(),
                                       ValueRange(results).getTypes()));
  fn->setAttr(attr::kEntry, EntryAttr::get(b.getContext(), rt::Entry::Eval));
  fn.setAllArgAttrs(argAttrs);
  MLIRContext *ctx = b.getContext();
  NamedAttrList logits(roleAttrs(ctx, rt::Role::Logits));
  logits.set(attr::kPrediction, PredictionAttr::get(ctx, loss->prediction));
  DictionaryAttr resultAttrs[] = {roleAttrs(ctx, rt::Role::Loss),
                                  roleAttrs(ctx, rt::Role::SampleLoss),
                                  logits.getDictionary(ctx)};
  fn.setAllResultAttrs(resultAttrs);
}

Value ModelGen::addArgument(Type type, ast::SourceLoc at, rt::Role role,
                            StringRef name, InitAttr init) {
  argAttrs.push_back(
      roleAttrs(b.getContext(), role, b.getStringAttr(name), init));
  return body->addArgument(type, gen.loc(at));
}

void ModelGen::declare(const ast::DeclStmt &decl) {
  StringRef kind = decl.isLabel ? "label" : "input";
  // Labels hold class indices (i32) or float targets, of any shape.
  bool dtypeOk =
      isFloatDType(decl.dtype) || (decl.isLabel && decl.dtype == "i32");
  const ast::DeclStmt *&first = decl.isLabel ? label : input;
  bool ok = !first;
  if (first)
    gen.error(decl.loc) << "a model has one " << kind << " (`" << first->name
                        << "` is declared already)";
  else
    first = &decl; // even when invalid: the model does declare one
  if (!dtypeOk) {
    gen.error(decl.dtypeLoc)
        << kind << " `" << decl.name << "` must be "
        << (decl.isLabel ? "i32, f32 or f64" : "f32 or f64") << ", got `"
        << decl.dtype << "`";
    ok = false;
  } else if (!decl.isLabel && ok) {
    floatType = decl.dtype == "f64" ? Type(b.getF64Type()) : b.getF32Type();
  } else if (decl.isLabel && input && decl.dtype != "i32" &&
             isFloatDType(input->dtype) && decl.dtype != input->dtype) {
    // One float type per model: the loss compares the label with values
    // computed in the input's type.
    InFlightDiagnostic diag = gen.error(decl.dtypeLoc)
                              << "label `" << decl.name << "` is " << decl.dtype
                              << " but input `" << input->name << "` is "
                              << input->dtype
                              << "; a model computes in one float type";
    diag.attachNote(gen.loc(input->dtypeLoc)) << "the input is declared here";
    ok = false;
  }
  SmallVector<int64_t> shape;
  int64_t elements = 1;
  bool overflow = false;
  for (const ast::Dim &dim : decl.dims) {
    if (dim.value <= 0) {
      gen.error(dim.loc) << "dimensions must be positive, got " << dim.value;
      ok = false;
    } else {
      overflow |= llvm::MulOverflow(elements, dim.value, elements);
    }
    shape.push_back(dim.value);
  }
  if (overflow) {
    gen.error(decl.nameLoc)
        << kind << " `" << decl.name << "` of shape " << formatShape(shape)
        << " has too many elements to count in 64 bits";
    ok = false;
  }
  Symbol symbol{nullptr, decl.nameLoc, decl.isLabel};
  if (ok && !symbols.count(decl.name)) {
    (decl.isLabel ? labelOk : inputOk) = true;
    Type element = decl.dtype == "i32" ? Type(b.getI32Type()) : floatType;
    symbol.value = addArgument(
        RankedTensorType::get(shape, element), decl.nameLoc,
        decl.isLabel ? rt::Role::Label : rt::Role::Input, decl.name, nullptr);
  }
  define(decl.name, decl.nameLoc, symbol);
}

void ModelGen::define(StringRef name, ast::SourceLoc at, Symbol symbol) {
  auto [it, inserted] = symbols.try_emplace(name, symbol);
  if (!inserted) {
    InFlightDiagnostic diag = gen.error(at)
                              << "`" << name << "` is already defined";
    diag.attachNote(gen.loc(it->second.loc)) << "previous definition is here";
    return;
  }
  symbolOrder.push_back(it->getKey());
}

void ModelGen::bind(const ast::BindingStmt &binding) {
  if (symbols.count(binding.name)) {
    define(binding.name, binding.nameLoc, Symbol{}); // reports the clash
    return;
  }
  // After its call is checked (`a = relu(a)` is undefined); null on errors.
  define(binding.name, binding.nameLoc, Symbol{emit(binding), binding.nameLoc});
}

Value ModelGen::emit(const ast::BindingStmt &binding) {
  auto *call = dyn_cast<ast::CallExpr>(binding.value.get());
  if (!call) {
    gen.error(binding.value->loc)
        << "expected a layer call such as `relu(" << binding.name << ")`";
    return nullptr;
  }
  const LayerSpec *spec = lookupLayer(call->callee);
  if (!spec) {
    InFlightDiagnostic diag = gen.error(call->calleeLoc)
                              << "unknown layer `" << call->callee << "`";
    suggest(diag, gen.loc(call->calleeLoc), call->callee, allLayerNames(),
            "layers");
    return nullptr;
  }
  std::optional<SmallVector<ArgValue>> args =
      checkCall(gen, *spec, *call,
                [&](const ArgSpec &arg, const ast::Expr &expr, StringRef what) {
                  return resolveTensor(arg, expr, what);
                });
  if (!args)
    return nullptr;
  Location loc =
      NameLoc::get(b.getStringAttr(binding.name), gen.loc(call->calleeLoc));
  LayerBuilder lb{b,
                  loc,
                  binding.name,
                  call->calleeLoc,
                  gen,
                  declarer(rt::Role::Param, binding),
                  declarer(rt::Role::Buffer, binding),
                  [&] {
                    if (!seed)
                      seed = addArgument(
                          RankedTensorType::get({}, b.getI64Type()),
                          binding.nameLoc, rt::Role::Rng, "rng", nullptr);
                    return seed;
                  },
                  static_cast<int64_t>(symbolOrder.size())};
  std::optional<LayerResult> result = spec->emit(lb, *args);
  if (!result)
    return nullptr;
  if (binding.name == "loss") {
    if (spec->isLoss)
      loss = result;
    else
      gen.error(call->calleeLoc)
          << "`loss` must be computed by a loss layer such as "
             "softmax_cross_entropy, not `"
          << spec->name << "`";
  } else if (spec->isLoss) {
    gen.error(binding.nameLoc) << "bind the loss to the name `loss`";
  }
  return result->value;
}

std::optional<ArgValue> ModelGen::resolveTensor(const ArgSpec &spec,
                                                const ast::Expr &expr,
                                                StringRef what) {
  auto *ident = dyn_cast<ast::IdentExpr>(&expr);
  if (!ident) {
    gen.error(expr.loc) << what << " must name a tensor";
    return std::nullopt;
  }
  auto it = symbols.find(ident->name);
  if (it == symbols.end()) {
    InFlightDiagnostic diag = gen.error(expr.loc) << "use of undefined name `"
                                                  << ident->name << "`";
    suggest(diag, gen.loc(expr.loc), ident->name, symbolOrder, "names");
    return std::nullopt;
  }
  const Symbol &symbol = it->second;
  if (!symbol.value)
    return std::nullopt; // its definition was reported already
  bool wantLabels = spec.kind == ArgKind::Labels;
  if (spec.kind != ArgKind::Targets && symbol.isLabel != wantLabels) {
    gen.error(expr.loc) << what << " must be "
                        << (wantLabels ? "a declared label" : "a tensor")
                        << ", `" << ident->name << "` is "
                        << (symbol.isLabel ? "a label" : "not a label");
    return std::nullopt;
  }
  // Labels are class indices (i32) or float targets; computed values are
  // floats.
  Type element =
      cast<RankedTensorType>(symbol.value.getType()).getElementType();
  bool isFloat = isa<FloatType>(element);
  if ((spec.kind == ArgKind::Labels) == isFloat) {
    std::string dtype;
    llvm::raw_string_ostream(dtype) << element;
    gen.error(expr.loc) << what << " must be "
                        << (wantLabels ? "an i32 label (class indices)"
                                       : "a float tensor (targets)")
                        << ", `" << ident->name << "` is an " << dtype
                        << " label";
    return std::nullopt;
  }
  return ArgValue{symbol.value, ident->name, 0};
}
} // namespace

namespace {
/// The names of the model's parameters (the param arguments of the eval
/// entry), which parameter groups select from.
std::vector<std::string> parameterNames(ModuleOp module) {
  std::vector<std::string> names;
  if (func::FuncOp eval = lookupEntry(module, rt::Entry::Eval))
    for (BlockArgument arg : argsWithRole(eval, rt::Role::Param))
      names.push_back(argName(eval, arg.getArgNumber()).str());
  return names;
}
} // namespace

OwningOpRef<ModuleOp> kiln::lang::buildModule(llvm::SourceMgr &sourceMgr,
                                              MLIRContext *ctx) {
  ctx->loadDialect<KilnDialect, func::FuncDialect>();
  const llvm::MemoryBuffer *buffer =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  std::unique_ptr<ast::File> file =
      parseFile(buffer->getBufferIdentifier(), buffer->getBuffer(), ctx);
  if (!file)
    return nullptr;

  GenContext gen(ctx, *file);
  llvm::StringMap<const ast::Section *> sections;
  const SmallVector<StringRef> kinds{"model", "train", "data"};
  for (const ast::Section &section : file->sections) {
    if (!llvm::is_contained(kinds, section.kind)) {
      InFlightDiagnostic diag = gen.error(section.kindLoc)
                                << "unknown section `" << section.kind << "`";
      suggest(diag, gen.loc(section.kindLoc), section.kind, kinds, "sections");
    } else if (auto [it, inserted] =
                   sections.try_emplace(section.kind, &section);
               !inserted) {
      InFlightDiagnostic diag = gen.error(section.kindLoc)
                                << "the file has more than one `"
                                << section.kind << "` section";
      diag.attachNote(gen.loc(it->second->kindLoc)) << "the first one is here";
    }
  }

  OwningOpRef<ModuleOp> module = ModuleOp::create(gen.loc({1, 1}));
  Builder b(ctx);
  // The train section's `init` is every layer's default scheme, so it is
  // checked before the model is built (and reported once).
  if (const ast::Section *train = sections.lookup("train"))
    for (const auto &stmt : train->stmts)
      if (auto *binding = dyn_cast<ast::BindingStmt>(stmt.get()))
        if (binding->name == "init" && !gen.defaultInit)
          gen.defaultInit = checkDefaultInit(gen, *binding->value);
  const ast::Section *model = sections.lookup("model");
  if (!model) {
    gen.error({1, 1}) << "the file has no `model` section";
  } else {
    ModelGen(gen, *module).build(*model);
    StringRef name = model->hasName() ? StringRef(model->name)
                                      : llvm::sys::path::stem(file->filename);
    (*module)->setAttr(attr::kModel, b.getStringAttr(name));
  }
  (*module)->setAttr(attr::kSource, b.getStringAttr(file->filename));
  if (TrainRecipeAttr train = buildTrainRecipe(gen, sections.lookup("train"),
                                               parameterNames(*module)))
    (*module)->setAttr(attr::kTrain, train);
  if (DataAttr data = buildDataRecipe(gen, sections.lookup("data")))
    (*module)->setAttr(attr::kData, data);
  if (gen.hasErrors() || failed(verify(*module)))
    return nullptr;
  return module;
}
