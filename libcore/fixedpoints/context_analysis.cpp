#include "fixedpoints/context_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>

#include <Eigen/Eigenvalues>

#include "util/error.hpp"
#include "util/format.hpp"

namespace ctd {

namespace {
// Principal directions of the rows of X (centred on `mean`), strongest first,
// and their variances.
void principal_components(const RowMatD& X, Eigen::VectorXd& mean, RowMatD& components, Eigen::VectorXd& variances) {
  mean = X.colwise().mean().transpose();
  const RowMatD C = X.rowwise() - mean.transpose();
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(C.transpose() * C / double(std::max<Eigen::Index>(1, X.rows() - 1)));
  components = eig.eigenvectors().rowwise().reverse().transpose();  // ascending -> strongest first, one per row
  variances = eig.eigenvalues().reverse();
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// The slowest mode's vectors at each point, and each sensory input's projection.
void slowest_modes(const RnnMap<double>& map, const std::vector<int>& sensory, ContextPoints& c, int threads) {
  const RowMatD& P = c.points.points;
  const Eigen::Index K = P.rows(), N = P.cols();
  const Linearization lin = linearize_points(map, P, EigSort::Real, true, 1e-4, threads);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  c.top_eigval.resize(K);
  c.real_mode.assign(size_t(K), 0);
  c.line.setConstant(K, N, nan);
  c.selection.setConstant(K, N, nan);
  c.projection.setConstant(K, Eigen::Index(sensory.size()), nan);
  for (Eigen::Index k = 0; k < K; ++k) {
    const std::complex<double> top = lin.eigvals(k, 0);
    c.top_eigval(k) = top.real();
    if (top.imag() != 0) continue;  // a complex pair: the points rotate, they do not integrate along a line
    c.real_mode[size_t(k)] = 1;
    Eigen::VectorXd r = lin.right[size_t(k)].col(0).real(), l = lin.left[size_t(k)].col(0).real();
    const double norm = r.norm();
    r /= norm, l *= norm;  // lᵀr stays 1
    // The line's sign is free: orient it so that the readout grows along it.
    if (map.wO().rows() > 0 && (map.wO() * r).sum() < 0) r = -r, l = -l;
    c.line.row(k) = r.transpose();
    c.selection.row(k) = l.transpose();
    const RowMatD B = map.dFdx(P.row(k).transpose());  // [N,U]: the input vectors at the point
    for (size_t s = 0; s < sensory.size(); ++s) c.projection(k, Eigen::Index(s)) = l.dot(B.col(sensory[s]));
  }
}
}  // namespace

ContextAnalysis analyze_contexts(const RnnModel& model, const std::vector<ContextInput>& contexts,
                                 const std::vector<int>& sensory, const std::vector<std::string>& sensory_names,
                                 const FixedPointSearch& search, uint64_t seed, int threads) {
  ContextAnalysis a;
  a.sensory_names = sensory_names;
  RowMatD all;
  for (const ContextInput& in : contexts) {
    ContextPoints c;
    c.name = in.name;
    c.x_star = in.x_star;
    FixedPointSearchResult r = find_fixed_points(model, in.x_star, in.candidates, search, seed, threads);
    const FixedPointGroup& g = r.groups.front();
    c.points = std::move(r.groups.front().set);
    const Eigen::Index K = c.points.points.rows();
    // A relu network's slow points near h = 0 step slightly below it (h >= 0 is where its states live).
    const std::string outside = g.below > g.in_range ? " (" + std::to_string(g.below - g.in_range) +
                                    " slow points lay outside the cell's range: --out-of-range keep keeps them)" : "";
    if (K < 3)
      throw Error("context " + in.name + ": only " + std::to_string(K) +
                  " slow points were kept, too few for a line: raise --tol or --max-candidates" + outside);
    Eigen::VectorXd mean, variances;
    RowMatD components;
    principal_components(c.points.points, mean, components, variances);
    c.pc1_fraction = variances.sum() > 0 ? variances(0) / variances.sum() : 1.0;
    slowest_modes(RnnMap<double>(model, in.x_star), sensory, c, threads);
    all.conservativeResize(all.rows() + K, c.points.points.cols());
    all.bottomRows(K) = c.points.points;
    a.contexts.push_back(std::move(c));
  }
  Eigen::VectorXd variances;
  principal_components(all, a.pca_mean, a.pca_components, variances);
  a.pca_components.conservativeResize(std::min<Eigen::Index>(3, a.pca_components.rows()), Eigen::NoChange);
  for (const ContextPoints& c : a.contexts)
    a.pca_points.push_back((c.points.points.rowwise() - a.pca_mean.transpose()) * a.pca_components.transpose());
  return a;
}

ContextSummary summarize(const ContextPoints& c) {
  ContextSummary s;
  s.points = size_t(c.points.points.rows());
  s.real_modes = size_t(std::count(c.real_mode.begin(), c.real_mode.end(), uint8_t(1)));
  s.pc1_fraction = c.pc1_fraction;
  s.top_eigval = median(std::vector<double>(c.top_eigval.data(), c.top_eigval.data() + c.top_eigval.size()));
  for (Eigen::Index j = 0; j < c.projection.cols(); ++j) {
    std::vector<double> real;
    for (Eigen::Index k = 0; k < c.projection.rows(); ++k)
      if (c.real_mode[size_t(k)]) real.push_back(c.projection(k, j));
    s.projection.push_back(real.empty() ? std::numeric_limits<double>::quiet_NaN() : median(real));
  }
  return s;
}

std::string context_table(const ContextAnalysis& a) {
  // Columns padded to fixed widths: names left-aligned, numbers right-aligned.
  auto pad = [](std::string text, size_t width, bool left) {
    const std::string fill(text.size() < width ? width - text.size() : 0, ' ');
    return left ? text + fill : fill + text;
  };
  std::string text = pad("context", 10, true) + pad("points", 8, false) + pad("real", 6, false) +
                     pad("PC1 var", 9, false) + pad("top eig", 10, false);
  for (const std::string& n : a.sensory_names) text += pad("proj " + n, 13, false);
  text += "\n";
  for (const ContextPoints& c : a.contexts) {
    const ContextSummary s = summarize(c);
    text += pad(c.name, 10, true) + pad(std::to_string(s.points), 8, false) + pad(std::to_string(s.real_modes), 6, false) +
            pad(fmt("%.4f", s.pc1_fraction), 9, false) + pad(fmt("%.5f", s.top_eigval), 10, false);
    for (double p : s.projection) text += pad(std::isnan(p) ? "-" : fmt("%+.5f", p), 13, false);
    text += "\n";
  }
  return text;
}

void write_context_analysis(H5File& out, const ContextAnalysis& a) {
  std::vector<std::string> names;
  for (size_t i = 0; i < a.contexts.size(); ++i) {
    const ContextPoints& c = a.contexts[i];
    names.push_back(c.name);
    const std::string g = c.name + "/";
    const size_t K = size_t(c.points.points.rows()), N = size_t(c.points.points.cols()), S = a.sensory_names.size();
    out.create_group(c.name);
    out.write(g + "fps", Shape{K, N}, c.points.points.data());
    out.write(g + "q", Shape{K}, c.points.q.data());
    out.write(g + "x_star", Shape{size_t(c.x_star.size())}, c.x_star.data());
    out.write(g + "top_eigval", Shape{K}, c.top_eigval.data());
    out.write(g + "real_mode", Shape{K}, c.real_mode.data());
    out.write(g + "line_direction", Shape{K, N}, c.line.data());
    out.write(g + "selection_vector", Shape{K, N}, c.selection.data());
    out.write(g + "input_projection", Shape{K, S}, c.projection.data());
    out.write(g + "pca", Shape{K, size_t(a.pca_points[i].cols())}, a.pca_points[i].data());
    const ContextSummary s = summarize(c);
    out.write_attribute("n_points", int64_t(s.points), c.name);
    out.write_attribute("n_real_modes", int64_t(s.real_modes), c.name);
    out.write_attribute("pc1_variance_fraction", s.pc1_fraction, c.name);
    out.write_attribute("median_top_eigval", s.top_eigval, c.name);
    for (size_t j = 0; j < S; ++j) out.write_attribute("median_projection_" + a.sensory_names[j], s.projection[j], c.name);
  }
  out.write("pca_components", Shape{size_t(a.pca_components.rows()), size_t(a.pca_components.cols())},
            a.pca_components.data());
  out.write("pca_mean", Shape{size_t(a.pca_mean.size())}, a.pca_mean.data());
  out.write_attribute("contexts", names);
  out.write_attribute("sensory_inputs", a.sensory_names);
}

}  // namespace ctd
