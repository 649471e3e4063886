// Small builders shared by the test files.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <libmatch/libmatch.hpp>

namespace testing_helpers {

inline libmatch::CityRecord city(std::int64_t id, std::string country, double population,
                                 double latitude = 0, double longitude = 0) {
  libmatch::CityRecord c;
  c.id = id;
  c.name = "city" + std::to_string(id);
  c.country = std::move(country);
  c.population = population;
  c.latitude = latitude;
  c.longitude = longitude;
  return c;
}

// The fields of every problem, for asserting "this field was reported".
inline std::vector<std::string> fields(const libmatch::InputError& e) {
  std::vector<std::string> out;
  for (const auto& p : e.problems()) out.push_back(p.field);
  return out;
}

}  // namespace testing_helpers
