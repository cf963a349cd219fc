//===- toy_program.cpp - A hand-written program for the trainer tests -----===//
//
// A softmax regression with SGD + momentum, written by hand against the
// packed ABI, stands in for compiled code. Besides training for real, it
// records in gTrace what it saw of the trainer's buffer handling.
//
//===----------------------------------------------------------------------===//
#include "toy_program.h"
#include "kiln/abi.h"

#include <cmath>

namespace kiln::test {

Trace gTrace;

// "fc.count" is a buffer the train step increments, like batch norm's
// num_batches_tracked. It starts at 7 so that an uninitialised (zero) buffer
// is noticed. The entries list tensors in other orders than the manifest's
// lists and than each other, so binding must follow the signatures.
const char *const kToyManifest = R"({"kiln_abi": 2, "model": "toy_softmax",
 "source": "tests/toy.kiln",
 "input": {"name": "x", "shape": [32, 784], "dtype": "f32"},
 "label": {"name": "y", "shape": [32], "dtype": "i32", "classes": 10},
 "params": [
   {"name": "fc.weight", "shape": [10, 784],
    "init": {"kind": "uniform", "low": -0.0357, "high": 0.0357}},
   {"name": "fc.bias", "shape": [10], "init": {"kind": "zeros"}}],
 "buffers": [
   {"name": "fc.count", "shape": [1], "init": {"kind": "constant", "value": 7}}],
 "state": [
   {"name": "fc.weight.momentum_buffer", "shape": [10, 784], "init": {"kind": "zeros"}},
   {"name": "fc.bias.momentum_buffer", "shape": [10], "init": {"kind": "zeros"}}],
 "entries": {
   "train_step": {
     "args": [{"role": "input", "name": "x"}, {"role": "label", "name": "y"},
              {"role": "param", "name": "fc.weight"},
              {"role": "param", "name": "fc.bias"},
              {"role": "buffer", "name": "fc.count"},
              {"role": "state", "name": "fc.weight.momentum_buffer"},
              {"role": "state", "name": "fc.bias.momentum_buffer"},
              {"role": "rng", "name": "rng", "shape": [], "dtype": "i64"}],
     "results": [{"role": "loss", "shape": [], "dtype": "f32"},
                 {"role": "param", "name": "fc.bias"},
                 {"role": "param", "name": "fc.weight"},
                 {"role": "buffer", "name": "fc.count"},
                 {"role": "state", "name": "fc.weight.momentum_buffer"},
                 {"role": "state", "name": "fc.bias.momentum_buffer"}]},
   "eval": {
     "args": [{"role": "rng", "name": "rng", "shape": [], "dtype": "i64"},
              {"role": "input", "name": "x"}, {"role": "label", "name": "y"},
              {"role": "param", "name": "fc.weight"},
              {"role": "param", "name": "fc.bias"},
              {"role": "buffer", "name": "fc.count"}],
     "results": [{"role": "loss", "shape": [], "dtype": "f32"},
                 {"role": "sample_loss", "shape": [32], "dtype": "f32"},
                 {"role": "logits", "shape": [32, 10], "dtype": "f32"},
                 {"role": "buffer", "name": "fc.count"}],
     "metrics": ["accuracy"]}},
 "train": {"epochs": 3, "seed": 0},
 "data": {"dataset": "fashion_mnist", "dir": "/nonexistent/kiln-data",
          "normalize": {"mean": 0.286, "std": 0.353}}})";

namespace {

constexpr int kB = 32, kF = 784, kC = 10;

/// Pointer indices of the train_step signature above: the arguments, then
/// the results, then their count.
namespace ts {
// clang-format off
enum { X, Y, W, B, Count, WMom, BMom, Rng,
       Loss, NewB, NewW, NewCount, NewWMom, NewBMom, Size };
// clang-format on
} // namespace ts
/// Pointer indices of the eval signature above.
namespace ev {
enum { Rng, X, Y, W, B, Count, Loss, SampleLoss, Logits, NewCount };
} // namespace ev

/// logits = x W^T + b, then per-row softmax cross-entropy. Returns the mean
/// loss and leaves probabilities in `probs`.
double forward(const float *x, const int32_t *y, const float *w, const float *b,
               float *logits, float *probs, float *sampleLoss) {
  kiln_rt_matmul_f32(x, w, logits, kB, kC, kF, 0, 1);
  double total = 0;
  for (int i = 0; i < kB; ++i) {
    float *row = logits + i * kC;
    float max = -INFINITY;
    for (int c = 0; c < kC; ++c)
      max = std::fmax(max, row[c] += b[c]);
    double sum = 0;
    for (int c = 0; c < kC; ++c)
      sum += std::exp(double(row[c]) - max);
    for (int c = 0; c < kC; ++c)
      probs[i * kC + c] = static_cast<float>(std::exp(row[c] - max) / sum);
    double l = std::log(sum) + max - row[y[i]];
    if (sampleLoss)
      sampleLoss[i] = static_cast<float>(l);
    total += l;
  }
  return total / kB;
}

} // namespace

