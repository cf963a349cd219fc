//===- Target.cpp - The registry of targets -------------------------------===//
#include "compiler/Target/Target.h"

#include "llvm/ADT/SmallVector.h"

using namespace kiln;

namespace {
llvm::SmallVector<const Target *> &registry() {
  static llvm::SmallVector<const Target *> targets;
  return targets;
}
} // namespace

void kiln::registerTarget(const Target &target) {
  if (!lookupTarget(target.name()))
    registry().push_back(&target);
}

llvm::ArrayRef<const Target *> kiln::allTargets() { return registry(); }

const Target *kiln::lookupTarget(llvm::StringRef name) {
  for (const Target *target : registry())
    if (target->name() == name)
      return target;
  return nullptr;
}
