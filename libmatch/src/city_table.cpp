#include "libmatch/city_table.hpp"

#include <algorithm>

#include "libmatch/geography.hpp"

#include "validation.hpp"

namespace libmatch {
namespace {

// Tags compared for "listed twice": "pt-BR" and "pt_br" are one tag, and so
// are "por-BR" and "pt-BR" (the primary subtag as language_key() reads it).
std::string tag_of(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == ' ' || c == '\t') continue;
    out += c == '_' ? '-' : detail::ascii_lower(c);
  }
  const std::size_t end = out.find('-');
  if (const std::optional<std::string> primary = language_key(out.substr(0, end))) {
    out = *primary + (end == std::string::npos ? "" : out.substr(end));
  }
  return out;
}

}  // namespace

CityTable CityTable::from_records(const std::vector<CityRecord>& records,
                                  const std::vector<Partnership>& partnerships) {
  detail::ProblemList problems;
  CityTable table;
  const std::size_t n = records.size();
  table.ids_.reserve(n);
  table.names_.reserve(n);
  table.countries_.reserve(n);
  table.latitudes_.reserve(n);
  table.longitudes_.reserve(n);
  table.populations_.reserve(n);
  table.interests_.reserve(n);
  table.language_offsets_.reserve(n + 1);
  table.language_offsets_.push_back(0);
  table.rows_by_id_.reserve(n);

  for (std::size_t row = 0; row < n; ++row) {
    const CityRecord& r = records[row];
    const std::string label = "city " + std::to_string(r.id) + " (row " + std::to_string(row) + ")";
    auto problem = [&](std::string field, std::string value, std::string reason) {
      problems.add(label, row, std::move(field), std::move(value), std::move(reason));
    };

    auto [it, inserted] = table.rows_by_id_.emplace(r.id, static_cast<std::uint32_t>(row));
    if (!inserted) {
      problem("id", std::to_string(r.id),
              "duplicate id: row " + std::to_string(it->second) + " has the same id");
    }

    const std::optional<int> country = find_country(r.country);
    if (!country) problem("country", r.country, unknown_country_reason(r.country));
    if (!r.region.empty()) {
      const std::optional<std::string_view> area = find_area(r.region);
      if (!area) {
        problem("region", r.region, unknown_area_reason(r.region));
      } else if (country && !area_contains(*area, *country)) {
        const Country& c = libmatch::country(*country);
        problem("region", r.region,
                "does not contain country " + std::string(c.code) + " (in " +
                    std::string(region(c.region).name) + ")");
      }
    }

    if (!detail::is_finite(r.latitude)) {
      problem("latitude", detail::to_text(r.latitude), "not a finite number");
    } else if (r.latitude < -90 || r.latitude > 90) {
      problem("latitude", detail::to_text(r.latitude), "outside [-90, 90]");
    }
    if (!detail::is_finite(r.longitude)) {
      problem("longitude", detail::to_text(r.longitude), "not a finite number");
    } else if (r.longitude < -180 || r.longitude > 180) {
      problem("longitude", detail::to_text(r.longitude), "outside [-180, 180]");
    }
    if (!detail::is_finite(r.population)) {
      problem("population", detail::to_text(r.population), "not a finite number");
    } else if (r.population <= 0) {
      problem("population", detail::to_text(r.population), "must be > 0");
    }

    // Each language keyed by its primary subtag, so "pt-BR" and "pt" are one
    // language. Variants of one language ("sr" and "sr_Latn" in CLDR) count
    // the people who speak it, not separate groups: it takes their largest
    // share. The same tag twice is a mistake.
    std::vector<std::string> tags;  // every valid tag so far, zero shares included
    std::vector<std::pair<std::string, double>> folded;  // (language, share), in input order
    std::vector<bool> folded_ok;
    for (const auto& [raw_code, share] : r.languages) {
      const std::optional<std::string> lang = language_key(raw_code);
      const std::string field = "languages." + raw_code;
      bool ok = true;
      if (!lang) {
        problem("languages", raw_code, "not a language code such as 'en', 'pt' or 'pt-BR'");
        ok = false;
      } else if (const std::string tag = tag_of(raw_code);
                 std::find(tags.begin(), tags.end(), tag) != tags.end()) {
        problem(field, detail::to_text(share), "language listed twice");
        ok = false;
      } else {
        tags.push_back(tag);
      }
      if (!detail::is_finite(share) || share < 0 || share > 1) {
        problem(field, detail::to_text(share), "share must be in [0, 1]");
        ok = false;
      }
      // Shares are of the people who speak each language: bilingual people
      // count once per language, so the shares may sum above 1.
      const double counted = detail::is_finite(share) ? std::clamp(share, 0.0, 1.0) : 0.0;
      const std::string key = lang ? *lang : "\x01" + raw_code;  // a bad code is its own language
      auto same = std::find_if(folded.begin(), folded.end(),
                               [&](const auto& entry) { return entry.first == key; });
      if (same == folded.end()) {
        folded.emplace_back(key, counted);
        folded_ok.push_back(ok);
      } else {
        const std::size_t at = static_cast<std::size_t>(same - folded.begin());
        same->second = std::max(same->second, counted);
        folded_ok[at] = folded_ok[at] && ok;
      }
    }
    std::vector<std::pair<std::int32_t, float>> languages;
    for (std::size_t i = 0; i < folded.size(); ++i) {
      if (!folded_ok[i]) continue;
      const std::string& lang = folded[i].first;
      std::optional<int> index = table.language_index(lang);
      if (!index) {
        index = static_cast<int>(table.language_codes_.size());
        table.language_codes_.push_back(lang);
        table.languages_by_code_.emplace(lang, *index);
      }
      if (folded[i].second > 0) {
        languages.emplace_back(*index, static_cast<float>(folded[i].second));
      }
    }
    std::sort(languages.begin(), languages.end());

    std::array<double, kInterestCount> weights{};
    std::array<bool, kInterestCount> seen{};
    for (const auto& [interest, weight] : r.interests) {
      const std::optional<int> index = find_interest(interest);
      if (!index) {
        problem("interests", interest, unknown_interest_reason(interest));
        continue;
      }
      if (seen[*index]) {
        problem("interests." + interest, detail::to_text(weight), "interest listed twice");
      }
      seen[*index] = true;
      if (!detail::is_finite(weight) || weight < 0) {
        problem("interests." + interest, detail::to_text(weight), "weight must be finite and >= 0");
        continue;
      }
      weights[*index] = weight;
    }
    // Only ratios count (the cosine): relative to the largest, any finite
    // weights fit a float.
    const double largest = *std::max_element(weights.begin(), weights.end());
    std::array<float, kInterestCount> interests{};
    for (int i = 0; largest > 0 && i < kInterestCount; ++i) {
      interests[i] = static_cast<float>(weights[i] / largest);
    }

    table.ids_.push_back(r.id);
    table.names_.push_back(r.name);
    table.countries_.push_back(static_cast<std::int16_t>(country.value_or(0)));
    table.latitudes_.push_back(r.latitude);
    table.longitudes_.push_back(r.longitude);
    table.populations_.push_back(r.population);
    for (const auto& [index, share] : languages) {
      table.language_ids_.push_back(index);
      table.language_shares_.push_back(share);
    }
    table.language_offsets_.push_back(static_cast<std::uint32_t>(table.language_ids_.size()));
    table.interests_.push_back(interests);
  }
  table.add_partnerships(partnerships, problems);
  problems.throw_if_any();
  return table;
}

