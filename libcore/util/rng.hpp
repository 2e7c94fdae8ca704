// Counter-based random streams (Philox4x32-10, Salmon et al. 2011).
// A stream is addressed by (seed, domain, stream index): trial k of a file draws
// from stream k, so its data do not depend on batch size, thread count or on
// which other trials were generated. Domains keep unrelated uses (task data,
// initialisation, noise, sampling) apart under one --seed.
#pragma once
#include <array>
#include <vector>
#include <cstddef>
#include <cstdint>

namespace ctd {

// Purposes that share a seed but must never share random numbers.
enum class RngDomain : uint32_t {
  Task = 1,        // trial data of the synthetic tasks
  Init = 2,        // parameter initialisation
  StateNoise = 3,  // noise added to hidden states in training
  Sampling = 4,    // sampling trials from a data file
  Spikes = 5,      // Poisson spike counts
  Dropout = 6,
  Posterior = 7,   // reparameterisation draws
  Candidates = 8,  // candidate selection / perturbation in fixed-point search
  Analysis = 9,    // folds and restarts of the comparison of two systems (compare-dynamics)
  Tuning = 10,     // population-based training: initial hyperparameters, exploit and explore draws
};

std::array<uint32_t, 4> philox4x32_10(std::array<uint32_t, 4> counter, std::array<uint32_t, 2> key);

class RngStream {
 public:
  RngStream(uint64_t seed, RngDomain domain, uint64_t stream);

  uint32_t next_u32();
  double uniform();  // in the open interval (0, 1)
  // The next n words, or n uniforms, as n calls of next_u32 or uniform
  // would give them, many blocks at once (dropout masks are millions of draws).
  void fill_u32(uint32_t* out, size_t n);
  void fill_uniform(double* out, size_t n);
  double normal();   // standard normal (Box-Muller; caches the second value)
  long poisson(double lambda);
  // n standard normal floats (n even or odd), scaled by `scale`: Box-Muller
  // on single-precision uniforms with vectorised log/sin/cos — for bulk noise
  // (a batch's state noise is hundreds of thousands of draws).
  void fill_normal(float* out, size_t n, float scale);

 private:
  // 53 random bits from two words, shifted by half a step so that neither 0 nor 1 occurs.
  static double uniform_from(uint32_t w0, uint32_t w1) {
    const uint64_t a = w0 >> 5, b = w1 >> 6;
    return (double(a * 67108864ull + b) + 0.5) * (1.0 / 9007199254740992.0);
  }
  std::array<uint32_t, 2> key_;
  std::array<uint32_t, 4> counter_;
  std::array<uint32_t, 4> block_{};
  int used_ = 4;  // words of block_ already handed out
  bool has_spare_ = false;
  double spare_ = 0.0;
};

// Fisher-Yates shuffles of an index list from a stream: all of it (from the
// back), or only its first k entries (from the front; the list is then cut
// to k). Their draw orders are fixed: outputs made with them stay the same.
void shuffle(std::vector<int64_t>& v, RngStream& rng);
void partial_shuffle(std::vector<int64_t>& v, size_t k, RngStream& rng);

}  // namespace ctd
