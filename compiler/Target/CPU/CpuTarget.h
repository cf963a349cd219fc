//===- CpuTarget.h - The host CPU with oneDNN -------------------*- C++ -*-===//
#ifndef KILN_COMPILER_TARGET_CPU_CPUTARGET_H
#define KILN_COMPILER_TARGET_CPU_CPUTARGET_H

namespace kiln {
/// Registers the `cpu` target and its passes.
void registerCpuTarget();
} // namespace kiln

#endif // KILN_COMPILER_TARGET_CPU_CPUTARGET_H
