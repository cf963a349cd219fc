//===- RecipeVocabulary.cpp - Every kind a recipe names, and its settings -===//
//
// The settings of each optimizer, schedule, warm-up, clipping, line search,
// initialiser, dataset and targets kind, with PyTorch's names and defaults
// (docs/training.md writes the equations), and the rules between them. Adding
// a kind adds its enum case (KilnEnums.td, or the ABI table for what the
// runtime reads) and its entry here; what the compiler does with it lives in
// compiler/Training.
//
//===----------------------------------------------------------------------===//
#include "dialects/kiln/IR/RecipeSettings.h"

#include "dialects/kiln/IR/KilnEnums.cpp.inc"

using namespace mlir;
using namespace kiln;

namespace {
using T = SettingType;

/// A problem with setting `key`.
std::optional<SettingProblem> problem(StringRef key, const Twine &message) {
  return SettingProblem{key.str(), message.str()};
}

// --- Optimizers -------------------------------------------------------------

constexpr Setting kSgd[] = {
    {"lr", T::NonNegative, 0.0, true, "learning rate"},
    {"momentum", T::UnitInterval, 0.0, false, "heavy-ball momentum factor"},
    {"nesterov", T::Flag, 0, false, "use Nesterov momentum"},
    {"weight_decay", T::NonNegative, 0.0, false,
     "L2 penalty: added to the gradient, or applied to the parameter when "
     "decoupled"},
    {"decoupled_weight_decay", T::Flag, 0, false,
     "shrink the parameter by lr * weight_decay instead of adding the penalty "
     "to the gradient (SGDW)"},
};
// Adam and AdamW differ only in how weight decay enters, and its default.
#define KILN_ADAM_SETTINGS(decay, decayHelp)                                   \
  {"lr", T::NonNegative, 1e-3, false, "learning rate"},                        \
      {"beta1", T::UnitInterval, 0.9, false,                                   \
       "decay of the running average of the gradient"},                        \
      {"beta2", T::UnitInterval, 0.999, false,                                 \
       "decay of the running average of the squared gradient"},                \
      {"eps", T::NonNegative, 1e-8, false,                                     \
       "added to the denominator for numerical stability"},                    \
      {"weight_decay", T::NonNegative, decay, false, decayHelp}, {             \
    "amsgrad", T::Flag, 0, false,                                              \
        "divide by the running maximum of the squared-gradient average"        \
  }
constexpr Setting kAdam[] = {
    KILN_ADAM_SETTINGS(0.0, "coupled L2 penalty added to the gradient")};
constexpr Setting kAdamW[] = {KILN_ADAM_SETTINGS(
    1e-2, "decoupled decay: the parameter shrinks by lr * weight_decay")};
#undef KILN_ADAM_SETTINGS
constexpr Setting kAdagrad[] = {
    {"lr", T::NonNegative, 1e-2, false, "learning rate"},
    {"lr_decay", T::NonNegative, 0.0, false,
     "learning-rate decay: lr / (1 + (t - 1) * lr_decay)"},
    {"weight_decay", T::NonNegative, 0.0, false,
     "coupled L2 penalty added to the gradient"},
    {"initial_accumulator_value", T::NonNegative, 0.0, false,
     "starting value of the sum of squared gradients"},
    {"eps", T::NonNegative, 1e-10, false,
     "added to the denominator for numerical stability"},
};
constexpr Setting kRmsProp[] = {
    {"lr", T::NonNegative, 1e-2, false, "learning rate"},
    {"alpha", T::NonNegative, 0.99, false,
     "decay of the running average of the squared gradient"},
    {"eps", T::NonNegative, 1e-8, false,
     "added to the denominator for numerical stability"},
    {"weight_decay", T::NonNegative, 0.0, false,
     "coupled L2 penalty added to the gradient"},
    {"momentum", T::NonNegative, 0.0, false,
     "momentum factor of the scaled step"},
    {"centered", T::Flag, 0, false,
     "normalize by the variance estimate instead of the second moment"},
};
constexpr Setting kNewton[] = {
    {"lr", T::Positive, 1.0, false,
     "step length t of p + t d, the first trial with a line search"},
};

// --- Learning-rate schedules (torch.optim.lr_scheduler) --------------------

constexpr Setting kPerStep = {"per_step", T::Flag, 0, false,
                              "count optimizer steps instead of epochs"};
constexpr Setting kStep[] = {
    {"step_size", T::Positive, 0.0, true, "epochs (or steps) between decays"},
    {"gamma", T::Positive, 0.1, false, "decay factor"},
    kPerStep,
};
constexpr Setting kMultiStep[] = {
    {"milestones", T::Milestones, 0, true,
     "the epochs (or steps) at which the rate decays"},
    {"gamma", T::Positive, 0.1, false, "decay factor"},
    kPerStep,
};
constexpr Setting kExponential[] = {
    {"gamma", T::Positive, 0.0, true, "decay factor per epoch"},
    kPerStep,
};
constexpr Setting kInverseTime[] = {
    {"decay", T::Positive, 1.0, false, "the rate's decay per epoch"},
    {"power", T::Positive, 1.0, false, "exponent of (1 + decay t)"},
    kPerStep,
};
constexpr Setting kCosine[] = {
    {"t_max", T::Positive, 0.0, true,
     "epochs (or steps) of a half cosine period"},
    {"eta_min", T::NonNegative, 0.0, false, "smallest learning rate"},
    kPerStep,
};
constexpr Setting kPlateau[] = {
    {"factor", T::UnitInterval, 0.1, false, "factor applied on a plateau"},
    {"patience", T::Count, 10, false,
     "epochs without improvement before reducing"},
    {"threshold", T::NonNegative, 1e-4, false,
     "relative improvement that counts"},
    {"cooldown", T::Count, 0, false, "epochs to wait after a reduction"},
    {"min_lr", T::NonNegative, 0.0, false, "lower bound on the learning rate"},
};

constexpr Setting kLinearWarmup[] = {
    {"steps", T::Positive, 0.0, true, "optimizer steps of warm-up"},
    {"start_factor", T::Positive, 1.0 / 3.0, false,
     "learning-rate factor of the first step, at most 1"},
};

// --- Gradient clipping (torch.nn.utils), by PyTorch's argument names -------

constexpr Setting kClipValue[] = {{"clip_value", T::Positive, 0.0, true,
                                   "largest gradient element magnitude"}};
constexpr Setting kClipGlobalNorm[] = {
    {"max_norm", T::Positive, 0.0, true,
     "largest L2 norm of all gradients together"}};
constexpr Setting kClipTensorNorm[] = {
    {"max_norm", T::Positive, 0.0, true, "largest L2 norm of each gradient"}};

// --- Line searches
// ------------------------------------------------------------

constexpr Setting kArmijo[] = {
    {"c", T::Positive, 1e-4, false,
     "sufficient-decrease factor of f(p + t d) <= f(p) + c t g.d"},
    {"shrink", T::Positive, 0.5, false,
     "factor applied to the step length after a rejected trial"},
    {"max_trials", T::Count, 50, false,
     "trial step lengths per iteration before giving up", "", 1},
};

// --- What the runtime reads: names from the ABI table (program.def) ---------

constexpr StringRef initSetting(rt::Init kind, size_t i) {
  return rt::kInits[static_cast<size_t>(kind)].settings[i];
}
constexpr Setting kConstantInit[] = {
    {initSetting(rt::Init::Constant, 0), T::Real, 0, true, "the value"}};
constexpr Setting kUniformInit[] = {
    {initSetting(rt::Init::Uniform, 0), T::Real, 0, true, "lower bound"},
    {initSetting(rt::Init::Uniform, 1), T::Real, 0, true, "upper bound"}};
constexpr Setting kNormalInit[] = {
    {initSetting(rt::Init::Normal, 0), T::Real, 0, true, "mean"},
    {initSetting(rt::Init::Normal, 1), T::NonNegative, 0, true,
     "standard deviation"}};

constexpr Setting kFashionMnist[] = {
    {"dir", T::Text, 0, false, "the folder of the IDX files",
     "/usr/share/datasets/fashion-mnist"},
    {"mean", T::Real, 0.0, false, "mean of the pixels scaled to [0, 1]"},
    {"std", T::Positive, 1.0, false,
     "standard deviation of the pixels scaled to [0, 1]"},
};
constexpr Setting kSyntheticLogistic[] = {
    // The test split has n / 5 points and must not be empty.
    {"n", T::Count, 0, true, "training points (the test split has n / 5)", "",
     5},
    {"d", T::Count, 0, true, "features per point", "", 1},
    {"bias", T::Real, 0.0, false, "offset of the true logits"},
    {"seed", T::Count, 0, false, "seed of the generated problem"},
};

constexpr Setting kForegroundMask[] = {
    {"threshold", T::UnitInterval, 0.5, false,
     "foreground is brighter than this, of pixels scaled to [0, 1]"}};

/// The names of every case of an ODS enum with cases 0..max.
template <typename Kind> SmallVector<Kind> allCases(uint32_t max) {
  SmallVector<Kind> kinds;
  for (uint32_t i = 0; i <= max; ++i)
    kinds.push_back(static_cast<Kind>(i));
  return kinds;
}
} // namespace

