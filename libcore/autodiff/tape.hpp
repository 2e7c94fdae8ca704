// A small reverse-mode layer over batched matrices, for models whose graph
// is built per batch (LFADS). Values are row-major [rows, cols] matrices;
// every operation records its value and how to pass gradients back. The ops
// are coarse (a whole GRU step, through `custom`; a whole Poisson likelihood) so a batch is a
// few hundred nodes, and each op's backward is written by hand and checked
// against finite differences in the tests.
#pragma once
#include <Eigen/Core>
#include <functional>
#include <vector>

namespace ctd {

template <class S>
class Tape {
 public:
  using Mat = Eigen::Matrix<S, -1, -1, Eigen::RowMajor>;
  struct Var {
    int id = -1;
  };

  // A constant: no gradient flows into it.
  Var input(Mat value);
  // A parameter [rows, cols] read from `data`; backward() adds its gradient to `grad`.
  Var param(const S* data, int rows, int cols, S* grad);

  const Mat& value(Var v) const { return nodes_[size_t(v.id)].value; }
  S scalar(Var v) const { return nodes_[size_t(v.id)].value(0, 0); }

  Var matmul_t(Var a, Var w);        // a [m,k] · wᵀ, w [n,k] → [m,n]
  Var add_row(Var a, Var b);         // a [m,n] + b (a [1,n] or [n,1] row, broadcast)
  Var add(Var a, Var b);             // same shapes
  Var scale(Var a, S c);
  Var concat_cols(Var a, Var b);     // [m,p] | [m,q] → [m,p+q]
  Var cols(Var a, int start, int n); // a[:, start:start+n]
  Var mul_const(Var a, const Mat& c);  // elementwise by a constant (dropout masks)
  Var exp(Var a);
  Var log(Var a);
  Var add_scalar(Var a, S c);
  Var mul_row(Var a, Var b);         // a [m,n] ∘ b [1,n] (broadcast)
  Var broadcast_rows(Var a, int m);  // [1,n] → [m,n]
  Var row_normalize(Var w);          // each row divided by its L2 norm

  // μ + exp(½·log(exp(logv) + varmin))·eps, eps a constant of the same shape.
  Var sample_gaussian(Var mu, Var logv, const Mat& eps, S varmin);
  // Σ w·(exp(l) − x·l) over every entry (the Poisson NLL without log x!; w = 1 without weights): 1×1.
  Var poisson_nll(Var lograte, const Mat& counts, const Mat* weights = nullptr);
  // Σ KL(N(μq, exp(lq)+varmin) ‖ N(μp, exp(lp)+varmin)) over entries; μp/lp are [1,n] rows (broadcast): 1×1.
  Var kl_gaussian(Var mu_q, Var logv_q, Var mu_p, Var logv_p, S varmin);
  // Σ −½(logv + log 2π + (z−μ)²/(exp(logv)+varmin)) over entries; μ and logv full shape: 1×1.
  Var gaussian_logpdf(Var z, Var mu, Var logv, S varmin);
  Var sum(Var a);  // 1×1

  // An operation written outside the tape (LFADS's GRU steps are nn/ cells):
  // its value, and `back`, called once with the output's gradient and value, which adds
  // into its inputs' gradients through grad_of (and into any parameter
  // gradient the op owns). needs_grad: whether anything before it takes one.
  Var custom(Mat value, bool needs_grad, std::function<void(const Mat& gout, const Mat& out)> back);
  Mat& grad_of(Var v) { return grad(v); }  // zeroed on first use
  bool needs_grad(Var v) const { return needs(v); }

  // Runs the recorded operations backwards from the 1×1 `out` (seeded with 1).
  void backward(Var out);
  void clear() { nodes_.clear(); }
  size_t size() const { return nodes_.size(); }

 private:
  struct Node {
    Mat value, grad;
    std::function<void()> back;  // adds this node's grad into its inputs' grads
    S* param_grad = nullptr;
    bool needs_grad = false;
  };
  std::vector<Node> nodes_;
  Var push(Mat value, bool needs_grad);
  Node& node(Var v) { return nodes_[size_t(v.id)]; }
  // The gradient buffer of v, zeroed on first use.
  Mat& grad(Var v);
  bool needs(Var v) const { return nodes_[size_t(v.id)].needs_grad; }
};

}  // namespace ctd
