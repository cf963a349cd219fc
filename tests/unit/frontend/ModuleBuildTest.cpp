//===- ModuleBuildTest.cpp - The IR the frontend builds for valid files ---===//
//
// Valid files build a module that verifies, with no diagnostics, whose @model
// function has the evaluation signature and the attributes of
// KilnConventions.h (roles, PyTorch parameter names and layouts, initializers,
// outputs), and whose module attributes hold the training and data recipes
// with every default filled in.
//
//===----------------------------------------------------------------------===//

#include "BuildHelpers.h"

#include "dialects/kiln/IR/KilnConventions.h"

#include "mlir/IR/Verifier.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mlir;
using namespace kiln;
using namespace kiln::test;

namespace {

/// Builds a file that must be valid.
std::unique_ptr<BuildOutput>
buildValid(llvm::StringRef source, llvm::StringRef filename = "test.kiln") {
  std::unique_ptr<BuildOutput> out = buildText(source, filename);
  EXPECT_EQ(out->diagnostics, "");
  EXPECT_TRUE(out->module);
  if (out->module) {
    EXPECT_TRUE(succeeded(verify(*out->module)));
  }
  return out;
}

std::string readExample(llvm::StringRef name) {
  auto buffer = llvm::MemoryBuffer::getFile(std::string(KILN_SOURCE_DIR) +
                                            "/examples/" + name.str());
  EXPECT_TRUE(buffer) << "cannot read examples/" << name.str();
  return buffer ? (*buffer)->getBuffer().str() : "";
}

/// `type` printed, e.g. "tensor<256x784xf32>".
std::string str(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  type.print(os);
  return text;
}

/// The names of the ops in `fn`'s body, e.g. "kiln.matmul".
std::vector<std::string> opNames(func::FuncOp fn) {
  std::vector<std::string> names;
  for (Operation &op : fn.getBody().front())
    names.push_back(op.getName().getStringRef().str());
  return names;
}

[[maybe_unused]] double real(DictionaryAttr dict, llvm::StringRef key) {
  auto value = dict.getAs<FloatAttr>(key);
  EXPECT_TRUE(value) << key.str();
  return value ? value.getValueAsDouble() : NAN;
}

int64_t integer(DictionaryAttr dict, llvm::StringRef key) {
  auto value = dict.getAs<IntegerAttr>(key);
  EXPECT_TRUE(value) << key.str();
  return value ? value.getInt() : -1;
}

} // namespace

TEST(ModuleBuild, FashionMlpSignature) {
  auto out = buildValid(readExample("fashion_mlp.kiln"), "fashion_mlp.kiln");
  ASSERT_TRUE(out->module);
  ModuleOp module = *out->module;
  EXPECT_EQ(module->getAttrOfType<StringAttr>(attr::kModel).getValue(),
            "fashion_mlp");
  EXPECT_EQ(module->getAttrOfType<StringAttr>(attr::kSource).getValue(),
            "fashion_mlp.kiln");

  func::FuncOp fn = lookupEntry(module, rt::Entry::Eval);
  ASSERT_TRUE(fn);
  EXPECT_EQ(fn.getSymName(), "model");
  struct Arg {
    const char *role, *name, *type;
  };
  const Arg expected[] = {
      {"input", "x", "tensor<128x1x28x28xf32>"},
      {"label", "y", "tensor<128xi32>"},
      {"param", "fc1.weight", "tensor<256x784xf32>"},
      {"param", "fc1.bias", "tensor<256xf32>"},
      {"param", "fc2.weight", "tensor<128x256xf32>"},
      {"param", "fc2.bias", "tensor<128xf32>"},
      {"param", "fc3.weight", "tensor<10x128xf32>"},
      {"param", "fc3.bias", "tensor<10xf32>"},
  };
  ASSERT_EQ(fn.getNumArguments(), std::size(expected));
  for (auto [index, arg] : llvm::enumerate(expected)) {
    SCOPED_TRACE(arg.name);
    EXPECT_EQ(roleName(argRole(fn, index)), arg.role);
    EXPECT_EQ(argName(fn, index).getValue(), arg.name);
    EXPECT_EQ(str(fn.getArgument(index).getType()), arg.type);
    auto init = fn.getArgAttrOfType<InitAttr>(index, attr::kInit);
    EXPECT_EQ(bool(init), llvm::StringRef(arg.role) == "param");
  }

  const char *outputs[] = {"loss", "sample_loss", "logits"};
  const char *resultTypes[] = {"tensor<f32>", "tensor<128xf32>",
                               "tensor<128x10xf32>"};
  ASSERT_EQ(fn.getNumResults(), 3u);
  for (unsigned i = 0; i < 3; ++i) {
    EXPECT_EQ(roleName(resultRole(fn, i)), outputs[i]);
    EXPECT_EQ(str(fn.getResultTypes()[i]), resultTypes[i]);
  }
}

