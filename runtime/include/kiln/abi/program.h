//===- program.h - Entry points, roles and metrics as C++ enums -*- C++ -*-===//
//
// program.def expanded into enums and name tables, for the compiler (the
// #kiln.role and #kiln.entry attributes, the manifest writer) and the
// runtime (manifest parsing, binding) alike. Plain C++17: the runtime never
// includes MLIR or LLVM.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_ABI_PROGRAM_H
#define KILN_RUNTIME_ABI_PROGRAM_H

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string_view>

namespace kiln::rt {

enum class Entry : uint8_t {
#define KILN_ENTRY(Enumerator, name, summary) Enumerator,
#include "kiln/abi/program.def"
};

enum class Role : uint8_t {
#define KILN_ROLE(Enumerator, name, use, summary) Enumerator,
#include "kiln/abi/program.def"
};

enum class Metric : uint8_t {
#define KILN_METRIC(Enumerator, name, summary) Enumerator,
#include "kiln/abi/program.def"
};

enum class Init : uint8_t {
#define KILN_INIT(Enumerator, name, first, second) Enumerator,
#include "kiln/abi/program.def"
};

enum class Dataset : uint8_t {
#define KILN_DATASET(Enumerator, name, summary) Enumerator,
#include "kiln/abi/program.def"
};

enum class Targets : uint8_t {
#define KILN_TARGETS(Enumerator, name, summary) Enumerator,
#include "kiln/abi/program.def"
};

/// Where a role may appear in an entry point's signature.
enum class RoleUse : uint8_t { Argument = 1, Result = 2, Both = 3 };

struct EntryInfo {
  std::string_view name;
  std::string_view summary;
};
struct RoleInfo {
  std::string_view name;
  RoleUse use;
  std::string_view summary;
};
struct MetricInfo {
  std::string_view name;
  std::string_view summary;
};
struct InitInfo {
  std::string_view name;
  /// The names of the kind's settings, "" past its last.
  std::string_view settings[2];
};
/// Datasets and targets: a name and what it is.
struct KindInfo {
  std::string_view name;
  std::string_view summary;
};

inline constexpr EntryInfo kEntries[] = {
#define KILN_ENTRY(Enumerator, name, summary) {name, summary},
#include "kiln/abi/program.def"
};
inline constexpr RoleInfo kRoles[] = {
#define KILN_ROLE(Enumerator, name, use, summary) {name, RoleUse::use, summary},
#include "kiln/abi/program.def"
};
inline constexpr MetricInfo kMetrics[] = {
#define KILN_METRIC(Enumerator, name, summary) {name, summary},
#include "kiln/abi/program.def"
};

inline constexpr InitInfo kInits[] = {
#define KILN_INIT(Enumerator, name, first, second) {name, {first, second}},
#include "kiln/abi/program.def"
};
inline constexpr KindInfo kDatasets[] = {
#define KILN_DATASET(Enumerator, name, summary) {name, summary},
#include "kiln/abi/program.def"
};
inline constexpr KindInfo kTargets[] = {
#define KILN_TARGETS(Enumerator, name, summary) {name, summary},
#include "kiln/abi/program.def"
};

inline constexpr size_t kNumEntries = std::size(kEntries);

/// The table of each enum, by overload: what name() and parse() read.
constexpr const auto &tableOf(Entry) { return kEntries; }
constexpr const auto &tableOf(Role) { return kRoles; }
constexpr const auto &tableOf(Metric) { return kMetrics; }
constexpr const auto &tableOf(Init) { return kInits; }
constexpr const auto &tableOf(Dataset) { return kDatasets; }
constexpr const auto &tableOf(Targets) { return kTargets; }

/// The spelling of `value` in program.def ("train_step", "param", ...).
template <typename Enum> constexpr std::string_view name(Enum value) {
  return tableOf(value)[static_cast<size_t>(value)].name;
}

/// The enumerator spelled `text` in program.def, or nothing.
template <typename Enum>
constexpr std::optional<Enum> parse(std::string_view text) {
  const auto &table = tableOf(Enum{});
  for (size_t i = 0; i < std::size(table); ++i)
    if (table[i].name == text)
      return static_cast<Enum>(i);
  return std::nullopt;
}

/// Every enumerator of `Enum`, in program.def's order.
template <typename Enum> constexpr size_t count() {
  return std::size(tableOf(Enum{}));
}

/// Whether `role` may appear among an entry point's arguments or results.
constexpr bool isArgumentRole(Role role) {
  return static_cast<uint8_t>(kRoles[static_cast<size_t>(role)].use) &
         static_cast<uint8_t>(RoleUse::Argument);
}
constexpr bool isResultRole(Role role) {
  return static_cast<uint8_t>(kRoles[static_cast<size_t>(role)].use) &
         static_cast<uint8_t>(RoleUse::Result);
}
/// Params, buffers and state: tensors that the model keeps between calls,
/// named, held by the runtime rather than passed in or read out per batch.
constexpr bool isModelTensor(Role role) {
  return role == Role::Param || role == Role::Buffer || role == Role::State;
}

} // namespace kiln::rt

#endif // KILN_RUNTIME_ABI_PROGRAM_H
