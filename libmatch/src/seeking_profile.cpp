#include "libmatch/seeking_profile.hpp"

#include <algorithm>

#include "libmatch/geography.hpp"

#include "validation.hpp"

namespace libmatch {

Seekers::Seekers(const CityTable& pool, std::vector<SeekingProfile> profiles)
    : profiles_(std::move(profiles)), seeker_by_row_(pool.size(), -1), pool_size_(pool.size()) {
  detail::ProblemList problems;
  rows_.reserve(profiles_.size());
  for (std::size_t i = 0; i < profiles_.size(); ++i) {
    SeekingProfile& p = profiles_[i];
    const std::string label =
        "seeker " + std::to_string(i) + " (city " + std::to_string(p.city_id) + ")";
    auto problem = [&](std::string field, std::string value, std::string reason) {
      problems.add(label, i, std::move(field), std::move(value), std::move(reason));
    };

    const std::optional<std::size_t> row = pool.row_of(p.city_id);
    if (!row) {
      problem("city_id", std::to_string(p.city_id), "not a city of the pool");
    } else if (seeker_by_row_[*row] >= 0) {
      problem("city_id", std::to_string(p.city_id),
              "this city already seeks as seeker " + std::to_string(seeker_by_row_[*row]));
    } else {
      seeker_by_row_[*row] = static_cast<std::int32_t>(i);
    }
    rows_.push_back(row.value_or(0));

    if (p.partners < 1) {
      problem("partners", std::to_string(p.partners), "must be at least 1");
    }
    // Areas and codes as real data writes them ("europe", " pl ") are kept in
    // their canonical form, which the engine compares exactly.
    for (std::string& area : p.regions) {
      if (const std::optional<std::string_view> canonical = find_area(area)) {
        area = std::string(*canonical);
      } else {
        problem("regions", area, unknown_area_reason(area));
      }
    }
    for (std::string& code : p.countries) {
      if (const std::optional<int> c = find_country(code)) {
        code = std::string(country(*c).code);
      } else {
        problem("countries", code, unknown_country_reason(code));
      }
    }
    for (const auto* bound : {&p.population_min, &p.population_max}) {
      if (*bound && (!detail::is_finite(**bound) || **bound < 0)) {
        problem(bound == &p.population_min ? "population_min" : "population_max",
                detail::to_text(**bound), "must be a finite number >= 0");
      }
    }
    if (p.population_min && p.population_max && *p.population_min > *p.population_max) {
      problem("population_min", detail::to_text(*p.population_min),
              "greater than population_max (" + detail::to_text(*p.population_max) + ")");
    }
    // Wanted languages are keyed as the pool's are ("pt-BR" -> "pt"), so a
    // seeker wanting "pt-BR" meets cities that list "pt" and the other way
    // round. A code that is not one ("pt, es" from a spreadsheet cell) could
    // never be met: it is refused rather than silently ignored.
    for (std::string& code : p.languages) {
      if (const std::optional<std::string> key = language_key(code)) {
        code = *key;
      } else if (code.find_first_not_of(" \t\r\n") == std::string::npos) {
        problem("languages", code, "empty language code");
      } else {
        problem("languages", code, "not a language code such as 'en', 'pt' or 'pt-BR'");
      }
    }
    // Interests as data writes them (" Education ") are kept as kInterests
    // spells them, which the engine looks up exactly.
    std::vector<int> seen;
    for (auto& [interest, weight] : p.interests) {
      const std::optional<int> index = find_interest(interest);
      if (!index) {
        problem("interests", interest, unknown_interest_reason(interest));
      } else {
        if (std::find(seen.begin(), seen.end(), *index) != seen.end()) {
          problem("interests." + interest, detail::to_text(weight), "interest listed twice");
        }
        seen.push_back(*index);
        if (!detail::is_finite(weight) || weight < 0) {
          problem("interests." + interest, detail::to_text(weight),
                  "weight must be finite and >= 0");
        }
        interest = std::string(kInterests[*index]);
      }
    }
    // An id outside the pool (an existing partner too small for it, say) can
    // never be proposed: excluding it changes nothing, so it is dropped, and
    // the caller hears of it in case it is a typing error.
    const auto outside =
        std::stable_partition(p.exclude.begin(), p.exclude.end(),
                              [&](std::int64_t id) { return pool.row_of(id).has_value(); });
    for (auto it = outside; it != p.exclude.end(); ++it) {
      warnings_.push_back(InputWarning{
          label, "exclude", std::to_string(*it),
          "not a city of the pool: it can never be proposed, so excluding it changes nothing", i});
    }
    p.exclude.erase(outside, p.exclude.end());
  }
  problems.throw_if_any();
}

std::optional<std::size_t> Seekers::seeker_of_row(std::size_t row) const {
  if (row >= seeker_by_row_.size() || seeker_by_row_[row] < 0) return std::nullopt;
  return static_cast<std::size_t>(seeker_by_row_[row]);
}

bool Seekers::fit(const CityTable& pool) const {
  if (pool.size() != pool_size_) return false;
  for (std::size_t i = 0; i < profiles_.size(); ++i) {
    if (pool.id(rows_[i]) != profiles_[i].city_id) return false;
    for (std::int64_t id : profiles_[i].exclude) {
      if (!pool.row_of(id)) return false;
    }
  }
  return true;
}

}  // namespace libmatch
