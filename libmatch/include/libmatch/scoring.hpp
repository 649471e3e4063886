// How a pair of cities is scored: the configuration, the five components
// and explain(). Every component is a number in [0, 1]; the score is the
// weighted mean of the components that have data on both sides.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace libmatch {

enum class Component : std::uint8_t { population, region, language, interests, distance };
inline constexpr int kComponentCount = 5;
std::string_view component_name(Component component);  // "population", ...

// Relative weights of the components: finite, >= 0, at least one > 0; only
// their ratios count. Distance is off by default: most programmes do not
// care how far a partner is.
struct Weights {
  double population = 1.0;
  double region = 1.0;
  double language = 1.0;
  double interests = 1.0;
  double distance = 0.0;
};

enum class RangeMode : std::uint8_t {
  hard,  // a candidate outside a seeker's population range is filtered out
  soft,  // ... keeps its place but its population component is scaled down
};

enum class DistancePreference : std::uint8_t { near, far };

// How the two directions of a pair combine when both cities seek.
enum class Reciprocity : std::uint8_t {
  geometric_mean,   // sqrt(s_ab * s_ba): a tie must suit both sides
  arithmetic_mean,  // (s_ab + s_ba) / 2
  minimum,          // min(s_ab, s_ba)
  seeker_only,      // s_ab: ignore the candidate's own wants
};

struct ScoringConfig {
  Weights weights;
  // population = exp(-(ln(pa / pb))^2 / (2 sigma^2)): with sigma = 1 a city
  // e times larger (or smaller) scores 0.61, ten times 0.07.
  double population_sigma = 1.0;
  RangeMode population_range = RangeMode::hard;
  // Region credit for a candidate on the continent of a wanted area or
  // country, but not in it.
  double continent_credit = 0.5;
  // distance = exp(-d / scale) (near) or 1 - exp(-d / scale) (far), d the
  // great-circle distance in km.
  DistancePreference distance_preference = DistancePreference::near;
  double distance_scale_km = 2000.0;
  Reciprocity reciprocity = Reciprocity::geometric_mean;

  // Throws InputError listing every bad value.
  void validate() const;
};

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
  bool passes = true;              // every filter passed
  float score = 0;                 // the final score (even when filtered out)
  double distance_km = 0;

  std::string to_string() const;  // a readable multi-line report
};

}  // namespace libmatch