void CityTable::add_partnerships(const std::vector<Partnership>& partnerships,
                                 detail::ProblemList& problems) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ends;  // (row, partner row), both ways
  ends.reserve(2 * partnerships.size());
  std::unordered_map<std::uint64_t, std::size_t> seen;  // row pair -> first index
  for (std::size_t i = 0; i < partnerships.size(); ++i) {
    const Partnership& p = partnerships[i];
    const std::string label = "partnership " + std::to_string(i);
    const auto a = row_of(p.a), b = row_of(p.b);
    if (!a) problems.add(label, i, "a", std::to_string(p.a), "not a city of the table");
    if (!b) problems.add(label, i, "b", std::to_string(p.b), "not a city of the table");
    if (!a || !b) continue;
    if (*a == *b) {
      problems.add(label, i, "b", std::to_string(p.b), "a city cannot partner itself");
      continue;
    }
    const auto low = static_cast<std::uint64_t>(std::min(*a, *b));
    const auto high = static_cast<std::uint64_t>(std::max(*a, *b));
    const auto [it, inserted] = seen.emplace(low << 32 | high, i);
    if (!inserted) {
      problems.add(label, i, "b", std::to_string(p.b),
                   "listed twice: partnership " + std::to_string(it->second) + " is the same pair");
      continue;
    }
    ends.emplace_back(static_cast<std::uint32_t>(*a), static_cast<std::uint32_t>(*b));
    ends.emplace_back(static_cast<std::uint32_t>(*b), static_cast<std::uint32_t>(*a));
  }
  std::sort(ends.begin(), ends.end());
  partner_offsets_.assign(ids_.size() + 1, 0);
  for (const auto& [row, partner] : ends) ++partner_offsets_[row + 1];
  for (std::size_t r = 0; r < ids_.size(); ++r) partner_offsets_[r + 1] += partner_offsets_[r];
  partner_rows_.reserve(ends.size());
  for (const auto& [row, partner] : ends) partner_rows_.push_back(partner);
}

bool CityTable::are_partners(std::size_t row, std::size_t other) const {
  return std::binary_search(partners_begin(row), partners_end(row),
                            static_cast<std::uint32_t>(other));
}

std::string_view CityTable::country_code(std::size_t row) const {
  return libmatch::country(countries_[row]).code;
}

std::string_view CityTable::region_name(std::size_t row) const {
  return region(libmatch::country(countries_[row]).region).name;
}

std::vector<std::pair<int, float>> CityTable::languages(std::size_t row) const {
  std::vector<std::pair<int, float>> out;
  for (std::uint32_t i = language_offsets_[row]; i < language_offsets_[row + 1]; ++i) {
    out.emplace_back(language_ids_[i], language_shares_[i]);
  }
  return out;
}

std::optional<int> CityTable::language_index(std::string_view code) const {
  // Keyed as the records were: "pt-BR" finds "pt".
  const std::optional<std::string> key = language_key(code);
  if (!key) return std::nullopt;
  const auto it = languages_by_code_.find(*key);
  if (it == languages_by_code_.end()) return std::nullopt;
  return it->second;
}

bool CityTable::has_interests(std::size_t row) const {
  const auto& w = interests_[row];
  return std::any_of(w.begin(), w.end(), [](float x) { return x > 0; });
}

std::optional<std::size_t> CityTable::row_of(std::int64_t id) const {
  const auto it = rows_by_id_.find(id);
  if (it == rows_by_id_.end()) return std::nullopt;
  return it->second;
}

}  // namespace libmatch
