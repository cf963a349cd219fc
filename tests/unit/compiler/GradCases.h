//===- GradCases.h - Gradient-check cases per op family ---------*- C++ -*-===//
//
// A case builds `%out` from f64 parameters (and `%labels`, an i32 tensor,
// tensor<4> unless the case says otherwise, filled with i % 3);
// GradientCheckTest.cpp wraps it into loss = sum(out * w) and compares the
// compiled gradient with central differences. Parameter values are drawn from
// +-[0.1, 1], away from kinks.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_TESTS_UNIT_COMPILER_GRADCASES_H
#define KILN_TESTS_UNIT_COMPILER_GRADCASES_H

#include <ostream>
#include <vector>

namespace kiln::testing {

struct GradCase {
  const char *name;
  const char *op;     // the kiln op under test
  const char *params; // "%p0: tensor<..>, %p1: tensor<..> buffer"
  const char *body;   // computes %out from the params
  const char *output; // type of %out
  /// The type of %labels.
  const char *labels = "tensor<4xi32>";
};

/// Names a case in test output instead of dumping its bytes.
inline void PrintTo(const GradCase &c, std::ostream *os) { *os << c.name; }

std::vector<GradCase> coreGradCases();
std::vector<GradCase> normGradCases();
std::vector<GradCase> convGradCases();
std::vector<GradCase> activationGradCases();
std::vector<GradCase> lossGradCases();
std::vector<GradCase> structureGradCases();

} // namespace kiln::testing

#endif // KILN_TESTS_UNIT_COMPILER_GRADCASES_H
