//===- RuntimeFunctions.h - The kernels generated code calls ----*- C++ -*-===//
//
// runtime/include/kiln/abi/runtime_calls.def expanded for the compiler: each
// kernel's symbol and its parameters in order, with their kind, element type
// and name. kiln.runtime_call is verified against this table and lowered
// from it, and the runtime's C declarations come from the same table, so a
// call and the declaration it calls cannot disagree.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_DIALECT_KILN_IR_RUNTIMEFUNCTIONS_H
#define KILN_DIALECT_KILN_IR_RUNTIMEFUNCTIONS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OperationSupport.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace kiln::rt {

enum class ParamKind {
  In,  ///< const T *: a buffer the kernel reads
  Out, ///< T *: a buffer the kernel writes
  I64, ///< int64_t
  F64, ///< double
};

/// The element type of a buffer parameter.
enum class Element { None, F32, F64, U8 };

struct RuntimeParam {
  ParamKind kind;
  Element element;
  llvm::StringRef name;
  /// For an activation buffer (KILN_RT_IN_NCHW, KILN_RT_OUT_NCHW), the i64
  /// scalar that names its layout; else empty.
  llvm::StringRef layout;

  bool isBuffer() const {
    return kind == ParamKind::In || kind == ParamKind::Out;
  }
};

struct RuntimeFunction {
  llvm::StringRef symbol;
  llvm::ArrayRef<RuntimeParam> params;

  /// The parameters of `kind`, in order.
  llvm::SmallVector<RuntimeParam> paramsOf(ParamKind kind) const;
  /// Whether the scalar `name` is the layout of some activation buffer.
  bool isLayoutScalar(llvm::StringRef name) const;
};

/// Every kernel of runtime_calls.def by its symbol, so that a pattern names
/// the kernel it calls and a misspelling does not compile.
enum class Kernel : unsigned {
#define KILN_RT_CALL(symbol, ...) symbol,
#include "kiln/abi/runtime_calls.def"
};

/// Every kernel of runtime_calls.def, in its order.
llvm::ArrayRef<RuntimeFunction> runtimeFunctions();
const RuntimeFunction &runtimeFunction(Kernel kernel);
/// The kernel called `symbol`, or null.
const RuntimeFunction *lookupRuntimeFunction(llvm::StringRef symbol);

/// Why `scalars` cannot be the scalar arguments of `fn` (each scalar
/// parameter by name, i64 or f64, and nothing else), or "" when it can.
std::string checkScalars(const RuntimeFunction &fn,
                         mlir::DictionaryAttr scalars);

/// Appends 0 (row-major NCHW) for each layout scalar of `fn`: the layout of
/// a call before kiln-cpu-assign-layouts chooses one.
void appendPlainLayouts(const RuntimeFunction &fn, mlir::MLIRContext *ctx,
                        mlir::NamedAttrList &scalars);

/// The element type `element` in `ctx`.
mlir::Type elementType(mlir::MLIRContext *ctx, Element element);
/// The type of the kernel's declaration in generated code: !llvm.ptr per
/// buffer, i64 and f64 scalars, no results.
mlir::FunctionType functionType(mlir::MLIRContext *ctx,
                                const RuntimeFunction &fn);

} // namespace kiln::rt

#endif // KILN_DIALECT_KILN_IR_RUNTIMEFUNCTIONS_H
