//===- full_batch.cpp - Newton's method and line searches -----------------===//
//
// One iteration at parameters p (all parameter elements, flattened row-major
// in the order of the entry's gradients, P of them):
//   f, g (and H for Newton) at p       one call of train_step (or hessian)
//   d = -g, or solve H d = -g          LAPACK dposv (Cholesky)
//   t = lr; while f(p + t d) > f + c t g.d: t *= shrink    calls of eval
//   p = p + t d
// Without a line search t = lr. The loop stops when |g| < tolerance or after
// the iteration limit. Everything is computed in double; the parameters
// keep the model's float type.
//
//===----------------------------------------------------------------------===//
#include "full_batch.h"
#include "kiln/batching.h"
#include "kiln/error.h"
#include "kiln/evaluate.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

// LAPACK (liblapack): solves A X = B for symmetric positive definite A by
// Cholesky; A is overwritten by its factor and B by X. info > 0: the leading
// minor of order info is not positive definite.
extern "C" void dposv_(const char *uplo, const int *n, const int *nrhs,
                       double *a, const int *lda, double *b, const int *ldb,
                       int *info);

namespace kiln {
namespace {

using Vector = std::vector<double>;

double dot(const Vector &a, const Vector &b) {
  return std::inner_product(a.begin(), a.end(), b.begin(), 0.0);
}

/// An entry point that gives the loss and the gradients (train_step, or
/// hessian for Newton's method, which adds H), bound once.
class Oracle {
public:
  Oracle(EntryFn fn, const EntrySignature &sig, ModelState &model,
         CallTensors &io)
      : fn_(fn), call_(sig, model, io, PackedCall::Results::Next),
        loss_(io.get(Role::Loss)) {
    for (size_t i : sig.resultsWith(Role::Grad)) {
      const std::string &name = sig.results[i].name;
      params_.push_back(&model.slot(Role::Param, name).current);
      grads_.push_back(&io.get(Role::Grad, name));
    }
    if (sig.hasResult(Role::Hessian))
      hessian_ = &io.get(Role::Hessian);
  }

  /// The parameters, in gradient order: what p, g and d index.
  const std::vector<Tensor *> &params() const { return params_; }
  size_t numGradients() const { return grads_.size(); }