namespace {

/// One SGD-with-momentum step at learning rate `lr`; a negative rate
/// ascends the loss instead.
void stepWithRate(void **buf, float lr) {
  auto f = [&](int i) { return static_cast<float *>(buf[i]); };
  const int32_t *y = static_cast<const int32_t *>(buf[ts::Y]);
  for (int i = 0; i < ts::Size; ++i)
    gTrace.buffersOk &= reinterpret_cast<uintptr_t>(buf[i]) % 64 == 0;
  for (int in = 0; in < ts::Loss; ++in)
    for (int out = ts::Loss; out < ts::Size; ++out)
      gTrace.buffersOk &= buf[in] != buf[out];
  if (gTrace.steps > 0) // Ping-pong, not copies.
    gTrace.buffersOk &= buf[ts::W] == gTrace.lastNewWeight &&
                        buf[ts::Count] == gTrace.lastNewCount;
  gTrace.lastNewWeight = buf[ts::NewW];
  gTrace.lastNewCount = buf[ts::NewCount];
  ++gTrace.steps;
  gTrace.counts.push_back(f(ts::Count)[0]);
  gTrace.trainSeeds.push_back(*static_cast<const int64_t *>(buf[ts::Rng]));
  gTrace.firstLabels.push_back(y[0]);
  f(ts::NewCount)[0] = f(ts::Count)[0] + 1;

  alignas(64) static float logits[kB * kC], probs[kB * kC], grad[kC * kF];
  f(ts::Loss)[0] = static_cast<float>(
      forward(f(ts::X), y, f(ts::W), f(ts::B), logits, probs, nullptr));
  for (int i = 0; i < kB; ++i) // d loss / d logits, averaged over the batch.
    for (int c = 0; c < kC; ++c)
      probs[i * kC + c] = (probs[i * kC + c] - (c == y[i])) / kB;
  kiln_rt_matmul_f32(probs, f(ts::X), grad, kC, kF, kB, 1, 0);
  const float momentum = 0.9f;
  for (int j = 0; j < kC * kF; ++j) {
    f(ts::NewWMom)[j] = momentum * f(ts::WMom)[j] + grad[j];
    f(ts::NewW)[j] = f(ts::W)[j] - lr * f(ts::NewWMom)[j];
  }
  for (int c = 0; c < kC; ++c) {
    float g = 0;
    for (int i = 0; i < kB; ++i)
      g += probs[i * kC + c];
    f(ts::NewBMom)[c] = momentum * f(ts::BMom)[c] + g;
    f(ts::NewB)[c] = f(ts::B)[c] - lr * f(ts::NewBMom)[c];
  }
}

} // namespace

void trainStep(void **buf) { stepWithRate(buf, 0.05f); }

void worseningStep(void **buf) {
  // gTrace.steps counts this step already once stepWithRate has run, so
  // decide first.
  stepWithRate(buf, gTrace.steps < kLearningSteps ? 0.05f : -0.05f);
}

void evalStep(void **buf) {
  alignas(64) static float probs[kB * kC];
  auto f = [&](int i) { return static_cast<float *>(buf[i]); };
  gTrace.evalSeeds.insert(*static_cast<const int64_t *>(buf[ev::Rng]));
  // Goes to a scratch buffer: eval must not change the model.
  f(ev::NewCount)[0] = -1000;
  f(ev::Loss)[0] = static_cast<float>(
      forward(f(ev::X), static_cast<int32_t *>(buf[ev::Y]), f(ev::W), f(ev::B),
              f(ev::Logits), probs, f(ev::SampleLoss)));
}

void nanStep(void **buf) { static_cast<float *>(buf[ts::Loss])[0] = NAN; }

} // namespace kiln::test
