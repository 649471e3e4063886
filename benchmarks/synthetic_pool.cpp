#include "synthetic_pool.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>

namespace bench {
namespace {

struct CountryShape {
  const char* code;
  double weight;  // share of the world's cities, roughly
  double latitude, longitude;
  std::vector<std::pair<const char*, double>> languages;
};

const std::vector<CountryShape>& countries() {
  static const std::vector<CountryShape> table = {
      {"US", 14, 38, -97, {{"en", 0.78}, {"es", 0.13}}},
      {"IN", 12, 22, 79, {{"hi", 0.44}, {"bn", 0.08}, {"te", 0.07}, {"en", 0.1}}},
      {"CN", 12, 33, 108, {{"zh", 0.95}}},
      {"BR", 6, -12, -50, {{"pt", 0.98}}},
      {"DE", 4, 51, 10, {{"de", 0.95}, {"tr", 0.02}}},
      {"JP", 4, 36, 138, {{"ja", 0.99}}},
      {"MX", 4, 23, -102, {{"es", 0.93}}},
      {"RU", 4, 56, 45, {{"ru", 0.85}}},
      {"FR", 3, 46, 2, {{"fr", 0.95}}},
      {"GB", 3, 53, -2, {{"en", 0.98}}},
      {"IT", 3, 43, 12, {{"it", 0.95}}},
      {"ES", 3, 40, -4, {{"es", 0.75}, {"ca", 0.12}}},
      {"NG", 3, 9, 8, {{"en", 0.5}, {"ha", 0.2}, {"yo", 0.2}}},
      {"PH", 3, 12, 122, {{"fil", 0.6}, {"en", 0.3}}},
      {"ID", 3, -2, 118, {{"id", 0.9}}},
      {"TR", 2, 39, 35, {{"tr", 0.85}, {"ku", 0.12}}},
      {"PL", 2, 52, 19, {{"pl", 0.97}}},
      {"KE", 1, 0, 38, {{"sw", 0.6}, {"en", 0.3}}},
      {"ZA", 1, -29, 24, {{"zu", 0.23}, {"xh", 0.16}, {"af", 0.13}, {"en", 0.1}}},
      {"CA", 1, 56, -100, {{"en", 0.56}, {"fr", 0.21}}},
      {"AU", 1, -25, 134, {{"en", 0.9}}},
      {"AR", 1, -34, -64, {{"es", 0.97}}},
      {"EG", 1, 27, 30, {{"ar", 0.98}}},
      {"MA", 1, 32, -6, {{"ar", 0.7}, {"zgh", 0.25}}},
      {"SE", 1, 62, 15, {{"sv", 0.9}}},
      {"CH", 0.5, 47, 8, {{"de", 0.62}, {"fr", 0.23}, {"it", 0.08}}},
      {"NZ", 0.5, -41, 174, {{"en", 0.95}}},
      {"CL", 0.5, -35, -71, {{"es", 0.99}}},
      {"VN", 1, 16, 107, {{"vi", 0.95}}},
      {"GH", 0.5, 8, -1, {{"ak", 0.4}, {"en", 0.4}}},
  };
  return table;
}

}  // namespace

SyntheticPool synthetic_pool(std::size_t cities, std::size_t seekers, std::uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  std::normal_distribution<double> normal(0, 1);
  const auto& shapes = countries();
  std::vector<double> weights;
  for (const auto& c : shapes) weights.push_back(c.weight);
  std::discrete_distribution<std::size_t> pick_country(weights.begin(), weights.end());
  const char* areas[] = {"Western Europe", "Europe",       "Americas",
                         "South America",  "Eastern Asia", "Sub-Saharan Africa",
                         "Asia",           "Oceania",      "Northern America"};

  SyntheticPool pool;
  pool.cities.reserve(cities);
  for (std::size_t i = 0; i < cities; ++i) {
    const CountryShape& shape = shapes[pick_country(rng)];
    libmatch::CityRecord c;
    c.id = static_cast<std::int64_t>(100000 + i);
    c.name = "synthetic " + std::to_string(i);
    c.country = shape.code;
    c.latitude = std::clamp(shape.latitude + 4 * normal(rng), -89.0, 89.0);
    c.longitude = std::clamp(shape.longitude + 6 * normal(rng), -179.0, 179.0);
    // Zipf-like city sizes above 15,000 people, as in GeoNames' cities15000.
    c.population = std::round(15000 / std::pow(1 - unit(rng) * 0.9999, 1 / 0.9));
    for (const auto& [code, share] : shape.languages) c.languages.emplace_back(code, share);
    if (unit(rng) < 0.5) {
      for (int k = 0; k < libmatch::kInterestCount; ++k) {
        if (unit(rng) < 0.2)
          c.interests.emplace_back(std::string(libmatch::kInterests[k]), 0.2 + unit(rng));
      }
    }
    pool.cities.push_back(std::move(c));
  }
  for (std::size_t s = 0; s < std::min(seekers, cities); ++s) {
    libmatch::SeekingProfile p;
    p.city_id = pool.cities[s].id;
    p.partners = 1 + static_cast<int>(rng() % 2);
    if (unit(rng) < 0.5) p.regions.push_back(areas[rng() % 9]);
    if (unit(rng) < 0.3) p.population_min = pool.cities[s].population / 10;
    if (unit(rng) < 0.3) p.population_max = pool.cities[s].population * 10;
    if (unit(rng) < 0.3) p.languages.push_back(shapes[rng() % shapes.size()].languages[0].first);
    for (int k = 0; k < 3; ++k) {
      const auto name = std::string(libmatch::kInterests[rng() % libmatch::kInterestCount]);
      bool repeated = false;
      for (const auto& [n, w] : p.interests) repeated = repeated || n == name;
      if (!repeated) p.interests.emplace_back(name, 1.0 / (k + 1));
    }
    pool.profiles.push_back(std::move(p));
  }
  return pool;
}

}  // namespace bench