TEST(ModuleBuild, LinearUsesPyTorchInitialization) {
  auto out = buildValid(readExample("fashion_mlp.kiln"));
  ASSERT_TRUE(out->module);
  func::FuncOp fn = lookupEntry(*out->module, rt::Entry::Eval);
  ASSERT_TRUE(fn);
  // U(-1/sqrt(in), 1/sqrt(in)) for weight and bias: in = 784, 256, 128.
  const double fanIn[] = {784, 784, 256, 256, 128, 128};
  for (unsigned index = 2; index < 8; ++index) {
    auto init = fn.getArgAttrOfType<InitAttr>(index, attr::kInit);
    ASSERT_TRUE(init);
    EXPECT_EQ(init.getKind(), rt::Init::Uniform);
    double bound = 1.0 / std::sqrt(fanIn[index - 2]);
    EXPECT_DOUBLE_EQ(init.getReal("low"), -bound);
    EXPECT_DOUBLE_EQ(init.getReal("high"), bound);
  }
}

TEST(ModuleBuild, FashionMlpOps) {
  auto out = buildValid(readExample("fashion_mlp.kiln"));
  ASSERT_TRUE(out->module);
  func::FuncOp fn = lookupEntry(*out->module, rt::Entry::Eval);
  ASSERT_TRUE(fn);
  std::vector<std::string> expected = {
      "kiln.reshape",    "kiln.matmul",
      "kiln.bias_add",   "kiln.relu",
      "kiln.matmul",     "kiln.bias_add",
      "kiln.relu",       "kiln.matmul",
      "kiln.bias_add",   "kiln.softmax_cross_entropy",
      "kiln.reduce_sum", "kiln.scale",
      "func.return"};
  EXPECT_EQ(opNames(fn), expected);

  // Ops are located at their callee and named after their binding.
  Operation &matmul = *std::next(fn.getBody().front().begin());
  auto loc = dyn_cast<NameLoc>(matmul.getLoc());
  ASSERT_TRUE(loc);
  EXPECT_EQ(loc.getName().getValue(), "fc1");
  auto at = dyn_cast<FileLineColLoc>(loc.getChildLoc());
  ASSERT_TRUE(at);
  EXPECT_EQ(at.getLine(), 8u);
  EXPECT_EQ(at.getColumn(), 10u);
}

TEST(ModuleBuild, FashionMlpRecipes) {
  auto out = buildValid(readExample("fashion_mlp.kiln"));
  ASSERT_TRUE(out->module);
  ModuleOp module = *out->module;
  TrainRecipeAttr train = getTrainRecipe(module);
  ASSERT_TRUE(train);
  EXPECT_EQ(static_cast<int64_t>(train.getEpochs()), 5);
  EXPECT_EQ(static_cast<int64_t>(train.getSeed()), 0);
  OptimizerAttr optimizer = train.getOptimizer();
  ASSERT_TRUE(optimizer);
  EXPECT_EQ(optimizer.getKind(), OptimizerKind::Sgd);
  EXPECT_DOUBLE_EQ(optimizer.getReal("lr"), 0.05);
  EXPECT_DOUBLE_EQ(optimizer.getReal("momentum"), 0.9);
  EXPECT_DOUBLE_EQ(optimizer.getReal("weight_decay"), 0.0);
  EXPECT_FALSE(optimizer.getFlag("nesterov"));

  DatasetAttr data = getDataRecipe(module).getDataset();
  ASSERT_TRUE(data);
  EXPECT_EQ(data.getKind(), rt::Dataset::FashionMnist);
  EXPECT_EQ(data.getText("dir"), "/usr/share/datasets/fashion-mnist");
  EXPECT_DOUBLE_EQ(data.getReal("mean"), 0.2860);
  EXPECT_DOUBLE_EQ(data.getReal("std"), 0.3530);
}

