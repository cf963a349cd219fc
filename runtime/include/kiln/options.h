//===- options.h - Command-line flags of a training binary ------*- C++ -*-===//
//
// A compiled model binary takes a handful of flags that override the
// manifest's defaults. Parsing is separate from the trainer so that it can
// be tested on its own and so that usage errors (exit code 2) are told apart
// from runtime errors (exit code 1).
//
//===----------------------------------------------------------------------===//
#ifndef KILN_RUNTIME_OPTIONS_H
#define KILN_RUNTIME_OPTIONS_H

#include "kiln/error.h"
#include "kiln/manifest.h"

#include <cstdint>
#include <optional>
#include <string>

namespace kiln {

struct Options {
  std::optional<std::string> dataDir;
  std::optional<int64_t> epochs;
  std::optional<uint64_t> seed;
  std::optional<int64_t> maxSteps;
  std::string logPath;              ///< Empty: no log.
  std::string savePath;             ///< Empty: do not save.
  std::string initPath;             ///< Empty: initialise from the manifest.
  bool noShuffle = false;           ///< Train in file order, every epoch.
  std::optional<int64_t> logEvery;  ///< Also log every N optimizer steps.
  std::optional<double> valSplit;   ///< Fraction held out, in (0, 1).
  std::optional<int64_t> earlyStop; ///< Patience in epochs; needs valSplit.
  std::string checkpointPath;       ///< Empty: no checkpoints.
  std::string resumePath;           ///< Empty: a fresh run.
  bool help = false;
};

/// A bad command line: unknown flag, missing value, malformed number.
class UsageError : public Error {
public:
  using Error::Error;
};

/// Parses argv[1..argc). Accepts `--flag value` and `--flag=value`; throws
/// UsageError.
Options parseOptions(int argc, char **argv);

/// Fills what the command line left open from the model file's train
/// section (val_split, init_from) and checks flags against the model (a
/// plateau schedule needs a validation split); throws UsageError.
void applyManifestDefaults(Options &opts, const Manifest &m);

/// The --help text for `program` (argv[0]'s base name) running `manifest`.
std::string usageText(const std::string &program, const Manifest &manifest);

} // namespace kiln

#endif // KILN_RUNTIME_OPTIONS_H
