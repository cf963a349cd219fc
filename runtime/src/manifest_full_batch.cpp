//===- manifest_full_batch.cpp - Full-batch settings of the manifest ------===//
//
// Newton's method (`train.optimizer.name = "newton"`) and line searches
// (`train.line_search`) are not compiled into the train step: the runtime
// iterates (full_batch.cpp), so it reads their settings here. The compiler
// has checked them; this rejects only what would make the iteration
// meaningless.
//
//===----------------------------------------------------------------------===//
#include "manifest_json.h"

namespace kiln::manifest_json {

void parseFullBatch(const json &train, Manifest &m) {
  const json *optimizer = optionalMember(train, "optimizer");
  const json *lineSearch = optionalMember(train, "line_search");
  const bool newton =
      optimizer && getString(member(*optimizer, "train.optimizer", "name"),
                             "train.optimizer.name") == "newton";
  if (!newton && !lineSearch)
    return;
  FullBatchSettings s;
  s.newton = newton;
  if (optimizer && optionalMember(*optimizer, "lr"))
    s.lr = getNumber((*optimizer)["lr"], "train.optimizer.lr");
  if (!(s.lr > 0))
    fail("train.optimizer.lr", "expected a positive step length");
  if (lineSearch) {
    const std::string where = "train.line_search";
    std::string name =
        getString(member(*lineSearch, where, "name"), where + ".name");
    if (name != "armijo")
      fail(where + ".name",
           "unknown line search '" + name + "' (expected armijo)");
    s.lineSearch = true;
    s.c = getNumber(member(*lineSearch, where, "c"), where + ".c");
    s.shrink =
        getNumber(member(*lineSearch, where, "shrink"), where + ".shrink");
    if (!(s.c > 0 && s.c <= 0.5))
      fail(where + ".c", "expected a number in (0, 0.5]");
    if (!(s.shrink > 0 && s.shrink < 1))
      fail(where + ".shrink", "expected a number in (0, 1)");
    s.maxTrials = getCount(member(*lineSearch, where, "max_trials"),
                           where + ".max_trials", 1);
  }
  if (const json *tolerance = optionalMember(train, "tolerance")) {
    s.tolerance = getNumber(*tolerance, "train.tolerance");
    if (s.tolerance < 0)
      fail("train.tolerance", "expected a number >= 0");
  }
  m.fullBatch = s;
}

} // namespace kiln::manifest_json
