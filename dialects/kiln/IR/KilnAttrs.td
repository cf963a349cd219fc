//===- KilnAttrs.td - Attributes that describe a program ---*- tablegen -*-===//
//
// Kiln keeps all training state explicit in function signatures, and these
// attributes say what everything is: the training recipe and the data on the
// module, the entry point on a function, the role, name and initialiser of
// each argument and result. They are typed and verified by the dialect, so
// passes read fields instead of parsing dictionaries, and IR written by hand
// is checked as strictly as the frontend's:
//
//   module attributes {
//     kiln.train = #kiln.train<epochs = 5, seed = 0,
//                              optimizer = #kiln.optimizer<sgd, lr = 0.05>>,
//     kiln.data = #kiln.data<dataset = #kiln.dataset<fashion_mnist>>}
//   func.func @model(%x: tensor<128x784xf32> {kiln.role = #kiln.role<input>,
//                                             kiln.name = "x"}, ...)
//
//===----------------------------------------------------------------------===//
#ifndef KILN_ATTRS_TD
#define KILN_ATTRS_TD

include "KilnDialect.td"
include "KilnEnums.td"
include "mlir/IR/AttrTypeBase.td"

class Kiln_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Kiln_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

// A nested attribute of a struct, printed in full (`#kiln.optimizer<...>`).
class Kiln_AttrParameter<string cppType, bit optional = 0>
    : AttrParameter<cppType, ""> {
  let printer = "$_printer.printAttribute($_self)";
  let defaultValue = !if(optional, cppType # "()", "");
}

//===----------------------------------------------------------------------===//
// A kind and its settings
//===----------------------------------------------------------------------===//

// `#kiln.NAME<kind, key = value, ...>`: a kind of `kindType` and every one of
// its settings, defaults included, as RecipeVocabulary.cpp lists them. The
// parser knows each key's type from that list; the verifier checks names,
// types, ranges and the kind's own consistency rules.
class Kiln_SettingsAttr<string name, string attrMnemonic, string kindType,
                        string attrSummary>
    : Kiln_Attr<name, attrMnemonic> {
  let summary = attrSummary;
  let parameters = (ins kindType:$kind, "::mlir::DictionaryAttr":$settings);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The value of setting `key`, which the verifier guarantees.
    double getReal(::llvm::StringRef key) const;
    int64_t getCount(::llvm::StringRef key) const;
    bool getFlag(::llvm::StringRef key) const;
    ::llvm::StringRef getText(::llvm::StringRef key) const;
    ::llvm::ArrayRef<int64_t> getList(::llvm::StringRef key) const;
  }];
  let extraClassDefinition = [{
    double $cppClass::getReal(::llvm::StringRef key) const {
      return ::kiln::settingReal(getSettings(), key);
    }
    int64_t $cppClass::getCount(::llvm::StringRef key) const {
      return ::kiln::settingCount(getSettings(), key);
    }
    bool $cppClass::getFlag(::llvm::StringRef key) const {
      return ::kiln::settingFlag(getSettings(), key);
    }
    ::llvm::StringRef $cppClass::getText(::llvm::StringRef key) const {
      return ::kiln::settingText(getSettings(), key);
    }
    ::llvm::ArrayRef<int64_t> $cppClass::getList(::llvm::StringRef key) const {
      return ::kiln::settingList(getSettings(), key);
    }
    ::mlir::Attribute $cppClass::parse(::mlir::AsmParser &parser,
                                       ::mlir::Type) {
      return ::kiln::parseSettingsAttr<$cppClass>(parser);
    }
    void $cppClass::print(::mlir::AsmPrinter &printer) const {
      ::kiln::printSettingsAttr(printer, getKind(), getSettings());
    }
    ::llvm::LogicalResult $cppClass::verify(
        ::llvm::function_ref<::mlir::InFlightDiagnostic()> emitError,
        }] # kindType # [{ kind, ::mlir::DictionaryAttr settings) {
      return ::kiln::verifySettings(emitError, kind, settings);
    }
  }];
}

def Kiln_OptimizerAttr : Kiln_SettingsAttr<"Optimizer", "optimizer",
    "::kiln::OptimizerKind", "an optimizer and its hyper-parameters">;
def Kiln_ScheduleAttr : Kiln_SettingsAttr<"Schedule", "schedule",
    "::kiln::ScheduleKind", "a learning-rate schedule">;
def Kiln_WarmupAttr : Kiln_SettingsAttr<"Warmup", "warmup",
    "::kiln::WarmupKind", "a learning-rate warm-up">;
def Kiln_ClipAttr : Kiln_SettingsAttr<"Clip", "clip", "::kiln::ClipKind",
    "gradient clipping and its threshold">;
def Kiln_LineSearchAttr : Kiln_SettingsAttr<"LineSearch", "line_search",
    "::kiln::LineSearchKind", "a backtracking line search">;
def Kiln_InitAttr : Kiln_SettingsAttr<"Init", "init", "::kiln::rt::Init",
    "how the runtime fills a tensor before the first step">;
def Kiln_DatasetAttr : Kiln_SettingsAttr<"Dataset", "dataset",
    "::kiln::rt::Dataset", "the dataset the runtime loads or generates">;
