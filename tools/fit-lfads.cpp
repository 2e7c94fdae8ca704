// fit-lfads: train LFADS on spike counts (SPEC.md §4), or with --infer run
// the posterior sample-and-average of a trained model over a split.
#include <chrono>
#include <sys/stat.h>

#include "cli/tool.hpp"
#include "io/output.hpp"
#include "lfads/data.hpp"
#include "lfads/model_file.hpp"
#include "lfads/posterior.hpp"
#include "lfads/train.hpp"
#include "train/checkpoint.hpp"
#include "train/checkpoint_policy.hpp"
#include "util/error.hpp"
#include "util/format.hpp"
#include "util/log.hpp"
#include "util/threads.hpp"

namespace {

using ctd::fmt;

std::string terms(const ctd::LfadsLoss& l, double kl_w, int B, double l2) {
  return "total " + fmt("%.4g", l.total(kl_w, B) + l2) + " nll " + fmt("%.4g", l.nll / B) + " kl_ic " +
         fmt("%.3g", l.kl_ic / B) + " kl_ii " + fmt("%.3g", l.kl_ii / B);
}

void write_lfads_checkpoint(const std::string& path, const ctd::LfadsSpec& spec, const ctd::LfadsTrainState& st,
                            const ctd::RunSignature& sig) {
  ctd::OutputFile out(path);
  ctd::write_lfads_model(out.h5(), spec, st.params);
  out.h5().write("adam/m", ctd::Shape{st.adam.m.size()}, st.adam.m.data());
  out.h5().write("adam/v", ctd::Shape{st.adam.v.size()}, st.adam.v.data());
  out.h5().write_attribute("batches_done", int64_t(st.step));
  ctd::write_signature(out.h5(), sig);
  out.h5().write_attribute("ctd_kind", std::string("lfads-checkpoint"));
  out.commit();
}

ctd::LfadsTrainState read_lfads_checkpoint(const std::string& path, const ctd::RunSignature& sig) {
  ctd::H5File f = ctd::H5File::open(path);
  if (!f.has_attribute("ctd_kind") || f.read_attribute_string("ctd_kind") != "lfads-checkpoint")
    throw ctd::Error(path + ": not a fit-lfads checkpoint");
  ctd::check_signature(f, sig);
  ctd::LfadsTrainState st;
  st.params = ctd::read_lfads_model(f).params;
  st.adam.m = f.read<float>("adam/m").data;
  st.adam.v = f.read<float>("adam/v").data;
  st.step = uint64_t(f.read_attribute_double("batches_done"));
  return st;
}

void infer(ctd::Tool& tool, const std::string& split_name, int samples, size_t max_trials) {
  ctd::OutputFile out(tool.output);
  ctd::H5File mf = ctd::H5File::open(tool.params);
  ctd::LfadsModel model = ctd::read_lfads_model(mf);
  ctd::H5File df = ctd::H5File::open(tool.input);
  ctd::LfadsData data = ctd::read_lfads_data(df);
  if (int(data.train.data.dim(2)) != model.spec.D)
    throw ctd::Error(tool.input + ": dataset 'train_data' has D=" + std::to_string(data.train.data.dim(2)) +
                     " units but the model has D=" + std::to_string(model.spec.D));
  ctd::H5File& o = out.h5();
  for (const std::string split : {"train", "valid"}) {
    if (split_name != "both" && split_name != split) continue;
    ctd::LfadsSplit& sp = split == "train" ? data.train : data.valid;
    auto head = [&](ctd::Array<float>& a) {
      if (a.size() == 0 || max_trials == 0 || a.dim(0) <= max_trials) return;
      size_t row = a.size() / a.dim(0);
      a.shape[0] = max_trials;
      a.data.resize(max_trials * row);
    };
    for (auto* a : {&sp.data, &sp.truth, &sp.inputs, &sp.lowd}) head(*a);
    auto t0 = std::chrono::steady_clock::now();
    ctd::LfadsPosterior p = ctd::lfads_posterior(model.spec, model.params, sp.data, samples, tool.seed, ctd::thread_count());
    const std::string g = split + "/";
    o.write(g + "rates", p.rates);
    o.write(g + "factors", p.factors);
    o.write(g + "gen_states", p.gen_states);
    if (model.spec.ii > 0) {
      o.write(g + "con_states", p.con_states);
      o.write(g + "inferred_inputs", p.inferred_inputs);
      o.write(g + "ii_mean", p.ii_mean);
      o.write(g + "ii_logvar", p.ii_logvar);
    }
    o.write(g + "g0_mean", p.g0_mean);
    o.write(g + "g0_logvar", p.g0_logvar);
    std::string line = split + ": " + std::to_string(sp.data.dim(0)) + " trials in " +
                       fmt("%.1f", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()) + " s";
    if (sp.truth.size()) {
      // Truth is in its own units: counts per bin × conversion factor (estimated when the file has none).
      double scale = data.conversion_factor;
      if (scale <= 0) {
        ctd::log_warning(tool.input + " has no conversion_factor: the scale from rates to truth is estimated from their means");
        double st = 0, sr = 0;
        for (size_t i = 0; i < sp.truth.size(); ++i) st += sp.truth[i], sr += p.rates[i];
        scale = sr > 0 ? st / sr : 1.0;
      }
      double r2 = ctd::mean_r2_per_unit_trial(p.rates, sp.truth, scale);
      double pooled = ctd::mean_r2_per_unit(p.rates, sp.truth, scale);
      o.write_attribute("rate_r2", r2, split);
      o.write_attribute("rate_r2_pooled", pooled, split);
      line += ", rate R2 " + fmt("%.3f", r2) + " (per unit and trial; per unit over all trials " + fmt("%.3f", pooled) + ")";
    }
    if (sp.inputs.size() && model.spec.ii > 0) {
      std::vector<double> r2 = ctd::affine_r2(p.inferred_inputs, sp.inputs);
      double mean = 0;
      for (double v : r2) mean += v / double(r2.size());
      o.write_attribute("inferred_input_r2", mean, split);
      line += ", inferred-input R2 " + fmt("%.3f", mean);
    }
    if (sp.lowd.size()) {
      std::vector<double> r2 = ctd::affine_r2(p.factors, sp.lowd);
      o.write_attribute("factors_lowd_r2", r2, split);
      line += ", factors->lowd R2";
      for (double v : r2) line += " " + fmt("%.3f", v);
    }
    ctd::log_info(line);
  }
  ctd::write_provenance(o, "lfads-posterior", tool.run_info(), data.history);
  o.write_attribute("model_file", tool.params);
  out.commit();
}

}  // namespace

