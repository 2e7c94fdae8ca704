// linearize: the linear analysis of a trained RNN at arbitrary states — the
// Jacobians, their eigendecomposition, and how well the input Jacobian
// predicts the effect of given inputs (the contextual-processing analysis).
#include <algorithm>
#include <cmath>

#include "cli/tool.hpp"
#include "fixedpoints/fp_file.hpp"
#include "io/dataset_ref.hpp"
#include "io/output.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/threads.hpp"

int main(int argc, char** argv) {
  ctd::Tool tool("linearize",
                 "Linearise a trained RNN at given states: dF/dh and dF/dx, eigenvalues and eigenvectors, and for "
                 "given input vectors x the predicted one-step change dF/dx*x and its readout next to the true "
                 "change F(h, x* + x) - F(h, x*).",
                 "linearize -p sentiment_params.h5 -i probes.h5:hiddens --unit-inputs -o lin.h5");
  auto& app = tool.app();
  std::string x_star_text, inputs_spec, sort = "real";
  bool unit_inputs = false, mean = false;
  int time = -1;
  std::string nearest;
  ctd::LinearOutputs lo;
  lo.jacobians = true;
  tool.add_params("Parameter file of the network")->required();
  tool.add_input("States: FILE (its fps, else its hiddens) or FILE:DATASET ([K,N] or [B,T,N])")->required();
  tool.add_output("Output file")->required();
  app.add_option("--x-star", x_star_text, "The input the map is held at, U comma-separated values (default zeros)");
  app.add_option("--inputs", inputs_spec, "Input vectors to test: FILE:DATASET, [V,U]");
  app.add_flag("--unit-inputs", unit_inputs, "Test every unit input vector e_1..e_U (one-hot words)");
  app.add_option("--eig-sort", sort, "Sort eigenvalues by real part or magnitude (descending)")
      ->check(CLI::IsMember({"real", "magnitude"}));
  app.add_option("--stability-tol", lo.stability_tol, "Largest |eigenvalue| within 1 +- this is 'marginal'")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--time", time, "Take only step t (0-based) of each trial of [B,T,N] states")->check(CLI::NonNegativeNumber);
  app.add_flag("--mean", mean, "Analyse the mean of the states (e.g. the mean state of a probe family at --time)");
  app.add_option("--nearest", nearest,
                 "Fixed points FILE[:DATASET] (default dataset fps): for each state, the nearest point, the deflection "
                 "h - p and the cosine of its angle with each left eigenvector of the Jacobian at p");
  app.add_flag("--eigvecs", lo.eigvecs, "Also write right and left eigenvectors (left = pinv(right)^T)");

  return tool.run(argc, argv, [&] {
    if (unit_inputs && !inputs_spec.empty()) throw ctd::UsageError("give either --inputs or --unit-inputs");
    ctd::OutputFile out(tool.output);
    ctd::RnnModel model = ctd::read_rnn_params(ctd::H5File::open(tool.params));
    const int N = model.spec.N, U = model.spec.U, O = model.spec.O;
    Eigen::VectorXd x_star = ctd::parse_vector(x_star_text, U, "--x-star");
    std::string spec = tool.input, history;
    if (spec.find(':') == std::string::npos && spec != "-") {
      ctd::H5File f = ctd::H5File::open(spec);
      if (f.has_dataset("fps")) spec += ":fps";
    }
    ctd::RowMatD H = ctd::read_states(spec, N, &history, time);
    if (mean) H = H.colwise().mean().eval();
    const long K = H.rows();

    // Input vectors: a dataset, or the U unit vectors.
    ctd::RowMatD X;
    if (unit_inputs) {
      X = ctd::RowMatD::Identity(U, U);
    } else if (!inputs_spec.empty()) {
      ctd::DatasetRef ref = ctd::parse_dataset_ref(inputs_spec, true, "--inputs");
      ctd::H5File f = ctd::H5File::open(ref.file);
      const std::string& ds = ref.dataset;
      ctd::Array<double> a = f.read<double>(ds, "[V,U]");
      ctd::require_finite(a, f.where(ds));
      if (int(a.dim(1)) != U)
        throw ctd::Error(f.where(ds) + " has shape " + ctd::shape_string(a.shape) + " but the network has U=" +
                         std::to_string(U) + " inputs");
      X = Eigen::Map<ctd::RowMatD>(a.ptr(), long(a.dim(0)), U);
    }

    ctd::RnnMap<double> map(model, x_star);
    lo.sort = sort == "real" ? ctd::EigSort::Real : ctd::EigSort::Magnitude;
    lo.threads = ctd::thread_count();
    ctd::H5File& h5 = out.h5();
    h5.write("states", ctd::Shape{size_t(K), size_t(N)}, H.data());
    h5.write("x_star", ctd::Shape{size_t(U)}, x_star.data());
    ctd::write_linearization(h5, "", H, map, lo);

    if (X.rows() > 0) {
      const long V = X.rows();
      std::vector<double> pd(size_t(K * V * N)), td(pd.size()), pr(size_t(K * V * O)), tr(pr.size());
#pragma omp parallel for num_threads(lo.threads) schedule(dynamic, 4)
      for (long k = 0; k < K; ++k) {
        Eigen::VectorXd h = H.row(k).transpose();
        Eigen::MatrixXd Jx = map.dFdx(h);
        Eigen::VectorXd f0 = map.step(h);
        for (long v = 0; v < V; ++v) {
          Eigen::VectorXd x = X.row(v).transpose();
          Eigen::VectorXd pred = Jx * x, truth = map.step(h, x_star + x) - f0;
          const size_t s = size_t(k * V + v);
          Eigen::Map<Eigen::VectorXd>(pd.data() + s * N, N) = pred;
          Eigen::Map<Eigen::VectorXd>(td.data() + s * N, N) = truth;
          Eigen::Map<Eigen::VectorXd>(pr.data() + s * O, O) = map.wO() * pred;
          Eigen::Map<Eigen::VectorXd>(tr.data() + s * O, O) = map.wO() * truth;
        }
      }
      h5.write("input_vectors", ctd::Shape{size_t(V), size_t(U)}, X.data());
      h5.write("predicted_delta", ctd::Shape{size_t(K), size_t(V), size_t(N)}, pd.data());
      h5.write("true_delta", ctd::Shape{size_t(K), size_t(V), size_t(N)}, td.data());
      h5.write("predicted_readout", ctd::Shape{size_t(K), size_t(V), size_t(O)}, pr.data());
      h5.write("true_readout", ctd::Shape{size_t(K), size_t(V), size_t(O)}, tr.data());
      // How well the linear prediction does, over every state and input.
      Eigen::Map<Eigen::VectorXd> a(pr.data(), long(pr.size())), b(tr.data(), long(tr.size()));
      double corr = 0;
      if (pr.size() > 1) {
        Eigen::VectorXd ac = a.array() - a.mean(), bc = b.array() - b.mean();
        corr = ac.dot(bc) / std::sqrt(std::max(1e-300, ac.squaredNorm() * bc.squaredNorm()));
      }
      h5.write_attribute("readout_correlation", corr);
      ctd::log_info(std::to_string(K) + " states x " + std::to_string(V) +
                    " inputs: correlation of predicted and true readout effects " + std::to_string(corr));
    }
    if (!nearest.empty()) {
      std::string fp_spec = nearest.find(':') == std::string::npos ? nearest + ":fps" : nearest;
      ctd::RowMatD P = ctd::read_states(fp_spec, N);
      std::vector<int64_t> idx(static_cast<size_t>(K));
      ctd::RowMatD D(K, N), P_near(K, N);
      for (long k = 0; k < K; ++k) {
        Eigen::Index j;
        (P.rowwise() - H.row(k)).rowwise().squaredNorm().minCoeff(&j);
        idx[size_t(k)] = int64_t(j);
        P_near.row(k) = P.row(j);
        D.row(k) = H.row(k) - P.row(j);
      }
      // The linear modes at each nearest point, and how the deflection aligns with them.
      ctd::Linearization lin = ctd::linearize_points(map, P_near, lo.sort, true, lo.stability_tol, lo.threads);
      Eigen::Matrix<double, -1, -1, Eigen::RowMajor> cosines(K, N);
      Eigen::Matrix<std::complex<double>, -1, -1, Eigen::RowMajor> ev = lin.eigvals;
      for (long k = 0; k < K; ++k) {
        Eigen::VectorXcd d = D.row(k).transpose().cast<std::complex<double>>();
        for (long i = 0; i < N; ++i) {
          Eigen::VectorXcd l = lin.left[size_t(k)].col(i);
          cosines(k, i) = std::abs(l.dot(d)) / std::max(1e-300, l.norm() * d.norm());
        }
      }
      h5.write("nearest_fp", ctd::Shape{size_t(K)}, idx.data());
      h5.write("deflection", ctd::Shape{size_t(K), size_t(N)}, D.data());
      h5.write("nearest_eigvals", ctd::Shape{size_t(K), size_t(N)}, ev.data());
      h5.write("deflection_cosines", ctd::Shape{size_t(K), size_t(N)}, cosines.data());
    }
    ctd::write_provenance(h5, "linearization", tool.run_info(), history);
    h5.write_attribute("params_file", tool.params);
    out.commit();
  });
}
