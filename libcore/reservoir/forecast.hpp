// Closed-loop generation (docs/methods.md §11): the reservoir is driven by
// the true series up to a step, then runs on its own, each prediction fed
// back as the next input; the forecast against the truth, and the valid
// prediction time (Vlachas et al. 2020): the steps until the normalised
// error √(mean_i ((ŷ_i − y_i)/σ_i)²) first exceeds a threshold.
#pragma once
#include <vector>

#include "reservoir/readout.hpp"
#include "reservoir/reservoir.hpp"
#include "tasks/task_data.hpp"

namespace ctd {

struct Forecast {
  Array<float> values;              // [B,G,M]
  Array<float> truth;               // [B,G',M]: the targets where the file has them (G' ≤ G)
  Array<float> error;               // [B,G'] the normalised error per step
  std::vector<double> valid_steps;  // per sequence; G' when the error never exceeded the threshold
  double nrmse = 0;                 // pooled over the G' steps of every sequence
  double ms_per_step = 0;           // one closed-loop step of all B sequences
};

// Teacher-forced over steps [0, from), then G steps closed-loop: forecast j
// is the prediction of target from−1+j. sd [M]: the σ_i of the error.
Forecast closed_loop(const Reservoir& r, const RowMatD& W_out, const TaskData& d, size_t from, size_t G,
                     const Eigen::VectorXd& sd, double threshold);

}  // namespace ctd
