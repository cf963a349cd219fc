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

#include <functional>

namespace kiln::lang {

enum class ArgKind {
  Tensor,      // a value computed earlier or an input
  Labels,      // a declared label tensor
  PositiveInt, // an integer literal > 0
  Bool,        // true / false
};

struct ArgSpec {
  llvm::StringLiteral name;
  ArgKind kind;
  bool required;       // required arguments may be given by position
  double defaultValue; // for optional arguments
};

/// A checked argument: `tensor` and `source` (its name in the file) for
/// tensors, `integer` for integers and booleans.
struct ArgValue {
  mlir::Value tensor;
  std::string source;
  int64_t integer = 0;
};

/// What a layer call produced. Losses also expose the per-sample losses and
/// the logits, which evaluation reads.
struct LayerResult {
  mlir::Value value;
  mlir::Value sampleLoss;
  mlir::Value logits;
};

/// What an emitter may use: the builder, the call's location, the binding's
/// name and a way to declare parameters.
struct LayerBuilder {
  mlir::OpBuilder &b;
  mlir::Location loc;
  llvm::StringRef name;
  ast::SourceLoc callLoc;
  GenContext &gen;
  /// Declares parameter `name.suffix` of `shape`, initialised per `init`.
  std::function<mlir::Value(llvm::StringRef suffix,
                            llvm::ArrayRef<int64_t> shape,
                            mlir::DictionaryAttr init)>
      addParameter;
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

const LayerSpec *lookupLayer(llvm::StringRef name);

/// Each family of layers adds its specs in its own file (Layers*.cpp).
void appendCoreLayers(std::vector<LayerSpec> &specs);
llvm::SmallVector<llvm::StringRef> allLayerNames();

} // namespace kiln::lang

#endif // KILN_FRONTENDS_LANG_LAYERS_H
