//===- Frontend.h - Model files to kiln IR ----------------------*- C++ -*-===//
//
// The frontend's one entry point: parse a model file, check it, and build
// the kiln IR module that the compiler pipelines take.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTENDS_LANG_FRONTEND_H
#define KILN_FRONTENDS_LANG_FRONTEND_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/SourceMgr.h"

namespace kiln::lang {

/// Builds the module for the model file in `sourceMgr`'s main buffer (whose
/// identifier is the file name). Every error in the file is reported through
/// `ctx`'s diagnostic handler (usually an mlir::SourceMgrDiagnosticHandler
/// over the same `sourceMgr`); returns null if there was any.
mlir::OwningOpRef<mlir::ModuleOp> buildModule(llvm::SourceMgr &sourceMgr,
                                              mlir::MLIRContext *ctx);

} // namespace kiln::lang

#endif // KILN_FRONTENDS_LANG_FRONTEND_H
