//===- JitHarness.h - Run compiled kiln functions in-process ----*- C++ -*-===//
//
// Test support: compiles a kiln module with the real pipelines (autodiff,
// optionally the optimizer, the CPU lowering) and JIT-runs its packed entry
// points on host buffers. Tests thus check the code that binaries run, not a
// separate interpreter. JIT use is confined to tests; binaries never JIT.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_TESTS_UNIT_COMPILER_JITHARNESS_H
#define KILN_TESTS_UNIT_COMPILER_JITHARNESS_H

#include "compiler/Target/Target.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"

#include <string>
#include <vector>

namespace kiln::testing {

/// One argument or result buffer of an entry point, in f64, f32 or i32.
struct HostBuffer {
  mlir::RankedTensorType type;
  std::vector<double> f64;
  std::vector<float> f32;
  std::vector<int32_t> i32;

  explicit HostBuffer(mlir::RankedTensorType type);
  void *data();
  int64_t size() const { return type.getNumElements(); }
  double get(int64_t i) const;
  void set(int64_t i, double value);
  /// Every element, as doubles.
  std::vector<double> values() const;
};

class CompiledModule {
public:
  /// Parses `source`, runs `trainingPipeline` (e.g.
  /// "kiln-build-training-step") and the CPU lowering with `codegen`, and
  /// JIT-compiles it.
  /// Returns an error message on failure.
  std::string compile(const std::string &source,
                      const std::string &trainingPipeline,
                      const CodegenOptions &codegen = {});

  /// Argument buffers of entry `entry` (from its kiln.entry function).
  std::vector<HostBuffer> makeArguments(llvm::StringRef entry) const;
  /// Result buffers of entry `entry`.
  std::vector<HostBuffer> makeResults(llvm::StringRef entry) const;
  /// Calls kiln_<entry> with `args` followed by `results`; returns an error
  /// message if the entry point does not exist.
  std::string call(llvm::StringRef entry, std::vector<HostBuffer> &args,
                   std::vector<HostBuffer> &results);
  /// The kiln.role attribute of argument `index` of `entry`.
  std::string argRole(llvm::StringRef entry, unsigned index) const;
  /// The kiln.name attribute of argument `index` of `entry`, or "".
  std::string argName(llvm::StringRef entry, unsigned index) const;
  /// The kiln.role attribute of result `index` of `entry`.
  std::string resultRole(llvm::StringRef entry, unsigned index) const;
  /// The attributes of argument `index` of `entry` (kiln.init, kiln.name...).
  mlir::DictionaryAttr argAttrs(llvm::StringRef entry, unsigned index) const;

private:
  /// The function of entry `entry` ("eval", "train_step"...), or null.
  mlir::func::FuncOp function(llvm::StringRef entry) const;

  mlir::MLIRContext context;
  /// The module after the training pipeline, before lowering: it still has
  /// the signatures and attributes tests read.
  mlir::OwningOpRef<mlir::ModuleOp> kilnModule;
  std::unique_ptr<mlir::ExecutionEngine> engine;
};

} // namespace kiln::testing

#endif // KILN_TESTS_UNIT_COMPILER_JITHARNESS_H
