#include "fixedpoints/continuation_file.hpp"

#include <cstdint>

namespace ctd {

namespace {
// The path's input at each λ, and the readout at each state: [S,U] and [S,O].
RowMatD inputs_at(const std::vector<double>& lambda, const Eigen::VectorXd& from, const Eigen::VectorXd& to) {
  RowMatD X(long(lambda.size()), from.size());
  for (size_t i = 0; i < lambda.size(); ++i) X.row(long(i)) = (from + lambda[i] * (to - from)).transpose();
  return X;
}
RowMatD readouts(const RowMatD& H, const RnnMap<double>& map) {
  RowMatD Y(H.rows(), map.wO().rows());
  for (long i = 0; i < H.rows(); ++i) Y.row(i) = map.readout(H.row(i).transpose()).transpose();
  return Y;
}
void write_rows(H5File& out, const std::string& name, const RowMatD& M) {
  out.write(name, Shape{size_t(M.rows()), size_t(M.cols())}, M.data());
}
}  // namespace

void write_continuation(H5File& out, const ContinuationResult& r, const RnnMap<double>& map,
                        const Eigen::VectorXd& from, const Eigen::VectorXd& to) {
  std::vector<int64_t> bif_branch, bif_kind;
  std::vector<double> bif_lambda;
  RowMatD bif_states(0, map.dim());
  for (size_t k = 0; k < r.branches.size(); ++k) {
    const Branch& b = r.branches[k];
    const std::string g = "branch_" + std::to_string(k);
    out.create_group(g);
    const size_t S = b.lambda.size();
    out.write(g + "/lambda", Shape{S}, b.lambda.data());
    write_rows(out, g + "/inputs", inputs_at(b.lambda, from, to));
    write_rows(out, g + "/states", b.states);
    write_rows(out, g + "/readout", readouts(b.states, map));
    const std::vector<int64_t> unstable(b.unstable.begin(), b.unstable.end());
    out.write(g + "/unstable", Shape{S}, unstable.data());
    out.write(g + "/max_modulus", Shape{S}, b.max_modulus.data());
    out.write_attribute("start", int64_t(b.start), g);
    out.write_attribute("end", b.end, g);
    for (const BifurcationPoint& p : b.bifurcations) {
      bif_branch.push_back(int64_t(k));
      bif_kind.push_back(int64_t(p.kind));
      bif_lambda.push_back(p.lambda);
      bif_states.conservativeResize(bif_states.rows() + 1, Eigen::NoChange);
      bif_states.row(bif_states.rows() - 1) = p.h.transpose();
    }
  }
  const size_t M = bif_lambda.size();
  out.write("bifurcation_branch", Shape{M}, bif_branch.data());
  out.write("bifurcation_kind", Shape{M}, bif_kind.data());
  out.write("bifurcation_lambda", Shape{M}, bif_lambda.data());
  write_rows(out, "bifurcation_inputs", inputs_at(bif_lambda, from, to));
  write_rows(out, "bifurcation_states", bif_states);
  write_rows(out, "bifurcation_readout", readouts(bif_states, map));
  out.write_attribute("bifurcation_kinds", std::string("1 fold, 2 branch-point, 3 flip, 4 neimark-sacker"));
  out.write("from", Shape{size_t(from.size())}, from.data());
  out.write("to", Shape{size_t(to.size())}, to.data());
  out.write_attribute("n_branches", int64_t(r.branches.size()));
}

}  // namespace ctd
