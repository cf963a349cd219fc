//===- manifest_train.cpp - The training settings of the manifest ---------===//
//
// "train" holds only what the runtime acts on (docs/abi.md): defaults for
// flags (epochs, seed, val_split, init_from) and the settings of decisions
// it takes between steps (reduce-on-plateau, the iterations of full-batch
// methods). Everything else of the recipe (optimizer, schedules, groups,
// clipping) is compiled into the train step. The compiler checked every
// value against its range; this reads them.
//
//===----------------------------------------------------------------------===//
#include "manifest_json.h"

namespace kiln::manifest_json {
namespace {

PlateauSettings getPlateau(const json &j) {
  const std::string where = "train.plateau";
  PlateauSettings p;
  p.factor = getNumber(member(j, where, "factor"), where + ".factor");
  p.patience = getInt(member(j, where, "patience"), where + ".patience", 0);
  p.threshold = getNumber(member(j, where, "threshold"), where + ".threshold");
  p.cooldown = getInt(member(j, where, "cooldown"), where + ".cooldown", 0);
  return p;
}

FullBatchSettings getFullBatch(const json &j) {
  const std::string where = "train.full_batch";
  FullBatchSettings s;
  std::string method = getString(member(j, where, "method"), where + ".method");
  if (method != "newton" && method != "gradient_descent")
    fail(where + ".method", "unknown method '" + method +
                                "' (expected newton or gradient_descent)");
  s.newton = method == "newton";
  s.lr = getNumber(member(j, where, "lr"), where + ".lr");
  s.tolerance = getNumber(member(j, where, "tolerance"), where + ".tolerance");
  if (const json *search = optionalMember(j, "line_search")) {
    const std::string at = where + ".line_search";
    s.lineSearch = true;
    s.c = getNumber(member(*search, at, "c"), at + ".c");
    s.shrink = getNumber(member(*search, at, "shrink"), at + ".shrink");
    s.maxTrials =
        getInt(member(*search, at, "max_trials"), at + ".max_trials", 1);
  }
  return s;
}

} // namespace

void parseTrain(const json &train, Manifest &m) {
  if (!train.is_object())
    fail("train", "expected an object");
  m.epochs = getInt(member(train, "train", "epochs"), "train.epochs", 1);
  m.seed = getSeed(member(train, "train", "seed"), "train.seed");
  if (const json *plateau = optionalMember(train, "plateau"))
    m.plateau = getPlateau(*plateau);
  if (const json *split = optionalMember(train, "val_split"))
    m.valSplit = getNumber(*split, "train.val_split");
  if (const json *path = optionalMember(train, "init_from"))
    m.initFrom = getString(*path, "train.init_from");
  if (const json *fullBatch = optionalMember(train, "full_batch"))
    m.fullBatch = getFullBatch(*fullBatch);
}

} // namespace kiln::manifest_json