// --- KindInfo
// -----------------------------------------------------------------

namespace kiln {

#define KILN_ODS_KIND(Kind)                                                    \
  StringRef KindInfo<Kind>::name(Kind kind) { return stringify##Kind(kind); }  \
  std::optional<Kind> KindInfo<Kind>::parse(StringRef text) {                  \
    return symbolize##Kind(text);                                              \
  }                                                                            \
  SmallVector<Kind> KindInfo<Kind>::all() {                                    \
    return allCases<Kind>(getMaxEnumValFor##Kind());                           \
  }
KILN_ODS_KIND(OptimizerKind)
KILN_ODS_KIND(ScheduleKind)
KILN_ODS_KIND(WarmupKind)
KILN_ODS_KIND(ClipKind)
KILN_ODS_KIND(LineSearchKind)
#undef KILN_ODS_KIND

#define KILN_ABI_KIND(Kind)                                                    \
  StringRef KindInfo<rt::Kind>::name(rt::Kind kind) { return rt::name(kind); } \
  std::optional<rt::Kind> KindInfo<rt::Kind>::parse(StringRef text) {          \
    return rt::parse<rt::Kind>(text);                                          \
  }                                                                            \
  SmallVector<rt::Kind> KindInfo<rt::Kind>::all() {                            \
    return allCases<rt::Kind>(rt::count<rt::Kind>() - 1);                      \
  }
KILN_ABI_KIND(Init)
KILN_ABI_KIND(Dataset)
KILN_ABI_KIND(Targets)
#undef KILN_ABI_KIND

ArrayRef<Setting> KindInfo<OptimizerKind>::settings(OptimizerKind kind) {
  switch (kind) {
  case OptimizerKind::Sgd:
    return kSgd;
  case OptimizerKind::Adam:
    return kAdam;
  case OptimizerKind::AdamW:
    return kAdamW;
  case OptimizerKind::Adagrad:
    return kAdagrad;
  case OptimizerKind::RmsProp:
    return kRmsProp;
  case OptimizerKind::Newton:
    return kNewton;
  }
  llvm_unreachable("unknown optimizer");
}

// As torch.optim.SGD, which rejects Nesterov without momentum.
std::optional<SettingProblem>
KindInfo<OptimizerKind>::checkRules(OptimizerKind kind, DictionaryAttr s) {
  if (kind == OptimizerKind::Sgd && settingFlag(s, "nesterov") &&
      settingReal(s, "momentum") == 0.0)
    return problem("nesterov", "Nesterov momentum needs `momentum` > 0");
  return std::nullopt;
}

ArrayRef<Setting> KindInfo<ScheduleKind>::settings(ScheduleKind kind) {
  switch (kind) {
  case ScheduleKind::Constant:
    return {};
  case ScheduleKind::Step:
    return kStep;
  case ScheduleKind::MultiStep:
    return kMultiStep;
  case ScheduleKind::Exponential:
    return kExponential;
  case ScheduleKind::InverseTime:
    return kInverseTime;
  case ScheduleKind::Cosine:
    return kCosine;
  case ScheduleKind::ReduceOnPlateau:
    return kPlateau;
  }
  llvm_unreachable("unknown schedule");
}

std::optional<SettingProblem>
KindInfo<ScheduleKind>::checkRules(ScheduleKind, DictionaryAttr) {
  return std::nullopt;
}

ArrayRef<Setting> KindInfo<WarmupKind>::settings(WarmupKind) {
  return kLinearWarmup;
}

std::optional<SettingProblem>
KindInfo<WarmupKind>::checkRules(WarmupKind, DictionaryAttr s) {
  if (settingReal(s, "start_factor") > 1)
    return problem("start_factor",
                   "`start_factor` must be at most 1: warm-up raises the rate");
  return std::nullopt;
}

ArrayRef<Setting> KindInfo<ClipKind>::settings(ClipKind kind) {
  switch (kind) {
  case ClipKind::Value:
    return kClipValue;
  case ClipKind::GlobalNorm:
    return kClipGlobalNorm;
  case ClipKind::TensorNorm:
    return kClipTensorNorm;
  }
  llvm_unreachable("unknown clipping");
}

std::optional<SettingProblem> KindInfo<ClipKind>::checkRules(ClipKind,
                                                             DictionaryAttr) {
  return std::nullopt;
}

ArrayRef<Setting> KindInfo<LineSearchKind>::settings(LineSearchKind) {
  return kArmijo;
}

// Backtracking (Armijo 1966): from t = lr, shrink t until
// f(p + t d) <= f(p) + c t g.d. c above 1/2 would reject Newton's full step
// near the optimum, where f is close to its quadratic model.
std::optional<SettingProblem>
KindInfo<LineSearchKind>::checkRules(LineSearchKind, DictionaryAttr s) {
  if (settingReal(s, "c") > 0.5)
    return problem("c", "`c` (sufficient-decrease factor) must be in (0, 0.5]");
  if (settingReal(s, "shrink") >= 1)
    return problem("shrink",
                   "`shrink` (step-length factor per trial) must be in (0, 1)");
  return std::nullopt;
}

ArrayRef<Setting> KindInfo<rt::Init>::settings(rt::Init kind) {
  switch (kind) {
  case rt::Init::Zeros:
    return {};
  case rt::Init::Constant:
    return kConstantInit;
  case rt::Init::Uniform:
    return kUniformInit;
  case rt::Init::Normal:
    return kNormalInit;
  }
  llvm_unreachable("unknown initialiser");
}

std::optional<SettingProblem> KindInfo<rt::Init>::checkRules(rt::Init kind,
                                                             DictionaryAttr s) {
  if (kind == rt::Init::Uniform &&
      settingReal(s, "low") > settingReal(s, "high"))
    return problem("low", "uniform needs low <= high");
  return std::nullopt;
}

ArrayRef<Setting> KindInfo<rt::Dataset>::settings(rt::Dataset kind) {
  if (kind == rt::Dataset::FashionMnist)
    return kFashionMnist;
  return kSyntheticLogistic;
}

std::optional<SettingProblem>
KindInfo<rt::Dataset>::checkRules(rt::Dataset, DictionaryAttr) {
  return std::nullopt;
}

ArrayRef<Setting> KindInfo<rt::Targets>::settings(rt::Targets kind) {
  if (kind == rt::Targets::ForegroundMask)
    return kForegroundMask;
  return {};
}

std::optional<SettingProblem>
KindInfo<rt::Targets>::checkRules(rt::Targets, DictionaryAttr) {
  return std::nullopt;
}

} // namespace kiln
