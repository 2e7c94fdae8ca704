#include "train/optimizer_loop.hpp"

#include <chrono>

#include "util/error.hpp"

namespace ctd {

Curve::Curve(std::vector<std::string> names) : names_(std::move(names)), columns_(names_.size()) {}

void Curve::add(const std::vector<double>& row) {
  for (size_t k = 0; k < columns_.size(); ++k) columns_[k].push_back(row.at(k));
}

const std::vector<double>& Curve::column(const std::string& name) const {
  for (size_t k = 0; k < names_.size(); ++k)
    if (names_[k] == name) return columns_[k];
  throw std::logic_error("no curve column " + name);
}

void Curve::write_attributes(H5File& out) const {
  if (rows() == 0) return;  // HDF5 refuses empty attributes; a run that recorded nothing has no curve
  for (size_t k = 0; k < names_.size(); ++k) out.write_attribute("curve_" + names_[k], columns_[k]);
}

void Curve::write_datasets(H5File& out, const std::string& group) const {
  for (size_t k = 0; k < names_.size(); ++k)
    out.write(group + "/" + names_[k], Shape{columns_[k].size()}, columns_[k].data());
}

void Curve::read_datasets(const H5File& in, const std::string& group) {
  for (size_t k = 0; k < names_.size(); ++k) {
    const std::string path = group + "/" + names_[k];
    columns_[k] = in.has_dataset(path) ? in.read<double>(path).data : std::vector<double>();
    if (columns_[k].size() != columns_[0].size()) throw Error(in.where(path) + " does not match the other curve columns");
  }
}

double run_optimizer(const OptimizerSettings& s, float* params, size_t n, OptimizerProgress& p,
                     const LossAndGradient& loss_and_grad, const AfterStep& after) {
  if (p.adam.m.size() != n) p.adam = AdamState(n);
  std::vector<float> grad(n);
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const uint64_t first = p.step;
  double ms = 0;
  while (p.step < s.batches) {
    const uint64_t step = p.step;
    const double loss = loss_and_grad(step, grad.data());
    require_finite_loss(loss, step);
    const double lr = p.lr_scale * decayed_learning_rate(s.lr, s.lr_decay, step);
    const double norm = clip_global_norm(grad.data(), n, s.max_grad_norm);
    adam_update(params, grad.data(), n, p.adam, s.adam, lr, step);
    p.step = step + 1;
    ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count() / double(p.step - first);
    if (after && !after(OptimizerStep{p.step, loss, lr, norm, ms})) break;
  }
  return ms;
}

}  // namespace ctd
