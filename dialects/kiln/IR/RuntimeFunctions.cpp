//===- RuntimeFunctions.cpp - The kernels generated code calls ------------===//
#include "dialects/kiln/IR/RuntimeFunctions.h"

#include "mlir/Dialect/LLVMIR/LLVMTypes.h"
#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace kiln::rt;

namespace {
template <typename T> constexpr Element elementOf();
template <> constexpr Element elementOf<float>() { return Element::F32; }
template <> constexpr Element elementOf<double>() { return Element::F64; }
template <> constexpr Element elementOf<uint8_t>() { return Element::U8; }

#define KILN_RT_IN(T, name)                                                    \
  RuntimeParam { ParamKind::In, elementOf<T>(), #name, "" }
#define KILN_RT_OUT(T, name)                                                   \
  RuntimeParam { ParamKind::Out, elementOf<T>(), #name, "" }
#define KILN_RT_IN_NCHW(T, name, layout)                                       \
  RuntimeParam { ParamKind::In, elementOf<T>(), #name, #layout }
#define KILN_RT_OUT_NCHW(T, name, layout)                                      \
  RuntimeParam { ParamKind::Out, elementOf<T>(), #name, #layout }
#define KILN_RT_I64(name)                                                      \
  RuntimeParam { ParamKind::I64, Element::None, #name, "" }
#define KILN_RT_F64(name)                                                      \
  RuntimeParam { ParamKind::F64, Element::None, #name, "" }

#define KILN_RT_CALL(symbol, ...)                                              \
  constexpr RuntimeParam symbol##_params[] = {__VA_ARGS__};
#include "kiln/abi/runtime_calls.def"

const RuntimeFunction kFunctions[] = {
#define KILN_RT_CALL(symbol, ...) {#symbol, symbol##_params},
#include "kiln/abi/runtime_calls.def"
};
} // namespace

SmallVector<RuntimeParam> RuntimeFunction::paramsOf(ParamKind kind) const {
  SmallVector<RuntimeParam> found;
  for (const RuntimeParam &param : params)
    if (param.kind == kind)
      found.push_back(param);
  return found;
}

bool RuntimeFunction::isLayoutScalar(StringRef name) const {
  return llvm::any_of(params,
                      [&](const RuntimeParam &p) { return p.layout == name; });
}

ArrayRef<RuntimeFunction> kiln::rt::runtimeFunctions() { return kFunctions; }

const RuntimeFunction &kiln::rt::runtimeFunction(Kernel kernel) {
  return kFunctions[static_cast<unsigned>(kernel)];
}

const RuntimeFunction *kiln::rt::lookupRuntimeFunction(StringRef symbol) {
  for (const RuntimeFunction &fn : kFunctions)
    if (fn.symbol == symbol)
      return &fn;
  return nullptr;
}

void kiln::rt::appendPlainLayouts(const RuntimeFunction &fn, MLIRContext *ctx,
                                  NamedAttrList &scalars) {
  Builder b(ctx);
  for (const RuntimeParam &param : fn.params)
    if (param.kind == ParamKind::I64 && fn.isLayoutScalar(param.name))
      scalars.append(param.name, b.getI64IntegerAttr(0));
}

Type kiln::rt::elementType(MLIRContext *ctx, Element element) {
  Builder b(ctx);
  switch (element) {
  case Element::F64:
    return b.getF64Type();
  case Element::U8:
    return b.getI8Type();
  case Element::F32:
  case Element::None:
    break;
  }
  return b.getF32Type();
}

FunctionType kiln::rt::functionType(MLIRContext *ctx,
                                    const RuntimeFunction &fn) {
  Builder b(ctx);
  SmallVector<Type> types;
  for (const RuntimeParam &param : fn.params)
    types.push_back(param.isBuffer() ? Type(LLVM::LLVMPointerType::get(ctx))
                    : param.kind == ParamKind::I64 ? Type(b.getI64Type())
                                                   : Type(b.getF64Type()));
  return b.getFunctionType(types, {});
}

std::string kiln::rt::checkScalars(const RuntimeFunction &fn,
                                   DictionaryAttr scalars) {
  size_t expected = 0;
  for (const RuntimeParam &param : fn.params) {
    if (param.isBuffer())
      continue;
    ++expected;
    Attribute value = scalars.get(param.name);
    bool ok = param.kind == ParamKind::I64
                  ? isa_and_nonnull<IntegerAttr>(value) &&
                        cast<IntegerAttr>(value).getType().isInteger(64)
                  : isa_and_nonnull<FloatAttr>(value) &&
                        cast<FloatAttr>(value).getType().isF64();
    if (!ok)
      return ("`" + fn.symbol + "` needs the scalar `" + param.name +
              "` as an " + (param.kind == ParamKind::I64 ? "i64" : "f64"))
          .str();
  }
  if (scalars.size() != expected)
    for (NamedAttribute entry : scalars)
      if (!llvm::any_of(fn.params, [&](const RuntimeParam &p) {
            return !p.isBuffer() && p.name == entry.getName();
          }))
        return ("`" + fn.symbol + "` has no scalar `" +
                entry.getName().getValue() + "`")
            .str();
  return "";
}
