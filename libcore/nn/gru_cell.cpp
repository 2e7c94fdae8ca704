// The tutorials' GRU (docs/methods.md §2), also LFADS's:
//   r = σ(W_r [h; x] + b_r), u = σ(W_u [h; x] + b_u + bfg),
//   c = tanh(W_c [r∘h; x] + b_c), h' = u∘h + (1 − u)∘c,
// with W_r, W_u the rows of wRUHX and W_c those of wCHX. gi = [r | u | c]:
// the input's share of the three pre-activations (bfg included in u's).
// Its products go through linalg's gemm: OpenBLAS in AVX2 builds, where it
// is faster at LFADS's sizes (the tape's GRUs are this cell).
#include <algorithm>

#include "nn/cell.hpp"
#include "linalg/gemm.hpp"
#include "nn/eigen_maps.hpp"

namespace ctd {

namespace {
using namespace maps;

template <class S>
class GruCell final : public RecurrentCell<S> {
 public:
  // Cache planes: the r and u pre-activations [2N] (a scratch), r, u, c and
  // r∘h — each gate its own contiguous plane, so that the elementwise work
  // runs over whole planes rather than row by row. backward leaves dL/d[r-pre
  // | u-pre] over the pre-activations and dL/dc-pre over c: no work planes, so
  // a batch's planes take no more memory than its forward pass wrote.
  GruCell(const RnnSpec& spec, const S* params, std::vector<ParamEntry> layout)
      : RecurrentCell<S>(spec, std::move(layout), 3 * spec.N, {2 * spec.N, spec.N, spec.N, spec.N, spec.N}, {}),
        W_(this->at(params, "wRUHX")), Wc_(this->at(params, "wCHX")), bias_(3 * spec.N) {
    const int N = spec.N;
    bias_ << CRowMap<S>(this->at(params, "bRU"), 2 * N), CRowMap<S>(this->at(params, "bC"), N);
    bias_.segment(N, N).array() += S(spec.bfg);
  }

  void fixed_point_bounds(S* lo, S* hi) const override {  // h = u h + (1 − u) c holds only at h = c = tanh(...)
    std::fill(lo, lo + this->state(), S(-1));
    std::fill(hi, hi + this->state(), S(1));
  }

  void project(int R, const S* x, S* gi) const override {
    const int N = this->spec().N;
    MMap<S> GI(gi, R, 3 * N);
    CMap<S> X(x, R, this->spec().U);
    GI.rowwise() = bias_;
    gemm(X, false, W().rightCols(X.cols()), true, GI.leftCols(2 * N), S(1));
    gemm(X, false, Wc().rightCols(X.cols()), true, GI.rightCols(N), S(1));
  }

  void input_vjp(int R, const Planes<const S>& cache, const Planes<const S>&, S* dx) const override {
    const int N = this->spec().N, U = this->spec().U;
    MMap<S> dX(dx, R, U);
    gemm(CMap<S>(cache.p[0], R, 2 * N), false, W().rightCols(U), false, dX, S(0));
    gemm(CMap<S>(cache.p[3], R, N), false, Wc().rightCols(U), false, dX, S(1));
  }

  void forward(int R, const S* gi, bool shared_gi, const S* hp, const Planes<S>& cache, S* hn) const override {
    const int N = this->spec().N;
    CMap<S> Hp(hp, R, N);
    MMap<S> RU(cache.p[0], R, 2 * N), Rg(cache.p[1], R, N), Ug(cache.p[2], R, N), C(cache.p[3], R, N),
        RH(cache.p[4], R, N);
    // The input's share first, the products added onto it (beta = 1): no pass that zeroes them.
    if (shared_gi)
      RU.rowwise() = CRowMap<S>(gi, 2 * N);
    else
      RU = CMap<S>(gi, R, 3 * N).leftCols(2 * N);
    gemm(Hp, false, W().leftCols(N), true, RU, S(1));
    Rg = sigmoid(RU.leftCols(N).array()).matrix();
    Ug = sigmoid(RU.rightCols(N).array()).matrix();
    RH = (Rg.array() * Hp.array()).matrix();
    if (shared_gi)
      C.rowwise() = CRowMap<S>(gi + 2 * N, N);
    else
      C = CMap<S>(gi, R, 3 * N).rightCols(N);
    gemm(RH, false, Wc().leftCols(N), true, C, S(1));
    C.array() = C.array().tanh();
    MMap<S>(hn, R, N) = (Ug.array() * Hp.array() + (S(1) - Ug.array()) * C.array()).matrix();
  }

