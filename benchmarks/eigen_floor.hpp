// The floor that scoring cannot beat: a plain Eigen float product of the
// seekers' and the pool's feature columns, tiled and threaded as
// candidates() is, each tile of products discarded. bench_candidates times
// it beside candidates(); compare/eigen_floor times it at any pool size.
#pragma once

#include <algorithm>
#include <thread>
#include <vector>

#include <Eigen/Core>

namespace bench {

// Feature columns the kernel reads per pool city: 16 interests, 3 for the
// unit vector, 1 log-population, and 2 language slots of (sqrt share,
// share) on average. (Pruned chunks cost less: their bounds read ranges per
// chunk and only the seeker's own interests.)
constexpr int kFeatureColumns = 24;

// seekers: n x kFeatureColumns; pool: kFeatureColumns x m. `keep` sees each
// tile, so that the compiler cannot drop the products.
template <typename Keep>
void eigen_product_floor(const Eigen::MatrixXf& seekers, const Eigen::MatrixXf& pool, Keep keep) {
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  constexpr Eigen::Index kSeekerTile = 1024, kPoolTile = 2048;
  const Eigen::Index n = seekers.rows(), m = pool.cols();
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      Eigen::MatrixXf tile(kSeekerTile, kPoolTile);
      for (Eigen::Index s = t * kSeekerTile; s < n; s += threads * kSeekerTile) {
        const Eigen::Index rows = std::min(kSeekerTile, n - s);
        for (Eigen::Index c = 0; c < m; c += kPoolTile) {
          const Eigen::Index cols = std::min(kPoolTile, m - c);
          tile.topLeftCorner(rows, cols).noalias() =
              seekers.middleRows(s, rows) * pool.middleCols(c, cols);
          keep(tile.data());
        }
      }
    });
  }
  for (auto& w : workers) w.join();
}

}  // namespace bench
