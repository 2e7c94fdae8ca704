#include "tune/population.hpp"

#include <cmath>
#include <limits>

#include "io/output.hpp"
#include "io/provenance.hpp"
#include "util/error.hpp"
#include "util/format.hpp"

namespace ctd {

Population new_population(const SearchSpace& space, int members, uint64_t seed) {
  Population pop;
  pop.space = space;
  pop.seed = seed;
  for (int k = 0; k < members; ++k) {
    RngStream rng(seed, RngDomain::Tuning, uint64_t(k));
    Member m;
    for (const HyperParam& p : space) m.hp.push_back(initial_value(p, rng));
    pop.members.push_back(std::move(m));
  }
  return pop;
}

namespace {
template <class T, class F>
std::vector<T> column(const std::vector<GenerationRow>& rows, F get) {
  std::vector<T> v;
  for (const GenerationRow& r : rows) v.push_back(T(get(r)));
  return v;
}

// Hyperparameter values [rows, H], row-major.
std::vector<double> matrix(const std::vector<std::vector<double>>& rows, size_t H) {
  std::vector<double> v;
  for (const auto& r : rows) v.insert(v.end(), r.begin(), r.begin() + std::ptrdiff_t(std::min(H, r.size())));
  return v;
}

std::vector<std::vector<double>> rows_of(const Array<double>& a, size_t H, const std::string& where) {
  if (a.shape.size() != 2 || a.dim(1) != H) throw Error(where + ": expected one column per hyperparameter");
  std::vector<std::vector<double>> rows;
  for (size_t i = 0; i < a.dim(0); ++i) rows.emplace_back(a.ptr() + i * H, a.ptr() + (i + 1) * H);
  return rows;
}
}  // namespace

void write_population(const std::string& path, const Population& pop, const RunSignature& signature) {
  OutputFile out(path);
  H5File& f = out.h5();
  const size_t H = pop.space.size(), N = pop.members.size();
  std::vector<std::string> names, scales;
  std::vector<double> mins, maxs, inits;
  for (const HyperParam& p : pop.space) {
    names.push_back(p.name), scales.push_back(p.log ? "log" : "linear");
    mins.push_back(p.min), maxs.push_back(p.max), inits.push_back(p.has_init ? p.init : std::nan(""));
  }
  f.write_attribute("hyperparameters", names);
  f.write_attribute("hp_scale", scales);
  f.write_attribute("hp_min", mins);
  f.write_attribute("hp_max", maxs);
  f.write_attribute("hp_init", inits);
  f.write_attribute("metric", pop.metric);
  f.write_attribute("higher_is_better", int64_t(pop.higher_is_better));
  f.write_attribute("pbt_seed", std::to_string(pop.seed));  // as text: all 64 bits
  f.write_attribute("member_threads", int64_t(pop.threads));
  f.write_attribute("generations_done", int64_t(pop.generations_done));
  std::vector<std::vector<double>> hp;
  std::vector<int64_t> parent, failed;
  std::vector<double> score;
  std::vector<std::string> failure;
  for (const Member& m : pop.members) {
    hp.push_back(m.hp), parent.push_back(m.parent), failed.push_back(m.failed), score.push_back(m.score);
    failure.push_back(m.failure);
  }
  f.write("members/hp", Shape{N, H}, matrix(hp, H).data());
  f.write("members/parent", Shape{N}, parent.data());
  f.write("members/score", Shape{N}, score.data());
  f.write("members/failed", Shape{N}, failed.data());
  f.write_attribute("failure", failure, "members");
  for (size_t k = 0; k < N; ++k)
    if (!pop.members[k].state.empty())
      f.write("members/state_" + std::to_string(k), Shape{pop.members[k].state.size()},
              reinterpret_cast<const uint8_t*>(pop.members[k].state.data()));
  const auto& h = pop.history;
  const size_t R = h.size();
  std::vector<std::vector<double>> hhp;
  for (const GenerationRow& r : h) hhp.push_back(r.hp);
  f.write("history/generation", Shape{R}, column<int64_t>(h, [](const GenerationRow& r) { return r.generation; }).data());
  f.write("history/member", Shape{R}, column<int64_t>(h, [](const GenerationRow& r) { return r.member; }).data());
  f.write("history/parent", Shape{R}, column<int64_t>(h, [](const GenerationRow& r) { return r.parent; }).data());
  f.write("history/score", Shape{R}, column<double>(h, [](const GenerationRow& r) { return r.score; }).data());
  f.write("history/failed", Shape{R}, column<int64_t>(h, [](const GenerationRow& r) { return r.failed; }).data());
  f.write("history/hp", Shape{R, H}, matrix(hhp, H).data());
  write_signature(f, signature);
  f.write_attribute("ctd_kind", "pbt-population");
  f.write_attribute("ctd_version", std::string(ctd_version()));
  out.commit();
}

Population read_population(const std::string& path, const RunSignature& signature) {
  H5File f = H5File::open(path);
  if (!f.has_attribute("ctd_kind") || f.read_attribute_string("ctd_kind") != "pbt-population")
    throw Error(path + ": not a population file (ctd_kind is not 'pbt-population')");
  check_signature(f, signature);
  Population pop;
  const auto names = f.read_attribute_strings("hyperparameters");
  const auto scales = f.read_attribute_strings("hp_scale");
  const auto mins = f.read_attribute_doubles("hp_min"), maxs = f.read_attribute_doubles("hp_max"),
             inits = f.read_attribute_doubles("hp_init");
  const size_t H = names.size();
  if (scales.size() != H || mins.size() != H || maxs.size() != H || inits.size() != H)
    throw Error(path + ": the hyperparameters' attributes differ in length");
  for (size_t i = 0; i < H; ++i)
    pop.space.push_back({names[i], mins[i], maxs[i], scales[i] == "log", !std::isnan(inits[i]), inits[i]});
  pop.metric = f.read_attribute_string("metric");
  pop.higher_is_better = f.read_attribute_in("higher_is_better", 0, 1) != 0;
  const std::string seed = f.read_attribute_string("pbt_seed");
  try {
    size_t used = 0;
    pop.seed = std::stoull(seed, &used);
    if (used != seed.size()) throw std::invalid_argument(seed);
  } catch (const std::exception&) {
    throw Error(path + ": attribute 'pbt_seed' is not a seed: '" + seed + "'");
  }
  pop.threads = int(f.read_attribute_in("member_threads", 1, 1024));
  pop.generations_done = int(f.read_attribute_in("generations_done", 0, 1e9));
  const auto hp = rows_of(f.read<double>("members/hp"), H, f.where("members/hp"));
  const size_t N = hp.size();
  const Array<int64_t> parent = f.read<int64_t>("members/parent"), failed = f.read<int64_t>("members/failed");
  const Array<double> score = f.read<double>("members/score");
  const auto failure = f.read_attribute_strings("failure", "members");
  if (parent.size() != N || failed.size() != N || score.size() != N || failure.size() != N)
    throw Error(path + ": the members' datasets differ in length");
  for (size_t k = 0; k < N; ++k) {
    Member m;
    m.hp = hp[k];
    for (size_t h = 0; h < H; ++h)
      if (!(m.hp[h] >= pop.space[h].min && m.hp[h] <= pop.space[h].max))
        throw Error(f.where("members/hp") + ": member " + std::to_string(k) + "'s " + pop.space[h].name + " (" +
                    fmt("%g", m.hp[h]) + ") is outside its range");
    m.parent = int(parent.data[k]);
    m.score = score.data[k];
    m.failed = failed.data[k] != 0;
    m.failure = failure[k];
    if (m.parent < -1 || m.parent >= int(N)) throw Error(f.where("members/parent") + ": not a member");
    const std::string state = "members/state_" + std::to_string(k);
    if (f.has_dataset(state)) {
      const Array<uint8_t> bytes = f.read<uint8_t>(state);
      m.state.assign(bytes.data.begin(), bytes.data.end());
    } else if (pop.generations_done > 0) {
      throw Error(path + ": member " + std::to_string(k) + " has no state after " +
                  std::to_string(pop.generations_done) + " generation(s)");
    }
    pop.members.push_back(std::move(m));
  }
  const Array<int64_t> g = f.read<int64_t>("history/generation"), mem = f.read<int64_t>("history/member"),
                       par = f.read<int64_t>("history/parent"), fl = f.read<int64_t>("history/failed");
  const Array<double> sc = f.read<double>("history/score");
  const auto hhp = rows_of(f.read<double>("history/hp"), H, f.where("history/hp"));
  const size_t R = g.size();
  if (mem.size() != R || par.size() != R || fl.size() != R || sc.size() != R || hhp.size() != R)
    throw Error(path + ": the history's datasets differ in length");
  for (size_t i = 0; i < R; ++i)
    pop.history.push_back({int(g.data[i]), int(mem.data[i]), int(par.data[i]), sc.data[i], fl.data[i] != 0, hhp[i]});
  return pop;
}

void write_pbt_lineage(H5File& out, const Population& pop, int member) {
  std::vector<std::string> lines;
  int who = member;
  for (int g = pop.generations_done - 1; g >= 0 && who >= 0; --g) {
    const GenerationRow* row = nullptr;
    for (const GenerationRow& r : pop.history)
      if (r.generation == g && r.member == who) row = &r;
    if (!row) break;
    std::string line = "generation " + std::to_string(g + 1) + ": member " + std::to_string(who);
    if (row->parent >= 0) line += " (a copy of member " + std::to_string(row->parent) + ")";
    line += ", " + pop.metric + " " + fmt("%.6g", row->score) + ":";
    for (size_t h = 0; h < pop.space.size(); ++h) line += " " + pop.space[h].name + "=" + fmt("%.6g", row->hp[h]);
    lines.insert(lines.begin(), line);
    if (row->parent >= 0) who = row->parent;
  }
  out.write_attribute("pbt_member", int64_t(member));
  out.write_attribute("pbt_metric", pop.metric);
  out.write_attribute("pbt_score", pop.members[size_t(member)].score);
  out.write_attribute("pbt_lineage", lines);
}

int best_member(const Population& pop) {
  int best = -1;
  for (size_t k = 0; k < pop.members.size(); ++k) {
    const Member& m = pop.members[k];
    if (m.failed || std::isnan(m.score)) continue;
    const Member* b = best < 0 ? nullptr : &pop.members[size_t(best)];
    if (!b || (pop.higher_is_better ? m.score > b->score : m.score < b->score)) best = int(k);
  }
  return best;
}

}  // namespace ctd