  void backward(int R, const S* dhn, const S* dout, const S* hp, const S*, const Planes<S>& cache,
                const Planes<S>&, S* dhp) const override {
    const int N = this->spec().N;
    CMap<S> Hp(hp, R, N), Rg(cache.p[1], R, N), Ug(cache.p[2], R, N);
    MMap<S> dRU(cache.p[0], R, 2 * N), C(cache.p[3], R, N), dH(dhp, R, N);
    auto r = Rg.array(), u = Ug.array();
    // dH holds dL/dh' in total first; dRU's r block holds dL/d(r∘h) before
    // it becomes dL/d(r-pre); c becomes dL/dc-pre once read.
    if (dout)
      dH = CMap<S>(dout, R, N) + CMap<S>(dhn, R, N);
    else
      dH = CMap<S>(dhn, R, N);
    dRU.rightCols(N) = (dH.array() * (Hp.array() - C.array()) * u * (S(1) - u)).matrix();
    C = (dH.array() * (S(1) - u) * (S(1) - C.array().square())).matrix();
    const auto& dC = C;
    dH = (dH.array() * u).matrix();
    auto dRH = dRU.leftCols(N);
    gemm(dC, false, Wc().leftCols(N), false, dRH, S(0));
    dH += (dRH.array() * r).matrix();
    dRH = (dRH.array() * Hp.array() * r * (S(1) - r)).matrix();
    gemm(dRU, false, W().leftCols(N), false, dH, S(1));
  }

  void add_weight_grads(int R, const S* x, const S* hp, const Planes<const S>& cache, const Planes<const S>&,
                        S* grad) const override {
    const int N = this->spec().N, U = this->spec().U;
    CMap<S> dRU(cache.p[0], R, 2 * N), dC(cache.p[3], R, N), X(x, R, U), Hp(hp, R, N), RH(cache.p[4], R, N);
    MMap<S> gW(this->at(grad, "wRUHX"), 2 * N, N + U), gWc(this->at(grad, "wCHX"), N, N + U);
    gemm(dRU, true, Hp, false, gW.leftCols(N), S(1));
    gemm(dRU, true, X, false, gW.rightCols(U), S(1));
    RowMap<S>(this->at(grad, "bRU"), 2 * N) += dRU.colwise().sum();
    gemm(dC, true, RH, false, gWc.leftCols(N), S(1));
    gemm(dC, true, X, false, gWc.rightCols(U), S(1));
    RowMap<S>(this->at(grad, "bC"), N) += dC.colwise().sum();
  }

  // In closed form: with du = (h − c)·u′, dc = (1 − u)(1 − c²), dr = h·r′ and
  // A = diag(dc)·W_c,h: J = diag(du)·W_u,h + A·diag(r) + A·diag(dr)·W_r,h + diag(u),
  // and ∂h'/∂x = diag(du)·W_u,x + A·diag(dr)·W_r,x + diag(dc)·W_c,x.
  void jacobians(const S* h_, const S* gi, S* J_, S* Jx_) const override {
    using Vec = Eigen::Matrix<S, -1, 1>;
    const int N = this->spec().N;
    Eigen::Map<const Vec> h(h_, N), g(gi, 3 * N);
    const Vec ru = W().leftCols(N) * h + g.head(2 * N);
    const Vec r = sigmoid(ru.head(N).array()), u = sigmoid(ru.tail(N).array());
    const Vec c = (Wc().leftCols(N) * (r.array() * h.array()).matrix() + g.tail(N)).array().tanh();
    const Vec du = ((h - c).array() * u.array() * (S(1) - u.array())).matrix();
    const Vec dc = ((S(1) - u.array()) * (S(1) - c.array().square())).matrix();
    const Vec dr = (h.array() * r.array() * (S(1) - r.array())).matrix();
    const Mat<S> A = dc.asDiagonal() * Wc().leftCols(N);
    MMap<S> J(J_, N, N);
    J = du.asDiagonal() * W().leftCols(N).bottomRows(N);
    J += A * r.asDiagonal();
    J.noalias() += A * (dr.asDiagonal() * W().leftCols(N).topRows(N));
    J.diagonal() += u;
    if (!Jx_) return;
    const int U = this->spec().U;
    MMap<S> Jx(Jx_, N, U);
    Jx = du.asDiagonal() * W().rightCols(U).bottomRows(N);
    Jx.noalias() += A * (dr.asDiagonal() * W().rightCols(U).topRows(N));
    Jx += dc.asDiagonal() * Wc().rightCols(U);
  }

 private:
  CMap<S> W() const { return CMap<S>(W_, 2 * this->spec().N, this->spec().N + this->spec().U); }
  CMap<S> Wc() const { return CMap<S>(Wc_, this->spec().N, this->spec().N + this->spec().U); }
  const S *W_, *Wc_;
  Eigen::Matrix<S, 1, -1> bias_;  // [bRU + (0 | bfg), bC]: the biases of gi
};
}  // namespace

template <class S>
std::unique_ptr<const RecurrentCell<S>> make_gru_cell(const RnnSpec& spec, const S* params,
                                                        std::vector<ParamEntry> layout) {
  return std::make_unique<GruCell<S>>(spec, params, std::move(layout));
}
template std::unique_ptr<const RecurrentCell<float>> make_gru_cell(const RnnSpec&, const float*,
                                                                       std::vector<ParamEntry>);
template std::unique_ptr<const RecurrentCell<double>> make_gru_cell(const RnnSpec&, const double*,
                                                                        std::vector<ParamEntry>);

}  // namespace ctd
