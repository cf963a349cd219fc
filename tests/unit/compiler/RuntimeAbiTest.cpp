//===- RuntimeAbiTest.cpp - Kernel declarations against call builders -----===//
//
// Generated code calls each kernel of runtime_calls.def through the
// declaration the compiler builds (declareRuntimeFunction); the runtime
// defines it against abi.h's C declaration. Both come from the one table,
// and this test holds them together: for every kernel it reads the C
// parameter types off the function itself (a template deduces them from
// &symbol) and compares them, one by one, with the compiler's view of the
// table and the type of the func.func it declares. A hand edit of either
// side, or a change of how the compiler maps a table entry to a type, fails
// here instead of passing wrong numbers at run time.
//
//===----------------------------------------------------------------------===//
#include "compiler/Conversion/RuntimeCalls.h"
#include "kiln/abi.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

using namespace mlir;
using namespace kiln;

namespace {

/// What one C parameter type is, in the table's terms.
struct CParam {
  rt::ParamKind kind;
  rt::Element element;
};

template <typename T> CParam cParam();
template <> CParam cParam<const float *>() {
  return {rt::ParamKind::In, rt::Element::F32};
}
template <> CParam cParam<const double *>() {
  return {rt::ParamKind::In, rt::Element::F64};
}
template <> CParam cParam<float *>() {
  return {rt::ParamKind::Out, rt::Element::F32};
}
template <> CParam cParam<double *>() {
  return {rt::ParamKind::Out, rt::Element::F64};
}
template <> CParam cParam<const uint8_t *>() {
  return {rt::ParamKind::In, rt::Element::U8};
}
template <> CParam cParam<uint8_t *>() {
  return {rt::ParamKind::Out, rt::Element::U8};
}
template <> CParam cParam<int64_t>() {
  return {rt::ParamKind::I64, rt::Element::None};
}
template <> CParam cParam<double>() {
  return {rt::ParamKind::F64, rt::Element::None};
}

/// The type generated code passes for a C parameter: buffers as pointers.
Type loweredType(MLIRContext *ctx, CParam param) {
  switch (param.kind) {
  case rt::ParamKind::In:
  case rt::ParamKind::Out:
    return LLVM::LLVMPointerType::get(ctx);
  case rt::ParamKind::I64:
    return IntegerType::get(ctx, 64);
  case rt::ParamKind::F64:
    return Float64Type::get(ctx);
  }
  llvm_unreachable("every kind is covered");
}

std::string spelling(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  type.print(os);
  return text;
}

class RuntimeAbi : public ::testing::Test {
protected:
  RuntimeAbi() {
    ctx.loadDialect<func::FuncDialect, LLVM::LLVMDialect>();
    module = ModuleOp::create(UnknownLoc::get(&ctx));
  }
  ~RuntimeAbi() override { module->erase(); }

  /// The declaration the compiler builds for `fn` in generated code.
  FunctionType declaredType(const rt::RuntimeFunction &fn) {
    OpBuilder b(&ctx);
    lowering::declareRuntimeFunction(b, module, fn);
    auto decl = module.lookupSymbol<func::FuncOp>(fn.symbol);
    return decl ? decl.getFunctionType() : FunctionType();
  }

  /// Compares kernel `symbol`'s C declaration, `function`, with the table
  /// entry and the declaration the compiler builds for it.
  template <typename... Args>
  void expectAgrees(const char *symbol, void (*function)(Args...)) {
    SCOPED_TRACE(symbol);
    ASSERT_NE(function, nullptr);
    const rt::RuntimeFunction *fn = rt::lookupRuntimeFunction(symbol);
    ASSERT_NE(fn, nullptr) << "the compiler does not know the kernel";
    ++checked;
    std::vector<CParam> c = {cParam<Args>()...};
    ASSERT_EQ(fn->params.size(), c.size());
    FunctionType declared = declaredType(*fn);
    ASSERT_TRUE(declared);
    ASSERT_EQ(declared.getNumInputs(), c.size());
    EXPECT_EQ(declared.getNumResults(), 0u);
    for (size_t i = 0; i < c.size(); ++i) {
      SCOPED_TRACE("parameter " + std::to_string(i) + " `" +
                   fn->params[i].name.str() + "`");
      EXPECT_EQ(fn->params[i].kind, c[i].kind);
      EXPECT_EQ(fn->params[i].element, c[i].element);
      EXPECT_EQ(spelling(declared.getInput(i)),
                spelling(loweredType(&ctx, c[i])));
    }
  }

  MLIRContext ctx;
  ModuleOp module;
  size_t checked = 0;
};

TEST_F(RuntimeAbi, EveryDeclarationMatchesTheCompilersCall) {
#define KILN_RT_CALL(symbol, ...) expectAgrees(#symbol, &symbol);
#include "kiln/abi/runtime_calls.def"
  // Every kernel the compiler can call was compared.
  EXPECT_EQ(checked, rt::runtimeFunctions().size());
}

TEST_F(RuntimeAbi, BuffersComeBeforeScalarsAndInputsBeforeOutputs) {
  // The order kiln.runtime_call and the lowering rely on.
  for (const rt::RuntimeFunction &fn : rt::runtimeFunctions()) {
    SCOPED_TRACE(fn.symbol.str());
    int last = 0;
    for (const rt::RuntimeParam &param : fn.params) {
      int rank = param.kind == rt::ParamKind::In    ? 0
                 : param.kind == rt::ParamKind::Out ? 1
                                                    : 2;
      EXPECT_GE(rank, last) << "`" << param.name.str() << "` is out of order";
      last = rank;
    }
    EXPECT_FALSE(fn.paramsOf(rt::ParamKind::Out).empty())
        << "a kernel writes at least one buffer";
  }
}

} // namespace
