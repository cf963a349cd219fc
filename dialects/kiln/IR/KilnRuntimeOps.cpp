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
  std::string problem = rt::checkScalars(*fn, getScalars());
  if (!problem.empty())
    return emitOpError() << problem;
  return success();
}

void RuntimeCallOp::build(OpBuilder &builder, OperationState &state,
                          TypeRange outputs, rt::Kernel kernel,
                          ValueRange inputs, DictionaryAttr scalars) {
  build(builder, state, outputs, rt::runtimeFunction(kernel).symbol, inputs,
        scalars);
}
