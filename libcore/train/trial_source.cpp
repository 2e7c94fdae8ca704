#include "train/trial_source.hpp"

#include <algorithm>

#include "util/rng.hpp"

namespace ctd {

namespace {
// Evaluation trials start here: no training run reaches 2^40 trials.
constexpr uint64_t kEvalStreamOffset = uint64_t(1) << 40;

class SyntheticIntegrator : public TrialSource {
 public:
  SyntheticIntegrator(const IntegratorTask& task, uint64_t seed) : task_(task), seed_(seed) { validate(task_); }
  int steps() const override { return task_.total_steps(); }
  int inputs() const override { return 1; }
  int outputs() const override { return 1; }
  void batch(uint64_t step, int B, float* x, float* y, float* mask, float*) override {
    generate_integrator_trials(task_, seed_, step * uint64_t(B), size_t(B), x, y, mask);
  }
  TaskFile evaluation_set(int trials) override {
    TaskFile f;
    f.data = generate_integrator_task(task_, seed_, size_t(trials), kEvalStreamOffset);
    return f;
  }
  std::string task_name() const override { return integrator_kind_name(task_.kind); }

 private:
  IntegratorTask task_;
  uint64_t seed_;
};

class FromFile : public TrialSource {
 public:
  FromFile(TaskFile f, std::string name, uint64_t seed) : f_(std::move(f)), name_(std::move(name)), seed_(seed) {}
  int steps() const override { return int(f_.data.inputs.dim(1)); }
  int inputs() const override { return int(f_.data.inputs.dim(2)); }
  int outputs() const override { return int(f_.data.targets.dim(2)); }
  bool has_h0s() const override { return f_.h0s.size() > 0; }
  size_t h0_width() const override { return has_h0s() ? f_.h0s.dim(1) : 0; }
  void batch(uint64_t step, int B, float* x, float* y, float* mask, float* h0s) override {
    RngStream rng(seed_, RngDomain::Sampling, step);
    const size_t n = f_.data.inputs.dim(0), xs = size_t(steps()) * inputs(), ys = size_t(steps()) * outputs();
    for (int b = 0; b < B; ++b) {
      size_t i = size_t(rng.uniform() * double(n));
      i = std::min(i, n - 1);
      std::copy_n(f_.data.inputs.ptr() + i * xs, xs, x + size_t(b) * xs);
      std::copy_n(f_.data.targets.ptr() + i * ys, ys, y + size_t(b) * ys);
      std::copy_n(f_.data.target_mask.ptr() + i * ys, ys, mask + size_t(b) * ys);
      if (h0s && has_h0s()) {
        size_t N = f_.h0s.dim(1);
        std::copy_n(f_.h0s.ptr() + i * N, N, h0s + size_t(b) * N);
      }
    }
  }
  TaskFile evaluation_set(int trials) override {
    size_t n = std::min(size_t(trials), f_.data.inputs.dim(0));
    auto head = [n](const Array<float>& a) {
      Shape s = a.shape;
      size_t row = a.size() / s[0];
      s[0] = n;
      Array<float> out(s);
      std::copy_n(a.ptr(), n * row, out.ptr());
      return out;
    };
    TaskFile e;
    e.data = TaskData{head(f_.data.inputs), head(f_.data.targets), head(f_.data.target_mask)};
    if (has_h0s()) e.h0s = head(f_.h0s);
    e.history = f_.history;
    return e;
  }
  std::string task_name() const override { return name_; }

 private:
  TaskFile f_;
  std::string name_;
  uint64_t seed_;
};
}  // namespace

std::unique_ptr<TrialSource> synthetic_integrator_source(const IntegratorTask& task, uint64_t seed) {
  return std::make_unique<SyntheticIntegrator>(task, seed);
}

std::unique_ptr<TrialSource> file_source(TaskFile file, std::string task_name, uint64_t seed) {
  return std::make_unique<FromFile>(std::move(file), std::move(task_name), seed);
}

}  // namespace ctd
