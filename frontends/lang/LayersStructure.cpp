//===- LayersStructure.cpp - Layers that combine and rearrange tensors ----===//
//
// add and concat join branches (residual and dense connections); transpose,
// slice and reshape rearrange one tensor. All of them keep the batch in
// dimension 0: shapes and axes given by the user describe one sample's
// dimensions (reshape) or exclude axis 0 (concat, slice, transpose), so a
// layer can never mix samples. Axes and indices count from the end when
// negative, as in PyTorch.
//
//===----------------------------------------------------------------------===//
#include "frontends/lang/Layers.h"

#include "dialects/kiln/IR/KilnDialect.h"

#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lang;

namespace {
RankedTensorType typeOf(const ArgValue &arg) {
  return cast<RankedTensorType>(arg.tensor.getType());
}

/// The written list of a variadic integer argument, e.g. "0, 2, 1".
std::string listOf(const ArgValue &arg) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleaveComma(arg.items, os,
                        [&](const ArgValue &item) { os << item.integer; });
  return text;
}

std::optional<LayerResult> emitAdd(LayerBuilder &lb, ArrayRef<ArgValue> args) {
  if (typeOf(args[0]) != typeOf(args[1])) {
    lb.gen.error(lb.callLoc)
        << "add `" << lb.name << "` expects operands of one shape, got "
        << formatShape(typeOf(args[0]).getShape()) << " from `"
        << args[0].source << "` and " << formatShape(typeOf(args[1]).getShape())
        << " from `" << args[1].source << "`";
    return std::nullopt;
  }
  return LayerResult{
      lb.b.create<AddOp>(lb.loc, args[0].tensor, args[1].tensor)};
}

std::optional<LayerResult> emitConcat(LayerBuilder &lb,
                                      ArrayRef<ArgValue> args) {
  ArrayRef<ArgValue> inputs = args[0].items;
  std::optional<int64_t> axis = resolveAxis(lb, args[1], "concat", inputs[0]);
  if (!axis)
    return std::nullopt;
  ArrayRef<int64_t> first = typeOf(inputs[0]).getShape();
  SmallVector<Value> values;
  for (const ArgValue &input : inputs) {
    ArrayRef<int64_t> shape = typeOf(input).getShape();
    bool matches = shape.size() == first.size();
    for (int64_t dim = 0; matches && dim < static_cast<int64_t>(shape.size());
         ++dim)
      matches = dim == *axis || shape[dim] == first[dim];
    if (!matches) {
      lb.gen.error(lb.callLoc)
          << "concat `" << lb.name << "` cannot join " << formatShape(shape)
          << " from `" << input.source << "` to " << formatShape(first)
          << " from `" << inputs[0].source << "` along axis " << *axis
          << ": all other dimensions must match";
      return std::nullopt;
    }
    values.push_back(input.tensor);
  }
  return LayerResult{lb.b.create<ConcatOp>(lb.loc, values, *axis)};
}

std::optional<LayerResult> emitTranspose(LayerBuilder &lb,
                                         ArrayRef<ArgValue> args) {
  RankedTensorType type = typeOf(args[0]);
  int64_t rank = type.getRank();
  SmallVector<int64_t> permutation;
  SmallVector<bool> seen(rank, false);
  for (const ArgValue &item : args[1].items) {
    int64_t dim = item.integer < 0 ? item.integer + rank : item.integer;
    if (dim < 0 || dim >= rank || seen[dim])
      break;
    seen[dim] = true;
    permutation.push_back(dim);
  }
  if (static_cast<int64_t>(permutation.size()) != rank ||
      args[1].items.size() != permutation.size()) {
    lb.gen.error(lb.callLoc)
        << "transpose `" << lb.name << "` needs a permutation of the " << rank
        << " dimensions of " << formatShape(type.getShape()) << " from `"
        << args[0].source << "`, got " << listOf(args[1]);
    return std::nullopt;
  }
  if (permutation[0] != 0) {
    argError(lb, args[1].items[0])
        << "transpose `" << lb.name
        << "` must keep the batch dimension first: start the permutation "
           "with 0";
    return std::nullopt;
  }
  return LayerResult{
      lb.b.create<TransposeOp>(lb.loc, args[0].tensor, permutation)};
}

