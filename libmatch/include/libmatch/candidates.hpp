// The k best candidates of every seeker, scored tile by tile over the pool.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "libmatch/city_table.hpp"
#include "libmatch/scoring.hpp"
#include "libmatch/seeking_profile.hpp"

namespace libmatch {

namespace detail {
class Engine;
}

struct Candidate {
  std::int64_t id = 0;    // the candidate city
  std::uint32_t row = 0;  // its pool row
  float score = 0;        // final score (reciprocal when the candidate seeks)
  std::array<float, kComponentCount> components{};  // forward direction
  std::uint8_t present = 0;                         // bit c set when component c has data
  bool reciprocal = false;  // the candidate seeks too: score weighs its view
};

// Called now and then from the calling thread with tiles done and in all;
// return false to cancel (the call then throws libmatch::Cancelled).
using ProgressCallback = std::function<bool(std::size_t done, std::size_t total)>;

struct CandidateOptions {
  std::size_t k = 10;
  unsigned threads = 0;          // 0 = every core
  std::size_t seeker_tile = 64;  // seekers per tile
  std::size_t pool_tile = 2048;  // pool cities per tile (rounded up to 16)
  ProgressCallback progress;     // optional
};

// Per-seeker top-k lists, best first: ranked by score, ties to the lower id.
class CandidateLists {
 public:
  std::size_t seeker_count() const noexcept { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  const Candidate* begin(std::size_t seeker) const { return items_.data() + offsets_[seeker]; }
  const Candidate* end(std::size_t seeker) const { return items_.data() + offsets_[seeker + 1]; }
  std::size_t count(std::size_t seeker) const { return offsets_[seeker + 1] - offsets_[seeker]; }
  // The city whose list this is: lists say which seekers they were computed
  // for, so that they are never read against other ones.
  std::int64_t seeker_id(std::size_t seeker) const { return seeker_ids_[seeker]; }
  const std::vector<Candidate>& all() const noexcept { return items_; }

 private:
  friend class detail::Engine;
  std::vector<std::int64_t> seeker_ids_;
  std::vector<std::size_t> offsets_;
  std::vector<Candidate> items_;
};

// A pool and its seekers prepared for scoring under one configuration.
// Preparing is O(pool); scoring reads the prepared data only, so one Scorer
// serves concurrent calls.
class Scorer {
 public:
  Scorer(const CityTable& pool, const Seekers& seekers, const ScoringConfig& config = {});
  ~Scorer();
  Scorer(Scorer&&) noexcept;
  Scorer& operator=(Scorer&&) noexcept;

  CandidateLists candidates(const CandidateOptions& options = {}) const;

  // a's view of b (a need not seek: a city that does not seek is taken to
  // want any partner). Throws InputError for an unknown id.
  Explanation explain(std::int64_t a, std::int64_t b) const;

 private:
  std::unique_ptr<detail::Engine> engine_;
};

CandidateLists candidates(const CityTable& pool, const Seekers& seekers,
                          const ScoringConfig& config = {}, const CandidateOptions& options = {});

}  // namespace libmatch
