//===- Pipelines.h - Kiln's pass pipelines and registration -----*- C++ -*-===//
//
// The two halves of compilation as named pipelines, shared by kilnc and
// kiln-opt so both run exactly the same passes:
//   kiln-train:         forward graph -> training step (kiln IR)
//   kiln-lower-to-llvm: kiln IR -> LLVM dialect with runtime entry points
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_PIPELINES_PIPELINES_H
#define KILN_COMPILER_PIPELINES_PIPELINES_H

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"

namespace kiln {

/// Autodiff and optimizer insertion, then cleanup.
llvm::LogicalResult buildTrainingPipeline(mlir::OpPassManager &pm);
/// Lowering of kiln IR to the LLVM dialect for the host CPU.
llvm::LogicalResult buildCpuLoweringPipeline(mlir::OpPassManager &pm);

/// Every dialect, interface model and translation the pipelines use.
void registerKilnDialects(mlir::DialectRegistry &registry);
/// Kiln's passes, the upstream passes the pipelines name, and the pipelines.
/// Calling it again does nothing.
void registerKilnPasses();

} // namespace kiln

#endif // KILN_COMPILER_PIPELINES_PIPELINES_H
