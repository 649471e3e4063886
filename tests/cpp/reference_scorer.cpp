#include "reference_scorer.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

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
                                 libmatch::ScoringConfig config)
    : cities_(std::move(cities)), profiles_(std::move(profiles)), config_(config) {
  seeker_.assign(cities_.size(), static_cast<std::size_t>(-1));
  for (std::size_t s = 0; s < profiles_.size(); ++s) {
    for (std::size_t c = 0; c < cities_.size(); ++c) {
      if (cities_[c].id == profiles_[s].city_id) seeker_[c] = s;
    }
  }
}

std::size_t ReferenceScorer::seeker_of(std::size_t city) const { return seeker_[city]; }

double ReferenceScorer::direction(std::size_t a, std::size_t b,
                                  const libmatch::SeekingProfile* wants, PairScore* out) const {
  const auto& A = cities_[a];
  const auto& B = cities_[b];
  const double two_s2 = 2 * config_.population_sigma * config_.population_sigma;
  double value[5] = {}, present[5] = {};

  const double gap = std::log(A.population / B.population);
  value[0] = std::exp(-gap * gap / two_s2);
  if (config_.population_range == libmatch::RangeMode::soft && wants) {
    double outside = 0;
    if (wants->population_min && B.population < *wants->population_min) {
      outside = std::log(*wants->population_min / B.population);
    }
    if (wants->population_max && B.population > *wants->population_max) {
      outside = std::log(B.population / *wants->population_max);
    }
    value[0] *= std::exp(-outside * outside / two_s2);
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
        if (la == lb) overlap += std::sqrt(sa * sb);
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
    const double decay = std::exp(-great_circle_km(A, B) / config_.distance_scale_km);
    value[4] =
        config_.distance_preference == libmatch::DistancePreference::near ? decay : 1 - decay;
  }

  const double w[5] = {config_.weights.population, config_.weights.region, config_.weights.language,
                       config_.weights.interests, config_.weights.distance};
  double num = 0, den = 0;
  for (int c = 0; c < 5; ++c) {
    num += w[c] * present[c] * value[c];
    den += w[c] * present[c];
    if (out) {
      out->value[c] = value[c];
      out->present[c] = present[c] > 0;
    }
  }
  return den > 0 ? num / den : 0;
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
  auto allows = [&](const libmatch::SeekingProfile* p, const libmatch::CityRecord& self,
                    const libmatch::CityRecord& other) {
    if (!p) return true;
    if (self.country == other.country && !p->same_country) return false;
    if (std::find(p->exclude.begin(), p->exclude.end(), other.id) != p->exclude.end()) return false;
    if (config_.population_range == libmatch::RangeMode::hard) {
      if (p->population_min && other.population < *p->population_min) return false;
      if (p->population_max && other.population > *p->population_max) return false;
    }
    return true;
  };
  // A city that does not seek still refuses its own country by default.
  const bool same_country_ok = A.country != B.country || (mine && mine->same_country);
  result.passes = a != b && same_country_ok && allows(mine, A, B) && allows(theirs, B, A);
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
  const char* countries[] = {"DE", "FR", "US", "BR", "JP", "KE",
                             "IN", "AU", "MX", "PL", "EG", "CA"};
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
    c.country = countries[rng() % 12];
    c.latitude = -89 + 178 * unit(rng);
    c.longitude = -179 + 358 * unit(rng);
    c.population = std::round(std::exp(std::log(1e3) + unit(rng) * std::log(1e4)));
    if (unit(rng) < 0.85) {
      double left = 1;
      const std::size_t n = 1 + rng() % 3;
      std::set<int> used;
      for (std::size_t l = 0; l < n; ++l) {
        const int code = static_cast<int>(rng() % 10);
        if (!used.insert(code).second) continue;
        const double share = l + 1 == n ? left : left * unit(rng);
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
    if (unit(rng) < 0.3) p.countries.push_back(countries[rng() % 12]);
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
  return pool;
}

}  // namespace reference
