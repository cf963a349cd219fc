//===- evaluate.h - Test-set evaluation with kiln_eval ----------*- C++ -*-===//
//
// kiln_eval has a fixed batch size, but test sets rarely divide evenly. The
// last partial batch is padded with samples wrapped around from the start of
// the set and only its valid rows are counted, so every test sample counts
// exactly once.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_EVALUATE_H
#define KILN_RUNTIME_EVALUATE_H

#include "kiln/buffer.h"
#include "kiln/dataset.h"
#include "kiln/manifest.h"

#include <vector>

namespace kiln {

using ProgramFn = void (*)(void **buffers);

struct EvalResult {
  double loss = 0.0;     ///< Mean per-sample loss over the whole set.
  double accuracy = 0.0; ///< Fraction of samples whose argmax logit is right.
};

/// Runs `eval` (abi.h: input, label, params... | loss, sample losses, logits)
/// over every sample of `data`. `input` and `label` are the batch buffers
/// shaped as in the manifest; they are overwritten.
EvalResult evaluate(ProgramFn eval, const Manifest &manifest,
                    const Dataset &data, std::vector<Tensor> &params,
                    Tensor &input, Tensor &label);

} // namespace kiln

#endif // KILN_RUNTIME_EVALUATE_H
