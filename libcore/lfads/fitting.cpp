#include "lfads/fitting.hpp"

#include "lfads/model_file.hpp"
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
  register_options(o, c.checkpoint);
}

namespace {

std::string terms(const LfadsLoss& l, double kl_w, int B, double l2) {
  return "total " + fmt("%.4g", l.total(kl_w, B) + l2) + " nll " + fmt("%.4g", l.nll / B) + " kl_ic " +
         fmt("%.3g", l.kl_ic / B) + " kl_ii " + fmt("%.3g", l.kl_ii / B);
}

}  // namespace

void write_lfads_checkpoint(const std::string& path, const LfadsFit& fit, const RunSignature& sig) {
  write_training_checkpoint(
      path, "lfads-checkpoint",
      [&](H5File& f) {
        write_lfads_model(f, fit.spec, fit.state.params);
        write_best_so_far(f, fit.best);
      },
      fit.state, sig);
}

LfadsFit read_lfads_checkpoint(const std::string& path, const RunSignature& sig, bool sample_validation) {
  LfadsFit fit;
  fit.state = LfadsTrainState(sample_validation);
  H5File f = read_training_checkpoint(path, "lfads-checkpoint", sig, fit.state);
  LfadsModel m = read_lfads_model(f);
  fit.spec = m.spec;
  fit.state.params = m.params;
  read_best_so_far(f, fit.best);
  if (!fit.best.params.empty() && fit.best.params.size() != m.params.size())
    throw Error(path + ": best/params does not match the parameters");
  if (fit.state.adam.m.size() != m.params.size() || fit.state.adam.v.size() != m.params.size())
    throw Error(path + ": Adam moments do not match the parameters");
  return fit;
}

LfadsFit fit_lfads(const LfadsFitConfig& c, const LfadsData& data, const RunSignature& sig, uint64_t seed,
                   int threads) {
  check_checkpoint_settings(c.checkpoint);
  LfadsTrainOptions opt = c.train;
  opt.seed = seed;
  opt.threads = threads;
  if (opt.kl_warmup_end < opt.kl_warmup_start) throw UsageError("--kl-warmup-end must not precede --kl-warmup-start");
  const std::string& ckpt = c.checkpoint.path;
  LfadsFit fit;
  fit.spec = c.spec;
  fit.spec.D = int(data.train.data.dim(2));
  fit.spec.held_in = data.held_in;
  fit.spec.ext = int(ext_width(data.train));
  const int T = int(data.train.data.dim(1));
  if (fit.spec.ic_enc_seq_len > T)
    throw UsageError("--ic-enc-seq-len " + std::to_string(fit.spec.ic_enc_seq_len) + " is longer than the trials (" +
                     std::to_string(T) + " bins)");
  if (fit.spec.ci_lag >= T)
    throw UsageError("--ci-lag " + std::to_string(fit.spec.ci_lag) + " leaves the controller no encoder state in " +
                     std::to_string(T) + " bins");
  if (resume_from_checkpoint(c.checkpoint)) {
    const LfadsSpec wanted = fit.spec;
    fit = read_lfads_checkpoint(ckpt, sig, wanted.sample_validation > 0);
    if (fit.spec.D != wanted.D || fit.spec.held_in != wanted.held_in || fit.spec.ext != wanted.ext)
      throw Error(ckpt + ": the checkpoint's model has " + std::to_string(fit.spec.D) + " units (" +
                  std::to_string(fit.spec.held_in) + " held in, " + std::to_string(fit.spec.ext) +
                  " external inputs) but the data " + std::to_string(wanted.D) + " (" +
                  std::to_string(wanted.held_in) + ", " + std::to_string(wanted.ext) + ")");
    log_info("resuming at batch " + std::to_string(fit.state.step));
  } else {
    fit.state = LfadsTrainState(fit.spec.sample_validation > 0);
    const Array<float>& x = data.train.data;
    if (parse_observation(fit.spec.observation) == Observation::ZeroInflatedGamma)
      fit.spec.location = zig_locations(x.ptr(), x.dim(0) * x.dim(1), x.dim(2));
    fit.state.params = init_lfads(fit.spec, seed);
    init_readout_biases(fit.spec, x.ptr(), x.dim(0) * x.dim(1), fit.state.params.data());
  }
  fit.keep_best = c.rules.keep_best;
  fit.valid_fraction = data.valid_fraction;
  const LfadsSpec& spec = fit.spec;
  log_info("LFADS on " + std::to_string(data.train.data.dim(0)) + " training trials (T=" +
           std::to_string(data.train.data.dim(1)) + ", D=" + std::to_string(spec.D) +
           (spec.held_in < spec.D ? ", " + std::to_string(spec.held_in) + " held in" : std::string()) +
           (spec.ext > 0 ? ", " + std::to_string(spec.ext) + " external inputs" : std::string()) + "), " +
           (spec.ii > 0 ? std::to_string(spec.ii) + " inferred input(s)" : std::string("autonomous")) + ", " +
           std::to_string(opt.batches) + " batches of " + std::to_string(opt.batch_size));
  std::vector<size_t> valid_rows;
  for (size_t i = 0; i < std::min<size_t>(data.valid.data.dim(0), size_t(opt.batch_size)); ++i) valid_rows.push_back(i);
  // Sample validation scores the hidden entries of the first training trials (a batch's worth).
  std::vector<size_t> sv_rows;
  if (spec.sample_validation > 0)
    for (size_t i = 0; i < std::min<size_t>(data.train.data.dim(0), size_t(opt.batch_size)); ++i) sv_rows.push_back(i);
  Progress progress(5.0, fit.state.step);  // a resumed run counts from its checkpoint
  CheckpointPolicy saving(ckpt, c.checkpoint.every, [&] { write_lfads_checkpoint(ckpt, fit, sig); });
  std::string last;
  // The curve: training and validation loss every --valid-every batches (and the first and last).
  fit.ms_per_batch = train_lfads(spec, opt, data.train, fit.state, [&](const LfadsTrainState& s, const LfadsStepReport& r) {
    // The first, every valid_every-th and the last batch: the same points whether or not the run was resumed.
    // The rules act at the regular points only, so a run extended with a larger --batches decides as
    // an uninterrupted one (the point where the shorter run ended is recorded, not acted on).
    const bool regular = r.step % uint64_t(c.valid_every) == 0 || r.step == 1;
    const bool record = regular || r.step == opt.batches;
    if (record || progress.due()) {
      LfadsLoss v = lfads_evaluate(spec, s.params, data.valid, valid_rows, r.kl_weight, seed, threads);
      const int Bv = int(valid_rows.size());
      last = "batch " + std::to_string(r.step) + "/" + std::to_string(opt.batches) + "  train " +
             terms(r.train, r.kl_weight, opt.batch_size, r.l2) + " l2 " + fmt("%.3g", r.l2) + "  | valid " +
             terms(v, r.kl_weight, Bv, r.l2);
      double sv = 0;
      if (!sv_rows.empty()) {
        sv = lfads_sample_validation(spec, s.params, data.train, sv_rows, seed, threads).nll / double(sv_rows.size());
        last += "  sample-valid nll " + fmt("%.4g", sv);
      }
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
        if (!sv_rows.empty()) row.push_back(sv);
        fit.state.curve.add(row);
      }
    }
    return saving.after_batch(r.step);
  });
  saving.finish(fit.state.step);
  progress.finish(last.empty() ? "done" : last);
  return fit;
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
