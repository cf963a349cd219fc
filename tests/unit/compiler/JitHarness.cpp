//===- JitHarness.cpp - Run compiled kiln functions in-process ------------===//
#include "JitHarness.h"

#include "compiler/Pipelines/Pipelines.h"
#include "dialects/kiln/IR/KilnConventions.h"
#include "kiln/abi.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/ExecutionEngine/Orc/Mangling.h"
#include "llvm/Support/TargetSelect.h"

using namespace mlir;
using namespace kiln::testing;

HostBuffer::HostBuffer(RankedTensorType type) : type(type) {
  Type element = type.getElementType();
  if (element.isF64())
    f64.assign(size(), 0.0);
  else if (element.isF32())
    f32.assign(size(), 0.0f);
  else
    i32.assign(size(), 0);
}

void *HostBuffer::data() {
  if (!f64.empty())
    return f64.data();
  if (!f32.empty())
    return f32.data();
  return i32.data();
}

double HostBuffer::get(int64_t i) const {
  if (!f64.empty())
    return f64[i];
  if (!f32.empty())
    return f32[i];
  return i32[i];
}

std::vector<double> HostBuffer::values() const {
  std::vector<double> all;
  all.reserve(size());
  for (int64_t i = 0; i < size(); ++i)
    all.push_back(get(i));
  return all;
}

void HostBuffer::set(int64_t i, double value) {
  if (!f64.empty())
    f64[i] = value;
  else if (!f32.empty())
    f32[i] = static_cast<float>(value);
  else
    i32[i] = static_cast<int32_t>(value);
}

std::string CompiledModule::compile(const std::string &source,
                                    const std::string &trainingPipeline,
                                    const CodegenOptions &codegen) {
  kiln::registerKilnPasses();
  DialectRegistry registry;
  kiln::registerKilnDialects(registry);
  context.appendDialectRegistry(registry);
  std::string diagnostics;
  llvm::raw_string_ostream os(diagnostics);
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    os << diag.getLocation() << ": " << diag << "\n";
    return success();
  });

  kilnModule = parseSourceString<ModuleOp>(source, &context);
  if (!kilnModule)
    return "parse error: " + diagnostics;
  PassManager training(&context);
  if (failed(parsePassPipeline(trainingPipeline, training)) ||
      failed(training.run(*kilnModule)))
    return "training pipeline failed: " + diagnostics;

  OwningOpRef<ModuleOp> lowered = kilnModule->clone();
  PassManager lowering(&context);
  if (failed(kiln::buildLoweringPipeline(lowering, *kiln::lookupTarget("cpu"),
                                         codegen)) ||
      failed(lowering.run(*lowered)))
    return "lowering failed: " + diagnostics;

  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  ExecutionEngineOptions options;
  options.transformer = makeOptimizingTransformer(2, 0, nullptr);
  auto created = ExecutionEngine::create(*lowered, options);
  if (!created)
    return "JIT failed: " + llvm::toString(created.takeError());
  engine = std::move(*created);
  engine->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    // The runtime's kernels (runtime_calls.def) that generated code calls.
    llvm::orc::SymbolMap symbols;
    auto add = [&](const char *name, auto *function) {
      symbols[interner(name)] = {llvm::orc::ExecutorAddr::fromPtr(function),
                                 llvm::JITSymbolFlags::Exported};
    };
#define KILN_RT_CALL(symbol, ...) add(#symbol, &symbol);
#include "kiln/abi/runtime_calls.def"
    add("kiln_rt_take_error", &kiln_rt_take_error);
    return symbols;
  });
  return "";
}

mlir::func::FuncOp CompiledModule::function(llvm::StringRef entry) const {
  std::optional<kiln::rt::Entry> parsed =
      kiln::rt::parse<kiln::rt::Entry>(entry);
  return parsed ? kiln::lookupEntry(*kilnModule, *parsed) : nullptr;
}

std::vector<HostBuffer>
CompiledModule::makeArguments(llvm::StringRef entry) const {
  std::vector<HostBuffer> buffers;
  for (Type type : function(entry).getArgumentTypes())
    buffers.emplace_back(cast<RankedTensorType>(type));
  return buffers;
}

std::vector<HostBuffer>
CompiledModule::makeResults(llvm::StringRef entry) const {
  std::vector<HostBuffer> buffers;
  for (Type type : function(entry).getResultTypes())
    buffers.emplace_back(cast<RankedTensorType>(type));
  return buffers;
}

std::string CompiledModule::argRole(llvm::StringRef entry,
                                    unsigned index) const {
  std::optional<kiln::rt::Role> role = kiln::argRole(function(entry), index);
  return role ? std::string(kiln::rt::name(*role)) : "";
}

std::string CompiledModule::argName(llvm::StringRef entry,
                                    unsigned index) const {
  StringAttr name = kiln::argName(function(entry), index);
  return name ? name.str() : "";
}

std::string CompiledModule::resultRole(llvm::StringRef entry,
                                       unsigned index) const {
  std::optional<kiln::rt::Role> role = kiln::resultRole(function(entry), index);
  return role ? std::string(kiln::rt::name(*role)) : "";
}

mlir::DictionaryAttr CompiledModule::argAttrs(llvm::StringRef entry,
                                              unsigned index) const {
  return function(entry).getArgAttrDict(index);
}

std::string CompiledModule::call(llvm::StringRef entry,
                                 std::vector<HostBuffer> &args,
                                 std::vector<HostBuffer> &results) {
  std::vector<void *> pointers;
  for (HostBuffer &buffer : args)
    pointers.push_back(buffer.data());
  for (HostBuffer &buffer : results)
    pointers.push_back(buffer.data());
  auto address = engine->lookup(("kiln_" + entry).str());
  if (!address)
    return llvm::toString(address.takeError());
  reinterpret_cast<void (*)(void **)> (*address)(pointers.data());
  const char *failure = kiln_rt_take_error();
  return failure ? failure : "";
}
