// The Eigen product floor of bench_candidates (../eigen_floor.hpp) at any
// size, for compare.py:
//
//   eigen_floor_<isa> N [REPEATS]
//
// prints the best of REPEATS timings (after one warm-up) of the product for N
// seekers by N pool cities, and the kernel variant libmatch runs here.
// CMake builds one program per instruction set of the scoring kernel, so
// that scoring can be compared with a floor compiled for the same
// instructions; eigen_floor_baseline runs anywhere and says which that is.
#include "../eigen_floor.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <thread>

#include "../../libmatch/src/engine_isa.hpp"

int main(int argc, char** argv) {
  const long n = argc > 1 ? std::atol(argv[1]) : 0;
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 3;
  if (argc < 2 || argc > 3 || n < 1 || repeats < 1) {
    std::fprintf(stderr, "usage: %s N [REPEATS]\n", argv[0]);
    return 2;
  }
  const Eigen::MatrixXf seekers = Eigen::MatrixXf::Random(n, bench::kFeatureColumns);
  const Eigen::MatrixXf pool = Eigen::MatrixXf::Random(bench::kFeatureColumns, n);
  // What Google Benchmark's DoNotOptimize does: the tile escapes.
  const auto keep = [](float* tile) { asm volatile("" : : "g"(tile) : "memory"); };
  double best = std::numeric_limits<double>::infinity();
  for (int run = 0; run <= repeats; ++run) {
    const auto start = std::chrono::steady_clock::now();
    bench::eigen_product_floor(seekers, pool, keep);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    if (run > 0) best = std::min(best, took.count());  // run 0 warms up
  }
  std::printf("seconds %.6f\nn %ld\ncolumns %d\nthreads %u\nkernel %s\n", best, n,
              bench::kFeatureColumns, std::max(1u, std::thread::hardware_concurrency()),
              libmatch::detail::isa_name(libmatch::detail::scoring_isa()));
}
