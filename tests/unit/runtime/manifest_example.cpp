//===- manifest_example.cpp - A manifest for the runtime's tests ----------===//
#include "manifest_example.h"

#include "kiln/error.h"
#include "kiln/manifest.h"

#include <gtest/gtest.h>

namespace kiln::test {

const char *const kExampleManifest = R"({"kiln_abi": 2, "model": "fashion_mlp",
 "source": "examples/fashion_mlp.kiln",
 "input": {"name": "x", "shape": [128, 784], "dtype": "f32"},
 "label": {"name": "y", "shape": [128], "dtype": "i32", "classes": 10},
 "params": [
   {"name": "fc1.weight", "shape": [256, 784],
    "init": {"kind": "uniform", "low": -0.0357, "high": 0.0357}},
   {"name": "fc1.bias", "shape": [256], "init": {"kind": "constant", "value": 0.1}},
   {"name": "fc2.weight", "shape": [10, 256],
    "init": {"kind": "normal", "mean": 0, "std": 0.05}}],
 "buffers": [
   {"name": "bn1.running_mean", "shape": [256], "init": {"kind": "zeros"}},
   {"name": "bn1.running_var", "shape": [256],
    "init": {"kind": "constant", "value": 1.0}}],
 "state": [{"name": "fc1.weight.momentum_buffer", "shape": [256, 784],
            "init": {"kind": "zeros"}}],
 "entries": {
   "eval": {
     "args": [{"role": "input", "name": "x"}, {"role": "label", "name": "y"},
              {"role": "param", "name": "fc1.weight"},
              {"role": "param", "name": "fc1.bias"},
              {"role": "param", "name": "fc2.weight"},
              {"role": "buffer", "name": "bn1.running_mean"},
              {"role": "buffer", "name": "bn1.running_var"},
              {"role": "rng", "name": "rng", "shape": [], "dtype": "i64"}],
     "results": [{"role": "loss", "shape": [], "dtype": "f32"},
                 {"role": "sample_loss", "shape": [128], "dtype": "f32"},
                 {"role": "logits", "shape": [128, 10], "dtype": "f32"}],
     "metrics": ["accuracy"]},
   "train_step": {
     "args": [{"role": "input", "name": "x", "shape": [128, 784],
               "dtype": "f32"},
              {"role": "label", "name": "y"},
              {"role": "param", "name": "fc1.weight"},
              {"role": "param", "name": "fc1.bias"},
              {"role": "param", "name": "fc2.weight"},
              {"role": "buffer", "name": "bn1.running_mean"},
              {"role": "buffer", "name": "bn1.running_var"},
              {"role": "rng", "name": "rng", "shape": [], "dtype": "i64"},
              {"role": "state", "name": "fc1.weight.momentum_buffer"}],
     "results": [{"role": "loss", "shape": [], "dtype": "f32"},
                 {"role": "param", "name": "fc1.weight"},
                 {"role": "param", "name": "fc1.bias"},
                 {"role": "param", "name": "fc2.weight"},
                 {"role": "buffer", "name": "bn1.running_mean"},
                 {"role": "buffer", "name": "bn1.running_var"},
                 {"role": "state", "name": "fc1.weight.momentum_buffer"}]},
   "predict": {
     "args": [{"role": "input", "name": "x"},
              {"role": "param", "name": "fc1.weight"},
              {"role": "param", "name": "fc1.bias"},
              {"role": "param", "name": "fc2.weight"},
              {"role": "buffer", "name": "bn1.running_mean"},
              {"role": "buffer", "name": "bn1.running_var"}],
     "results": [{"role": "logits", "shape": [128, 10], "dtype": "f32"},
                 {"role": "probabilities", "shape": [128, 10],
                  "dtype": "f32"}]}},
 "train": {"epochs": 5, "seed": 0},
 "data": {"dataset": "fashion_mnist", "dir": "/usr/share/datasets/fashion-mnist",
          "normalize": {"mean": 0.286, "std": 0.353}}})";

nlohmann::json f64ExampleManifest() {
  nlohmann::json j = nlohmann::json::parse(kExampleManifest);
  j["input"]["dtype"] = "f64";
  j["label"] = {{"name", "y"}, {"shape", {128}}, {"dtype", "f64"}};
  for (const char *list : {"params", "buffers", "state"})
    for (nlohmann::json &tensor : j[list])
      tensor["dtype"] = "f64";
  for (auto &entry : j["entries"])
    for (const char *side : {"args", "results"})
      for (nlohmann::json &b : entry[side])
        if (b.contains("dtype") && b["dtype"] == "f32")
          b["dtype"] = "f64";
  // 0/1 targets: one logit per sample.
  for (const char *entry : {"eval", "predict"})
    for (nlohmann::json &b : j["entries"][entry]["results"])
      if (b["role"] == "logits" || b["role"] == "probabilities")
        b["shape"] = {128};
  j["entries"]["eval"]["metrics"] = {"binary_accuracy"};
  j["data"] = {{"dataset", "synthetic_logistic"},
               {"synthetic_logistic",
                {{"n", 1000}, {"d", 784}, {"bias", 0.5}, {"seed", 1234}}}};
  return j;
}

std::string manifestError(const nlohmann::json &manifest) {
  try {
    parseManifest(manifest.dump());
  } catch (const Error &e) {
    return e.what();
  }
  ADD_FAILURE() << "parseManifest did not throw";
  return "";
}

} // namespace kiln::test
