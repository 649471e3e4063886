// What a city seeking partners asks for, and the validated set of seekers
// bound to a pool.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "libmatch/city_table.hpp"
#include "libmatch/error.hpp"

namespace libmatch {

struct SeekingProfile {
  std::int64_t city_id = 0;  // a city of the pool
  int partners = 1;          // capacity: how many partners it wants (>= 1)
  // Wanted areas (a region, sub-region or continent, see geography.hpp) and
  // countries (alpha-2). Both empty = any.
  std::vector<std::string> regions;
  std::vector<std::string> countries;
  std::optional<double> population_min, population_max;
  std::vector<std::string> languages;  // wanted language codes
  // Interest name -> weight. Replaces the city's own interests when given.
  std::vector<std::pair<std::string, double>> interests;
  // Ids never to propose (existing partners). An id that is no city of the
  // pool is accepted (it could never be proposed) and reported as a warning.
  std::vector<std::int64_t> exclude;
  bool same_country = false;  // sister-city ties are international
};

// Seeking profiles checked against a pool. Invariants: every seeking and
// excluded id is in the pool, no city seeks twice, every name is known and
// held in its canonical form (areas, country codes, language keys,
// interests as kInterests spells them).
class Seekers {
 public:
  // Validates every profile and throws InputError listing every problem.
  // Excluded ids that are no city of the pool are dropped from the profile
  // (profile(i).exclude keeps the others, in order), each with a warning.
  Seekers(const CityTable& pool, std::vector<SeekingProfile> profiles);

  std::size_t size() const noexcept { return profiles_.size(); }
  const SeekingProfile& profile(std::size_t i) const { return profiles_[i]; }
  std::size_t row(std::size_t i) const { return rows_[i]; }  // pool row of seeker i
  // Seeker index of a pool row, if that city seeks.
  std::optional<std::size_t> seeker_of_row(std::size_t row) const;
  std::size_t pool_size() const noexcept { return pool_size_; }
  // True when these profiles hold for `pool`: the pool they were validated
  // against, or one with the same ids in the same rows.
  bool fit(const CityTable& pool) const;
  // What was accepted but has no effect, in seeker order (index: the
  // seeker), for the caller to pass on: an excluded id that is no city of
  // the pool, field "exclude".
  const std::vector<InputWarning>& warnings() const noexcept { return warnings_; }

 private:
  std::vector<SeekingProfile> profiles_;
  std::vector<InputWarning> warnings_;
  std::vector<std::size_t> rows_;
  std::vector<std::int32_t> seeker_by_row_;  // -1 when the row does not seek
  std::size_t pool_size_ = 0;
};

}  // namespace libmatch
