//===- Pipelines.h - Kiln's pass pipelines and registration -----*- C++ -*-===//
//
// The two halves of compilation as named pipelines, shared by kilnc and
// kiln-opt so both run exactly the same passes:
//   kiln-train:                      forward graph -> training step, predict
//   kiln-lower-to-llvm{target=cpu}:  kiln IR -> LLVM dialect with the
//                                    runtime's entry points, for a target
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_PIPELINES_PIPELINES_H
#define KILN_COMPILER_PIPELINES_PIPELINES_H

#include "compiler/Target/Target.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"

namespace kiln {

/// Autodiff, the inference entry point and optimizer insertion, then
/// cleanup.
llvm::LogicalResult buildTrainingPipeline(mlir::OpPassManager &pm);
/// Lowering of kiln IR to the LLVM dialect for `target`: the shared passes
/// around the target's own (Target.h).
llvm::LogicalResult buildLoweringPipeline(mlir::OpPassManager &pm,
                                          const Target &target,
                                          const CodegenOptions &options = {});

/// Every dialect, interface model and translation the pipelines use.
void registerKilnDialects(mlir::DialectRegistry &registry);
/// Kiln's targets, its passes, the upstream passes the pipelines name, and
/// the pipelines. Calling it again does nothing.
void registerKilnPasses();
/// Kiln's targets (registerKilnPasses registers them too).
void registerKilnTargets();

} // namespace kiln

#endif // KILN_COMPILER_PIPELINES_PIPELINES_H
