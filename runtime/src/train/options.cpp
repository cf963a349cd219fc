//===- options.cpp - Command-line flags of a training binary --------------===//
//
// A deliberately small parser: a fixed set of long flags, each either
// `--flag value` or `--flag=value`, numbers in plain decimal. Anything else
// is rejected with a message naming the offending argument, because a
// silently ignored typo (say --epoch 50) would waste a long training run.
//
//===----------------------------------------------------------------------===//
#include "kiln/options.h"

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace kiln {
namespace {

uint64_t parseNumber(const std::string &flag, const std::string &text,
                     uint64_t min, uint64_t max) {
  uint64_t value = 0;
  const char *end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  bool digitsOnly = !text.empty() && text[0] >= '0' && text[0] <= '9';
  if (!digitsOnly || ec != std::errc() || ptr != end || value < min ||
      value > max)
    throw UsageError(
        "--" + flag + ": expected " +
        (min > 0 ? "a positive integer" : "a non-negative integer") +
        ", got '" + text + "'");
  return value;
}

/// A fraction strictly between 0 and 1, in plain decimal ("0.1", ".25").
double parseFraction(const std::string &flag, const std::string &text) {
  // strtod also takes hex, "inf" and "nan"; allowing only digits and one
  // point keeps the accepted syntax as plain as that of the integers.
  bool plain = text.find_first_not_of("0123456789.") == std::string::npos &&
               text.find('.') == text.rfind('.') && text != ".";
  char *end = nullptr;
  double value = plain ? std::strtod(text.c_str(), &end) : 0.0;
  if (!plain || end != text.c_str() + text.size() || !(value > 0.0) ||
      !(value < 1.0))
    throw UsageError("--" + flag +
                     ": expected a fraction between 0 and 1 (exclusive), "
                     "got '" +
                     text + "'");
  return value;
}

} // namespace

Options parseOptions(int argc, char **argv) {
  Options opts;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      opts.help = true;
      continue;
    }
    if (arg == "--no-shuffle") {
      opts.noShuffle = true;
      continue;
    }
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0)
      throw UsageError("unexpected argument '" + arg + "'");
    size_t eq = arg.find('=');
    std::string flag = arg.substr(2, eq == std::string::npos ? eq : eq - 2);
    static const char *const known[] = {
        "data",       "epochs",     "seed",       "log",       "save",
        "max-steps",  "init",       "help",       "log-every", "val-split",
        "early-stop", "no-shuffle", "checkpoint", "resume"};
    bool isKnown = false;
    for (const char *k : known)
      isKnown |= flag == k;
    if (!isKnown)
      throw UsageError("unknown flag '--" + flag + "'");
    if (flag == "help" || flag == "no-shuffle")
      throw UsageError("flag '--" + flag + "' takes no value");

    std::string value;
    if (eq != std::string::npos)
      value = arg.substr(eq + 1);
    else if (i + 1 < argc)
      value = argv[++i];
    else
      throw UsageError("flag '--" + flag + "' needs a value");
    if (value.empty())
      throw UsageError("flag '--" + flag + "' needs a non-empty value");

    constexpr uint64_t kIntMax = INT64_MAX;
    if (flag == "data")
      opts.dataDir = value;
    else if (flag == "epochs")
      opts.epochs = static_cast<int64_t>(parseNumber(flag, value, 1, kIntMax));
    else if (flag == "seed")
      opts.seed = parseNumber(flag, value, 0, UINT64_MAX);
    else if (flag == "max-steps")
      opts.maxSteps =
          static_cast<int64_t>(parseNumber(flag, value, 1, kIntMax));
    else if (flag == "log")
      opts.logPath = value;
    else if (flag == "save")
      opts.savePath = value;
    else if (flag == "init")
      opts.initPath = value;
    else if (flag == "log-every")
      opts.logEvery =
          static_cast<int64_t>(parseNumber(flag, value, 1, kIntMax));
    else if (flag == "val-split")
      opts.valSplit = parseFraction(flag, value);
    else if (flag == "early-stop")
      opts.earlyStop =
          static_cast<int64_t>(parseNumber(flag, value, 1, kIntMax));
    else if (flag == "checkpoint")
      opts.checkpointPath = value;
    else if (flag == "resume")
      opts.resumePath = value;
  }
  // Checked after the loop so that the flags may come in any order.
  if (!opts.resumePath.empty() && !opts.initPath.empty())
    throw UsageError("--resume restores the weights already; drop --init");
  return opts;
}

