//===- OptimizerReference.h - torch.optim updates in f64 --------*- C++ -*-===//
//
// Test support: the update rules of torch.optim (SGD, Adam, AdamW, Adagrad,
// RMSprop) written out from PyTorch's documented algorithms, one parameter
// at a time in f64, independent of the compiler's rules, to check the
// compiled updates against.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_TESTS_UNIT_COMPILER_OPTIMIZERREFERENCE_H
#define KILN_TESTS_UNIT_COMPILER_OPTIMIZERREFERENCE_H

#include <map>
#include <string>
#include <vector>

namespace kiln::testing {

/// Hyper-parameters by name; booleans are 0 or 1.
using Hyper = std::map<std::string, double>;

/// One parameter's optimizer state, created on the first step as PyTorch
/// creates it lazily.
struct ReferenceState {
  double step = 0;
  std::map<std::string, std::vector<double>> slots;
};

/// Applies one step of optimizer `name` to `param` with gradient `grad`;
/// false for an optimizer it does not know.
bool referenceStep(const std::string &name, const Hyper &hyper,
                   std::vector<double> &param, std::vector<double> grad,
                   ReferenceState &state);

} // namespace kiln::testing

#endif // KILN_TESTS_UNIT_COMPILER_OPTIMIZERREFERENCE_H
