//===- LibraryCalls.h - The kiln ops the CPU runtime runs -------*- C++ -*-===//
//
// Private to the CPU target: the patterns that turn convolutions, pooling
// and f32 batch normalization into kiln.runtime_call of the runtime's
// kernels (oneDNN for f32, reference loops for f64), with the scalars each
// kernel's table entry names.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_TARGET_CPU_LIBRARYCALLS_H
#define KILN_COMPILER_TARGET_CPU_LIBRARYCALLS_H

#include "mlir/IR/PatternMatch.h"

namespace kiln::cpu {

/// Convolutions and pooling, f32 and f64 (ConvToRuntime.cpp).
void populateConvLibraryCalls(mlir::RewritePatternSet &patterns);
/// f32 batch normalization; f64 keeps the linalg lowering
/// (BatchNormToRuntime.cpp).
void populateBatchNormLibraryCalls(mlir::RewritePatternSet &patterns);

} // namespace kiln::cpu

#endif // KILN_COMPILER_TARGET_CPU_LIBRARYCALLS_H
