//===- KilnEnums.td - The kinds a training recipe names ----*- tablegen -*-===//
//
// The optimizers, learning-rate schedules, warm-ups, gradient clippings and
// line searches a recipe can name. Which settings each kind takes, their
// defaults and ranges, live beside them in RecipeVocabulary.cpp: the
// vocabulary of a recipe belongs to the IR, so every frontend builds the same
// recipes and the verifier checks hand-written IR as strictly as the
// frontend's. What the runtime reads (roles, entry points, init kinds,
// datasets, targets) is in the ABI tables of runtime/include/kiln/abi/.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_ENUMS_TD
#define KILN_ENUMS_TD

include "mlir/IR/EnumAttr.td"

def Kiln_OptimizerKind : I32EnumAttr<"OptimizerKind", "an optimizer", [
    I32EnumAttrCase<"Sgd", 0, "sgd">,
    I32EnumAttrCase<"Adam", 1, "adam">,
    I32EnumAttrCase<"AdamW", 2, "adamw">,
    I32EnumAttrCase<"Adagrad", 3, "adagrad">,
    I32EnumAttrCase<"RmsProp", 4, "rmsprop">,
    // Its step H^-1 g is solved by the runtime (a full-batch method).
    I32EnumAttrCase<"Newton", 5, "newton">]> {
  let cppNamespace = "::kiln";
  let genSpecializedAttr = 0;
}

def Kiln_ScheduleKind : I32EnumAttr<"ScheduleKind", "a learning-rate schedule", [
    I32EnumAttrCase<"Constant", 0, "constant">,
    I32EnumAttrCase<"Step", 1, "step">,
    I32EnumAttrCase<"MultiStep", 2, "multi_step">,
    I32EnumAttrCase<"Exponential", 3, "exponential">,
    I32EnumAttrCase<"InverseTime", 4, "inverse_time">,
    I32EnumAttrCase<"Cosine", 5, "cosine">,
    I32EnumAttrCase<"ReduceOnPlateau", 6, "reduce_on_plateau">]> {
  let cppNamespace = "::kiln";
  let genSpecializedAttr = 0;
}

def Kiln_WarmupKind : I32EnumAttr<"WarmupKind", "a learning-rate warm-up", [
    I32EnumAttrCase<"Linear", 0, "linear">]> {
  let cppNamespace = "::kiln";
  let genSpecializedAttr = 0;
}

def Kiln_ClipKind : I32EnumAttr<"ClipKind", "a gradient clipping", [
    I32EnumAttrCase<"Value", 0, "value">,
    I32EnumAttrCase<"GlobalNorm", 1, "global_norm">,
    I32EnumAttrCase<"TensorNorm", 2, "tensor_norm">]> {
  let cppNamespace = "::kiln";
  let genSpecializedAttr = 0;
}

def Kiln_LineSearchKind : I32EnumAttr<"LineSearchKind", "a line search", [
    I32EnumAttrCase<"Armijo", 0, "armijo">]> {
  let cppNamespace = "::kiln";
  let genSpecializedAttr = 0;
}

def Kiln_Prediction : I32EnumAttr<"Prediction",
    "what a model's outputs predict, hence their probabilities and metric", [
    // Scores of classes along dimension 1: softmax, argmax accuracy.
    I32EnumAttrCase<"ClassScores", 0, "class_scores">,
    // One logit per position for 0/1 targets: sigmoid, sign accuracy.
    I32EnumAttrCase<"BinaryLogits", 1, "binary_logits">,
    // Regression outputs: no probabilities, no metric.
    I32EnumAttrCase<"Values", 2, "values">]> {
  let cppNamespace = "::kiln";
  let genSpecializedAttr = 0;
}

#endif // KILN_ENUMS_TD
