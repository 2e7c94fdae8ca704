// The tutorials' vanilla RNN (docs/methods.md §2): h' = tanh(wR h + wI x + bR).
#include <algorithm>

#include "nn/cell.hpp"
#include "nn/eigen_maps.hpp"

namespace ctd {

namespace {
using namespace maps;

template <class S>
class VanillaCell final : public RecurrentCell<S> {
 public:
  VanillaCell(const RnnSpec& spec, const S* params, std::vector<ParamEntry> layout)
      : RecurrentCell<S>(spec, std::move(layout), spec.N, {}, {spec.N}),  // work: dL/d(pre-activation)
        wI_(this->at(params, "wI")), wR_(this->at(params, "wR")), bR_(this->at(params, "bR")) {}

  void fixed_point_bounds(S* lo, S* hi) const override {  // h = tanh(...)
    std::fill(lo, lo + this->state(), S(-1));
    std::fill(hi, hi + this->state(), S(1));
  }

  void project(int R, const S* x, S* gi) const override {
    const int N = this->spec().N, U = this->spec().U;
    MMap<S> GI(gi, R, N);
    GI.noalias() = CMap<S>(x, R, U) * CMap<S>(wI_, N, U).transpose();
    GI.rowwise() += CRowMap<S>(bR_, N);
  }

  void input_vjp(int R, const Planes<const S>&, const Planes<const S>& work, S* dx) const override {
    const int N = this->spec().N, U = this->spec().U;
    MMap<S>(dx, R, U).noalias() = CMap<S>(work.p[0], R, N) * CMap<S>(wI_, N, U);
  }

  void forward(int R, const S* gi, bool shared_gi, const S* hp, const Planes<S>&, S* hn) const override {
    const int N = this->spec().N;
    MMap<S> Hn(hn, R, N);
    Hn.noalias() = CMap<S>(hp, R, N) * CMap<S>(wR_, N, N).transpose();
    if (shared_gi)
      Hn.rowwise() += CRowMap<S>(gi, N);
    else
      Hn += CMap<S>(gi, R, N);
    Hn.array() = Hn.array().tanh();  // on a plain map: the vectorised tanh
  }

  void backward(int R, const S* dhn, const S* dout, const S*, const S* hn, const Planes<S>&, const Planes<S>& work,
                S* dhp) const override {
    const int N = this->spec().N;
    MMap<S> dA(work.p[0], R, N);
    const auto slope = S(1) - CMap<S>(hn, R, N).array().square();
    if (dout)
      dA = ((CMap<S>(dout, R, N) + CMap<S>(dhn, R, N)).array() * slope).matrix();
    else
      dA = (CMap<S>(dhn, R, N).array() * slope).matrix();
    MMap<S>(dhp, R, N).noalias() = dA * CMap<S>(wR_, N, N);
  }

  void add_weight_grads(int R, const S* x, const S* hp, const Planes<const S>&, const Planes<const S>& work,
                        S* grad) const override {
    const int N = this->spec().N, U = this->spec().U;
    CMap<S> dA(work.p[0], R, N);
    MMap<S>(this->at(grad, "wR"), N, N).noalias() += dA.transpose() * CMap<S>(hp, R, N);
    MMap<S>(this->at(grad, "wI"), N, U).noalias() += dA.transpose() * CMap<S>(x, R, U);
    RowMap<S>(this->at(grad, "bR"), N) += dA.colwise().sum();
  }

  // J = diag(1 − hn²)·wR and ∂hn/∂x = diag(1 − hn²)·wI, in closed form.
  void jacobians(const S* h, const S* gi, S* J, S* Jx) const override {
    const int N = this->spec().N;
    Eigen::Matrix<S, -1, 1> f = CMap<S>(wR_, N, N) * Eigen::Map<const Eigen::Matrix<S, -1, 1>>(h, N);
    f = (f + Eigen::Map<const Eigen::Matrix<S, -1, 1>>(gi, N)).array().tanh().matrix();
    const Eigen::Matrix<S, -1, 1> slope = (S(1) - f.array().square()).matrix();
    MMap<S>(J, N, N) = slope.asDiagonal() * CMap<S>(wR_, N, N);
    if (Jx) MMap<S>(Jx, N, this->spec().U) = slope.asDiagonal() * CMap<S>(wI_, N, this->spec().U);
  }

 private:
  const S *wI_, *wR_, *bR_;
};
}  // namespace

template <class S>
std::unique_ptr<const RecurrentCell<S>> make_vanilla_cell(const RnnSpec& spec, const S* params,
                                                            std::vector<ParamEntry> layout) {
  return std::make_unique<VanillaCell<S>>(spec, params, std::move(layout));
}
template std::unique_ptr<const RecurrentCell<float>> make_vanilla_cell(const RnnSpec&, const float*,
                                                                           std::vector<ParamEntry>);
template std::unique_ptr<const RecurrentCell<double>> make_vanilla_cell(const RnnSpec&, const double*,
                                                                            std::vector<ParamEntry>);

}  // namespace ctd