def Kiln_TargetsAttr : Kiln_SettingsAttr<"Targets", "targets",
    "::kiln::rt::Targets", "what the label of a sample is">;

//===----------------------------------------------------------------------===//
// The recipe and the data
//===----------------------------------------------------------------------===//

def Kiln_ParamGroupAttr : Kiln_Attr<"ParamGroup", "param_group"> {
  let summary = "parameters selected by name, with their own optimizer";
  let description = [{
    The parameters whose PyTorch names match one of `patterns` (globs such
    as "*.bias") take `optimizer` (the recipe's with the group's overrides)
    or, when `frozen`, are not trained. A parameter takes the first group
    that names it.
  }];
  let parameters = (ins "::mlir::ArrayAttr":$patterns,
                        Kiln_AttrParameter<"::kiln::OptimizerAttr">:$optimizer,
                        "::mlir::BoolAttr":$frozen);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Whether a pattern of the group matches the parameter `name`.
    bool matches(::llvm::StringRef name) const;
    bool isFrozen() const { return getFrozen().getValue(); }
  }];
}

def Kiln_TrainRecipeAttr : Kiln_Attr<"TrainRecipe", "train"> {
  let summary = "the training recipe of a model";
  let description = [{
    What the train section of a model file says, checked: the optimizer,
    the learning-rate schedule and warm-up, gradient clipping, parameter
    groups, and for full-batch methods (Newton's method, a line search) the
    runtime's stopping tolerance; and the defaults of the training binary's
    flags (epochs, seed, val_split, init_from).
  }];
  let parameters = (ins
    "uint64_t":$epochs,
    "uint64_t":$seed,
    Kiln_AttrParameter<"::kiln::OptimizerAttr">:$optimizer,
    Kiln_AttrParameter<"::kiln::ScheduleAttr", 1>:$schedule,
    Kiln_AttrParameter<"::kiln::WarmupAttr", 1>:$warmup,
    Kiln_AttrParameter<"::kiln::ClipAttr", 1>:$clip,
    OptionalParameter<"::mlir::ArrayAttr">:$groups,
    Kiln_AttrParameter<"::kiln::LineSearchAttr", 1>:$line_search,
    OptionalParameter<"::mlir::FloatAttr">:$tolerance,
    OptionalParameter<"::mlir::FloatAttr">:$val_split,
    OptionalParameter<"::mlir::StringAttr">:$init_from
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The parameter groups, in order (first match wins).
    ::llvm::SmallVector<::kiln::ParamGroupAttr> getGroupList() const;
    /// The first group that names the parameter `name`, or null.
    ::kiln::ParamGroupAttr groupOf(::llvm::StringRef name) const;
    /// Whether the parameter `name` is in a frozen group.
    bool isFrozen(::llvm::StringRef name) const;
    /// The optimizer of parameter `name`: its group's, else the recipe's.
    ::kiln::OptimizerAttr optimizerOf(::llvm::StringRef name) const;
    /// Newton's method or a line search: the runtime drives full-batch
    /// iterations, and the compiled step returns gradients, not updates.
    bool isFullBatch() const;
    bool isNewton() const;
    /// Every rule that these parameters break, each with the setting to
    /// point at ("tolerance", "clip", "group", ...): verify() reports the
    /// first, a frontend all of them at their source.
    static ::llvm::SmallVector<::kiln::SettingProblem>
    check(uint64_t epochs, ::kiln::OptimizerAttr optimizer,
          ::kiln::ScheduleAttr schedule, ::kiln::WarmupAttr warmup,
          ::kiln::ClipAttr clip, ::mlir::ArrayAttr groups,
          ::kiln::LineSearchAttr lineSearch, ::mlir::FloatAttr tolerance,
          ::mlir::FloatAttr valSplit);
  }];
}

def Kiln_DataAttr : Kiln_Attr<"Data", "data"> {
  let summary = "where a model's data come from";
  let parameters = (ins
    Kiln_AttrParameter<"::kiln::DatasetAttr">:$dataset,
    Kiln_AttrParameter<"::kiln::TargetsAttr", 1>:$targets
  );
  let assemblyFormat = "`<` struct(params) `>`";
}

//===----------------------------------------------------------------------===//
// Signatures
//===----------------------------------------------------------------------===//

def Kiln_RoleAttr : Kiln_Attr<"Role", "role"> {
  let summary = "what an argument or result of an entry point holds";
  let description = [{
    A role of runtime/include/kiln/abi/program.def: `input`, `param`,
    `loss`, `grad`, ... The runtime binds each pointer of an entry point by
    its role and name.
  }];
  let parameters = (ins "::kiln::rt::Role":$value);
  let hasCustomAssemblyFormat = 1;
}

def Kiln_EntryAttr : Kiln_Attr<"Entry", "entry"> {
  let summary = "which entry point of the program a function is";
  let parameters = (ins "::kiln::rt::Entry":$value);
  let hasCustomAssemblyFormat = 1;
}

def Kiln_PredictionAttr : EnumAttr<Kiln_Dialect, Kiln_Prediction,
                                   "prediction"> {
  let summary = "what the logits of a model predict";
  let assemblyFormat = "`<` $value `>`";
}

#endif // KILN_ATTRS_TD
