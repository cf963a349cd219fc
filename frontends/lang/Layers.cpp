//===- Layers.cpp - The layers a model file can call ----------------------===//
//
// Layer semantics follow PyTorch: `linear` stores its weight [out, in] and
// computes x W^T + b, with torch.nn.Linear's default initialisation
// U(-1/sqrt(in), 1/sqrt(in)) for weight and bias. Checks here speak in the
// user's terms (layer, binding and shapes); the kiln ops re-verify the IR.
//
//===----------------------------------------------------------------------===//
#include "frontends/lang/Layers.h"

#include "dialects/kiln/IR/KilnDialect.h"
#include "frontends/lang/InitSchemes.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lang;

namespace {
std::optional<LayerResult> emitFlatten(LayerBuilder &lb,
                                       ArrayRef<ArgValue> args) {
  RankedTensorType type = typeOf(args[0].tensor);
  int64_t features = 1;
  for (int64_t dim : type.getShape().drop_front())
    features *= dim;
  auto flat = RankedTensorType::get({type.getDimSize(0), features},
                                    type.getElementType());
  return LayerResult{lb.b.create<ReshapeOp>(lb.loc, flat, args[0].tensor)};
}

std::optional<LayerResult> emitLinear(LayerBuilder &lb,
                                      ArrayRef<ArgValue> args) {
  Value x = args[0].tensor;
  RankedTensorType type = typeOf(x);
  if (type.getRank() != 2) {
    InFlightDiagnostic diag = lb.gen.error(lb.callLoc)
                              << "linear `" << lb.name
                              << "` expects a 2-D input [batch, features], got "
                              << formatShape(type.getShape()) << " from `"
                              << args[0].source << "`";
    if (type.getRank() > 2)
      diag.attachNote(lb.gen.loc(lb.callLoc))
          << "flatten it first, e.g. `h = flatten(" << args[0].source << ")`";
    return std::nullopt;
  }
  int64_t in = type.getDimSize(1), out = args[1].integer;
  std::optional<LayerInits> inits = layerInits(lb, args[4], {out, in});
  if (!inits)
    return std::nullopt;
  Value weight = addWeight(lb, {out, in}, inits->weight, args[3].integer);
  Value y = lb.b.create<MatmulOp>(lb.loc, x, weight, /*transpose_lhs=*/false,
                                  /*transpose_rhs=*/true);
  if (args[2].integer)
    y = lb.b.create<BiasAddOp>(lb.loc, y,
                               lb.addParameter("bias", {out}, inits->bias));
  return LayerResult{y};
}

std::optional<LayerResult> emitRelu(LayerBuilder &lb, ArrayRef<ArgValue> args) {
  return LayerResult{lb.b.create<ReluOp>(lb.loc, args[0].tensor)};
}

} // namespace

void kiln::lang::appendCoreLayers(std::vector<LayerSpec> &specs) {
  specs.insert(
      specs.end(),
      {
          {"flatten",
           {{"input", ArgKind::Tensor, true, 0}},
           false,
           emitFlatten},
          {"linear",
           {{"input", ArgKind::Tensor, true, 0},
            {"out_features", ArgKind::PositiveInt, true, 0},
            {"bias", ArgKind::Bool, false, 1},
            {"weight_norm", ArgKind::Bool, false, 0},
            {"init", ArgKind::Init, false, 0}},
           false,
           emitLinear},
          {"relu", {{"input", ArgKind::Tensor, true, 0}}, false, emitRelu},
      });
}

namespace {
/// Every family's layers; a new family adds its append function here.
const std::vector<LayerSpec> &layers() {
  static const std::vector<LayerSpec> specs = [] {
    std::vector<LayerSpec> all;
    appendCoreLayers(all);
    appendNormLayers(all);
    appendActivationLayers(all);
    appendLossLayers(all);
    appendStructureLayers(all);
    appendConvLayers(all);
    appendNormalizeLayers(all);
    return all;
  }();
  return specs;
}
} // namespace

const LayerSpec *kiln::lang::lookupLayer(StringRef name) {
  for (const LayerSpec &spec : layers())
    if (spec.name == name)
      return &spec;
  return nullptr;
}

SmallVector<StringRef> kiln::lang::allLayerNames() {
  SmallVector<StringRef> names;
  for (const LayerSpec &spec : layers())
    names.push_back(spec.name);
  return names;
}
