#include "lfads/train.hpp"

#include <algorithm>
#include <cmath>

#include "nn/batch_loss.hpp"
#include "util/error.hpp"
#include "util/memory.hpp"
#include "util/options.hpp"
#include "util/ranks.hpp"
#include "util/rng.hpp"
#include "util/threads.hpp"

namespace ctd {

void register_options(OptionSet& o, LfadsTrainOptions& s) {
  register_options(o, static_cast<OptimizerSettings&>(s));
  o.find("batch-size")->help = "Trials per batch (drawn with replacement)";
  o.group("KL warm-up");
  o.add("kl-warmup-start", s.kl_warmup_start, "KL weight kl-min before this batch");
  o.add("kl-warmup-end", s.kl_warmup_end, "... rising linearly to kl-max at this batch");
  o.add("kl-min", s.kl_min, "KL weight before the warm-up").non_negative();
  o.add("kl-max", s.kl_max, "KL weight after the warm-up").non_negative();
  o.add("kl-ic-weight", s.kl_ic_weight, "The initial condition's KL term: its weight is this times the warm-up's")
      .non_negative();
  o.add("kl-ii-weight", s.kl_ii_weight, "The inferred inputs' KL term: its weight is this times the warm-up's")
      .non_negative();
  o.group("Optimisation");
  o.add("l2-gen", s.l2_gen, "L2 weight on the generator's recurrent weights, beyond --l2").non_negative();
  o.add("l2-con", s.l2_con, "L2 weight on the controller's recurrent weights, beyond --l2").non_negative();
}

KlWeights kl_weight(const LfadsTrainOptions& o, uint64_t step) {
  double k = o.kl_max;
  if (step < o.kl_warmup_start) k = o.kl_min;
  else if (step < o.kl_warmup_end)
    k = o.kl_min + double(step - o.kl_warmup_start) / double(o.kl_warmup_end - o.kl_warmup_start) * (o.kl_max - o.kl_min);
  return KlWeights(k * o.kl_ic_weight, k * o.kl_ii_weight);
}

namespace {
// Loss (and gradient, added to `grad`) of trials `rows` of a split, the batch
// split across threads; trial b draws from stream stream0 + b, and the loss is
// per trial of a batch of `batch_size` (rows may be one rank's or one session's share of it).
LfadsLoss batch_pass(const LfadsSpec& spec, const float* params, float* grad, const LfadsSplit& split,
                     const std::vector<size_t>& rows, KlWeights kl_w, uint64_t seed, uint64_t stream0, bool dropout,
                     SampleValidation sv, int threads, std::vector<AlignedVector<float>>& grads, int batch_size) {
  const Array<float>& counts = split.data;
  const int B = int(rows.size()), T = int(counts.dim(1)), D = int(counts.dim(2)), X = int(ext_width(split));
  const int nt = std::max(1, std::min(threads, B)), slice = (B + nt - 1) / nt;
  const size_t P = lfads_param_count(spec);
  if (grad && grads.size() < size_t(nt)) grads.resize(size_t(nt));
  std::vector<LfadsLoss> parts(static_cast<size_t>(nt));
  RegionErrors errors;
#pragma omp parallel for num_threads(nt) schedule(static, 1)
  for (int k = 0; k < nt; ++k) errors.guard([&] {
    const int b0 = k * slice, nb = std::min(B, b0 + slice) - b0;
    if (nb <= 0) return;
    std::vector<float> x(size_t(nb) * T * D), u(size_t(nb) * T * X);
    for (int b = 0; b < nb; ++b) {
      const size_t r = rows[size_t(b0 + b)];
      std::copy_n(counts.ptr() + r * T * D, size_t(T) * D, x.data() + size_t(b) * T * D);
      if (X > 0) std::copy_n(split.ext.ptr() + r * T * X, size_t(T) * X, u.data() + size_t(b) * T * X);
    }
    LfadsDraws<float> d = lfads_draws<float>(spec, nb, T, seed, stream0 + uint64_t(b0), dropout);
    apply_sample_validation(spec, d, std::vector<size_t>(rows.begin() + b0, rows.begin() + b0 + nb), T, sv);
    float* g = nullptr;
    if (grad) {
      grads[size_t(k)].assign(P, 0.0f);
      g = grads[size_t(k)].data();
    }
    parts[size_t(k)] = lfads_pass<float>(spec, params, g, x.data(), u.data(), nb, T, d, kl_w, batch_size);
  });
  errors.rethrow();
  LfadsLoss total;
  for (const auto& p : parts) {
    total.nll += p.nll;
    total.kl_ic += p.kl_ic;
    total.kl_ii += p.kl_ii;
  }
  if (grad) {
    for (int k = 0; k < nt; ++k)
      for (size_t i = 0; i < P; ++i) grad[i] += grads[size_t(k)][i];
  }
  return total;
}
// λ·Σw² over the spans, its gradient added to grad.
double add_l2(double lambda, const std::vector<std::pair<size_t, size_t>>& spans, const float* w, float* grad) {
  double sum = 0;
  for (const auto& [offset, n] : spans) {
    sum += sum_of_squares(w + offset, n);
    for (size_t i = offset; i < offset + n; ++i) grad[i] += float(2 * lambda) * w[i];
  }
  return lambda * sum;
}
}  // namespace

LfadsLoss lfads_evaluate(const LfadsSpec& spec, const AlignedVector<float>& params, const LfadsSplit& split,
                         const std::vector<size_t>& rows, KlWeights kl_w, uint64_t seed, int threads) {
  std::vector<AlignedVector<float>> unused;
  return batch_pass(spec, params.data(), nullptr, split, rows, kl_w, seed, uint64_t(1) << 41, false,
                    SampleValidation::None, threads, unused, int(rows.size()));
}

LfadsLoss lfads_sample_validation(const LfadsSpec& spec, const AlignedVector<float>& params, const LfadsSplit& train,
                                  const std::vector<size_t>& rows, uint64_t seed, int threads) {
  std::vector<AlignedVector<float>> unused;
  return batch_pass(spec, params.data(), nullptr, train, rows, 1.0, seed, uint64_t(1) << 41, false,
                    SampleValidation::Score, threads, unused, int(rows.size()));
}

double train_lfads(const LfadsSpec& spec, const LfadsTrainOptions& o, const std::vector<const LfadsSplit*>& train,
                   LfadsTrainState& st, const LfadsHook& hook) {
  const size_t P = lfads_param_count(spec);
  // The sessions' training trials pooled: trial i of the pool is row i - start[k] of session k.
  std::vector<size_t> start = {0};
  for (const LfadsSplit* s : train) start.push_back(start.back() + s->data.dim(0));
  const size_t n = start.back();
  std::vector<AlignedVector<float>> grads;
  // Data parallel (mpirun): every rank draws the whole batch's rows and computes its share.
  const std::pair<int, int> share = my_rows(o.batch_size);
  const int first = share.first, end = share.second;  // plain names: lambdas may capture them
  if (ranks().size > 1 && first == end)
    throw UsageError("--batch-size " + std::to_string(o.batch_size) + " is smaller than the " +
                     std::to_string(ranks().size) + " ranks: each rank needs at least one trial");
  // The tape of a batch holds every step's activations: about 12 floats per
  // unit of every layer and step (2.5 MB a trial at the defaults, T = 100;
  // measured 2.3-2.6). Too large a batch must fail now, not swap for hours.
  int units = spec.sessions.empty() ? spec.D : 0;
  for (const LfadsSession& one : spec.sessions) units = std::max(units, one.D);
  const double widths = 2.0 * spec.ic_width() + (spec.separate_encoders() ? 2.0 * spec.ci_width() : 0.0) +
                        2.0 * spec.con + spec.gen + spec.factors + units + spec.readin + 2.0 * spec.ii;
  const size_t T = train.front()->data.dim(1);
  require_memory(double(end - first) * double(T) * widths * 12 * sizeof(float),
                 "--batch-size " + std::to_string(o.batch_size) + " (the activations of " + std::to_string(end - first) +
                     " trials of " + std::to_string(T) + " steps)");
  std::vector<size_t> rows(static_cast<size_t>(o.batch_size));
  std::vector<LfadsSpec> views;
  for (size_t k = 0; k < train.size(); ++k) views.push_back(session_view(spec, k));
  // The recurrent weights --l2-gen and --l2-con penalise (AutoLFADS's two L2 scales).
  std::vector<std::pair<size_t, size_t>> gen_spans, con_spans;
  if (o.l2_gen > 0) gen_spans = recurrent_weight_spans(spec, "gen");
  if (o.l2_con > 0 && spec.ii > 0) con_spans = recurrent_weight_spans(spec, "con");
  LfadsLoss loss;
  KlWeights kw;
  double l2 = 0;
  auto loss_and_grad = [&](uint64_t step, float* grad) {
    RngStream pick(o.seed, RngDomain::Sampling, step);
    for (auto& r : rows) r = std::min(n - 1, size_t(pick.uniform() * double(n)));
    // Sessions in order (one session: the order drawn); trial j of that order draws from stream step·B + j.
    std::stable_sort(rows.begin(), rows.end(), [&](size_t a, size_t b) {
      return std::upper_bound(start.begin(), start.end(), a) < std::upper_bound(start.begin(), start.end(), b);
    });
    kw = kl_weight(o, step);
    std::fill(grad, grad + P, 0.0f);
    loss = LfadsLoss{};
    for (size_t k = 0, j = size_t(first); k < train.size() && j < size_t(end); ++k) {
      std::vector<size_t> mine;  // this rank's trials of session k, as rows of the session
      const size_t j0 = j;
      for (; j < size_t(end) && rows[j] < start[k + 1]; ++j) mine.push_back(rows[j] - start[k]);
      if (mine.empty()) continue;
      LfadsLoss part = batch_pass(views[k], st.params.data(), grad, *train[k], mine, kw, o.seed,
                                  step * uint64_t(o.batch_size) + uint64_t(j0), true, SampleValidation::Train,
                                  o.threads, grads, o.batch_size);
      loss.nll += part.nll, loss.kl_ic += part.kl_ic, loss.kl_ii += part.kl_ii;
    }
    if (ranks().size > 1) {  // summed in rank order: repeatable for a given number of ranks
      sum_over_ranks(grad, P);
      double parts[3] = {loss.nll, loss.kl_ic, loss.kl_ii};
      sum_over_ranks(parts, 3);
      loss.nll = parts[0], loss.kl_ic = parts[1], loss.kl_ii = parts[2];
    }
    l2 = o.l2 * sum_of_squares(st.params.data(), P);
    for (size_t i = 0; i < P; ++i) grad[i] += float(2 * o.l2) * st.params[i];
    l2 += add_l2(o.l2_gen, gen_spans, st.params.data(), grad) + add_l2(o.l2_con, con_spans, st.params.data(), grad);
    return loss.total(kw, o.batch_size) + l2;
  };
  auto after = [&](const OptimizerStep& r) {
    return !hook || hook(st, LfadsStepReport{r.step, loss, l2, kw, r.lr, r.ms_per_batch});
  };
  return run_optimizer(o, st.params.data(), P, st, loss_and_grad, after);
}

}  // namespace ctd
