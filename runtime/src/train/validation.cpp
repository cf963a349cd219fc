//===- validation.cpp - Validation split and early stopping ---------------===//
//
// The split copies rather than views the tail because Dataset owns its
// tensors; the copy is made once per run and is at most the training set's
// size. The best epoch's tensors are copied (not swapped out of ModelState)
// because training goes on after an improvement until patience runs out.
//
//===----------------------------------------------------------------------===//
#include "kiln/validation.h"
#include "kiln/error.h"

#include <cstdio>
#include <cstring>

namespace kiln {
namespace {

/// Rows [begin, end) of a tensor whose first dimension is the sample.
Tensor rows(const Tensor &t, int64_t begin, int64_t end) {
  std::vector<int64_t> shape = t.shape();
  const size_t rowBytes = shape[0] ? t.bytes() / shape[0] : 0;
  shape[0] = end - begin;
  Tensor out(t.dtype(), shape);
  std::memcpy(out.raw(), static_cast<const char *>(t.raw()) + begin * rowBytes,
              static_cast<size_t>(end - begin) * rowBytes);
  return out;
}

} // namespace

Dataset splitOffValidation(Dataset &train, double fraction, int64_t batch) {
  const int64_t n = train.size();
  const int64_t held = static_cast<int64_t>(fraction * static_cast<double>(n));
  if (held < batch) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", fraction);
    throw Error("the validation set (--val-split " + std::string(text) +
                ") has " + std::to_string(held) + " of the " +
                std::to_string(n) +
                " training samples, fewer than one batch of " +
                std::to_string(batch) + "; raise --val-split");
  }
  Dataset val;
  val.pixels = train.pixels;
  val.images = rows(train.images, n - held, n);
  val.labels = rows(train.labels, n - held, n);
  train.images = rows(train.images, 0, n - held);
  train.labels = rows(train.labels, 0, n - held);
  return val;
}

bool EarlyStopping::update(int64_t epoch, int64_t steps, double valLoss,
                           const ModelState &model) {
  if (bestEpoch_ != 0 && !(valLoss < bestLoss_)) {
    ++sinceBest_;
    return false;
  }
  bestEpoch_ = epoch;
  bestSteps_ = steps;
  bestLoss_ = valLoss;
  sinceBest_ = 0;
  std::vector<TensorRef> current = model.savedTensors();
  names_.clear();
  best_.clear();
  for (const TensorRef &ref : current) {
    names_.push_back(ref.first);
    Tensor copy(ref.second->dtype(), ref.second->shape());
    std::memcpy(copy.raw(), ref.second->raw(), ref.second->bytes());
    best_.push_back(std::move(copy));
  }
  return true;
}

void EarlyStopping::restore(const State &state, std::vector<NamedTensor> best) {
  sinceBest_ = state.sinceBest;
  bestEpoch_ = state.bestEpoch;
  bestSteps_ = state.bestSteps;
  bestLoss_ = state.bestLoss;
  names_.clear();
  best_.clear();
  for (NamedTensor &t : best) {
    names_.push_back(std::move(t.name));
    best_.push_back(std::move(t.tensor));
  }
}

std::vector<TensorRef> EarlyStopping::bestTensors() const {
  std::vector<TensorRef> refs;
  for (size_t i = 0; i < best_.size(); ++i)
    refs.emplace_back(names_[i], &best_[i]);
  return refs;
}

} // namespace kiln
