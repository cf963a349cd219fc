//===- Layers.h - The layers a model file can call --------------*- C++ -*-===//
//
// Private to frontends/lang. Each layer is a LayerSpec: its signature, which
// MLIRGen checks and reports on generically, and an emitter that builds kiln
// ops, creating the layer's parameters with PyTorch's names, layouts and
// default initialisation. Adding a layer means adding one spec.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTENDS_LANG_LAYERS_H
#define KILN_FRONTENDS_LANG_LAYERS_H

#include "frontends/lang/GenContext.h"

#include "mlir/IR/BuiltinTypes.h"

#include <functional>

namespace kiln::lang {

enum class ArgKind {
  Tensor,      // a value computed earlier or an input
  Labels,      // a declared i32 label: class indices
  Targets,     // an f32 tensor: a declared f32 label or a computed value
  PositiveInt, // an integer literal > 0
  Bool,        // true / false
  Real,        // any number
  Rate,        // a number in [0, 1)
  Int,         // any integer literal, e.g. an axis (negative from the end)
  // An integer literal >= 0.
  NonNegativeInt,
  // An integer literal >= 0, or the string "same" (kept in ArgValue::text).
  Padding,
  // An initialization scheme, checked by layerInits (ArgValue::expr).
  Init,
};

struct ArgSpec {
  llvm::StringLiteral name;
  ArgKind kind;
  bool required;       // required arguments may be given by position
  double defaultValue; // for optional arguments
  /// Takes every remaining positional argument (at least one when
  /// required); the arguments after it can only be given by keyword.
  bool variadic = false;
};

/// A checked argument: `tensor` and `source` (its name in the file) for
/// tensors, `integer` for integers and booleans, `real` for numbers, and
/// for a variadic argument its values in `items`. `loc` is where it was
/// written (invalid for defaults).
struct ArgValue {
  mlir::Value tensor;
  std::string source;
  int64_t integer = 0;
  double real = 0.0;
  ast::SourceLoc loc = {};
  std::vector<ArgValue> items = {};
  /// The string given for a Padding argument ("same").
  std::string text = {};
  /// The expression given for an Init argument; null when not given.
  const ast::Expr *expr = nullptr;
};

/// What a layer call produced. Losses also expose the per-sample losses and
/// the logits, which evaluation reads, and what those logits predict.
struct LayerResult {
  mlir::Value value;
  mlir::Value sampleLoss;
  mlir::Value logits;
  Prediction prediction = Prediction::Values;
};

/// What an emitter may use: the builder, the call's location, the binding's
/// name, and ways to declare parameters, buffers and randomness.
struct LayerBuilder {
  mlir::OpBuilder &b;
  mlir::Location loc;
  llvm::StringRef name;
  ast::SourceLoc callLoc;
  GenContext &gen;
  /// Declares parameter `name.suffix` of `shape`, initialised per `init`.
  std::function<mlir::Value(llvm::StringRef suffix,
                            llvm::ArrayRef<int64_t> shape, InitAttr init)>
      addParameter;
  /// Declares buffer `name.suffix`: state that is not trained but updated
  /// while training (running statistics), saved with the parameters.
  std::function<mlir::Value(llvm::StringRef suffix,
                            llvm::ArrayRef<int64_t> shape, InitAttr init)>
      addBuffer;
  /// The per-step random seed, declared on first use.
  std::function<mlir::Value()> randomSeed;
  /// A number unique to this layer call, so random layers draw independent
  /// streams from one seed.
  int64_t stream;
};

struct LayerSpec {
  llvm::StringLiteral name;
  std::vector<ArgSpec> args;
  bool isLoss;
  /// Builds the layer; reports errors through `lb.gen` and returns
  /// std::nullopt on failure.
  std::optional<LayerResult> (*emit)(LayerBuilder &lb,
                                     llvm::ArrayRef<ArgValue> args);
};

/// The ranked tensor type of `value`.
inline mlir::RankedTensorType typeOf(mlir::Value value) {
  return llvm::cast<mlir::RankedTensorType>(value.getType());
}

/// Checks that the tensor argument `x` of `layer` has between `minRank` and
/// `maxRank` dimensions; otherwise reports, at the call, "LAYER `name`
/// expects a N-D input DIMS" (or "expects DIMS" for a range) with the shape
/// and the name it came from.
bool expectRank(LayerBuilder &lb, llvm::StringRef layer, const ArgValue &x,
                int64_t minRank, int64_t maxRank, llvm::StringRef dims);

const LayerSpec *lookupLayer(llvm::StringRef name);

/// Resolves a tensor argument (kinds Tensor, Labels, Targets) named by
/// `expr`; `what` names the argument in messages.
using TensorResolver = llvm::function_ref<std::optional<ArgValue>(
    const ArgSpec &spec, const ast::Expr &expr, llvm::StringRef what)>;
/// Matches `call`'s arguments with `spec`'s, checks literal arguments and
/// resolves tensors; reports every mistake and returns std::nullopt if any
/// (LayerArgs.cpp).
std::optional<llvm::SmallVector<ArgValue>> checkCall(GenContext &gen,
                                                     const LayerSpec &spec,
                                                     const ast::CallExpr &call,
                                                     TensorResolver resolve);
/// Reports an error at `arg`, or at the call if `arg` was not written.
mlir::InFlightDiagnostic argError(LayerBuilder &lb, const ArgValue &arg);
/// The weight of a linear or convolution layer: parameter `weight` of
/// `shape` with the uniform `init`, or with `weightNorm` PyTorch's weight
/// normalization of it (WeightNorm.cpp).
mlir::Value addWeight(LayerBuilder &lb, llvm::ArrayRef<int64_t> shape,
                      InitAttr init, bool weightNorm);
/// The dimension that the integer `axis` names in `tensor` (negative axes
/// count from the end), or an error: layers never work across the batch
/// dimension 0.
std::optional<int64_t> resolveAxis(LayerBuilder &lb, const ArgValue &axis,
                                   llvm::StringRef layer,
                                   const ArgValue &tensor);

/// Each family of layers adds its specs in its own file (Layers*.cpp).
void appendCoreLayers(std::vector<LayerSpec> &specs);
void appendNormLayers(std::vector<LayerSpec> &specs);
void appendActivationLayers(std::vector<LayerSpec> &specs);
void appendLossLayers(std::vector<LayerSpec> &specs);
void appendStructureLayers(std::vector<LayerSpec> &specs);
void appendConvLayers(std::vector<LayerSpec> &specs);
void appendNormalizeLayers(std::vector<LayerSpec> &specs);
llvm::SmallVector<llvm::StringRef> allLayerNames();

} // namespace kiln::lang

#endif // KILN_FRONTENDS_LANG_LAYERS_H
