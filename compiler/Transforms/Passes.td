//===- Passes.td - Training passes on the kiln dialect -----*- tablegen -*-===//
//
// The passes that turn a model's forward graph into a training step. They run
// on kiln IR so each stage prints as readable IR.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_TRANSFORMS_PASSES_TD
#define KILN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def BuildTrainingStep : Pass<"kiln-build-training-step", "mlir::ModuleOp"> {
  let summary = "Derives the backward graph of the model by reverse-mode autodiff";
  let description = [{
    Clones the evaluation entry point (`kiln.entry = "eval"`) into
    `@train_step`, which returns the loss and the gradient of the loss with
    respect to every parameter (`kiln.role = "param"`), built from each op's
    DifferentiableOpInterface. Fails with one diagnostic that lists every op
    on the gradient path that has no vector-Jacobian product.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def ClipGradients : Pass<"kiln-clip-gradients", "mlir::ModuleOp"> {
  let summary = "Clips @train_step's gradients as the recipe says";
  let description = [{
    Reads `clip` of the module's `kiln.train` attribute (`{kind = "value",
    clip_value = V}`, `{kind = "global_norm", max_norm = M}` or
    `{kind = "tensor_norm", max_norm = M}`) and rewrites the gradient results
    of `@train_step` like PyTorch's clip_grad_value_ and clip_grad_norm_.
    Does nothing without `clip`. Runs between kiln-build-training-step and
    kiln-insert-optimizer.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def InsertOptimizer : Pass<"kiln-insert-optimizer", "mlir::ModuleOp"> {
  let summary = "Inserts the optimizer update into the training step";
  let description = [{
    Reads the optimizer of the module's `kiln.train` attribute, adds its state
    (e.g. momentum buffers) to `@train_step`'s arguments and replaces the
    returned gradients with the updated parameters and state.
  }];
}

#endif // KILN_TRANSFORMS_PASSES_TD
