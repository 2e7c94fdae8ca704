// Behaviour decoding as NLB scores it (docs/methods.md §8): ridge regression
// from rates to behaviour, its penalty chosen by K-fold cross-validation on
// the training samples, scored by R² on the evaluation samples.
#pragma once
#include <Eigen/Core>
#include <vector>

namespace ctd {

// R² of each column of `pred` against `y` (1 − SS_res / SS_tot about y's own
// mean), averaged over the columns (scikit-learn's r2_score, uniform average;
// a column without variance scores 1 if predicted exactly, else 0).
double r2_score(const Eigen::MatrixXd& y, const Eigen::MatrixXd& pred);

struct RidgeDecoding {
  double r2 = 0;               // on the evaluation samples, with the chosen penalty
  double alpha = 0;            // the chosen penalty
  std::vector<double> cv_r2;   // mean validation R² over the folds, per penalty
};
// Ridge with an unpenalised intercept (scikit-learn's Ridge): for each alpha,
// K contiguous folds (the first n mod K one sample longer), the mean R² on the
// held-out fold; the best alpha (the first of equals) refitted on all
// training samples scores the evaluation samples. Rows are samples.
RidgeDecoding ridge_decode(const Eigen::MatrixXd& train_x, const Eigen::MatrixXd& train_y,
                           const Eigen::MatrixXd& eval_x, const Eigen::MatrixXd& eval_y,
                           const std::vector<double>& alphas, int folds = 5);

// NLB's penalties: 10^-4 .. 10^0, 9 of them, log-spaced.
std::vector<double> nlb_ridge_alphas();

}  // namespace ctd
