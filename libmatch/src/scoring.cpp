#include "libmatch/scoring.hpp"

#include <algorithm>
#include <cmath>

#include "libmatch/geography.hpp"

#include "validation.hpp"

namespace libmatch {

std::string_view component_name(Component component) {
  switch (component) {
    case Component::population:
      return "population";
    case Component::region:
      return "region";
    case Component::language:
      return "language";
    case Component::interests:
      return "interests";
    case Component::distance:
      return "distance";
    case Component::affinity:
      return "affinity";
    case Component::activity:
      return "activity";
  }
  return "unknown";
}

std::string_view combination_name(Combination combination) {
  return combination == Combination::geometric ? "geometric" : "arithmetic";
}

std::string_view distance_preference_name(DistancePreference preference) {
  switch (preference) {
    case DistancePreference::far:
      return "far";
    case DistancePreference::inverse:
      return "inverse";
    case DistancePreference::near:
      break;
  }
  return "near";
}

std::string_view reciprocity_name(Reciprocity reciprocity) {
  switch (reciprocity) {
    case Reciprocity::arithmetic_mean:
      return "arithmetic_mean";
    case Reciprocity::minimum:
      return "minimum";
    case Reciprocity::seeker_only:
      return "seeker_only";
    case Reciprocity::geometric_mean:
      break;
  }
  return "geometric_mean";
}

std::string_view range_mode_name(RangeMode mode) {
  return mode == RangeMode::soft ? "soft" : "hard";
}

void ScoringConfig::validate() const {
  detail::ProblemList problems;
  auto check = [&](const std::string& field, double value, bool ok, const char* reason) {
    if (!ok)
      problems.add("config", static_cast<std::size_t>(-1), field, detail::to_text(value), reason);
  };
  const std::pair<const char*, double> weights_by_name[] = {
      {"weights.population", weights.population}, {"weights.region", weights.region},
      {"weights.language", weights.language},     {"weights.interests", weights.interests},
      {"weights.distance", weights.distance},     {"weights.affinity", weights.affinity},
      {"weights.activity", weights.activity}};
  double largest = 0;
  for (const auto& [field, w] : weights_by_name) {
    check(field, w, detail::is_finite(w) && w >= 0, "weight must be finite and >= 0");
    largest = std::max(largest, w);
  }
  check("weights", largest, largest > 0, "at least one weight must be > 0");
  // The kernel scales by these reciprocals in float: they must be finite there.
  const auto float_finite = [](double x) { return std::isfinite(static_cast<float>(x)); };
  const auto positive = [](double x) { return detail::is_finite(x) && x > 0; };
  check("population_sigma", population_sigma,
        positive(population_sigma) && float_finite(1 / (2 * population_sigma * population_sigma)),
        "must be finite and > 0 (and 1 / (2 sigma^2) within float range)");
  check("population_shape", population_shape,
        detail::is_finite(population_shape) && population_shape >= 0.25 && population_shape <= 8,
        "must be in [0.25, 8]");
  check("geometric_floor", geometric_floor,
        detail::is_finite(geometric_floor) && geometric_floor >= 1e-6 && geometric_floor < 1,
        "must be in [1e-6, 1)");
  check("continent_credit", continent_credit, continent_credit >= 0 && continent_credit <= 1,
        "must be in [0, 1]");
  check("distance_scale_km", distance_scale_km,
        positive(distance_scale_km) && float_finite(1 / distance_scale_km),
        "must be finite and > 0 (and its reciprocal within float range)");
  check("affinity_prior", affinity_prior, positive(affinity_prior) && affinity_prior >= 1e-6,
        "must be finite and >= 1e-6");
  check("activity_size_exponent", activity_size_exponent,
        detail::is_finite(activity_size_exponent) && std::abs(activity_size_exponent) <= 4,
        "must be in [-4, 4]");
  check("activity_size_scale", activity_size_scale, positive(activity_size_scale),
        "must be finite and > 0");
  check("activity_prior_strength", activity_prior_strength, positive(activity_prior_strength),
        "must be finite and > 0");
  check("activity_half", activity_half, positive(activity_half), "must be finite and > 0");
  std::vector<std::pair<int, int>> pairs;
  for (std::size_t i = 0; i < country_pairs.size(); ++i) {
    const CountryPairCount& pair = country_pairs[i];
    const std::string field = "country_pairs." + std::to_string(i);
    const auto a = find_country(pair.a), b = find_country(pair.b);
    if (!a) problems.add("config", i, field + ".a", pair.a, unknown_country_reason(pair.a));
    if (!b) problems.add("config", i, field + ".b", pair.b, unknown_country_reason(pair.b));
    check(field + ".count", pair.count, detail::is_finite(pair.count) && pair.count >= 0,
          "must be finite and >= 0");
    if (a && b) pairs.emplace_back(std::min(*a, *b), std::max(*a, *b));
  }
  std::sort(pairs.begin(), pairs.end());
  if (std::adjacent_find(pairs.begin(), pairs.end()) != pairs.end()) {
    const auto twice = *std::adjacent_find(pairs.begin(), pairs.end());
    problems.add(
        "config", static_cast<std::size_t>(-1), "country_pairs",
        std::string(country(twice.first).code) + "-" + std::string(country(twice.second).code),
        "country pair listed twice");
  }
  problems.throw_if_any();
}

}  // namespace libmatch
