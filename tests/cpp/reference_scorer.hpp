// An independent, slow, double-precision implementation of the scoring
// rules, written from the documented formulas and working on the raw
// records; the engine is checked against it. Also a random pool generator.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include <libmatch/libmatch.hpp>

namespace reference {

struct PairScore {
  bool passes = false;
  double score = 0, forward = 0, backward = 0;
  double value[libmatch::kComponentCount] = {};
  bool present[libmatch::kComponentCount] = {};
};

class ReferenceScorer {
 public:
  ReferenceScorer(std::vector<libmatch::CityRecord> cities,
                  std::vector<libmatch::SeekingProfile> profiles, libmatch::ScoringConfig config,
                  std::vector<libmatch::Partnership> partnerships = {});
  // a and b are indices into the cities.
  PairScore score(std::size_t a, std::size_t b) const;
  // The best k (passing, ranked by score then id) for city a, by brute force.
  std::vector<std::pair<std::int64_t, double>> top_k(std::size_t a, std::size_t k) const;
  std::size_t seeker_of(std::size_t city) const;  // npos when it does not seek

 private:
  double direction(std::size_t a, std::size_t b, const libmatch::SeekingProfile* wants,
                   PairScore* out) const;

  double affinity(const std::string& x, const std::string& y) const;
  double activity(std::size_t city) const;
  bool partners(std::size_t a, std::size_t b) const;

  std::vector<libmatch::CityRecord> cities_;
  std::vector<libmatch::SeekingProfile> profiles_;
  std::vector<libmatch::Partnership> partnerships_;
  std::vector<std::size_t> seeker_;
  libmatch::ScoringConfig config_;
};

struct RandomPool {
  std::vector<libmatch::CityRecord> cities;
  std::vector<libmatch::SeekingProfile> profiles;
  // About one per city, more for large ones (activity) and between a few
  // country pairs (affinity).
  std::vector<libmatch::Partnership> partnerships;
};

// Country-pair counts of some partnerships, for ScoringConfig::country_pairs.
std::vector<libmatch::CountryPairCount> country_pairs(const RandomPool& pool);

// `cities` random cities over a dozen countries (so same-country pairs are
// common), some exact clones (so scores tie), some with no languages or
// interests; `seekers` of them seek with random wants.
RandomPool random_pool(std::size_t cities, std::size_t seekers, std::uint32_t seed);

}  // namespace reference
