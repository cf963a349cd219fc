//===- ForwardEval.h - Run one kiln computation on given inputs -*- C++ -*-===//
//
// Test support for the forward numerical tests: wraps kiln IR into an eval
// entry point, compiles it with the real CPU pipeline through the JIT and
// runs it on host values, in f32 or f64. Tests compare the results with
// naive references written independently of the lowering.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_TESTS_UNIT_COMPILER_FORWARDEVAL_H
#define KILN_TESTS_UNIT_COMPILER_FORWARDEVAL_H

#include <string>
#include <vector>

namespace kiln::testing {

/// A computation: `args` is an MLIR argument list ("%x: tensor<4xELT>,
/// %y: tensor<4xi32>") and `body` computes `%out` of type `output`. Every
/// "ELT" is replaced by the element type under test.
struct Computation {
  std::string args;
  std::string body;
  std::string output;
};

/// Compiles `c` with element type `element` ("f32" or "f64"), runs it on
/// `inputs` (one vector per argument, i32 arguments included) and returns
/// the elements of %out. Records a test failure and returns {} on errors.
std::vector<double> evaluate(const Computation &c, const std::string &element,
                             const std::vector<std::vector<double>> &inputs);

/// `values` rounded to float when `element` is f32, so that references see
/// the inputs the compiled code sees.
std::vector<double> asElement(std::vector<double> values,
                              const std::string &element);

/// Compares elementwise with a tolerance suited to `element`: relative
/// 1e-12 in f64, 2e-6 in f32 (a few ulps after a reduction).
void expectClose(const std::vector<double> &actual,
                 const std::vector<double> &expected,
                 const std::string &element);

/// PyTorch's CrossEntropyLoss(label_smoothing = eps, reduction = 'none') of
/// scores [n, c, p] (p positions per sample) and labels [n, p].
std::vector<double> crossEntropyReference(const std::vector<double> &x,
                                          const std::vector<double> &y, int n,
                                          int c, int p, double eps);

} // namespace kiln::testing

#endif // KILN_TESTS_UNIT_COMPILER_FORWARDEVAL_H
