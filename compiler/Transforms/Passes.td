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
    Clones the evaluation entry point (`kiln.entry = #kiln.entry<eval>`)
    into `@train_step`, which returns the loss and the gradient of the loss
    with respect to every parameter (`kiln.role = #kiln.role<param>`) that
    no frozen group of the recipe names, built from each op's
    DifferentiableOpInterface.
    Fails with one diagnostic that lists every op on the gradient path that
    has no vector-Jacobian product.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def ReportGradientNorm : Pass<"kiln-report-grad-norm", "mlir::ModuleOp"> {
  let summary = "Returns the global L2 norm of @train_step's gradients";
  let description = [{
    Appends a result `kiln.role = #kiln.role<grad_norm>`: the L2 norm of all
    gradients
    together, before clipping (the value torch.nn.utils.clip_grad_norm_
    returns). The runtime writes it to the step log. Runs right after
    kiln-build-training-step.
  }];
}

def ClipGradients : Pass<"kiln-clip-gradients", "mlir::ModuleOp"> {
  let summary = "Clips @train_step's gradients as the recipe says";
  let description = [{
    Reads `clip` of the module's `#kiln.train` recipe
    (`#kiln.clip<value, clip_value = V>`, `#kiln.clip<global_norm,
    max_norm = M>` or `#kiln.clip<tensor_norm, max_norm = M>`) and rewrites
    the gradient results of `@train_step` like PyTorch's clip_grad_value_ and
    clip_grad_norm_.
    Does nothing without `clip`. Runs between kiln-build-training-step and
    kiln-insert-optimizer.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def BuildHessian : Pass<"kiln-build-hessian", "mlir::ModuleOp"> {
  let summary = "Derives the Hessian of the loss for Newton's method";
  let description = [{
    When the optimizer of the module's `#kiln.train` recipe is newton,
    clones the evaluation entry point into `@hessian`
    (`kiln.entry = #kiln.entry<hessian>`), which returns the loss, the
    gradient of each parameter and the P x P Hessian
    (`kiln.role = #kiln.role<hessian>`) over all P
    parameter elements, flattened row-major and concatenated in parameter
    order. Differentiates the gradient again (reverse over reverse). Fails for
    more than 512 parameters and for ops with a training form (batch
    normalization, dropout). Does nothing for other optimizers.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def BuildPredict : Pass<"kiln-build-predict", "mlir::ModuleOp"> {
  let summary = "Derives the inference entry point @predict from the model";
  let description = [{
    Clones the evaluation entry point into `@predict`
    (`kiln.entry = #kiln.entry<predict>`), which takes the inputs, params,
    buffers and rng but no label, and returns the logits and, as their
    `kiln.prediction` says, the probabilities: the softmax over dimension 1
    of class scores, the sigmoid of binary logits; regression values have
    none. Ops keep their inference form.
  }];
}

def InsertOptimizer : Pass<"kiln-insert-optimizer", "mlir::ModuleOp"> {
  let summary = "Inserts the optimizer update into the training step";
  let description = [{
    Reads the optimizer of the module's `#kiln.train` recipe, adds its state
    (e.g. momentum buffers) to `@train_step`'s arguments and replaces the
    returned gradients with the updated parameters and state. Parameters take
    the settings of the first matching parameter group (`groups`); frozen
    ones are not updated. The learning rate follows `schedule` and `warmup`,
    read from clock arguments (`kiln.role` = #kiln.role<epoch>, <step> or
    <lr_scale>) that the runtime sets each step, and is returned as
    `kiln.role = #kiln.role<lr>`.
    Full-batch methods (`newton`, or a `line_search`) are left alone:
    `@train_step` keeps returning the loss, the gradients and the gradient
    norm, and the runtime takes the steps.
  }];
}

#endif // KILN_TRANSFORMS_PASSES_TD
