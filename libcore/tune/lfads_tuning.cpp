#include "tune/lfads_tuning.hpp"

#include <chrono>
#include <cmath>

#include "io/file_image.hpp"
#include "lfads/inference.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/format.hpp"
#include "util/log.hpp"
#include "util/options.hpp"
#include "util/ranks.hpp"
#include "util/signals.hpp"
#include "tune/member_pool.hpp"

namespace ctd {

void register_options(OptionSet& o, LfadsTuning& t) {
  // Dropout searched down to keep 0.4 needs the generator's dropout off its recurrence.
  t.base.spec.gen_dropout = "factors";
  register_options(o, t.base);
  for (const char* gone : {"batches", "checkpoint", "checkpoint-every", "resume"}) o.remove(gone);
  register_options(o, t.pbt);
  o.add("score", t.score,
        "What ranks the members: co-bps (held-out units of the validation trials; higher is better), valid-nll "
        "(the smoothed validation NLL; lower is better) or auto (co-bps when units are held out)")
      .one_of({"auto", "co-bps", "valid-nll"});
  o.add("score-samples", t.score_samples, "co-bps: posterior samples per validation trial").min(1);
  o.add("population", t.population,
        "The population file: every member's state, scores and lineage, rewritten after each generation "
        "(default: the output's name with -population.h5)")
      .unrecorded()
      .writes_file();
  o.add("resume", t.resume, "Continue the run in --population (also to a larger --generations); start fresh when "
                            "it does not exist yet")
      .unrecorded();
  o.add("jobs", t.jobs, "Members training at once on this machine, each in its own process with its share of -t "
                        "(-t/-j threads; under mpirun/srun each rank trains one member at a time with -t)")
      .min(1)
      .unrecorded();
  o.find("jobs")->short_name = "-j";
}

std::vector<std::string> lfads_tunable() {
  return {"lr", "lr-decay", "l2", "l2-gen", "l2-con", "keep-rate", "cd-rate", "kl-ic-weight", "kl-ii-weight",
          "kl-max", "max-grad-norm"};
}

double& lfads_hyperparameter(LfadsFitConfig& c, const std::string& name) {
  if (name == "lr") return c.train.lr;
  if (name == "lr-decay") return c.train.lr_decay;
  if (name == "l2") return c.train.l2;
  if (name == "l2-gen") return c.train.l2_gen;
  if (name == "l2-con") return c.train.l2_con;
  if (name == "keep-rate") return c.spec.keep;
  if (name == "cd-rate") return c.spec.cd_rate;
  if (name == "kl-ic-weight") return c.train.kl_ic_weight;
  if (name == "kl-ii-weight") return c.train.kl_ii_weight;
  if (name == "kl-max") return c.train.kl_max;
  if (name == "max-grad-norm") return c.train.max_grad_norm;
  throw UsageError("'" + name + "' is not a hyperparameter tune-lfads can search");
}

LfadsFit member_fit(const Member& m, const std::string& where) {
  LfadsFit fit = read_lfads_state(open_file_image(m.state, where), {});
  return fit;
}

namespace {
uint64_t member_seed(uint64_t seed, int k) {
  RngStream rng(seed, RngDomain::Tuning, (uint64_t(1) << 41) + uint64_t(k));
  return (uint64_t(rng.next_u32()) << 32) | rng.next_u32();
}

// Members train silently (their lines would interleave); -v shows them.
struct QuietMembers {
  LogLevel saved = log_level();
  QuietMembers() {
    if (saved < LogLevel::Verbose) set_log_level(LogLevel::Quiet);
  }
  ~QuietMembers() { set_log_level(saved); }
};

bool held_out_units(const std::vector<LfadsSessionData>& sessions) {
  const LfadsData& d = sessions.front().data;
  return sessions.size() == 1 && d.held_in < int(d.train.data.dim(2));
}

std::string hp_text(const SearchSpace& space, const std::vector<double>& hp) {
  std::string s;
  for (size_t h = 0; h < space.size(); ++h) s += (h ? " " : "") + space[h].name + "=" + fmt("%.3g", hp[h]);
  return s;
}

double score_member(const LfadsTuning& t, bool co_bps, const LfadsFit& fit, const std::vector<LfadsSessionData>& sessions,
                    uint64_t seed, int threads) {
  if (!co_bps) {
    if (std::isnan(fit.best.smoothed_last)) throw Error("no validation point was recorded");
    return fit.best.smoothed_last;
  }
  LfadsModel model{fit.spec, fit.keep_best && !fit.best.params.empty() ? fit.best.params : fit.state.params};
  LfadsData data = sessions.front().data;
  InferenceSettings s;
  s.samples = t.score_samples;
  s.split = "valid";
  const std::vector<SplitPosterior> post = infer_lfads(model, data, s, sessions.front().file, seed, threads);
  if (post.empty() || !post.front().has_co_bps) throw Error("co-bps could not be computed on the validation trials");
  return post.front().co_bps;
}
double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A generation's results into the members and the history; a signal ends the run here (exit 75).
void record_generation(Population& pop, const std::vector<MemberResult>& results, int g, const std::string& file) {
  for (const MemberResult& r : results)
    if (r.stopped)
      throw Stopped("stopped during generation " + std::to_string(g + 1) + "; " + file + " holds the " +
                    std::to_string(g) + " generation(s) before it (continue with --resume; exit status 75)");
  int alive = 0;
  for (const MemberResult& r : results) {
    Member& m = pop.members[size_t(r.member)];
    m.failed = r.failed;
    m.failure = r.failure;
    m.score = r.failed ? std::nan("") : r.score;
    if (!r.failed) m.state = r.state, ++alive;
    else log_warning("generation " + std::to_string(g + 1) + ": member " + std::to_string(r.member) + " failed (" +
                     r.failure + "); it will be replaced by a copy of a better one");
    pop.history.push_back({g, r.member, m.parent, m.score, m.failed, m.hp});
  }
  if (alive == 0)
    throw Error("generation " + std::to_string(g + 1) + ": every member failed; the first: " + results[0].failure);
}

// Where a generation's time went (-v): bench/pbt-overhead reads these lines.
void log_timing(const std::vector<MemberResult>& results, int g, double wall, double exploit, double write) {
  double train = 0, score = 0;
  size_t bytes = 0;
  for (const MemberResult& r : results) train += r.train_seconds, score += r.score_seconds, bytes += r.state.size();
  log_verbose("timing: generation " + std::to_string(g + 1) + " wall " + fmt("%.3f", wall) + " s, training " +
              fmt("%.3f", train) + " s, scoring " + fmt("%.3f", score) + " s (summed over members), exploit " +
              fmt("%.4f", exploit) + " s, population file " + fmt("%.3f", write) + " s, states " +
              fmt("%.1f", double(bytes) / 1e6) + " MB");
}
}  // namespace

Population tune_lfads(const LfadsTuning& t, const SearchSpace& space, const std::vector<LfadsSessionData>& sessions,
                      const RunSignature& sig, uint64_t seed, int threads) {
  check_pbt_settings(t.pbt);
  check_sessions(sessions);
  if (t.pbt.generation_batches % uint64_t(t.base.valid_every) != 0)
    throw UsageError("--generation-batches " + std::to_string(t.pbt.generation_batches) +
                     " must be a multiple of --valid-every " + std::to_string(t.base.valid_every) +
                     " (members are scored at a validation point)");
  const bool co_bps = t.score == "co-bps" || (t.score == "auto" && held_out_units(sessions));
  if (co_bps && !held_out_units(sessions))
    throw UsageError("--score co-bps needs one session with held-out units (--hold-out N, or an NLB file)");
  install_checkpoint_signals();
  Population pop;
  if (t.resume && file_exists(t.population)) {
    pop = read_population(t.population, sig);
    if (search_space_text(pop.space) != search_space_text(space))
      throw UsageError(t.population + ": the population searched another space; resume with the same --space");
    if (pop.threads != threads)
      throw UsageError(t.population + ": its members trained with -t " + std::to_string(pop.threads) +
                       "; resume with the same threads per member to repeat the run bit for bit");
    if (int(pop.members.size()) != t.pbt.members) throw Error(t.population + ": the file's member count differs");
    log_info("resuming " + t.population + " after generation " + std::to_string(pop.generations_done));
  } else {
    if (file_exists(t.population))
      throw UsageError(t.population + " exists: --resume continues its run (or remove it to start afresh)");
    if (t.resume) log_info("no population " + t.population + " yet: starting fresh");
    pop = new_population(space, t.pbt.members, seed);
    pop.metric = co_bps ? "co_bps" : "valid_nll_smoothed";
    pop.higher_is_better = co_bps;
    pop.threads = threads;
  }
  const int N = int(pop.members.size());
  log_info("population-based training: " + std::to_string(N) + " members, " + std::to_string(t.pbt.generations) +
           " generations of " + std::to_string(t.pbt.generation_batches) + " batches, scored by " + pop.metric);
  const MemberTrainer train = [&](const MemberJob& job) {
    const auto start = std::chrono::steady_clock::now();
    const std::string name = "member " + std::to_string(job.member);
    QuietMembers quiet;
    LfadsFitConfig c = t.base;
    for (size_t h = 0; h < space.size(); ++h) lfads_hyperparameter(c, space[h].name) = job.hp[h];
    c.checkpoint = CheckpointSettings{};
    c.checkpoint.stop_on_signal = true;
    const uint64_t mseed = member_seed(seed, job.member);
    LfadsFit fit;
    if (job.state.empty()) {
      fit = start_lfads_fit(c, sessions, mseed);
    } else {
      fit = read_lfads_state(open_file_image(job.state, t.population + ": " + name), {});
      check_fit_matches(fit, c, sessions, t.population + ": " + name + "'s");
    }
    fit.spec.keep = c.spec.keep;  // the training-time parts of the spec follow the member's hyperparameters
    fit.spec.cd_rate = c.spec.cd_rate;
    c.train.batches = fit.state.step + t.pbt.generation_batches;
    continue_lfads_fit(c, sessions, fit, {}, mseed, threads);
    MemberResult r;
    r.train_seconds = seconds_since(start);
    r.score = score_member(t, co_bps, fit, sessions, mseed, threads);
    if (!std::isfinite(r.score)) throw Error("its score is " + fmt("%g", r.score));
    auto f = memory_file(name);
    write_lfads_state(*f, fit, {});
    r.state = file_image(*f);
    r.score_seconds = seconds_since(start) - r.train_seconds;
    return r;
  };
  for (int g = pop.generations_done; g < t.pbt.generations; ++g) {
    // Exploit and explore at the start of a generation, not at the end of the last: the file after a
    // generation holds what it trained and scored, and a run extended with --generations decides alike.
    auto start = std::chrono::steady_clock::now();
    if (g > 0) {
      const auto copied = exploit_and_explore(pop, t.pbt, g - 1);
      for (const Replacement& r : copied)
        log_verbose("member " + std::to_string(r.member) + " copies member " + std::to_string(r.source) + ": " +
                    hp_text(space, pop.members[size_t(r.member)].hp));
    }
    const double exploit = seconds_since(start);
    std::vector<MemberJob> jobs;
    for (int k = 0; k < N; ++k) jobs.push_back({k, pop.members[size_t(k)].hp, pop.members[size_t(k)].state});
    start = std::chrono::steady_clock::now();
    const std::vector<MemberResult> results = run_members(jobs, train, t.jobs);
    const double wall = seconds_since(start);
    record_generation(pop, results, g, t.population);
    const int best = best_member(pop);
    log_info("generation " + std::to_string(g + 1) + "/" + std::to_string(t.pbt.generations) + " (" +
             fmt("%.1f", wall) + " s): best member " + std::to_string(best) + " " + pop.metric + " " +
             fmt("%.5g", pop.members[size_t(best)].score) + "  " + hp_text(space, pop.members[size_t(best)].hp));
    pop.generations_done = g + 1;
    start = std::chrono::steady_clock::now();
    if (is_rank0()) write_population(t.population, pop, sig);
    log_timing(results, g, wall, exploit, seconds_since(start));
  }
  return pop;
}

}  // namespace ctd
