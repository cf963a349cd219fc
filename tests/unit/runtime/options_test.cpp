//===- options_test.cpp - Tests of command-line parsing -------------------===//
//
// Both flag forms, defaults, and the usage errors that must exit with 2.
//
//===----------------------------------------------------------------------===//
#include "kiln/manifest.h"
#include "kiln/options.h"

#include <gtest/gtest.h>

using namespace kiln;

namespace {

Options parse(std::vector<std::string> args) {
  args.insert(args.begin(), "prog");
  std::vector<char *> argv;
  for (std::string &a : args)
    argv.push_back(a.data());
  return parseOptions(static_cast<int>(argv.size()), argv.data());
}

std::string usageError(std::vector<std::string> args) {
  try {
    parse(std::move(args));
  } catch (const UsageError &e) {
    return e.what();
  }
  ADD_FAILURE() << "no UsageError";
  return "";
}

TEST(Options, Defaults) {
  Options o = parse({});
  EXPECT_FALSE(o.dataDir || o.epochs || o.seed || o.maxSteps || o.help);
  EXPECT_TRUE(o.logPath.empty() && o.savePath.empty() && o.initPath.empty());
}

TEST(Options, BothForms) {
  Options o = parse({"--data", "/d", "--epochs=3", "--seed",
                     "18446744073709551615", "--log=l.jsonl", "--save", "s.st",
                     "--max-steps=9", "--init", "i.st"});
  EXPECT_EQ(*o.dataDir, "/d");
  EXPECT_EQ(*o.epochs, 3);
  EXPECT_EQ(*o.seed, UINT64_MAX);
  EXPECT_EQ(o.logPath, "l.jsonl");
  EXPECT_EQ(o.savePath, "s.st");
  EXPECT_EQ(*o.maxSteps, 9);
  EXPECT_EQ(o.initPath, "i.st");
  EXPECT_TRUE(parse({"--help"}).help);
  EXPECT_TRUE(parse({"-h"}).help);
}

TEST(Options, TrainingControlFlags) {
  Options o = parse({"--no-shuffle", "--log-every=5", "--val-split", ".25",
                     "--early-stop", "3"});
  EXPECT_TRUE(o.noShuffle);
  EXPECT_EQ(*o.logEvery, 5);
  EXPECT_EQ(*o.valSplit, 0.25);
  EXPECT_EQ(*o.earlyStop, 3);
  // Flag order does not matter for the --early-stop check.
  EXPECT_EQ(*parse({"--early-stop=2", "--val-split=0.1"}).earlyStop, 2);
  Options d = parse({});
  EXPECT_FALSE(d.noShuffle || d.logEvery || d.valSplit || d.earlyStop);
}

TEST(Options, TrainingControlUsageErrors) {
  const std::string fraction =
      ": expected a fraction between 0 and 1 (exclusive), got '";
  for (const char *bad :
       {"0", "1", "1.5", "-0.1", "abc", "nan", "0x0.1", ".", "0.1.2", "1e-1"})
    EXPECT_EQ(usageError({"--val-split", bad}),
              "--val-split" + fraction + bad + "'")
        << bad;
  EXPECT_EQ(usageError({"--log-every", "0"}),
            "--log-every: expected a positive integer, got '0'");
  EXPECT_EQ(usageError({"--early-stop", "0", "--val-split", "0.2"}),
            "--early-stop: expected a positive integer, got '0'");
  EXPECT_EQ(usageError({"--no-shuffle=1"}),
            "flag '--no-shuffle' takes no value");
}

/// The usage error of applyManifestDefaults for `args` and `m`.
std::string defaultsError(std::vector<std::string> args, const Manifest &m) {
  Options opts = parse(std::move(args));
  try {
    applyManifestDefaults(opts, m);
  } catch (const UsageError &e) {
    return e.what();
  }
  return "";
}

TEST(Options, ManifestDefaults) {
  Manifest m;
  m.valSplit = 0.2;
  m.initFrom = "/pretrained.safetensors";
  Options opts = parse({});
  applyManifestDefaults(opts, m);
  EXPECT_EQ(opts.valSplit, 0.2);
  EXPECT_EQ(opts.initPath, "/pretrained.safetensors");
  // The command line wins; --resume restores weights, so no init_from.
  opts = parse({"--val-split", "0.5", "--init", "/other"});
  applyManifestDefaults(opts, m);
  EXPECT_EQ(opts.valSplit, 0.5);
  EXPECT_EQ(opts.initPath, "/other");
  opts = parse({"--resume", "/ckpt"});
  applyManifestDefaults(opts, m);
  EXPECT_EQ(opts.initPath, "");
  EXPECT_EQ(defaultsError({"--early-stop", "3"}, Manifest()),
            "--early-stop needs a validation set: pass --val-split F as well");
  EXPECT_EQ(defaultsError({"--early-stop", "3"}, m), "");
  Manifest plateau;
  plateau.plateau = PlateauSettings();
  EXPECT_EQ(defaultsError({}, plateau),
            "the schedule reduce_on_plateau decides on the validation loss: "
            "pass --val-split F (or set val_split in the train section)");
  EXPECT_EQ(usageError({"--resume", "a", "--init", "b"}),
            "--resume restores the weights already; drop --init");
  EXPECT_EQ(defaultsError({"--checkpoint", "x", "--save", "x"}, Manifest()),
            "--checkpoint and --save name the same file; the final weights "
            "would replace the checkpoint");
  // Full-batch runs have no epochs of batches to cut, check or resume.
  Manifest fullBatch;
  fullBatch.fullBatch = FullBatchSettings();
  for (const char *flag : {"--max-steps", "--log-every"})
    EXPECT_EQ(defaultsError({flag, "3"}, fullBatch),
              std::string(flag) +
                  " does not apply to full-batch methods (Newton's method, "
                  "line searches), which log every iteration; use --epochs "
                  "for the iteration limit");
  EXPECT_EQ(defaultsError({"--epochs", "3"}, fullBatch), "");
}

TEST(Options, UsageErrors) {
  EXPECT_EQ(usageError({"--epoch", "5"}), "unknown flag '--epoch'");
  EXPECT_EQ(usageError({"data"}), "unexpected argument 'data'");
  EXPECT_EQ(usageError({"--epochs"}), "flag '--epochs' needs a value");
  EXPECT_EQ(usageError({"--log="}), "flag '--log' needs a non-empty value");
  EXPECT_EQ(usageError({"--epochs", "abc"}),
            "--epochs: expected a positive integer, got 'abc'");
  EXPECT_EQ(usageError({"--epochs=0"}),
            "--epochs: expected a positive integer, got '0'");
  EXPECT_EQ(usageError({"--max-steps", "-4"}),
            "--max-steps: expected a positive integer, got '-4'");
  EXPECT_EQ(usageError({"--seed", "1e3"}),
            "--seed: expected a non-negative integer, got '1e3'");
  EXPECT_EQ(usageError({"--seed", "18446744073709551616"}),
            "--seed: expected a non-negative integer, got "
            "'18446744073709551616'");
  EXPECT_EQ(usageError({"--help=1"}), "flag '--help' takes no value");
}

TEST(Options, UsageListsEveryFlagAndTheModel) {
  Manifest m;
  m.model = "fashion_mlp";
  m.source = "examples/fashion_mlp.kiln";
  m.dataset = kiln::rt::Dataset::FashionMnist;
  m.dataDir = "/data";
  m.epochs = 5;
  std::string text = usageText("fashion_mlp", m);
  for (const char *s : {"--data DIR", "--epochs N", "--seed N", "--max-steps N",
                        "--log FILE", "--save FILE", "--init FILE", "--help",
                        "'fashion_mlp'", "default: /data", "default: 5"})
    EXPECT_NE(text.find(s), std::string::npos) << s;
}

} // namespace
