#include "compare/comparison.hpp"

#include "util/error.hpp"

namespace ctd {

System read_system(const std::string& spec, const std::vector<std::string>& defaults) {
  OpenedRef ref = open_dataset_ref(spec, defaults);
  return read_system(ref.file, ref.dataset);
}

System read_system(const H5File& file, const std::string& dataset) {
  System s;
  s.where = file.where(dataset);
  Array<double> a = file.read<double>(dataset, "[B,T,N]");
  require_finite(a, s.where);
  s.trials = long(a.dim(0));
  s.steps = long(a.dim(1));
  if (a.size() == 0) throw Error(s.where + " has shape " + shape_string(a.shape) + ": no states");
  s.states = Eigen::Map<const RowMatD>(a.ptr(), s.trials * s.steps, long(a.dim(2)));
  return s;
}

void read_system_fps(System& s, const std::string& spec) {
  const DatasetRef r = parse_dataset_ref(spec);
  read_system_fps(s, H5File::open(r.file), r.dataset);
}

void read_system_fps(System& s, const H5File& f, std::string dataset) {
  if (dataset.empty()) {
    if (f.has_dataset("fps")) dataset = "fps";
    for (const std::string& d : f.list_datasets())
      if (dataset.empty() && d.size() > 4 && d.compare(d.size() - 4, 4, "/fps") == 0) dataset = d;
    if (dataset.empty()) throw Error(f.name() + ": no dataset 'fps' (name one as FILE:DATASET)");
  }
  s.fps_where = f.where(dataset);
  Array<double> p = f.read<double>(dataset, "[K,N]");
  require_finite(p, s.fps_where);
  if (long(p.dim(1)) != s.states.cols())
    throw Error(s.fps_where + " has points of " + std::to_string(p.dim(1)) + " values but the states " + s.where +
                " have " + std::to_string(s.states.cols()));
  if (p.dim(0) == 0) throw Error(s.fps_where + " holds no points");
  s.fps = Eigen::Map<const RowMatD>(p.ptr(), long(p.dim(0)), long(p.dim(1)));
  const std::string group = dataset.find('/') == std::string::npos ? "" : dataset.substr(0, dataset.rfind('/') + 1);
  if (!f.has_dataset(group + "stability"))
    throw Error(f.name() + ": no dataset '" + group + "stability' beside " + dataset + " (find-fixed-points writes it)");
  const Array<double> st = f.read<double>(group + "stability");
  if (st.size() != p.dim(0))
    throw Error(f.where(group + "stability") + " has " + std::to_string(st.size()) + " labels for " +
                std::to_string(p.dim(0)) + " points");
  s.labels.clear();
  for (double v : st.data) {
    if (v != 0 && v != 1 && v != 2)
      throw Error(f.where(group + "stability") + " holds a label that is not 0 (stable), 1 (marginal) or 2 (unstable)");
    s.labels.push_back(int(v));
  }
}

Comparison compare_systems(const System& ref, const System& fit, const ComparisonSettings& s, uint64_t seed) {
  if (ref.trials != fit.trials || ref.steps != fit.steps)
    throw Error("the systems cover different trials: " + ref.where + " has " + std::to_string(ref.trials) +
                " trials of " + std::to_string(ref.steps) + " steps, " + fit.where + " " + std::to_string(fit.trials) +
                " of " + std::to_string(fit.steps) + " (give the same trials in the same order)");
  Comparison c;
  c.forward = cross_validated_ridge(fit.states, ref.states, ref.steps, s.ridge, seed);
  c.reverse = cross_validated_ridge(ref.states, fit.states, ref.steps, s.ridge, seed);
  c.reference_operator = dmd_operator(ref.states, ref.steps, s.dsa, ref.where, &c.reference_explained);
  c.fitted_operator = dmd_operator(fit.states, fit.steps, s.dsa, fit.where, &c.fitted_explained);
  const ProcrustesFit p = vector_field_procrustes(c.reference_operator, c.fitted_operator, s.dsa, seed);
  c.dsa_distance = p.distance;
  c.dsa_relative = p.distance / (0.5 * (c.reference_operator.norm() + c.fitted_operator.norm()) + 1e-300);
  const Eigen::RowVectorXd centre = ref.states.colwise().mean();
  c.spread = (ref.states.rowwise() - centre).rowwise().norm().mean();
  if (ref.fps.rows() > 0 && fit.fps.rows() > 0) {
    c.has_fps = true;
    c.reference_fps = ref.fps;
    c.reference_labels = ref.labels;
    c.fitted_labels = fit.labels;
    c.mapped_fps = (fit.fps * c.forward.W).rowwise() + c.forward.b;
    c.fp = match_fixed_points(ref.fps, ref.labels, c.mapped_fps, fit.labels, s.match_tol * c.spread);
  }
  return c;
}

}  // namespace ctd