  /// Calls the entry at the current parameters: returns f, fills g (and H,
  /// row-major P x P, when the entry returns it).
  double operator()(Vector &g, Vector *h) {
    // Writes no param: checkApplies rules out buffers.
    callEntry(fn_, call_.pointers());
    g.clear();
    for (const Tensor *grad : grads_)
      for (int64_t j = 0; j < grad->numel(); ++j)
        g.push_back(realAt(*grad, j));
    if (h) {
      h->resize(hessian_->numel());
      for (int64_t j = 0; j < hessian_->numel(); ++j)
        (*h)[j] = realAt(*hessian_, j);
    }
    return realAt(loss_, 0);
  }

private:
  EntryFn fn_;
  PackedCall call_;
  const Tensor &loss_;
  std::vector<const Tensor *> grads_;
  std::vector<Tensor *> params_;
  Tensor *hessian_ = nullptr;
};

Vector readParams(const std::vector<Tensor *> &params) {
  Vector p;
  for (const Tensor *t : params)
    for (int64_t j = 0; j < t->numel(); ++j)
      p.push_back(realAt(*t, j));
  return p;
}

/// Sets the parameters to p + t d.
void writeParams(const std::vector<Tensor *> &params, const Vector &p, double t,
                 const Vector &d) {
  size_t k = 0;
  for (Tensor *tensor : params)
    for (int64_t j = 0; j < tensor->numel(); ++j, ++k)
      setReal(*tensor, j, p[k] + t * d[k]);
}

/// -g, or Newton's direction, which solves H d = -g. H is a Hessian, so
/// symmetric and row- or column-major alike; positive definite where the
/// loss is strictly convex, which Cholesky checks as it factors.
Vector descentDirection(bool newton, Vector h, const Vector &g,
                        int64_t iteration) {
  Vector d(g.size());
  for (size_t i = 0; i < g.size(); ++i)
    d[i] = -g[i];
  if (!newton)
    return d;
  const int n = static_cast<int>(g.size()), one = 1;
  int info = 0;
  dposv_("U", &n, &one, h.data(), &n, d.data(), &n, &info);
  if (info > 0)
    throw Error("Newton's method needs a positive definite Hessian, but at "
                "iteration " +
                std::to_string(iteration) + " its leading minor of order " +
                std::to_string(info) + " (of " + std::to_string(n) +
                ") is not: the loss is not strictly convex there (use "
                "`optimizer = sgd(lr = ...)` with `line_search = armijo()`)");
  if (info < 0)
    throw Error("LAPACK dposv rejected argument " + std::to_string(-info));
  return d;
}

std::string methodName(const FullBatchSettings &s) {
  std::string name = s.newton ? "newton" : "gradient descent";
  return s.lineSearch ? name + " with armijo line search" : name;
}

/// The loss of eval at the current parameters: the line search's trials.
class TrialLoss {
public:
  TrialLoss(EntryFn fn, const Manifest &m, ModelState &model, CallTensors &io)
      : fn_(fn),
        call_(m.entry(Entry::Eval), model, io, PackedCall::Results::Scratch),
        loss_(io.get(Role::Loss)) {
    if (!m.entry(Entry::Eval).hasResult(Role::Loss))
      throw Error("the line search needs the eval entry's loss, which this "
                  "binary's eval does not return (recompile with kilnc)");
  }
  double operator()() {
    callEntry(fn_, call_.pointers());
    return realAt(loss_, 0);
  }

private:
  EntryFn fn_;
  PackedCall call_;
  const Tensor &loss_;
};

/// Backtracks from t = lr until the trial loss at p + t d decreases enough
/// (a NaN trial fails the test and shrinks too); leaves the parameters at
/// the accepted point and returns t, or restores p and returns nothing
/// after max_trials trials. `slope` = g.d < 0.
std::optional<double> armijoStep(const FullBatchSettings &s,
                                 TrialLoss &trialLoss,
                                 const std::vector<Tensor *> &params,
                                 const Vector &p, const Vector &d, double loss,
                                 double slope, int64_t &evaluations) {
  double t = s.lr;
  for (evaluations = 1; evaluations <= s.maxTrials;
       ++evaluations, t *= s.shrink) {
    writeParams(params, p, t, d);
    if (trialLoss() <= loss + s.c * t * slope)
      return t;
  }
  evaluations = s.maxTrials;
  writeParams(params, p, 0.0, d);
  return std::nullopt;
}

/// Checks that the method applies to this model and data before any work.
void checkApplies(const Program &program, const Manifest &m,
                  const Dataset &trainSet) {
  if (m.batchSize() != trainSet.size())
    throw Error(
        "full-batch methods need the input's batch (" +
        std::to_string(m.batchSize()) + ") to equal the training set's size (" +
        std::to_string(trainSet.size()) + "): declare the input '" +
        m.input.name + "' with " + std::to_string(trainSet.size()) + " rows");
  if (!m.buffers.empty())
    throw Error("full-batch methods need a model without buffers (batch "
                "normalization's running statistics): the line search "
                "compares losses that would differ between training and "
                "evaluation");
  if (m.fullBatch->newton)
    m.entry(Entry::Hessian); // throws when the program lacks it
}

} // namespace

int64_t trainFullBatch(const Program &program, const Manifest &m,
                       const Dataset &trainSet, const Dataset &testSet,
                       ModelState &model, CallTensors &io,
                       int64_t maxIterations, const LogWriter &log) {
  const FullBatchSettings &s = *m.fullBatch;
  const auto start = std::chrono::steady_clock::now();
  checkApplies(program, m, trainSet);
  const Entry entry = s.newton ? Entry::Hessian : Entry::TrainStep;
  Oracle oracle(program.entry(entry), m.entry(entry), model, io);
  if (oracle.numGradients() != m.params.size())
    throw Error("full-batch methods train every parameter, but the entry "
                "returns " +
                std::to_string(oracle.numGradients()) + " gradients for " +
                std::to_string(m.params.size()) + " parameters");
  std::optional<TrialLoss> trialLoss;
  if (s.lineSearch)
    trialLoss.emplace(program.entry(Entry::Eval), m, model, io);

  // The whole training set, once: every call reads the same batch.
  std::vector<int64_t> all(trainSet.size());
  std::iota(all.begin(), all.end(), int64_t(0));
  Tensor &input = io.get(Role::Input);
  gatherBatch(trainSet, all.data(), trainSet.size(), input.dtype(), input.raw(),
              io.get(Role::Label).raw());
  if (Tensor *rng = io.find(Role::Rng))
    rng->i64()[0] = 0; // random layers are the identity, as in eval

  Vector g, h;
  double stepSize = 0.0;
  int64_t evaluations = 0, iteration = 0;
  double loss = 0.0, gradNorm = 0.0;
  for (;; ++iteration) {
    loss = oracle(g, s.newton ? &h : nullptr);
    gradNorm = std::sqrt(dot(g, g));
    if (!std::isfinite(loss) || !std::isfinite(gradNorm))
      throw Error("training diverged: the loss is " + std::to_string(loss) +
                  " and the gradient norm " + std::to_string(gradNorm) +
                  " at iteration " + std::to_string(iteration) +
                  " (lower the optimizer's lr or add a line_search)");
    std::printf("iteration %lld  loss %.12f  grad_norm %.3e  step_size %g  "
                "evaluations %lld\n",
                (long long)iteration, loss, gradNorm, stepSize,
                (long long)evaluations);
    std::fflush(stdout);
    log({{"type", "iteration"},
         {"iteration", iteration},
         {"loss", loss},
         {"grad_norm", gradNorm},
         {"step_size", stepSize},
         {"evaluations", evaluations}});
    if (gradNorm < s.tolerance || iteration == maxIterations)
      break;

    const Vector d = descentDirection(s.newton, h, g, iteration);
    const Vector p = readParams(oracle.params());
    stepSize = s.lr;
    evaluations = 0;
    if (s.lineSearch) {
      std::optional<double> t = armijoStep(s, *trialLoss, oracle.params(), p, d,
                                           loss, dot(g, d), evaluations);
      if (!t) {
        std::fprintf(stderr,
                     "kiln: at iteration %lld the line search found no "
                     "step length that decreases the loss enough "
                     "(max_trials = %lld); stopping: the loss is flat to "
                     "the float precision here\n",
                     (long long)iteration, (long long)s.maxTrials);
        break;
      }
      stepSize = *t;
    } else {
      writeParams(oracle.params(), p, stepSize, d);
    }
  }

  const bool converged = gradNorm < s.tolerance;
  if (!converged && s.tolerance > 0)
    std::fprintf(stderr,
                 "kiln: stopped after %lld iterations with gradient norm "
                 "%.3e, above the tolerance %g\n",
                 (long long)iteration, gradNorm, s.tolerance);
  EvalResult test = evaluate(program.entry(Entry::Eval), m, testSet, model, io);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  nlohmann::ordered_json record = {
      {"type", "result"},        {"method", methodName(s)},
      {"iterations", iteration}, {"converged", converged},
      {"train_loss", loss},      {"grad_norm", gradNorm}};
  std::string scores = describeEval("test", test, record);
  record["seconds"] = seconds;
  std::printf("%s: %lld iterations  train_loss %.12f  grad_norm %.3e  %s  "
              "%.2f s\n",
              methodName(s).c_str(), (long long)iteration, loss, gradNorm,
              scores.c_str(), seconds);
  std::fflush(stdout);
  log(record);
  return iteration;
}

} // namespace kiln
