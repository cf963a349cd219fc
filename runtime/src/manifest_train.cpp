//===- manifest_train.cpp - The training recipe of the manifest -----------===//
//
// "train" is kiln.train as the compiler wrote it (docs/training.md). The
// runtime reads only what it acts on: defaults for flags (epochs, seed,
// val_split, init_from) and the settings of decisions it takes between
// steps (reduce-on-plateau). Everything else (optimizer, schedules, groups)
// is already compiled into the train step.
//
//===----------------------------------------------------------------------===//
#include "manifest_json.h"

namespace kiln::manifest_json {
namespace {

PlateauSettings getPlateau(const json &schedule) {
  const std::string where = "train.schedule";
  PlateauSettings p;
  p.factor = getNumber(member(schedule, where, "factor"), where + ".factor");
  if (!(p.factor >= 0 && p.factor < 1))
    fail(where + ".factor", "expected a number in [0, 1)");
  p.patience =
      getCount(member(schedule, where, "patience"), where + ".patience", 0);
  p.threshold =
      getNumber(member(schedule, where, "threshold"), where + ".threshold");
  p.cooldown =
      getCount(member(schedule, where, "cooldown"), where + ".cooldown", 0);
  return p;
}

} // namespace

void parseTrain(const json &train, Manifest &m) {
  if (!train.is_object())
    fail("train", "expected an object");
  if (const json *epochs = optionalMember(train, "epochs"))
    m.epochs = getInt(*epochs, "train.epochs", 1);
  if (const json *seed = optionalMember(train, "seed")) {
    if (seed->is_number_unsigned())
      m.seed = seed->get<uint64_t>();
    else
      m.seed = static_cast<uint64_t>(getInt(*seed, "train.seed", 0));
  }
  if (const json *schedule = optionalMember(train, "schedule"))
    if (getString(member(*schedule, "train.schedule", "name"),
                  "train.schedule.name") == "reduce_on_plateau")
      m.plateau = getPlateau(*schedule);
  if (const json *split = optionalMember(train, "val_split")) {
    m.valSplit = getNumber(*split, "train.val_split");
    if (!(*m.valSplit > 0 && *m.valSplit < 1))
      fail("train.val_split", "expected a number in (0, 1)");
  }
  if (const json *path = optionalMember(train, "init_from"))
    m.initFrom = getString(*path, "train.init_from");
  parseFullBatch(train, m);
}

} // namespace kiln::manifest_json