TEST(ModuleBuild, Defaults) {
  // No data section, no epochs or seed, only the learning rate; an unnamed
  // model is named after its file.
  auto out = buildValid("model {\n  input x: f32[4, 8]\n  label y: i32[4]\n"
                        "  fc = linear(x, 3)\n"
                        "  loss = softmax_cross_entropy(fc, y)\n}\n" +
                            std::string(kTrain),
                        "dir/net.kiln");
  ASSERT_TRUE(out->module);
  ModuleOp module = *out->module;
  EXPECT_EQ(module->getAttrOfType<StringAttr>(attr::kModel).getValue(), "net");
  TrainRecipeAttr train = getTrainRecipe(module);
  ASSERT_TRUE(train);
  EXPECT_EQ(static_cast<int64_t>(train.getEpochs()), 1);
  EXPECT_EQ(static_cast<int64_t>(train.getSeed()), 0);
  OptimizerAttr optimizer = train.getOptimizer();
  ASSERT_TRUE(optimizer);
  EXPECT_DOUBLE_EQ(optimizer.getReal("lr"), 0.1);
  EXPECT_DOUBLE_EQ(optimizer.getReal("momentum"), 0.0);
  EXPECT_DOUBLE_EQ(optimizer.getReal("weight_decay"), 0.0);
  EXPECT_FALSE(optimizer.getFlag("nesterov"));

  DatasetAttr data = getDataRecipe(module).getDataset();
  ASSERT_TRUE(data);
  EXPECT_EQ(data.getKind(), rt::Dataset::FashionMnist);
  EXPECT_EQ(data.getText("dir"), "/usr/share/datasets/fashion-mnist");
  EXPECT_DOUBLE_EQ(data.getReal("mean"), 0.0);
  EXPECT_DOUBLE_EQ(data.getReal("std"), 1.0);
}

TEST(ModuleBuild, AllSettings) {
  auto out = buildValid(
      "model m {\n  input x: f32[4, 8]\n  label y: i32[4]\n"
      "  fc = linear(x, 3, bias = false)\n"
      "  loss = softmax_cross_entropy(fc, y)\n}\n"
      "train {\n"
      "  optimizer = sgd(lr = 0.01, momentum = 0.5, nesterov = true,\n"
      "                  weight_decay = 5e-4)\n"
      "  epochs = 3\n  seed = 42\n}\n"
      "data {\n  dataset = fashion_mnist\n  dir = \"/data/fm\"\n"
      "  normalize = standardize(mean = 0.5, std = 0.25)\n}\n");
  ASSERT_TRUE(out->module);
  ModuleOp module = *out->module;
  TrainRecipeAttr train = getTrainRecipe(module);
  ASSERT_TRUE(train);
  EXPECT_EQ(static_cast<int64_t>(train.getEpochs()), 3);
  EXPECT_EQ(static_cast<int64_t>(train.getSeed()), 42);
  OptimizerAttr optimizer = train.getOptimizer();
  ASSERT_TRUE(optimizer);
  EXPECT_DOUBLE_EQ(optimizer.getReal("lr"), 0.01);
  EXPECT_DOUBLE_EQ(optimizer.getReal("momentum"), 0.5);
  EXPECT_DOUBLE_EQ(optimizer.getReal("weight_decay"), 5e-4);
  EXPECT_TRUE(optimizer.getFlag("nesterov"));
  DatasetAttr data = getDataRecipe(module).getDataset();
  ASSERT_TRUE(data);
  EXPECT_EQ(data.getText("dir"), "/data/fm");
  EXPECT_DOUBLE_EQ(data.getReal("mean"), 0.5);
  EXPECT_DOUBLE_EQ(data.getReal("std"), 0.25);

  // bias = false: a weight and no bias parameter, no bias_add.
  func::FuncOp fn = lookupEntry(module, rt::Entry::Eval);
  ASSERT_TRUE(fn);
  ASSERT_EQ(fn.getNumArguments(), 3u);
  EXPECT_EQ(argName(fn, 2).getValue(), "fc.weight");
  EXPECT_EQ(str(fn.getArgument(2).getType()), "tensor<3x8xf32>");
  std::vector<std::string> expected = {
      "kiln.matmul", "kiln.softmax_cross_entropy", "kiln.reduce_sum",
      "kiln.scale", "func.return"};
  EXPECT_EQ(opNames(fn), expected);
}

TEST(ModuleBuild, SectionsInAnyOrder) {
  auto out = buildValid(std::string(kTrain) +
                        "model m {\n  label y: i32[2]\n  input x: f32[2, 5]\n"
                        "  loss = softmax_cross_entropy(x, y)\n}\n");
  ASSERT_TRUE(out->module);
  func::FuncOp fn = lookupEntry(*out->module, rt::Entry::Eval);
  ASSERT_TRUE(fn);
  // The runtime passes (input, label, params...) (abi.h): the input comes
  // first even when the label is declared first. (It used to follow the
  // source order, so such a binary read images as labels.)
  EXPECT_EQ(roleName(argRole(fn, 0)), "input");
  EXPECT_EQ(roleName(argRole(fn, 1)), "label");
}
