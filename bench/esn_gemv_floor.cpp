// The floor under run-esn's run pass: one core multiplying its share of the
// recurrent weights (N/threads rows × N, float, resident in its L2 cache) by
// the state, the one product every step needs. Prints µs per product and the
// implied ms per 300-step pass if nothing else took any time.
// Built and run by bench/run-esn-bench; by hand:
//   g++ -O3 -march=native -I/usr/include/eigen3 bench/esn_gemv_floor.cpp -o floor && ./floor 500 2
#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 500, threads = argc > 2 ? std::atoi(argv[2]) : 2;
  const int rows = (n + threads - 1) / threads;
  Eigen::Matrix<float, -1, -1, Eigen::RowMajor> w = Eigen::MatrixXf::Random(rows, n);
  Eigen::VectorXf h = Eigen::VectorXf::Random(n), v(rows);
  double best = 1e30;
  for (int round = 0; round < 7; ++round) {
    const auto t0 = std::chrono::steady_clock::now();
    for (int step = 0; step < 3000; ++step) {
      v.noalias() = w * h;
      h(step % n) += 1e-9f * v(0);  // each product depends on the last, as in the network
    }
    best = std::min(best, std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count() / 3000);
  }
  std::printf("N %d, %d rows per core: %.2f us per product (%.0f GB/s), %.2f ms per 300-step pass\n", n, rows, best,
              double(rows) * n * sizeof(float) / best / 1e3, best * 300 / 1e3);
}
