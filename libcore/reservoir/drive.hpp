// Driving a reservoir over the sequences of a task file, all B of them in
// lockstep (a column of the state per sequence), and the readout's view of
// each step.
#pragma once
#include <Eigen/Core>

#include "reservoir/readout.hpp"
#include "reservoir/reservoir.hpp"
#include "tasks/task_data.hpp"

namespace ctd {

// The inputs of step t of every sequence, as columns [U,B] (likewise targets [M,B]).
Eigen::MatrixXd step_columns(const Array<float>& a, size_t t);
// Whether every output of sequence b counts at step t.
bool step_counts(const Array<float>& mask, size_t b, size_t t);

// Runs steps [t0, t1) from the states x [N,B] and the fed-back outputs fb
// [M,B]; after each step calls visit(t, x, prediction [M,B]) — the prediction
// by *W_out as it is then (empty when W_out is null or empty), so that an
// online learner may change W_out inside visit. The outputs fed back into
// the next step: with `teacher`, the targets of this step (teacher forcing,
// as training does); else the prediction.
template <class Visit>
void drive(const Reservoir& r, const RowMatD* W_out, const TaskData& d, size_t t0, size_t t1, Eigen::MatrixXd& x,
           Eigen::MatrixXd& fb, bool teacher, Visit&& visit) {
  Eigen::MatrixXd prediction;
  for (size_t t = t0; t < t1; ++t) {
    r.step(x, step_columns(d.inputs, t), fb);
    if (W_out && W_out->size()) prediction = read_out(*W_out, x);
    visit(t, x, prediction);
    if (r.W_fb.size()) fb = teacher ? step_columns(d.targets, t) : prediction;
  }
}

}  // namespace ctd