void applyManifestDefaults(Options &opts, const Manifest &m) {
  if (!opts.checkpointPath.empty() && opts.checkpointPath == opts.savePath)
    throw UsageError("--checkpoint and --save name the same file; the final "
                     "weights would replace the checkpoint");
  if (m.fullBatch) {
    // The full-batch driver takes one step per iteration over the whole
    // training set; these flags belong to the epoch loop.
    const std::pair<bool, const char *> epochFlags[] = {
        {opts.maxSteps.has_value(), "--max-steps"},
        {opts.valSplit.has_value(), "--val-split"},
        {opts.earlyStop.has_value(), "--early-stop"},
        {opts.logEvery.has_value(), "--log-every"},
        {opts.noShuffle, "--no-shuffle"},
        {!opts.checkpointPath.empty(), "--checkpoint"},
        {!opts.resumePath.empty(), "--resume"}};
    for (const auto &[given, flag] : epochFlags)
      if (given)
        throw UsageError(std::string(flag) +
                         " does not apply to full-batch methods (Newton's "
                         "method, line searches), which log every iteration; "
                         "use --epochs for the iteration limit");
  }
  if (!opts.valSplit)
    opts.valSplit = m.valSplit;
  if (opts.initPath.empty() && opts.resumePath.empty())
    opts.initPath = m.initFrom;
  if (opts.earlyStop && !opts.valSplit)
    throw UsageError("--early-stop needs a validation set: pass --val-split "
                     "F as well");
  if (m.plateau && !opts.valSplit)
    throw UsageError("the schedule reduce_on_plateau decides on the "
                     "validation loss: pass --val-split F (or set val_split "
                     "in the train section)");
}

std::string usageText(const std::string &program, const Manifest &m) {
  std::string text = "usage: " + program + " [flags]\n\n";
  text += "Trains the model '" + m.model + "'";
  if (!m.source.empty())
    text += " (compiled from " + m.source + ")";
  text += " on " + std::string(rt::name(m.dataset)) +
          ",\nevaluating on the test split after every "
          "epoch.\n\nflags:\n";
  text += "  --data DIR       dataset folder (default: " + m.dataDir + ")\n";
  text += "  --epochs N       number of epochs (default: " +
          std::to_string(m.epochs) + ")\n";
  text += "  --seed N         seed for initialisation, shuffling and random "
          "layers\n"
          "                   (default: " +
          std::to_string(m.seed) + ")\n";
  text += "  --max-steps N    stop after N optimizer steps in total, then "
          "evaluate and save\n";
  text += "  --log FILE       write one JSON object per epoch to FILE (JSON "
          "lines)\n";
  text += "  --save FILE      save the final parameters and buffers to FILE "
          "(safetensors)\n";
  text += "  --init FILE      start from the parameters and buffers in FILE "
          "(safetensors)\n"
          "                   instead of the model's initialisers\n";
  text += "  --no-shuffle     train in file order instead of a fresh random "
          "order per epoch\n";
  text += "  --log-every N    also write a {\"type\": \"step\"} record with "
          "the step's loss,\n"
          "                   learning rate and gradient norm to the --log "
          "file every N\n"
          "                   optimizer steps\n";
  text += "  --val-split F    hold out the last fraction F (0 < F < 1) of the "
          "training set\n"
          "                   and evaluate on it after every epoch\n";
  text += "  --early-stop P   stop when val_loss has not improved for P epochs "
          "and keep\n"
          "                   (and --save) the best epoch's parameters; needs "
          "--val-split\n";
  text += "  --checkpoint F   after every epoch, save everything needed to "
          "resume to F\n"
          "                   (parameters, buffers, optimizer state, "
          "progress)\n";
  text += "  --resume F       continue the run saved in checkpoint F where it "
          "stopped\n";
  text += "  --help           show this help and exit\n\n";
  text += "Flags take their value as '--flag value' or '--flag=value'.\n";
  return text;
}

} // namespace kiln
