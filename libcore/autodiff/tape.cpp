#include "autodiff/tape.hpp"

#include "linalg/gemm.hpp"

#include <cmath>

namespace ctd {

template <class S>
typename Tape<S>::Var Tape<S>::push(Mat value, bool needs_grad) {
  nodes_.push_back(Node{std::move(value), Mat(), nullptr, nullptr, needs_grad});
  return Var{int(nodes_.size()) - 1};
}

template <class S>
typename Tape<S>::Mat& Tape<S>::grad(Var v) {
  Node& n = node(v);
  if (n.grad.size() == 0) n.grad = Mat::Zero(n.value.rows(), n.value.cols());
  return n.grad;
}

template <class S>
typename Tape<S>::Var Tape<S>::input(Mat value) {
  return push(std::move(value), false);
}

template <class S>
typename Tape<S>::Var Tape<S>::param(const S* data, int rows, int cols, S* g) {
  Var v = push(Eigen::Map<const Mat>(data, rows, cols), true);
  node(v).param_grad = g;
  return v;
}

// Each op: compute the value, and if any input needs a gradient, record how
// to pass the output's gradient G back (closures index nodes: the vector may grow).
#define CTD_BACK(out, ...) \
  if (node(out).needs_grad) node(out).back = [this, out, __VA_ARGS__]()

template <class S>
typename Tape<S>::Var Tape<S>::matmul_t(Var a, Var w) {
  Mat v(value(a).rows(), value(w).rows());
  gemm(value(a), false, value(w), true, v, S(0));
  Var out = push(std::move(v), needs(a) || needs(w));
  CTD_BACK(out, a, w) {
    const Mat& G = node(out).grad;
    if (needs(a)) gemm(G, false, value(w), false, grad(a), S(1));
    if (needs(w)) gemm(G, true, value(a), false, grad(w), S(1));
  };
  return out;
}

template <class S>
typename Tape<S>::Var Tape<S>::add_row(Var a, Var b) {
  const Mat& B = value(b);
  Mat v = value(a);
  v.rowwise() += Eigen::Map<const Eigen::Matrix<S, 1, -1>>(B.data(), B.size());
  Var out = push(std::move(v), needs(a) || needs(b));
  CTD_BACK(out, a, b) {
    const Mat& G = node(out).grad;
    if (needs(a)) grad(a) += G;
    if (needs(b)) {
      Mat& gb = grad(b);
      Eigen::Map<Eigen::Matrix<S, 1, -1>>(gb.data(), gb.size()) += G.colwise().sum();
    }
  };
  return out;
}

template <class S>
typename Tape<S>::Var Tape<S>::add(Var a, Var b) {
  Var out = push(value(a) + value(b), needs(a) || needs(b));
  CTD_BACK(out, a, b) {
    const Mat& G = node(out).grad;
    if (needs(a)) grad(a) += G;
    if (needs(b)) grad(b) += G;
  };
  return out;
}

template <class S>
typename Tape<S>::Var Tape<S>::scale(Var a, S c) {
  Var out = push(c * value(a), needs(a));
  CTD_BACK(out, a, c) { grad(a) += c * node(out).grad; };
  return out;
}

template <class S>
typename Tape<S>::Var Tape<S>::add_scalar(Var a, S c) {
  Var out = push((value(a).array() + c).matrix(), needs(a));
  CTD_BACK(out, a) { grad(a) += node(out).grad; };
  return out;
}

template <class S>
typename Tape<S>::Var Tape<S>::concat_cols(Var a, Var b) {
  const Mat &A = value(a), &B = value(b);
  Mat v(A.rows(), A.cols() + B.cols());
  v << A, B;
  Var out = push(std::move(v), needs(a) || needs(b));
  CTD_BACK(out, a, b) {
    const Mat& G = node(out).grad;
    const long p = value(a).cols();
    if (needs(a)) grad(a) += G.leftCols(p);
    if (needs(b)) grad(b) += G.rightCols(G.cols() - p);
  };
  return out;
}

template <class S>
typename Tape<S>::Var Tape<S>::cols(Var a, int start, int n) {
  Var out = push(value(a).middleCols(start, n), needs(a));
  CTD_BACK(out, a, start, n) { grad(a).middleCols(start, n) += node(out).grad; };
  return out;
}

template <class S>
typename Tape<S>::Var Tape<S>::mul_const(Var a, const Mat& c) {
  Var out = push((value(a).array() * c.array()).matrix(), needs(a));
  CTD_BACK(out, a, c) { grad(a) += (node(out).grad.array() * c.array()).matrix(); };
  return out;
}

template <class S>
typename Tape<S>::Var Tape<S>::mul_row(Var a, Var b) {
  const Mat& B = value(b);
  Eigen::Map<const Eigen::Matrix<S, 1, -1>> row(B.data(), B.size());
  Mat v = (value(a).array().rowwise() * row.array()).matrix();
  Var out = push(std::move(v), needs(a) || needs(b));
  CTD_BACK(out, a, b) {
    const Mat& G = node(out).grad;
    const Mat& Bv = value(b);
    Eigen::Map<const Eigen::Matrix<S, 1, -1>> r(Bv.data(), Bv.size());
    if (needs(a)) grad(a) += (G.array().rowwise() * r.array()).matrix();
    if (needs(b)) {
      Mat& gb = grad(b);
      Eigen::Map<Eigen::Matrix<S, 1, -1>>(gb.data(), gb.size()) +=
          (G.array() * value(a).array()).matrix().colwise().sum();
    }
  };
  return out;
}

template <class S>
typename Tape<S>::Var Tape<S>::exp(Var a) {
  Var out = push(value(a).array().exp().matrix(), needs(a));
  CTD_BACK(out, a) { grad(a) += (node(out).grad.array() * node(out).value.array()).matrix(); };
  return out;
}

template <class S>
typename Tape<S>::Var Tape<S>::log(Var a) {
  Var out = push(value(a).array().log().matrix(), needs(a));
  CTD_BACK(out, a) { grad(a) += (node(out).grad.array() / value(a).array()).matrix(); };
  return out;
}

template <class S>
typename Tape<S>::Var Tape<S>::broadcast_rows(Var a, int m) {
  const Mat& A = value(a);
  Mat v = Eigen::Map<const Eigen::Matrix<S, 1, -1>>(A.data(), A.size()).replicate(m, 1);
  Var out = push(std::move(v), needs(a));
  CTD_BACK(out, a) {
    Mat& ga = grad(a);
    Eigen::Map<Eigen::Matrix<S, 1, -1>>(ga.data(), ga.size()) += node(out).grad.colwise().sum();
  };
  return out;
}

template <class S>
typename Tape<S>::Var Tape<S>::row_normalize(Var w) {
  const Mat& W = value(w);
  Eigen::Matrix<S, -1, 1> norms = W.rowwise().norm();
  Mat v = norms.cwiseInverse().asDiagonal() * W;
  Var out = push(std::move(v), needs(w));
  CTD_BACK(out, w, norms) {
    const Mat& G = node(out).grad;
    const Mat& Wn = node(out).value;
    // d(w/|w|) = (g − (g·ŵ)ŵ)/|w| per row.
    Eigen::Matrix<S, -1, 1> proj = (G.array() * Wn.array()).rowwise().sum();
    grad(w) += norms.cwiseInverse().asDiagonal() * (G - proj.asDiagonal() * Wn);
  };
  return out;
}

template <class S>
typename Tape<S>::Var Tape<S>::custom(Mat value, bool needs_grad, std::function<void(const Mat& gout, const Mat& out)> back) {
  Var out = push(std::move(value), needs_grad);
  CTD_BACK(out, back = std::move(back)) { back(node(out).grad, node(out).value); };
  return out;
}

template <class S>
typename Tape<S>::Var Tape<S>::sample_gaussian(Var mu, Var logv, const Mat& eps, S varmin) {
  Mat sd = (value(logv).array().exp() + varmin).sqrt().matrix();
  Var out = push((value(mu).array() + sd.array() * eps.array()).matrix(), needs(mu) || needs(logv));
  CTD_BACK(out, mu, logv, eps, sd) {
    const Mat& G = node(out).grad;
    if (needs(mu)) grad(mu) += G;
    if (needs(logv))  // d sd / d logv = ½ exp(logv) / sd
      grad(logv) += (G.array() * eps.array() * S(0.5) * value(logv).array().exp() / sd.array()).matrix();
  };
  return out;
}

template <class S>
typename Tape<S>::Var Tape<S>::poisson_nll(Var l, const Mat& x, const Mat* weights) {
  Mat v(1, 1);
  if (!weights) {
    v(0, 0) = (value(l).array().exp() - x.array() * value(l).array()).sum();
    Var out = push(std::move(v), needs(l));
    CTD_BACK(out, l, x) { grad(l) += (node(out).grad(0, 0) * (value(l).array().exp() - x.array())).matrix(); };
    return out;
  }
  const Mat w = *weights;
  v(0, 0) = (w.array() * (value(l).array().exp() - x.array() * value(l).array())).sum();
  Var out = push(std::move(v), needs(l));
  CTD_BACK(out, l, x, w) {
    grad(l) += (node(out).grad(0, 0) * w.array() * (value(l).array().exp() - x.array())).matrix();
  };
  return out;
}

template <class S>
typename Tape<S>::Var Tape<S>::kl_gaussian(Var mq, Var lq, Var mp, Var lp, S vm) {
  const Mat &MQ = value(mq), &LQ = value(lq), &MP = value(mp), &LP = value(lp);
  const long n = MQ.cols();
  Eigen::Map<const Eigen::Matrix<S, 1, -1>> mprow(MP.data(), n), lprow(LP.data(), n);
  Eigen::Array<S, 1, -1> vp = lprow.array().exp() + vm;
  Mat vq = (LQ.array().exp() + vm).matrix();
  Mat d = MQ.rowwise() - mprow;
  Mat v(1, 1);
  v(0, 0) = S(0.5) * ((vq.array().rowwise() / vp).log().matrix().array() * S(-1) +
                      (vq.array() + d.array().square()).rowwise() / vp - S(1))
                         .sum();
  Var out = push(std::move(v), needs(mq) || needs(lq) || needs(mp) || needs(lp));
  CTD_BACK(out, mq, lq, mp, lp, vp, vq, d) {
    const S g = node(out).grad(0, 0);
    Mat dm = (d.array().rowwise() / vp).matrix();  // ∂/∂μq
    if (needs(mq)) grad(mq) += g * dm;
    if (needs(mp)) {
      Mat& gp = grad(mp);
      Eigen::Map<Eigen::Matrix<S, 1, -1>>(gp.data(), gp.size()) -= g * dm.colwise().sum();
    }
    if (needs(lq)) {
      Mat e = value(lq).array().exp().matrix();
      grad(lq) += (g * S(0.5) * (S(-1) / vq.array() + (Eigen::Array<S, 1, -1>(vp.inverse())).replicate(vq.rows(), 1)) *
                   e.array())
                      .matrix();
    }
    if (needs(lp)) {
      const Mat& LPv = value(lp);
      Eigen::Array<S, 1, -1> e = Eigen::Map<const Eigen::Matrix<S, 1, -1>>(LPv.data(), LPv.size()).array().exp();
      Eigen::Array<S, 1, -1> per =
          (S(0.5) * ((S(1) / vp).replicate(vq.rows(), 1) -
                     ((vq.array() + d.array().square()).rowwise() / (vp * vp))))
              .colwise()
              .sum();
      Mat& gp = grad(lp);
      Eigen::Map<Eigen::Matrix<S, 1, -1>>(gp.data(), gp.size()) += (g * per * e).matrix();
    }
  };
  return out;
}

template <class S>
typename Tape<S>::Var Tape<S>::gaussian_logpdf(Var z, Var mu, Var lv, S vm) {
  const Mat &Z = value(z), &M = value(mu), &L = value(lv);
  Mat var = (L.array().exp() + vm).matrix();
  Mat d = Z - M;
  Mat v(1, 1);
  v(0, 0) = S(-0.5) * (L.array() + S(std::log(2 * M_PI)) + d.array().square() / var.array()).sum();
  Var out = push(std::move(v), needs(z) || needs(mu) || needs(lv));
  CTD_BACK(out, z, mu, lv, var, d) {
    const S g = node(out).grad(0, 0);
    Mat r = (d.array() / var.array()).matrix();
    if (needs(z)) grad(z) -= g * r;
    if (needs(mu)) grad(mu) += g * r;
    if (needs(lv))
      grad(lv) += (g * (S(-0.5) + S(0.5) * d.array().square() * value(lv).array().exp() / var.array().square())).matrix();
  };
  return out;
}

template <class S>
typename Tape<S>::Var Tape<S>::sum(Var a) {
  Mat v(1, 1);
  v(0, 0) = value(a).sum();
  Var out = push(std::move(v), needs(a));
  CTD_BACK(out, a) { grad(a).array() += node(out).grad(0, 0); };
  return out;
}

#undef CTD_BACK

template <class S>
void Tape<S>::backward(Var out) {
  grad(out)(0, 0) += S(1);
  for (int i = out.id; i >= 0; --i) {
    Node& n = nodes_[size_t(i)];
    if (n.grad.size() == 0 || !n.needs_grad) continue;
    if (n.back) n.back();
    Node& same = nodes_[size_t(i)];  // back() may not add nodes, but keep the access uniform
    if (same.param_grad)
      Eigen::Map<Mat>(same.param_grad, same.value.rows(), same.value.cols()) += same.grad;
  }
}

template class Tape<float>;
template class Tape<double>;

}  // namespace ctd
