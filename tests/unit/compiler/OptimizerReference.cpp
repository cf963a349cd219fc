//===- OptimizerReference.cpp - torch.optim updates in f64 ----------------===//
//
// Each rule follows the pseudo-code of its torch.optim documentation page
// (the "Algorithm" box), element by element.
//
//===----------------------------------------------------------------------===//
#include "OptimizerReference.h"

#include <algorithm>
#include <cmath>

using namespace kiln::testing;

bool kiln::testing::referenceStep(const std::string &name, const Hyper &hyper,
                                  std::vector<double> &p, std::vector<double> g,
                                  ReferenceState &state) {
  auto h = [&](const char *key) { return hyper.at(key); };
  auto slot = [&](const char *key, double init = 0.0) -> std::vector<double> & {
    auto it = state.slots.find(key);
    if (it == state.slots.end())
      it = state.slots.emplace(key, std::vector<double>(p.size(), init)).first;
    return it->second;
  };
  double lr = h("lr"), wd = h("weight_decay");
  double t = ++state.step;
  size_t n = p.size();

  if (name == "sgd") {
    double mu = h("momentum");
    std::vector<double> &buf = slot("momentum_buffer");
    bool decoupled = h("decoupled_weight_decay");
    for (size_t i = 0; i < n; ++i) {
      // SGDW shrinks the parameter first, as AdamW does.
      if (decoupled)
        p[i] *= 1 - lr * wd;
      double gi = decoupled ? g[i] : g[i] + wd * p[i];
      double d = gi;
      if (mu != 0) {
        // PyTorch sets buf = g on the first step; zero-started buffers agree.
        buf[i] = t == 1 ? gi : mu * buf[i] + gi;
        d = h("nesterov") ? gi + mu * buf[i] : buf[i];
      }
      p[i] -= lr * d;
    }
  } else if (name == "adam" || name == "adamw") {
    double b1 = h("beta1"), b2 = h("beta2"), eps = h("eps");
    bool amsgrad = h("amsgrad");
    std::vector<double> &m = slot("exp_avg"), &v = slot("exp_avg_sq"),
                        &vmax = slot("max_exp_avg_sq");
    double bc1 = 1 - std::pow(b1, t), bc2 = 1 - std::pow(b2, t);
    for (size_t i = 0; i < n; ++i) {
      double gi = g[i];
      if (name == "adamw")
        p[i] *= 1 - lr * wd;
      else
        gi += wd * p[i];
      m[i] = b1 * m[i] + (1 - b1) * gi;
      v[i] = b2 * v[i] + (1 - b2) * gi * gi;
      double second = v[i];
      if (amsgrad)
        second = vmax[i] = std::max(vmax[i], v[i]);
      double denom = std::sqrt(second) / std::sqrt(bc2) + eps;
      p[i] -= lr / bc1 * m[i] / denom;
    }
  } else if (name == "adagrad") {
    std::vector<double> &sum = slot("sum", h("initial_accumulator_value"));
    double clr = lr / (1 + (t - 1) * h("lr_decay"));
    for (size_t i = 0; i < n; ++i) {
      double gi = g[i] + wd * p[i];
      sum[i] += gi * gi;
      p[i] -= clr * gi / (std::sqrt(sum[i]) + h("eps"));
    }
  } else if (name == "rmsprop") {
    double alpha = h("alpha"), mu = h("momentum");
    std::vector<double> &sq = slot("square_avg"), &avg = slot("grad_avg"),
                        &buf = slot("momentum_buffer");
    for (size_t i = 0; i < n; ++i) {
      double gi = g[i] + wd * p[i];
      sq[i] = alpha * sq[i] + (1 - alpha) * gi * gi;
      double variance = sq[i];
      if (h("centered")) {
        avg[i] = alpha * avg[i] + (1 - alpha) * gi;
        variance -= avg[i] * avg[i];
      }
      double scaled = gi / (std::sqrt(variance) + h("eps"));
      if (mu > 0) {
        buf[i] = mu * buf[i] + scaled;
        p[i] -= lr * buf[i];
      } else {
        p[i] -= lr * scaled;
      }
    }
  } else {
    return false;
  }
  return true;
}
