//===- Target.h - Where a code generator plugs in ---------------*- C++ -*-===//
//
// Everything the compiler does for one kind of machine sits behind Target:
// which kiln ops its runtime's kernels take (as kiln.runtime_call), the
// passes from linalg on tensors to the LLVM dialect, object emission and the
// link line. The shared pipelines (Pipelines.h) call these hooks and nothing
// else is target-specific, so a new target (NVPTX next) adds a folder here
// and one line in registerKilnTargets (Pipelines.cpp), and touches no shared
// pass.
// docs/architecture.md walks through adding one.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_COMPILER_TARGET_TARGET_H
#define KILN_COMPILER_TARGET_TARGET_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

namespace kiln {

/// What code generation writes.
enum class EmitKind { LlvmIr, Object };

/// Choices of code generation that a user or a test may override.
struct CodegenOptions {
  /// Channels per block of the feature maps between the target's kernels:
  /// 0 for the target's choice, 1 for plain NCHW (to compare against).
  int64_t channelBlock = 0;
  /// Whether the target fuses ops into its kernels (off to compare against,
  /// or to see the unfused program).
  bool fuse = true;
};

class Target {
public:
  virtual ~Target() = default;
  /// The name `kilnc --target=NAME` takes, e.g. "cpu".
  virtual llvm::StringRef name() const = 0;
  /// One line for `kilnc --help`.
  virtual llvm::StringRef description() const = 0;

  /// Patterns that rewrite the kiln ops this target's runtime runs into
  /// kiln.runtime_call (kiln-select-library-calls applies them to kiln IR,
  /// before the linalg lowering). Convolutions and pooling have no linalg
  /// lowering: a target must take them here, or convert-kiln-to-linalg
  /// rejects them.
  virtual void populateLibraryCallPatterns(mlir::RewritePatternSet &) const = 0;
  /// Passes on kiln IR once the library calls are selected, before the
  /// linalg lowering: where a target rearranges the data its kernels see
  /// (the CPU's blocked layouts).
  virtual llvm::LogicalResult
  buildKilnPipeline(mlir::OpPassManager &pm,
                    const CodegenOptions &options) const = 0;
  /// The passes from linalg on tensors, with kiln.runtime_call ops, to the
  /// LLVM dialect, whose functions kiln-emit-entry-points then wraps.
  virtual llvm::LogicalResult
  buildCodegenPipeline(mlir::OpPassManager &pm) const = 0;
  /// Translates an LLVM-dialect module to optimised LLVM IR or an object.
  virtual llvm::LogicalResult emit(mlir::ModuleOp module, EmitKind kind,
                                   llvm::raw_pwrite_stream &os) const = 0;
  /// Links `object` with this target's runtime into the executable
  /// `output`; errors are printed.
  virtual llvm::LogicalResult link(llvm::StringRef object,
                                   llvm::StringRef output) const = 0;
};

/// Adds `target` to the registry (it must outlive every lookup).
void registerTarget(const Target &target);
/// Every registered target, in registration order.
llvm::ArrayRef<const Target *> allTargets();
/// The target called `name`, or null.
const Target *lookupTarget(llvm::StringRef name);

} // namespace kiln

#endif // KILN_COMPILER_TARGET_TARGET_H
