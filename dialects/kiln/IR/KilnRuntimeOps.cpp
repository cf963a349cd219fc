//===- KilnRuntimeOps.cpp - Calls of runtime kernels ----------------------===//
//
// kiln.runtime_call verifies against runtime_calls.def through
// RuntimeFunctions.h, so IR that passes the verifier lowers to a call whose
// signature matches the runtime's declaration.
//
//===----------------------------------------------------------------------===//
#include "dialects/kiln/IR/KilnDialect.h"
#include "dialects/kiln/IR/RuntimeFunctions.h"

using namespace mlir;
using namespace kiln;

const rt::RuntimeFunction &RuntimeCallOp::getFunction() {
  return *rt::lookupRuntimeFunction(getCallee());
}

LogicalResult RuntimeCallOp::verify() {
  const rt::RuntimeFunction *fn = rt::lookupRuntimeFunction(getCallee());
  if (!fn)
    return emitOpError() << "calls `" << getCallee()
                         << "`, which is not a kernel of runtime_calls.def";
  // Buffers: operands are the inputs, results the outputs, in order.
  for (auto [kind, values, noun] :
       {std::tuple{rt::ParamKind::In, ValueRange(getInputs()), "input"},
        std::tuple{rt::ParamKind::Out, ValueRange(getOutputs()), "output"}}) {
    SmallVector<rt::RuntimeParam> params = fn->paramsOf(kind);
    if (params.size() != values.size())
      return emitOpError() << "`" << getCallee() << "` takes " << params.size()
                           << " " << noun << " buffer"
                           << (params.size() == 1 ? "" : "s") << ", got "
                           << values.size();
    for (auto [param, value] : llvm::zip_equal(params, values)) {
      Type element = cast<RankedTensorType>(value.getType()).getElementType();
      if (element != rt::elementType(getContext(), param.element))
        return emitOpError()
               << noun << " `" << param.name << "` of `" << getCallee()
               << "` must hold " << rt::elementType(getContext(), param.element)
               << ", got " << element;
    }
  }
  // Scalars: exactly the table's, by name, of its type.
  size_t scalars = 0;
  for (const rt::RuntimeParam &param : fn->params) {
    if (param.isBuffer())
      continue;
    ++scalars;
    Attribute value = getScalars().get(param.name);
    bool ok = param.kind == rt::ParamKind::I64
                  ? isa_and_nonnull<IntegerAttr>(value) &&
                        cast<IntegerAttr>(value).getType().isInteger(64)
                  : isa_and_nonnull<FloatAttr>(value) &&
                        cast<FloatAttr>(value).getType().isF64();
    if (!ok)
      return emitOpError() << "`" << getCallee() << "` needs the scalar `"
                           << param.name << "` as an "
                           << (param.kind == rt::ParamKind::I64 ? "i64"
                                                                : "f64");
  }
  if (getScalars().size() != scalars)
    for (NamedAttribute entry : getScalars())
      if (!llvm::any_of(fn->params, [&](const rt::RuntimeParam &p) {
            return !p.isBuffer() && p.name == entry.getName();
          }))
        return emitOpError() << "`" << getCallee() << "` has no scalar `"
                             << entry.getName().getValue() << "`";
  return success();
}
