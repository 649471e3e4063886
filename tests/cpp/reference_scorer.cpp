#include "reference_scorer.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "libmatch/geography.hpp"

namespace reference {
namespace {

constexpr double kPi = 3.14159265358979323846;

const libmatch::Region& region_of(const std::string& code) {
  return libmatch::region(libmatch::country(*libmatch::country_index(code)).region);
}

bool wants_country(const libmatch::SeekingProfile& p, const std::string& code) {
  const int c = *libmatch::country_index(code);
  for (const auto& wanted : p.countries) {
    if (wanted == code) return true;
  }
  for (const auto& area : p.regions) {
    const libmatch::Region& r = region_of(code);
    if (area == r.name || area == r.subregion || area == libmatch::continent_name(r.continent)) {
      return true;
    }
  }
  (void)c;
  return false;
}

double great_circle_km(const libmatch::CityRecord& a, const libmatch::CityRecord& b) {
  const double p1 = a.latitude * kPi / 180, p2 = b.latitude * kPi / 180;
  const double dp = p2 - p1, dl = (b.longitude - a.longitude) * kPi / 180;
  const double h = std::sin(dp / 2) * std::sin(dp / 2) +
                   std::cos(p1) * std::cos(p2) * std::sin(dl / 2) * std::sin(dl / 2);
  return 2 * 6371.0088 * std::asin(std::min(1.0, std::sqrt(h)));
}

std::map<std::string, double> interests_of(const libmatch::CityRecord& city,
                                           const libmatch::SeekingProfile* profile) {
  std::map<std::string, double> out;
  const auto& source = profile && !profile->interests.empty() ? profile->interests : city.interests;
  for (const auto& [name, weight] : source) out[name] = weight;
  return out;
}

}  // namespace

ReferenceScorer::ReferenceScorer(std::vector<libmatch::CityRecord> cities,
                                 std::vector<libmatch::SeekingProfile> profiles,
                                 libmatch::ScoringConfig config,
                                 std::vector<libmatch::Partnership> partnerships)
    : cities_(std::move(cities)),
      profiles_(std::move(profiles)),
      partnerships_(std::move(partnerships)),
      config_(config) {
  seeker_.assign(cities_.size(), static_cast<std::size_t>(-1));
  for (std::size_t s = 0; s < profiles_.size(); ++s) {
    for (std::size_t c = 0; c < cities_.size(); ++c) {
      if (cities_[c].id == profiles_[s].city_id) seeker_[c] = s;
    }
  }
}

std::size_t ReferenceScorer::seeker_of(std::size_t city) const { return seeker_[city]; }

// Straight from README: counts, marginals, what chance gives, smoothed.
double ReferenceScorer::affinity(const std::string& x, const std::string& y) const {
  double n = 0, nx = 0, ny = 0, total = 0;
  for (const auto& pair : config_.country_pairs) {
    if ((pair.a == x && pair.b == y) || (pair.a == y && pair.b == x)) n = pair.count;
    nx += (pair.a == x) * pair.count + (pair.b == x) * pair.count;
    ny += (pair.a == y) * pair.count + (pair.b == y) * pair.count;
    total += pair.count;
  }
  const double expected = total == 0 ? 0 : (x == y ? nx * nx / (4 * total) : nx * ny / (2 * total));
  const double ratio = (n + config_.affinity_prior) / (expected + config_.affinity_prior);
  return ratio / (1 + ratio);
}

double ReferenceScorer::activity(std::size_t city) const {
  const double mu = config_.activity_size_scale *
                    std::pow(cities_[city].population / 1e5, config_.activity_size_exponent);
  double rate = mu;
  if (!partnerships_.empty()) {
    double n = 0;
    for (const auto& p : partnerships_) n += p.a == cities_[city].id || p.b == cities_[city].id;
    const double kappa = config_.activity_prior_strength;
    rate = (n + kappa) / (1 + kappa / mu);
  }
  return rate / (rate + config_.activity_half);
}

bool ReferenceScorer::partners(std::size_t a, std::size_t b) const {
  const std::int64_t x = cities_[a].id, y = cities_[b].id;
  for (const auto& p : partnerships_) {
    if ((p.a == x && p.b == y) || (p.a == y && p.b == x)) return true;
  }
  return false;
}

double ReferenceScorer::direction(std::size_t a, std::size_t b,
                                  const libmatch::SeekingProfile* wants, PairScore* out) const {
  const auto& A = cities_[a];
  const auto& B = cities_[b];
  constexpr int kCount = libmatch::kComponentCount;
  double value[kCount] = {}, present[kCount] = {};
  const auto falloff = [&](double gap) {
    const double s = config_.population_shape;
    return std::exp(-std::pow(std::abs(gap) / config_.population_sigma, s) / s);
  };

  const double gap = std::log(A.population / B.population);
  value[0] = falloff(gap);
  if (config_.population_range == libmatch::RangeMode::soft && wants) {
    double outside = 0;
    if (wants->population_min && B.population < *wants->population_min) {
      outside = std::log(*wants->population_min / B.population);
    }
    if (wants->population_max && B.population > *wants->population_max) {
      outside = std::log(B.population / *wants->population_max);
    }
    value[0] *= falloff(outside);
  }
  present[0] = 1;

  if (wants && (!wants->regions.empty() || !wants->countries.empty())) {
    present[1] = 1;
    if (wants_country(*wants, B.country)) {
      value[1] = 1;
    } else {
      const auto continent = region_of(B.country).continent;
      bool same_continent = false;
      for (int c = 0; c < libmatch::country_count(); ++c) {
        const std::string code(libmatch::country(c).code);
        if (wants_country(*wants, code) && region_of(code).continent == continent)
          same_continent = true;
      }
      value[1] = same_continent ? config_.continent_credit : 0;
    }
  }

  const bool a_wants_languages = wants && !wants->languages.empty();
  if (!B.languages.empty() && (!A.languages.empty() || a_wants_languages)) {
    present[2] = 1;
    double overlap = 0, wanted = 0;
    for (const auto& [la, sa] : A.languages) {
      for (const auto& [lb, sb] : B.languages) {
        if (la == lb) overlap += sa * sb;  // languages shared, on average
      }
    }
    if (wants) {
      std::set<std::string> codes(wants->languages.begin(), wants->languages.end());
      for (const auto& [lb, sb] : B.languages) {
        if (codes.count(lb)) wanted += sb;
      }
    }
    overlap = std::min(overlap, 1.0);
    wanted = std::min(wanted, 1.0);
    value[2] = overlap + (1 - overlap) * wanted;
  }

  const auto ia = interests_of(A, seeker_[a] < profiles_.size() ? &profiles_[seeker_[a]] : nullptr);
  const auto ib = interests_of(B, seeker_[b] < profiles_.size() ? &profiles_[seeker_[b]] : nullptr);
  double dot = 0, na = 0, nb = 0;
  for (const auto& [k, w] : ia) {
    na += w * w;
    if (ib.count(k)) dot += w * ib.at(k);
  }
  for (const auto& [k, w] : ib) nb += w * w;
  if (na > 0 && nb > 0) {
    present[3] = 1;
    value[3] = std::clamp(dot / std::sqrt(na * nb), 0.0, 1.0);
  }

  if (config_.weights.distance > 0) {
    present[4] = 1;
    const double d = great_circle_km(A, B) / config_.distance_scale_km;
    switch (config_.distance_preference) {
      case libmatch::DistancePreference::near:
        value[4] = std::exp(-d);
        break;
      case libmatch::DistancePreference::far:
        value[4] = 1 - std::exp(-d);
        break;
      case libmatch::DistancePreference::inverse:
        value[4] = 1 / (1 + d);
        break;
    }
  }
  if (config_.weights.affinity > 0) {
    present[5] = 1;
    value[5] = affinity(A.country, B.country);
  }
  if (config_.weights.activity > 0) {
    present[6] = 1;
    value[6] = activity(b);
  }

  const libmatch::Weights& weights = config_.weights;
  const double w[kCount] = {weights.population, weights.region,   weights.language,
                            weights.interests,  weights.distance, weights.affinity,
                            weights.activity};
  const bool geometric = config_.combination == libmatch::Combination::geometric;
  const double floor = config_.geometric_floor;
  double num = 0, den = 0;
  for (int c = 0; c < kCount; ++c) {
    const double term = geometric ? std::log(floor + (1 - floor) * value[c]) : value[c];
    num += w[c] * present[c] * term;
    den += w[c] * present[c];
    if (out) {
      out->value[c] = value[c];
      out->present[c] = present[c] > 0;
    }
  }
  if (den == 0) return 0;
  return geometric ? std::exp(num / den) : num / den;
}

PairScore ReferenceScorer::score(std::size_t a, std::size_t b) const {
  PairScore result;
  const libmatch::SeekingProfile* mine =
      seeker_[a] < profiles_.size() ? &profiles_[seeker_[a]] : nullptr;
  const libmatch::SeekingProfile* theirs =
      seeker_[b] < profiles_.size() ? &profiles_[seeker_[b]] : nullptr;
  result.forward = direction(a, b, mine, &result);
  result.score = result.forward;
  if (theirs) {
    result.backward = direction(b, a, theirs, nullptr);
    switch (config_.reciprocity) {
      case libmatch::Reciprocity::geometric_mean:
        result.score = std::sqrt(result.forward * result.backward);
        break;
      case libmatch::Reciprocity::arithmetic_mean:
        result.score = (result.forward + result.backward) / 2;
        break;
      case libmatch::Reciprocity::minimum:
        result.score = std::min(result.forward, result.backward);
        break;
      case libmatch::Reciprocity::seeker_only:
        break;
    }
  }

  const auto& A = cities_[a];
  const auto& B = cities_[b];
  // One country: one sovereign state (a territory counts as its holder), or
  // one ISO code.
  const auto state = [&](const std::string& code) {
    const int index = *libmatch::country_index(code);
    return config_.compare_sovereign_states ? libmatch::sovereign_state(index) : index;
  };
  const bool one_country = state(A.country) == state(B.country);
  auto allows = [&](const libmatch::SeekingProfile* p, const libmatch::CityRecord& other) {
    if (!p) return true;
    if (one_country && !p->same_country) return false;
    if (std::find(p->exclude.begin(), p->exclude.end(), other.id) != p->exclude.end()) return false;
    if (config_.population_range == libmatch::RangeMode::hard) {
      if (p->population_min && other.population < *p->population_min) return false;
      if (p->population_max && other.population > *p->population_max) return false;
    }
    return true;
  };
  // A city that does not seek still refuses its own country by default.
  const bool same_country_ok = !one_country || (mine && mine->same_country);
  const bool known_ok = !config_.exclude_known_partners || !partners(a, b);
  result.passes = a != b && same_country_ok && known_ok && allows(mine, B) && allows(theirs, A);
  return result;
}

std::vector<std::pair<std::int64_t, double>> ReferenceScorer::top_k(std::size_t a,
                                                                    std::size_t k) const {
  std::vector<std::pair<std::int64_t, double>> all;
  for (std::size_t b = 0; b < cities_.size(); ++b) {
    const PairScore s = score(a, b);
    if (s.passes) all.emplace_back(cities_[b].id, s.score);
  }
  std::sort(all.begin(), all.end(), [](const auto& x, const auto& y) {
    return x.second > y.second || (x.second == y.second && x.first < y.first);
  });
  if (all.size() > k) all.resize(k);
  return all;
}

RandomPool random_pool(std::size_t cities, std::size_t seekers, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0, 1);
  // With territories of some of them (PR and GU: US; HK: CN; GL: DK).
  const char* countries[] = {"DE", "FR", "US", "BR", "JP", "KE", "IN", "AU", "MX",
                             "PL", "EG", "CA", "PR", "GU", "HK", "CN", "GL", "DK"};
  const char* languages[] = {"en", "fr", "de", "pt", "es", "ja", "sw", "hi", "pl", "ar"};
  const char* areas[] = {"Western Europe", "Europe",       "Americas",
                         "South America",  "Eastern Asia", "Sub-Saharan Africa",
                         "Southern Asia",  "Oceania",      "Northern Africa"};
  RandomPool pool;
  for (std::size_t i = 0; i < cities; ++i) {
    if (i > 0 && unit(rng) < 0.05) {  // a clone with another id: exact ties
      libmatch::CityRecord clone = pool.cities[rng() % pool.cities.size()];
      clone.id = static_cast<std::int64_t>(1000 + 7 * i);
      clone.name = "clone " + std::to_string(i);
      pool.cities.push_back(clone);
      continue;
    }
    libmatch::CityRecord c;
    c.id = static_cast<std::int64_t>(1000 + 7 * i);
    c.name = "city " + std::to_string(i);
    c.country = countries[rng() % std::size(countries)];
    c.latitude = -89 + 178 * unit(rng);
    c.longitude = -179 + 358 * unit(rng);
    c.population = std::round(std::exp(std::log(1e3) + unit(rng) * std::log(1e4)));
    if (unit(rng) < 0.85) {
      // Shares that sum to 1, or speaker shares of a multilingual city
      // (each in [0, 1], any sum).
      const bool speakers = unit(rng) < 0.5;
      double left = 1;
      const std::size_t n = 1 + rng() % 3;
      std::set<int> used;
      for (std::size_t l = 0; l < n; ++l) {
        const int code = static_cast<int>(rng() % 10);
        if (!used.insert(code).second) continue;
        const double share = speakers ? unit(rng) : (l + 1 == n ? left : left * unit(rng));
        left -= share;
        c.languages.emplace_back(languages[code], share);
      }
    }
    if (unit(rng) < 0.8) {
      for (int k = 0; k < libmatch::kInterestCount; ++k) {
        if (unit(rng) < 0.25)
          c.interests.emplace_back(std::string(libmatch::kInterests[k]), unit(rng));
      }
    }
    pool.cities.push_back(c);
  }
  std::vector<std::size_t> order(cities);
  for (std::size_t i = 0; i < cities; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  for (std::size_t s = 0; s < std::min(seekers, cities); ++s) {
    libmatch::SeekingProfile p;
    p.city_id = pool.cities[order[s]].id;
    p.partners = 1 + static_cast<int>(rng() % 3);
    if (unit(rng) < 0.4) p.regions.push_back(areas[rng() % 9]);
    if (unit(rng) < 0.3) p.countries.push_back(countries[rng() % std::size(countries)]);
    if (unit(rng) < 0.3) p.population_min = std::exp(std::log(1e3) + unit(rng) * std::log(1e2));
    if (unit(rng) < 0.3) p.population_max = std::exp(std::log(1e5) + unit(rng) * std::log(1e2));
    if (unit(rng) < 0.3) p.languages.push_back(languages[rng() % 10]);
    if (unit(rng) < 0.4) {
      p.interests.emplace_back(std::string(libmatch::kInterests[rng() % 16]), 1.0);
      p.interests.emplace_back(std::string(libmatch::kInterests[8 + rng() % 8]), 0.5);
      if (p.interests[0].first == p.interests[1].first) p.interests.pop_back();
    }
    if (unit(rng) < 0.2) p.exclude.push_back(pool.cities[rng() % cities].id);
    p.same_country = unit(rng) < 0.2;
    pool.profiles.push_back(p);
  }
  // Partnerships: the larger a city, the more; DE-FR and US-JP more often.
  std::set<std::pair<std::int64_t, std::int64_t>> seen;
  for (std::size_t tries = 0; cities > 1 && tries < 3 * cities; ++tries) {
    const auto& x = pool.cities[rng() % cities];
    const auto& y = pool.cities[rng() % cities];
    const bool favoured = (x.country == std::string("DE") && y.country == std::string("FR")) ||
                          (x.country == std::string("US") && y.country == std::string("JP"));
    const double chance = std::min(1.0, (favoured ? 0.8 : 0.1) * std::log10(x.population) / 4);
    if (x.id == y.id || unit(rng) > chance) continue;
    if (!seen.emplace(std::min(x.id, y.id), std::max(x.id, y.id)).second) continue;
    pool.partnerships.push_back({x.id, y.id});
  }
  return pool;
}

std::vector<libmatch::CountryPairCount> country_pairs(const RandomPool& pool) {
  std::map<std::pair<std::string, std::string>, double> counts;
  std::map<std::int64_t, std::string> country;
  for (const auto& c : pool.cities) country[c.id] = c.country;
  for (const auto& p : pool.partnerships) {
    const std::string x = country[p.a], y = country[p.b];
    counts[{std::min(x, y), std::max(x, y)}] += 1;
  }
  std::vector<libmatch::CountryPairCount> out;
  for (const auto& [pair, n] : counts) out.push_back({pair.first, pair.second, n});
  return out;
}

}  // namespace reference
