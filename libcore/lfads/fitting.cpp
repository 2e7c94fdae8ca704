#include "lfads/fitting.hpp"

#include "io/output.hpp"
#include "lfads/model_file.hpp"
#include "lfads/sessions.hpp"
#include "util/error.hpp"
#include "util/format.hpp"
#include "util/log.hpp"
#include "util/options.hpp"

namespace ctd {

void register_options(OptionSet& o, LfadsFitConfig& c) {
  register_options(o, c.spec);
  register_options(o, c.train);
  register_options(o, c.rules);
  o.add("valid-every", c.valid_every, "Batches between points of the recorded curve (validation loss) and of the rules").min(1);
  o.add("readin-init", c.readin_init,
        "How read-ins start: pcr (principal-components regression onto the sessions' common space) or random")
      .one_of({"pcr", "random"});
  o.add("readin-smoothing", c.readin_smoothing,
        "pcr: the sessions' mean activity is smoothed in time by a Gaussian of this SD in bins first (0: not)")
      .non_negative();
  register_options(o, c.checkpoint);
}

namespace {

std::string terms(const LfadsLoss& l, KlWeights kl_w, int B, double l2) {
  return "total " + fmt("%.4g", l.total(kl_w, B) + l2) + " nll " + fmt("%.4g", l.nll / B) + " kl_ic " +
         fmt("%.3g", l.kl_ic / B) + " kl_ii " + fmt("%.3g", l.kl_ii / B);
}

}  // namespace

void write_lfads_state(H5File& f, const LfadsFit& fit, const RunSignature& sig) {
  write_training_state(
      f, "lfads-checkpoint",
      [&](H5File& g) {
        write_lfads_model(g, fit.spec, fit.state.params);
        write_best_so_far(g, fit.best);
      },
      fit.state, sig);
}

LfadsFit read_lfads_state(const H5File& f, const RunSignature& sig) {
  LfadsFit fit;
  LfadsModel m = read_lfads_model(f);
  fit.state = LfadsTrainState(m.spec);  // its curve's columns
  read_training_state(f, "lfads-checkpoint", sig, fit.state);
  fit.spec = m.spec;
  fit.state.params = m.params;
  read_best_so_far(f, fit.best);
  if (!fit.best.params.empty() && fit.best.params.size() != m.params.size())
    throw Error(f.name() + ": best/params does not match the parameters");
  if (fit.state.adam.m.size() != m.params.size() || fit.state.adam.v.size() != m.params.size())
    throw Error(f.name() + ": Adam moments do not match the parameters");
  return fit;
}

void write_lfads_checkpoint(const std::string& path, const LfadsFit& fit, const RunSignature& sig) {
  OutputFile out(path);
  write_lfads_state(out.h5(), fit, sig);
  out.commit();
}

LfadsFit read_lfads_checkpoint(const std::string& path, const RunSignature& sig) {
  return read_lfads_state(H5File::open(path), sig);
}

namespace {
// The model's sizes from the data: one session's units, or each session's (stitched).
LfadsSpec spec_for(const LfadsSpec& options, const std::vector<LfadsSessionData>& sessions) {
  LfadsSpec spec = options;
  const LfadsData& first = sessions.front().data;
  if (sessions.size() > 1) {
    set_sessions(spec, sessions);
    if (spec.readin == 0) spec.readin = spec.factors;
  } else {
    spec.D = int(first.train.data.dim(2));
    spec.held_in = first.held_in;
  }
  spec.ext = int(ext_width(first.train));
  const int T = int(first.train.data.dim(1)) - spec.forward_bins;  // the bins the encoders read
  if (T < 1)
    throw UsageError("--forward-bins " + std::to_string(spec.forward_bins) + " leaves the encoders no bin of the " +
                     std::to_string(first.train.data.dim(1)) + " in a trial");
  if (spec.ic_enc_seq_len > T)
    throw UsageError("--ic-enc-seq-len " + std::to_string(spec.ic_enc_seq_len) + " is longer than the trials (" +
                     std::to_string(T) + " bins)");
  if (spec.ci_lag >= T)
    throw UsageError("--ci-lag " + std::to_string(spec.ci_lag) + " leaves the controller no encoder state in " +
                     std::to_string(T) + " bins");
  readout_filter(spec);  // checks --readout-rise against --readout-decay
  return spec;
}

std::string units_of(const LfadsSpec& s) {
  std::string text = std::to_string(s.D) + " units (" + std::to_string(s.held_in) + " held in, " +
                     std::to_string(s.ext) + " external inputs)";
  for (const LfadsSession& one : s.sessions)
    text += (&one == &s.sessions.front() ? ": session " : ", ") + one.name + " " + std::to_string(one.D) + " (" +
            std::to_string(one.held_in) + ")";
  return text;
}

// A new model: parameters at their initial values, readout biases from the
// data, ZIG locations per unit, read-ins by principal-components regression.
void initialise(LfadsFit& fit, const std::vector<LfadsSessionData>& sessions, uint64_t seed, const LfadsFitConfig& c) {
  fit.state = LfadsTrainState(fit.spec);
  const bool zig = parse_observation(fit.spec.observation) == Observation::ZeroInflatedGamma;
  for (size_t k = 0; k < sessions.size() && zig; ++k) {
    const Array<float>& x = sessions[k].data.train.data;
    std::vector<float> loc = zig_locations(x.ptr(), x.dim(0) * x.dim(1), x.dim(2));
    if (fit.spec.sessions.empty()) fit.spec.location = loc;
    else fit.spec.sessions[k].location = loc;
  }
  fit.state.params = init_lfads(fit.spec, seed);
  for (size_t k = 0; k < sessions.size(); ++k) {
    const Array<float>& x = sessions[k].data.train.data;
    init_readout_biases(session_view(fit.spec, k), x.ptr(), x.dim(0) * x.dim(1), fit.state.params.data());
  }
  if (c.readin_init == "pcr") init_readins_pcr(fit.spec, sessions, c.readin_smoothing, fit.state.params.data());
}

// The first min(n, B) rows.
std::vector<size_t> first_rows(size_t n, int B) {
  std::vector<size_t> rows;
  for (size_t i = 0; i < std::min<size_t>(n, size_t(B)); ++i) rows.push_back(i);
  return rows;
}
}  // namespace

void check_fit_matches(const LfadsFit& fit, const LfadsFitConfig& c, const std::vector<LfadsSessionData>& sessions,
                       const std::string& whose) {
  const LfadsSpec wanted = spec_for(c.spec, sessions);
  if (units_of(fit.spec) != units_of(wanted))
    throw Error(whose + " model has " + units_of(fit.spec) + " but the data " + units_of(wanted));
}

LfadsFit start_lfads_fit(const LfadsFitConfig& c, const std::vector<LfadsSessionData>& sessions, uint64_t seed) {
  check_sessions(sessions);
  LfadsFit fit;
  fit.spec = spec_for(c.spec, sessions);
  initialise(fit, sessions, seed, c);
  return fit;
}

LfadsFit fit_lfads(const LfadsFitConfig& c, const std::vector<LfadsSessionData>& sessions, const RunSignature& sig,
                   uint64_t seed, int threads) {
  check_checkpoint_settings(c.checkpoint);
  check_sessions(sessions);
  const std::string& ckpt = c.checkpoint.path;
  LfadsFit fit;
  if (resume_from_checkpoint(c.checkpoint)) {
    fit = read_lfads_checkpoint(ckpt, sig);
    check_fit_matches(fit, c, sessions, ckpt + ": the checkpoint's");
    log_info("resuming at batch " + std::to_string(fit.state.step));
  } else {
    fit = start_lfads_fit(c, sessions, seed);
  }
  continue_lfads_fit(c, sessions, fit, sig, seed, threads);
  return fit;
}

void continue_lfads_fit(const LfadsFitConfig& c, const std::vector<LfadsSessionData>& sessions, LfadsFit& fit,
                        const RunSignature& sig, uint64_t seed, int threads) {
  LfadsTrainOptions opt = c.train;
  opt.seed = seed;
  opt.threads = threads;
  if (opt.kl_warmup_end < opt.kl_warmup_start) throw UsageError("--kl-warmup-end must not precede --kl-warmup-start");
  const std::string& ckpt = c.checkpoint.path;
  fit.keep_best = c.rules.keep_best;
  fit.valid_fraction = sessions.front().data.valid_fraction;
  const LfadsSpec& spec = fit.spec;
  size_t trials = 0;
  std::vector<const LfadsSplit*> train;
  for (const LfadsSessionData& s : sessions) trials += s.data.train.data.dim(0), train.push_back(&s.data.train);
  log_info("LFADS on " + std::to_string(trials) + " training trials (T=" + std::to_string(train.front()->data.dim(1)) +
           ", " + units_of(spec) + "), " +
           (spec.ii > 0 ? std::to_string(spec.ii) + " inferred input(s)" : std::string("autonomous")) + ", " +
           std::to_string(opt.batches) + " batches of " + std::to_string(opt.batch_size));
  // Validation: a batch's worth of each session's validation trials; sample
  // validation the hidden entries of a batch's worth of its first training trials.
  std::vector<LfadsSpec> views;
  std::vector<std::vector<size_t>> valid_rows, sv_rows;
  for (size_t k = 0; k < sessions.size(); ++k) {
    views.push_back(session_view(spec, k));
    valid_rows.push_back(first_rows(sessions[k].data.valid.data.dim(0), opt.batch_size));
    sv_rows.push_back(first_rows(spec.sample_validation > 0 ? train[k]->data.dim(0) : 0, opt.batch_size));
  }
  Progress progress(5.0, fit.state.step);  // a resumed run counts from its checkpoint
  CheckpointPolicy saving(ckpt, c.checkpoint.every, [&] { write_lfads_checkpoint(ckpt, fit, sig); },
                          c.checkpoint.stop_on_signal);
  std::string last;
  // The curve: training and validation loss every --valid-every batches (and the first and last).
  fit.ms_per_batch = train_lfads(spec, opt, train, fit.state, [&](const LfadsTrainState& s, const LfadsStepReport& r) {
    // The first, every valid_every-th and the last batch: the same points whether or not the run was resumed.
    // The rules act at the regular points only, so a run extended with a larger --batches decides as
    // an uninterrupted one (the point where the shorter run ended is recorded, not acted on).
    const bool regular = r.step % uint64_t(c.valid_every) == 0 || r.step == 1;
    const bool record = regular || r.step == opt.batches;
    if (record || progress.due()) {
      LfadsLoss v;
      int Bv = 0;
      double sv_nll = 0;
      size_t sv_trials = 0;
      std::vector<double> per_session;
      for (size_t k = 0; k < sessions.size(); ++k) {
        const LfadsLoss one = lfads_evaluate(views[k], s.params, sessions[k].data.valid, valid_rows[k], r.kl_weight,
                                             seed, threads);
        v.nll += one.nll, v.kl_ic += one.kl_ic, v.kl_ii += one.kl_ii;
        Bv += int(valid_rows[k].size());
        per_session.push_back(one.nll / double(valid_rows[k].size()));
        if (sv_rows[k].empty()) continue;
        sv_nll += lfads_sample_validation(views[k], s.params, *train[k], sv_rows[k], seed, threads).nll;
        sv_trials += sv_rows[k].size();
      }
      last = "batch " + std::to_string(r.step) + "/" + std::to_string(opt.batches) + "  train " +
             terms(r.train, r.kl_weight, opt.batch_size, r.l2) + " l2 " + fmt("%.3g", r.l2) + "  | valid " +
             terms(v, r.kl_weight, Bv, r.l2);
      const double sv = sv_trials > 0 ? sv_nll / double(sv_trials) : 0;
      if (sv_trials > 0) last += "  sample-valid nll " + fmt("%.4g", sv);
      last += "  " + fmt("%.1f", r.ms_per_batch) + " ms/batch";
      progress.update(last, r.step, opt.batches);
      if (record) {
        bool dropped = false;
        const double smoothed =
            regular ? apply_validation_rules(c.rules, v.nll / Bv, r.step, s.params.data(), s.params.size(),
                                             decayed_learning_rate(opt.lr, opt.lr_decay, r.step), fit.best, fit.state,
                                             dropped)
                    : smoothed_validation(c.rules, v.nll / Bv, fit.best);
        if (dropped) log_info("batch " + std::to_string(r.step) + ": validation plateau, learning rate now " +
                              fmt("%.3g", fit.state.lr_scale * decayed_learning_rate(opt.lr, opt.lr_decay, r.step)));
        std::vector<double> row = {double(r.step), r.train.total(r.kl_weight, opt.batch_size) + r.l2,
                                   v.total(r.kl_weight, Bv) + r.l2, v.nll / Bv, smoothed};
        if (sv_trials > 0) row.push_back(sv);
        if (!spec.sessions.empty()) row.insert(row.end(), per_session.begin(), per_session.end());
        fit.state.curve.add(row);
      }
    }
    return saving.after_batch(r.step);
  });
  saving.finish(fit.state.step);
  progress.finish(last.empty() ? "done" : last);
}

void write_lfads_fit(H5File& out, const LfadsFit& fit) {
  const bool best = fit.keep_best && !fit.best.params.empty();
  write_lfads_model(out, fit.spec, best ? fit.best.params : fit.state.params);
  out.write_attribute("ms_per_batch", fit.ms_per_batch);
  out.write_attribute("batches_done", int64_t(fit.state.step));
  // Which parameters these are: the last batch's, or those of the lowest smoothed validation loss.
  out.write_attribute("params_step", int64_t(best ? fit.best.step : fit.state.step));
  if (fit.best.step > 0) out.write_attribute("best_step", int64_t(fit.best.step));
  if (fit.valid_fraction > 0) out.write_attribute("valid_fraction", fit.valid_fraction);
  fit.state.curve.write_attributes(out);
}

}  // namespace ctd
