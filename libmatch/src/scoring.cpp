#include "libmatch/scoring.hpp"

#include <algorithm>
#include <cmath>

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
  }
  return "unknown";
}

void ScoringConfig::validate() const {
  detail::ProblemList problems;
  auto check = [&](const char* field, double value, bool ok, const char* reason) {
    if (!ok)
      problems.add("config", static_cast<std::size_t>(-1), field, detail::to_text(value), reason);
  };
  const std::pair<const char*, double> weights_by_name[] = {
      {"weights.population", weights.population},
      {"weights.region", weights.region},
      {"weights.language", weights.language},
      {"weights.interests", weights.interests},
      {"weights.distance", weights.distance}};
  double largest = 0;
  for (const auto& [field, w] : weights_by_name) {
    check(field, w, detail::is_finite(w) && w >= 0, "weight must be finite and >= 0");
    largest = std::max(largest, w);
  }
  check("weights", largest, largest > 0, "at least one weight must be > 0");
  // The kernel scales by these reciprocals in float: they must be finite there.
  const auto float_finite = [](double x) { return std::isfinite(static_cast<float>(x)); };
  check("population_sigma", population_sigma,
        detail::is_finite(population_sigma) && population_sigma > 0 &&
            float_finite(1 / (2 * population_sigma * population_sigma)),
        "must be finite and > 0 (and 1 / (2 sigma^2) within float range)");
  check("continent_credit", continent_credit, continent_credit >= 0 && continent_credit <= 1,
        "must be in [0, 1]");
  check("distance_scale_km", distance_scale_km,
        detail::is_finite(distance_scale_km) && distance_scale_km > 0 &&
            float_finite(1 / distance_scale_km),
        "must be finite and > 0 (and its reciprocal within float range)");
  problems.throw_if_any();
}

}  // namespace libmatch