int main(int argc, char** argv) {
  ctd::Tool tool("fit-lfads",
                 "Train LFADS (a sequential VAE with inferred inputs; --ii-dim 0: autonomous) on spike counts in the "
                 "LFADS layout, or with --infer write the posterior sample-and-average of a trained model.",
                 "fit-lfads -i lfads_data.h5 -o lfads_model.h5 && fit-lfads --infer -p lfads_model.h5 -i lfads_data.h5 -o posterior.h5");
  auto& app = tool.app();
  ctd::LfadsSpec spec;
  ctd::LfadsTrainOptions opt;
  bool infer_mode = false, resume = false;
  int samples = 128, valid_every = 100;
  size_t max_trials = 0;
  std::string split = "valid", checkpoint;
  double checkpoint_every = 300;
  tool.add_input("Spike counts in the LFADS layout (train_data, valid_data, ...)")->required();
  tool.add_output("Output: the model file, or with --infer the posterior file")->required();
  tool.add_params("--infer: the trained model file");
  app.add_flag("--infer", infer_mode, "Posterior sample-and-average of -p's model over --split");
  app.add_option("--samples", samples, "--infer: samples per trial")->check(CLI::PositiveNumber);
  app.add_option("--split", split, "--infer: valid | train | both")->check(CLI::IsMember({"valid", "train", "both"}));
  app.add_option("--max-trials", max_trials, "--infer: at most this many trials per split (0: all)");
  app.add_option("--batches", opt.batches, "Training batches")->check(CLI::PositiveNumber);
  app.add_option("--batch-size", opt.batch_size, "Trials per batch (drawn with replacement)")->check(CLI::PositiveNumber);
  app.add_option("--enc-dim", spec.enc, "Encoder GRU units (each direction)")->check(CLI::PositiveNumber);
  app.add_option("--con-dim", spec.con, "Controller GRU units")->check(CLI::PositiveNumber);
  app.add_option("--ii-dim", spec.ii, "Inferred inputs (0: the autonomous model)")->check(CLI::NonNegativeNumber);
  app.add_option("--gen-dim", spec.gen, "Generator GRU units")->check(CLI::PositiveNumber);
  app.add_option("--factors-dim", spec.factors, "Factors")->check(CLI::PositiveNumber);
  app.add_option("--keep-rate", spec.keep, "Dropout keep probability in training")->check(CLI::Range(1e-3, 1.0));
  app.add_option("--varmin", spec.varmin, "Variance floor")->check(CLI::PositiveNumber);
  app.add_option("--kl-warmup-start", opt.kl_warmup_start, "KL weight kl-min before this batch");
  app.add_option("--kl-warmup-end", opt.kl_warmup_end, "... rising linearly to kl-max at this batch");
  app.add_option("--kl-min", opt.kl_min, "KL weight before the warm-up")->check(CLI::NonNegativeNumber);
  app.add_option("--kl-max", opt.kl_max, "KL weight after the warm-up")->check(CLI::NonNegativeNumber);
  app.add_option("--lr", opt.lr, "Initial learning rate (decays as lr*decay^step)")->check(CLI::PositiveNumber);
  app.add_option("--lr-decay", opt.lr_decay, "Learning-rate decay per batch")->check(CLI::Range(0.0, 1.0));
  app.add_option("--max-grad-norm", opt.max_grad_norm, "Clip the gradient's global norm")->check(CLI::PositiveNumber);
  app.add_option("--l2", opt.l2, "L2 weight over every parameter")->check(CLI::NonNegativeNumber);
  app.add_option("--adam-eps", opt.adam.eps, "Adam eps")->check(CLI::PositiveNumber);
  app.add_option("--valid-every", valid_every, "Batches between points of the recorded curve (validation loss)")
      ->check(CLI::PositiveNumber);
  app.add_option("--checkpoint", checkpoint, "Save the training state here every --checkpoint-every s, on SIGTERM/SIGINT/SIGUSR1 and at the end");
  app.add_option("--checkpoint-every", checkpoint_every, "Seconds between checkpoints")->check(CLI::PositiveNumber);
  app.add_flag("--resume", resume, "Continue from --checkpoint");

  return tool.run(argc, argv, [&] {
    if (infer_mode) {
      if (tool.params.empty()) throw ctd::UsageError("--infer needs -p MODEL");
      infer(tool, split, samples, max_trials);
      return;
    }
    if (resume && checkpoint.empty()) throw ctd::UsageError("--resume needs --checkpoint FILE");
    if (opt.kl_warmup_end < opt.kl_warmup_start) throw ctd::UsageError("--kl-warmup-end must not precede --kl-warmup-start");
    ctd::OutputFile out(tool.output);
    ctd::H5File df = ctd::H5File::open(tool.input);
    ctd::LfadsData data = ctd::read_lfads_data(df);
    spec.D = int(data.train.data.dim(2));
    opt.seed = tool.seed;
    opt.threads = ctd::thread_count();
    ctd::RunSignature sig;
    for (const auto& o : tool.run_info().options)
      if (o.name != "batches" && o.name != "checkpoint" && o.name != "resume" && o.name != "checkpoint-every" &&
          o.name != "valid-every")
        sig.emplace_back(o.name, o.value);
    ctd::LfadsTrainState st;
    if (resume) {
      struct stat s;
      if (::stat(checkpoint.c_str(), &s) != 0) throw ctd::Error(checkpoint + ": no checkpoint to resume from");
      st = read_lfads_checkpoint(checkpoint, sig);
      ctd::log_info("resuming at batch " + std::to_string(st.step));
    } else {
      st.params = ctd::init_lfads(spec, tool.seed);
    }
    ctd::log_info("LFADS on " + std::to_string(data.train.data.dim(0)) + " training trials (T=" +
                  std::to_string(data.train.data.dim(1)) + ", D=" + std::to_string(spec.D) + "), " +
                  (spec.ii > 0 ? std::to_string(spec.ii) + " inferred input(s)" : std::string("autonomous")) + ", " +
                  std::to_string(opt.batches) + " batches of " + std::to_string(opt.batch_size));
    std::vector<size_t> valid_rows;
    for (size_t i = 0; i < std::min<size_t>(data.valid.data.dim(0), size_t(opt.batch_size)); ++i) valid_rows.push_back(i);
    ctd::Progress progress;
    ctd::CheckpointPolicy saving(checkpoint, checkpoint_every, [&] { write_lfads_checkpoint(checkpoint, spec, st, sig); });
    std::string last;
    // The curve: training and validation loss every --valid-every batches (and the first and last).
    std::vector<double> c_step, c_train, c_valid, c_valid_nll;
    const uint64_t first_step = st.step;
    double ms = ctd::train_lfads(spec, opt, data.train.data, st, [&](const ctd::LfadsTrainState& s, const ctd::LfadsStepReport& r) {
      const bool record = r.step % uint64_t(valid_every) == 0 || r.step == opt.batches || r.step == first_step + 1;
      if (record || progress.due()) {
        ctd::LfadsLoss v = ctd::lfads_evaluate(spec, s.params, data.valid.data, valid_rows, r.kl_weight, tool.seed, opt.threads);
        const int Bv = int(valid_rows.size());
        last = "batch " + std::to_string(r.step) + "/" + std::to_string(opt.batches) + "  train " +
               terms(r.train, r.kl_weight, opt.batch_size, r.l2) + " l2 " + fmt("%.3g", r.l2) + "  | valid " +
               terms(v, r.kl_weight, Bv, r.l2) + "  " + fmt("%.1f", r.ms_per_batch) + " ms/batch";
        progress.update(last);
        if (record) {
          c_step.push_back(double(r.step));
          c_train.push_back(r.train.total(r.kl_weight, opt.batch_size) + r.l2);
          c_valid.push_back(v.total(r.kl_weight, Bv) + r.l2);
          c_valid_nll.push_back(v.nll / Bv);
        }
      }
      return saving.after_batch();
    });
    saving.finish(st.step);
    progress.finish(last.empty() ? "done" : last);
    ctd::write_lfads_model(out.h5(), spec, st.params);
    ctd::write_provenance(out.h5(), "lfads-model", tool.run_info(), data.history);
    out.h5().write_attribute("ms_per_batch", ms);
    out.h5().write_attribute("batches_done", int64_t(st.step));
    out.h5().write_attribute("curve_step", c_step);
    out.h5().write_attribute("curve_train_loss", c_train);
    out.h5().write_attribute("curve_valid_loss", c_valid);
    out.h5().write_attribute("curve_valid_nll", c_valid_nll);
    out.commit();
  });
}
