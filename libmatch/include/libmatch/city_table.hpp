// The pool of cities, stored by column. Built once from records and
// validated as a whole; afterwards every row is known to be sound, so the
// scoring engine never re-checks a value.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "libmatch/interests.hpp"

namespace libmatch {

namespace detail {
class ProblemList;
}

// One city as a caller describes it. Names are resolved and checked by
// CityTable::from_records.
struct CityRecord {
  std::int64_t id = 0;
  std::string name;
  std::string country;   // ISO 3166-1 alpha-2
  std::string region;    // UN M49 region; empty = derive from the country
  double latitude = 0;   // degrees, [-90, 90]
  double longitude = 0;  // degrees, [-180, 180]
  double population = 0;
  // Language code (ISO 639, e.g. "en", "por", "pt-BR": see language_key)
  // -> share of the population that speaks it, in [0, 1]. People who speak
  // several languages count in each, so the shares may sum above 1.
  std::vector<std::pair<std::string, double>> languages;
  // Interest name (see kInterests; any case, see find_interest) -> weight
  // >= 0. May be empty.
  std::vector<std::pair<std::string, double>> interests;
};

// A partnership the two cities have already signed, by id (either order).
struct Partnership {
  std::int64_t a = 0, b = 0;
};

// Invariants: ids unique; countries and regions known and consistent;
// coordinates in range; population finite and > 0; language shares in
// [0, 1], each language once; interest weights finite and >= 0.
class CityTable {
 public:
  // Validates every record and partnership and throws InputError listing
  // every problem. Partnerships name two different cities of the table,
  // once each; they are never proposed again (ScoringConfig::
  // exclude_known_partners) and count for the cities' activity.
  static CityTable from_records(const std::vector<CityRecord>& records,
                                const std::vector<Partnership>& partnerships = {});

  std::size_t size() const noexcept { return ids_.size(); }

  std::int64_t id(std::size_t row) const { return ids_[row]; }
  const std::string& name(std::size_t row) const { return names_[row]; }
  int country(std::size_t row) const { return countries_[row]; }  // geography.hpp index
  double latitude(std::size_t row) const { return latitudes_[row]; }
  double longitude(std::size_t row) const { return longitudes_[row]; }
  double population(std::size_t row) const { return populations_[row]; }
  std::string_view country_code(std::size_t row) const;
  std::string_view region_name(std::size_t row) const;

  // Languages of a row as (index into language_codes(), share), by index.
  std::vector<std::pair<int, float>> languages(std::size_t row) const;
  // Every language code the table uses; index = position.
  const std::vector<std::string>& language_codes() const noexcept { return language_codes_; }
  std::optional<int> language_index(std::string_view code) const;

  // Interest weights of a row relative to its largest, which is 1 (all zero
  // when it has none): only their ratios count.
  const std::array<float, kInterestCount>& interests(std::size_t row) const {
    return interests_[row];
  }
  bool has_interests(std::size_t row) const;

  std::optional<std::size_t> row_of(std::int64_t id) const;

  // Whether any partnerships were given: only then does a city's count of
  // them (zero included) say how active it is.
  bool has_partnerships() const noexcept { return !partner_rows_.empty(); }
  std::size_t partnership_count() const noexcept { return partner_rows_.size() / 2; }
  // Rows of a row's known partners, sorted.
  const std::uint32_t* partners_begin(std::size_t row) const {
    return partner_rows_.data() + partner_offsets_[row];
  }
  const std::uint32_t* partners_end(std::size_t row) const {
    return partner_rows_.data() + partner_offsets_[row + 1];
  }
  std::size_t partner_count(std::size_t row) const {
    return partner_offsets_[row + 1] - partner_offsets_[row];
  }
  bool are_partners(std::size_t row, std::size_t other) const;

 private:
  void add_partnerships(const std::vector<Partnership>& partnerships,
                        detail::ProblemList& problems);

  std::vector<std::int64_t> ids_;
  std::vector<std::string> names_;
  std::vector<std::int16_t> countries_;
  std::vector<double> latitudes_, longitudes_, populations_;
  // Languages in compressed rows: row r owns [language_offsets_[r], [r+1]).
  std::vector<std::uint32_t> language_offsets_;
  std::vector<std::int32_t> language_ids_;
  std::vector<float> language_shares_;
  std::vector<std::string> language_codes_;
  std::unordered_map<std::string, int> languages_by_code_;
  std::vector<std::array<float, kInterestCount>> interests_;
  std::unordered_map<std::int64_t, std::uint32_t> rows_by_id_;
  // Known partners in compressed rows: row r owns [partner_offsets_[r], [r+1]).
  std::vector<std::uint32_t> partner_offsets_;
  std::vector<std::uint32_t> partner_rows_;
};

}  // namespace libmatch
