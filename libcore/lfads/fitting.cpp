#include "lfads/fitting.hpp"

#include <sys/stat.h>

#include "io/output.hpp"
#include "io/provenance.hpp"
#include "lfads/model_file.hpp"
#include "util/error.hpp"
#include "util/format.hpp"
#include "util/log.hpp"
#include "util/options.hpp"

namespace ctd {

void register_options(OptionSet& o, LfadsFitConfig& c) {
  register_options(o, c.spec);
  register_options(o, c.train);
  o.add("valid-every", c.valid_every, "Batches between points of the recorded curve (validation loss)").min(1);
  register_options(o, c.checkpoint);
}

namespace {

std::string terms(const LfadsLoss& l, double kl_w, int B, double l2) {
  return "total " + fmt("%.4g", l.total(kl_w, B) + l2) + " nll " + fmt("%.4g", l.nll / B) + " kl_ic " +
         fmt("%.3g", l.kl_ic / B) + " kl_ii " + fmt("%.3g", l.kl_ii / B);
}

const char* kCurve[] = {"step", "train_loss", "valid_loss", "valid_nll"};
std::vector<double>* curve_field(LfadsCurve& c, int k) {
  std::vector<double>* f[] = {&c.step, &c.train_loss, &c.valid_loss, &c.valid_nll};
  return f[k];
}

}  // namespace

void write_lfads_checkpoint(const std::string& path, const LfadsFit& fit, const RunSignature& sig) {
  OutputFile out(path);
  H5File& f = out.h5();
  write_lfads_model(f, fit.spec, fit.state.params);
  f.write("adam/m", Shape{fit.state.adam.m.size()}, fit.state.adam.m.data());
  f.write("adam/v", Shape{fit.state.adam.v.size()}, fit.state.adam.v.data());
  LfadsCurve curve = fit.curve;
  for (int k = 0; k < 4; ++k) f.write(std::string("curve/") + kCurve[k], Shape{curve_field(curve, k)->size()}, curve_field(curve, k)->data());
  f.write_attribute("batches_done", int64_t(fit.state.step));
  write_signature(f, sig);
  f.write_attribute("ctd_kind", std::string("lfads-checkpoint"));
  f.write_attribute("ctd_version", std::string(ctd_version()));
  out.commit();
}

LfadsFit read_lfads_checkpoint(const std::string& path, const RunSignature& sig) {
  H5File f = H5File::open(path);
  if (!f.has_attribute("ctd_kind") || f.read_attribute_string("ctd_kind") != "lfads-checkpoint")
    throw Error(path + ": not a fit-lfads checkpoint (ctd_kind is not 'lfads-checkpoint')");
  check_signature(f, sig);
  LfadsFit fit;
  LfadsModel m = read_lfads_model(f);
  fit.spec = m.spec;
  fit.state.params = m.params;
  fit.state.adam.m = f.read<float>("adam/m").data;
  fit.state.adam.v = f.read<float>("adam/v").data;
  if (fit.state.adam.m.size() != m.params.size() || fit.state.adam.v.size() != m.params.size())
    throw Error(path + ": Adam moments do not match the parameters");
  for (int k = 0; k < 4; ++k)
    if (f.has_dataset(std::string("curve/") + kCurve[k]))
      *curve_field(fit.curve, k) = f.read<double>(std::string("curve/") + kCurve[k]).data;
  const double done = f.read_attribute_double("batches_done");
  if (!(done >= 0 && done < 1e15)) throw Error(f.where("batches_done") + " is not a batch count");
  fit.state.step = uint64_t(done);
  return fit;
}

LfadsFit fit_lfads(const LfadsFitConfig& c, const LfadsData& data, const RunSignature& sig, uint64_t seed,
                   int threads) {
  LfadsTrainOptions opt = c.train;
  opt.seed = seed;
  opt.threads = threads;
  if (opt.kl_warmup_end < opt.kl_warmup_start) throw UsageError("--kl-warmup-end must not precede --kl-warmup-start");
  const std::string& ckpt = c.checkpoint.path;
  LfadsFit fit;
  fit.spec = c.spec;
  fit.spec.D = int(data.train.data.dim(2));
  if (c.checkpoint.resume) {
    if (ckpt.empty()) throw UsageError("--resume needs --checkpoint FILE");
    struct stat st;
    if (::stat(ckpt.c_str(), &st) != 0) throw Error(ckpt + ": no checkpoint to resume from");
    fit = read_lfads_checkpoint(ckpt, sig);
    log_info("resuming at batch " + std::to_string(fit.state.step));
  } else {
    fit.state.params = init_lfads(fit.spec, seed);
  }
  const LfadsSpec& spec = fit.spec;
  log_info("LFADS on " + std::to_string(data.train.data.dim(0)) + " training trials (T=" +
           std::to_string(data.train.data.dim(1)) + ", D=" + std::to_string(spec.D) + "), " +
           (spec.ii > 0 ? std::to_string(spec.ii) + " inferred input(s)" : std::string("autonomous")) + ", " +
           std::to_string(opt.batches) + " batches of " + std::to_string(opt.batch_size));
  std::vector<size_t> valid_rows;
  for (size_t i = 0; i < std::min<size_t>(data.valid.data.dim(0), size_t(opt.batch_size)); ++i) valid_rows.push_back(i);
  Progress progress;
  CheckpointPolicy saving(ckpt, c.checkpoint.every, [&] { write_lfads_checkpoint(ckpt, fit, sig); });
  std::string last;
  // The curve: training and validation loss every --valid-every batches (and the first and last).
  const uint64_t first_step = fit.state.step;
  fit.ms_per_batch = train_lfads(spec, opt, data.train.data, fit.state, [&](const LfadsTrainState& s, const LfadsStepReport& r) {
    const bool record = r.step % uint64_t(c.valid_every) == 0 || r.step == opt.batches || r.step == first_step + 1;
    if (record || progress.due()) {
      LfadsLoss v = lfads_evaluate(spec, s.params, data.valid.data, valid_rows, r.kl_weight, seed, threads);
      const int Bv = int(valid_rows.size());
      last = "batch " + std::to_string(r.step) + "/" + std::to_string(opt.batches) + "  train " +
             terms(r.train, r.kl_weight, opt.batch_size, r.l2) + " l2 " + fmt("%.3g", r.l2) + "  | valid " +
             terms(v, r.kl_weight, Bv, r.l2) + "  " + fmt("%.1f", r.ms_per_batch) + " ms/batch";
      progress.update(last);
      if (record) {
        fit.curve.step.push_back(double(r.step));
        fit.curve.train_loss.push_back(r.train.total(r.kl_weight, opt.batch_size) + r.l2);
        fit.curve.valid_loss.push_back(v.total(r.kl_weight, Bv) + r.l2);
        fit.curve.valid_nll.push_back(v.nll / Bv);
      }
    }
    return saving.after_batch();
  });
  saving.finish(fit.state.step);
  progress.finish(last.empty() ? "done" : last);
  return fit;
}

void write_lfads_fit(H5File& out, const LfadsFit& fit) {
  write_lfads_model(out, fit.spec, fit.state.params);
  out.write_attribute("ms_per_batch", fit.ms_per_batch);
  out.write_attribute("batches_done", int64_t(fit.state.step));
  if (fit.curve.step.empty()) return;  // a resume with nothing left to do records no new point
  out.write_attribute("curve_step", fit.curve.step);
  out.write_attribute("curve_train_loss", fit.curve.train_loss);
  out.write_attribute("curve_valid_loss", fit.curve.valid_loss);
  out.write_attribute("curve_valid_nll", fit.curve.valid_nll);
}

}  // namespace ctd
