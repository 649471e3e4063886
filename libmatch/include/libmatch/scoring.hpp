// How a pair of cities is scored: the configuration, the seven components
// and explain(). Every component is a number in [0, 1]; the score is the
// weighted (arithmetic or geometric) mean of the components that have data
// on both sides.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace libmatch {

enum class Component : std::uint8_t {
  population,
  region,
  language,
  interests,
  distance,
  affinity,  // how often the two countries partner, against chance
  activity,  // how ready the candidate is to take partners
};
inline constexpr int kComponentCount = 7;
std::string_view component_name(Component component);  // "population", ...

// Relative weights of the components: finite, >= 0, at least one > 0; only
// their ratios count. Distance, affinity and activity are off by default in
// a hand-made config; the learned one (libmatch.fit) turns them on.
struct Weights {
  double population = 1.0;
  double region = 1.0;
  double language = 1.0;
  double interests = 1.0;
  double distance = 0.0;
  double affinity = 0.0;
  double activity = 0.0;
};

enum class RangeMode : std::uint8_t {
  hard,  // a candidate outside a seeker's population range is filtered out
  soft,  // ... keeps its place but its population component is scaled down
};

enum class DistancePreference : std::uint8_t {
  near,     // exp(-d / scale)
  far,      // 1 - exp(-d / scale)
  inverse,  // 1 / (1 + d / scale): a gravity law, whose weight acts as its exponent
};

// How the components of one direction are combined.
enum class Combination : std::uint8_t {
  arithmetic,  // sum w v / sum w
  geometric,   // exp(sum w ln(floor + (1 - floor) v) / sum w): a log-linear model
};

// Known partnerships between two countries (ISO alpha-2, either order; the
// same code twice for pairs inside one country).
struct CountryPairCount {
  std::string a, b;
  double count = 0;
};

// How the two directions of a pair combine when both cities seek.
enum class Reciprocity : std::uint8_t {
  geometric_mean,   // sqrt(s_ab * s_ba): a tie must suit both sides
  arithmetic_mean,  // (s_ab + s_ba) / 2
  minimum,          // min(s_ab, s_ba)
  seeker_only,      // s_ab: ignore the candidate's own wants
};

struct ScoringConfig {
  Weights weights;
  Combination combination = Combination::arithmetic;
  // In the geometric mean a component at 0 counts as this, so that one
  // unmet want lowers a score without vetoing it. In (0, 1).
  double geometric_floor = 0.01;
  // population = exp(-(|ln(pa / pb)| / sigma)^shape / shape): with shape 2
  // (a Gaussian) and sigma = 1 a city e times larger (or smaller) scores
  // 0.61, ten times 0.07; shape 1 falls off as exp(-|ln ratio| / sigma).
  double population_sigma = 1.0;
  double population_shape = 2.0;
  RangeMode population_range = RangeMode::hard;
  // Region credit for a candidate on the continent of a wanted area or
  // country, but not in it.
  double continent_credit = 0.5;
  // distance = exp(-d / scale) (near) or 1 - exp(-d / scale) (far), d the
  // great-circle distance in km.
  DistancePreference distance_preference = DistancePreference::near;
  double distance_scale_km = 2000.0;
  Reciprocity reciprocity = Reciprocity::geometric_mean;

  // Country affinity: n = known partnerships between the two countries,
  // E = what chance gives from each country's share of all partnership ends;
  // ratio = (n + affinity_prior) / (E + affinity_prior), the value
  // ratio / (1 + ratio), so chance gives 0.5. Pairs not listed have n = 0.
  std::vector<CountryPairCount> country_pairs;
  double affinity_prior = 1.0;  // pseudo-count, > 0

  // Activity of a city c: mu = activity_size_scale * (population / 1e5) ^
  // activity_size_exponent is what its size predicts; with its n known
  // partnerships (when the pool has partnerships) the rate is
  // (n + activity_prior_strength) / (1 + activity_prior_strength / mu), else
  // mu; the value is rate / (rate + activity_half).
  double activity_size_exponent = 0.36;
  double activity_size_scale = 1.0;
  double activity_prior_strength = 1.0;
  double activity_half = 5.0;

  // A pair that is a known partnership of the pool is never proposed.
  bool exclude_known_partners = true;

  // What "the same country" means for SeekingProfile::same_country: one
  // sovereign state (a dependent territory counts as the state that holds
  // it, sovereign_state(): Puerto Rico as the US, Hong Kong as China), or
  // one ISO 3166-1 code when false. Regions, languages and output keep
  // each city's own code either way.
  bool compare_sovereign_states = true;

  // Throws InputError listing every bad value.
  void validate() const;

  // The "libmatch.scoring/1" JSON document: every field, numbers in their
  // shortest round-trip form. from_json() reads one (fields left out keep
  // their defaults) and throws InputError for unknown fields, bad values and
  // text that is no JSON.
  std::string to_json() const;
  static ScoringConfig from_json(std::string_view json);
  void save(const std::string& path) const;
  static ScoringConfig load(const std::string& path);
};

// Words for the enums, as the JSON document and the bindings spell them.
std::string_view combination_name(Combination combination);
std::string_view distance_preference_name(DistancePreference preference);
std::string_view reciprocity_name(Reciprocity reciprocity);
std::string_view range_mode_name(RangeMode mode);

// One direction of a pair: how well b meets a's wants.
struct DirectionScore {
  std::array<float, kComponentCount> value{};   // 0 where absent
  std::array<bool, kComponentCount> present{};  // data on both sides?
  std::array<float, kComponentCount> weight{};  // renormalised; sums to 1
  float score = 0;                              // weighted mean
};

struct FilterVerdict {
  std::string name;  // "same_country", "excluded", "self", "population_range"
  std::string side;  // whose rule: "a" or "b"
  bool passed = true;
  std::string detail;  // why, in words
};

// Everything the engine used to score a -> b, bit for bit.
struct Explanation {
  std::int64_t a = 0, b = 0;
  DirectionScore forward;   // b judged by a's wants
  bool reciprocal = false;  // b seeks too, so backward counts
  DirectionScore backward;  // a judged by b's wants (when reciprocal)
  std::vector<FilterVerdict> filters;
  std::vector<std::string> notes;  // left-out components and why
  // The learned components in a committee's words: "DE -> FR: 1,183 known
  // partnerships, 9.1 x what chance gives", "Lyon has 16 known partners".
  std::vector<std::string> reasons;
  bool passes = true;  // every filter passed
  float score = 0;     // the final score (even when filtered out)
  double distance_km = 0;

  std::string to_string() const;  // a readable multi-line report
};

}  // namespace libmatch
