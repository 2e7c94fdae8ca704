#include "lfads/sessions.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <map>
#include <cctype>
#include <set>

#include "scoring/psth.hpp"
#include "util/error.hpp"

namespace ctd {

namespace {
const char* const kNameRule = "a session name must be 1-64 letters, digits, '_', '-' or '.' and not start with '.'";
bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.'; }
bool is_session_name(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 64 && name[0] != '.';
  for (char c : name) ok = ok && name_char(c);
  return ok;
}
}  // namespace

void require_session_name(const std::string& name, const std::string& where) {
  if (!is_session_name(name)) throw Error(where + ": " + kNameRule);
}

std::string session_name_of_file(const std::string& path) {
  std::string base = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  for (const char* ext : {".h5", ".hdf5"}) {
    const std::string e = ext;
    if (base.size() > e.size() && base.compare(base.size() - e.size(), e.size(), e) == 0) base.resize(base.size() - e.size());
  }
  for (char& c : base)
    if (!name_char(c)) c = '_';
  if (base.empty() || base[0] == '.') base = "session" + base;
  return base.substr(0, 64);
}

std::vector<LfadsSessionData> read_sessions(const std::vector<std::string>& files,
                                            const std::vector<std::string>& names, const LfadsReadOptions& reading) {
  if (!names.empty() && names.size() != files.size())
    throw UsageError("--session-names gives " + std::to_string(names.size()) + " names for " +
                     std::to_string(files.size()) + " input files");
  std::vector<LfadsSessionData> sessions;
  for (size_t k = 0; k < files.size(); ++k) {
    LfadsSessionData s;
    s.file = files[k];
    s.name = names.empty() ? session_name_of_file(files[k]) : names[k];
    if (!is_session_name(s.name)) throw UsageError("--session-names: '" + s.name + "': " + kNameRule);
    s.data = read_lfads_data(H5File::open(files[k]), reading);
    sessions.push_back(std::move(s));
  }
  return sessions;
}

void check_sessions(const std::vector<LfadsSessionData>& sessions) {
  if (sessions.empty()) throw UsageError("no session to fit");
  const LfadsSessionData& first = sessions.front();
  std::set<std::string> names;
  for (const LfadsSessionData& s : sessions) {
    const std::string who = "session '" + s.name + "' (" + s.file + ")";
    require_session_name(s.name, who);
    if (!names.insert(s.name).second)
      throw UsageError("two sessions are named '" + s.name + "': name them with --session-names");
    if (s.data.train.data.dim(0) == 0) throw Error(who + " has no training trials");
    if (s.data.valid.data.dim(0) == 0)
      throw Error(who + " has no validation trials (give it valid_data, or use --valid-fraction)");
    if (s.data.train.data.dim(1) != first.data.train.data.dim(1))
      throw Error(who + " has trials of " + std::to_string(s.data.train.data.dim(1)) + " bins but session '" +
                  first.name + "' of " + std::to_string(first.data.train.data.dim(1)) +
                  ": stitched sessions share the bins of a trial");
    if (ext_width(s.data.train) != ext_width(first.data.train))
      throw Error(who + " has " + std::to_string(ext_width(s.data.train)) + " external inputs but session '" +
                  first.name + "' " + std::to_string(ext_width(first.data.train)));
  }
}

void set_sessions(LfadsSpec& spec, const std::vector<LfadsSessionData>& sessions) {
  spec.sessions.clear();
  spec.D = spec.held_in = 0;
  for (const LfadsSessionData& s : sessions) {
    LfadsSession one;
    one.name = s.name;
    one.D = int(s.data.train.data.dim(2));
    one.held_in = s.data.held_in;
    spec.D += one.D;
    spec.held_in += one.held_in;
    spec.sessions.push_back(std::move(one));
  }
}

namespace {
using Mat = Eigen::MatrixXd;

// The conditions every session has (sorted); empty when a session has none.
std::vector<int64_t> common_conditions(const std::vector<LfadsSessionData>& sessions) {
  std::set<int64_t> common;
  for (size_t k = 0; k < sessions.size(); ++k) {
    const std::vector<int64_t>& c = sessions[k].data.train.conditions;
    if (c.empty()) return {};
    std::set<int64_t> mine(c.begin(), c.end()), both;
    if (k == 0) both = mine;
    for (int64_t v : common)
      if (mine.count(v)) both.insert(v);
    common = both;
  }
  return {common.begin(), common.end()};
}

// Mean held-in activity [conditions·T, held_in] over the training trials of
// each condition (all trials: one), smoothed by a Gaussian of `sd` bins (0: not).
Mat mean_activity(const LfadsSplit& train, int held_in, const std::vector<int64_t>& conditions, double sd) {
  const size_t B = train.data.dim(0), T = train.data.dim(1), D = train.data.dim(2);
  const size_t C = std::max<size_t>(1, conditions.size());
  std::map<int64_t, size_t> index;
  for (size_t c = 0; c < conditions.size(); ++c) index[conditions[c]] = c;
  Mat m = Mat::Zero(long(C * T), held_in);
  std::vector<double> n(C, 0);
  for (size_t b = 0; b < B; ++b) {
    size_t c = 0;
    if (!conditions.empty()) {
      auto it = index.find(train.conditions[b]);
      if (it == index.end()) continue;  // a condition not every session has
      c = it->second;
    }
    n[c] += 1;
    for (size_t t = 0; t < T; ++t)
      for (int j = 0; j < held_in; ++j) m(long(c * T + t), j) += train.data[(b * T + t) * D + size_t(j)];
  }
  for (size_t c = 0; c < C; ++c) m.middleRows(long(c * T), long(T)) /= std::max(1.0, n[c]);
  if (sd <= 0) return m;
  // Means of a few sparse trials are noisy: smoothed in time as NLB smooths spikes.
  Array<double> a({C, T, size_t(held_in)});
  for (long r = 0; r < m.rows(); ++r)
    for (long j = 0; j < m.cols(); ++j) a[size_t(r) * size_t(held_in) + size_t(j)] = m(r, j);
  const Array<double> smooth = smooth_in_time(a, sd);
  for (long r = 0; r < m.rows(); ++r)
    for (long j = 0; j < m.cols(); ++j) m(r, j) = smooth[size_t(r) * size_t(held_in) + size_t(j)];
  return m;
}
}  // namespace

void init_readins_pcr(const LfadsSpec& spec, const std::vector<LfadsSessionData>& sessions, double smooth_sd,
                      float* params) {
  if (spec.readin < 1) return;
  const std::vector<int64_t> conditions = common_conditions(sessions);
  // Each session's mean activity, standardised per unit.
  std::vector<Mat> z;
  std::vector<Eigen::RowVectorXd> mean, sd;
  long units = 0;
  for (size_t k = 0; k < sessions.size(); ++k) {
    Mat m = mean_activity(sessions[k].data.train, session_view(spec, k).held_in, conditions, smooth_sd);
    Eigen::RowVectorXd mu = m.colwise().mean();
    m.rowwise() -= mu;
    Eigen::RowVectorXd s = (m.array().square().colwise().mean()).sqrt();
    for (long j = 0; j < s.size(); ++j) s(j) = s(j) > 1e-9 ? s(j) : 1.0;  // a silent unit stays 0
    m.array().rowwise() /= s.array();
    units += m.cols();
    z.push_back(std::move(m)), mean.push_back(std::move(mu)), sd.push_back(std::move(s));
  }
  const long rows = z.front().rows();
  Mat all(rows, units);
  for (long k = 0, col = 0; k < long(z.size()); col += z[size_t(k)].cols(), ++k) all.middleCols(col, z[size_t(k)].cols()) = z[size_t(k)];
  // The leading components' scores, at their own scale (the first explains the most).
  Eigen::BDCSVD<Mat> svd(all, Eigen::ComputeThinU);
  const Eigen::VectorXd& sv = svd.singularValues();
  long R = 0;
  while (R < std::min<long>(spec.readin, sv.size()) && sv(R) > 1e-6 * sv(0)) ++R;
  if (R == 0) return;
  const Mat scores = svd.matrixU().leftCols(R) * sv.head(R).asDiagonal();
  const auto layout = lfads_layout(spec);
  for (size_t k = 0; k < sessions.size(); ++k) {
    const LfadsSpec view = session_view(spec, k);
    // Ridge regression of the scores on the session's standardised units: W_z [R, held_in].
    const Mat& zk = z[k];
    const double ridge = 1e-3 * double(rows);
    Mat gram = zk.transpose() * zk;
    gram.diagonal().array() += ridge;
    const Mat wz = gram.ldlt().solve(zk.transpose() * scores).transpose();
    // On raw counts x: W = W_z / sd, b = -W · mean.
    float* w = params + find_param(layout, session_prefix(view) + "readin/w").offset;
    float* b = params + find_param(layout, session_prefix(view) + "readin/b").offset;
    for (long r = 0; r < R; ++r) {
      double bias = 0;
      for (long j = 0; j < zk.cols(); ++j) {
        const double v = wz(r, j) / sd[k](j);
        w[r * zk.cols() + j] = float(v);
        bias -= v * mean[k](j);
      }
      b[r] = float(bias);
    }
  }
  // Fitted to means, the read-ins would amplify single-trial noise (a unit's
  // mean varies far less than its counts) and saturate the encoders: all
  // components are scaled by one factor, in every session alike (so they stay
  // aligned), to a mean variance of 1 over the single trials of all sessions.
  std::vector<double> var(size_t(R), 0.0);
  for (size_t k = 0; k < sessions.size(); ++k) {
    const LfadsSpec view = session_view(spec, k);
    const float* w = params + find_param(layout, session_prefix(view) + "readin/w").offset;
    const float* b = params + find_param(layout, session_prefix(view) + "readin/b").offset;
    const Array<float>& x = sessions[k].data.train.data;
    const size_t n = x.dim(0) * x.dim(1), D = x.dim(2), Din = size_t(view.held_in);
    for (long r = 0; r < R; ++r) {
      double sum = 0, sq = 0;
      for (size_t i = 0; i < n; ++i) {
        double v = b[r];
        for (size_t j = 0; j < Din; ++j) v += double(w[size_t(r) * Din + j]) * x[i * D + j];
        sum += v, sq += v * v;
      }
      var[size_t(r)] += (sq / double(n) - std::pow(sum / double(n), 2)) / double(sessions.size());
    }
  }
  double mean_var = 0;
  for (double v : var) mean_var += v / double(R);
  const float scale = mean_var > 0 ? float(1 / std::sqrt(mean_var)) : 1.0f;
  for (size_t k = 0; k < sessions.size(); ++k) {
    const LfadsSpec view = session_view(spec, k);
    float* w = params + find_param(layout, session_prefix(view) + "readin/w").offset;
    float* b = params + find_param(layout, session_prefix(view) + "readin/b").offset;
    const size_t Din = size_t(view.held_in);
    for (long r = 0; r < R; ++r) {
      for (size_t j = 0; j < Din; ++j) w[size_t(r) * Din + j] *= scale;
      b[r] *= scale;
    }
  }
}

}  // namespace ctd