std::optional<LayerResult> emitSlice(LayerBuilder &lb,
                                     ArrayRef<ArgValue> args) {
  std::optional<int64_t> axis = resolveAxis(lb, args[1], "slice", args[0]);
  if (!axis)
    return std::nullopt;
  RankedTensorType type = typeOf(args[0]);
  int64_t size = type.getDimSize(*axis);
  auto index = [&](const ArgValue &arg) {
    return arg.integer < 0 ? arg.integer + size : arg.integer;
  };
  int64_t start = index(args[2]), end = index(args[3]);
  if (start < 0 || start >= end || end > size) {
    argError(lb, args[2]) << "slice `" << lb.name << "` range ["
                          << args[2].integer << ", " << args[3].integer
                          << ") is empty or outside dimension " << *axis
                          << " of " << formatShape(type.getShape()) << " from `"
                          << args[0].source << "` (size " << size << ")";
    return std::nullopt;
  }
  return LayerResult{
      lb.b.create<SliceOp>(lb.loc, args[0].tensor, *axis, start, end)};
}

/// Reshapes each sample: the result is [batch, shape...], with at most one
/// -1 in `shape` standing for the size that keeps the element count; an
/// empty `shape` makes samples of one element scalars, [batch].
std::optional<LayerResult> emitReshape(LayerBuilder &lb,
                                       ArrayRef<ArgValue> args) {
  RankedTensorType type = typeOf(args[0]);
  int64_t batch = type.getDimSize(0);
  int64_t perSample = type.getNumElements() / batch, known = 1;
  bool overflow = false;
  SmallVector<int64_t> shape{batch};
  std::optional<size_t> inferred;
  for (const ArgValue &item : args[1].items) {
    if (item.integer == -1 && !inferred) {
      inferred = shape.size();
    } else if (item.integer <= 0) {
      argError(lb, item) << "reshape `" << lb.name
                         << "` dimensions must be positive or a single -1, "
                            "got "
                         << item.integer;
      return std::nullopt;
    } else {
      overflow |= llvm::MulOverflow(known, item.integer, known);
    }
    shape.push_back(item.integer);
  }
  if (inferred && !overflow && perSample % known == 0)
    shape[*inferred] = perSample / known;
  bool fits = inferred ? shape[*inferred] != -1 : known == perSample;
  if (overflow || !fits) {
    lb.gen.error(lb.callLoc)
        << "reshape `" << lb.name << "` cannot reshape the " << perSample
        << " elements per sample of " << formatShape(type.getShape())
        << " from `" << args[0].source << "` to [" << listOf(args[1])
        << "] per sample";
    return std::nullopt;
  }
  auto result = RankedTensorType::get(shape, type.getElementType());
  return LayerResult{lb.b.create<ReshapeOp>(lb.loc, result, args[0].tensor)};
}
} // namespace

void kiln::lang::appendStructureLayers(std::vector<LayerSpec> &specs) {
  ArgSpec input{"input", ArgKind::Tensor, true, 0};
  auto ints = [](llvm::StringLiteral name) {
    return ArgSpec{name, ArgKind::Int, true, 0, /*variadic=*/true};
  };
  // Optional: without a shape each sample becomes a scalar, e.g. [N, 1]
  // logits to the [N] of binary targets.
  ArgSpec shape{"shape", ArgKind::Int, false, 0, /*variadic=*/true};
  specs.insert(specs.end(),
               {
                   {"add",
                    {{"lhs", ArgKind::Tensor, true, 0},
                     {"rhs", ArgKind::Tensor, true, 0}},
                    false,
                    emitAdd},
                   {"concat",
                    {{"inputs", ArgKind::Tensor, true, 0, /*variadic=*/true},
                     {"axis", ArgKind::Int, false, 1}},
                    false,
                    emitConcat},
                   {"transpose", {input, ints("dims")}, false, emitTranspose},
                   {"slice",
                    {input,
                     {"axis", ArgKind::Int, true, 0},
                     {"start", ArgKind::Int, true, 0},
                     {"end", ArgKind::Int, true, 0}},
                    false,
                    emitSlice},
                   {"reshape", {input, shape}, false, emitReshape},
               });
}
