// Countries and world regions: ISO 3166-1 alpha-2 codes and the UN M49
// geoscheme. This is the one place that knows which country lies in which
// region; every other part of libmatch works with the small integer indices
// defined here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace libmatch {

// UN M49 continents ("regions" in M49 terms).
enum class Continent : std::uint8_t { africa, americas, asia, europe, oceania };
inline constexpr int kContinentCount = 5;

// The finest UN M49 level: the intermediate region where M49 defines one
// (e.g. "Western Africa", "South America"), the sub-region otherwise
// (e.g. "Western Europe"). Every country lies in exactly one.
struct Region {
  std::string_view name;
  // The M49 sub-region holding it ("Sub-Saharan Africa", "Latin America and
  // the Caribbean"); equal to `name` when the region is itself a sub-region.
  std::string_view subregion;
  Continent continent;
};

struct Country {
  std::string_view code;  // ISO 3166-1 alpha-2, upper case
  std::string_view name;
  std::uint8_t region;  // index into regions()
};

// The tables, in a fixed order; indices into them are stable within a build.
int region_count();
const Region& region(int index);
int country_count();
const Country& country(int index);

// Exact, case-sensitive look-ups ("DE", "Western Europe"); nullopt when
// unknown.
std::optional<int> country_index(std::string_view alpha2);
// The sovereign state a country index belongs to: itself, or for a
// dependent territory the state that holds it (PR, GU, VI -> US; HK, MO ->
// CN; GL, FO -> DK; ...: the table in sovereignty.cpp). Taiwan is its own.
int sovereign_state(int country_index);
std::optional<int> region_index(std::string_view name);

std::string_view continent_name(Continent continent);  // "Europe", ...
std::optional<Continent> continent_from_name(std::string_view name);

// Look-ups for data as people write it.
//
// A country code with surrounding whitespace and in any case (" fr ", "Fr");
// nullopt when unknown. Only ASCII letters are case-folded.
std::optional<int> find_country(std::string_view code);
// The canonical name of an area a seeker may ask for: a region, a sub-region,
// a continent, or the M49 intermediate region "Channel Islands" (Guernsey and
// Jersey; libmatch keeps them in Northern Europe). Case, surrounding and
// repeated whitespace, and a hyphen written as a space do not count
// ("south-Eastern asia", "Sub Saharan Africa"); nullopt when unknown.
std::optional<std::string_view> find_area(std::string_view name);

// Whether `name` names an area a seeker may ask for (see find_area).
bool is_area_name(std::string_view name);
// Whether the area called `name` (see find_area) contains the country with
// index `country`.
bool area_contains(std::string_view name, int country);

// A language code as CityTable and Seekers key it: its primary language
// subtag, lower-cased, so that the tags of BCP 47 and CLDR name the language
// they are a variant of ("pt-BR", "pt_PT", "PT" -> "pt"; "zh-Hant" -> "zh";
// "sr_Latn" -> "sr"). A three-letter ISO 639-2 (terminologic or
// bibliographic) or ISO 639-3 code of a language that has an ISO 639-1 code
// is read as that code ("por" and "por-BR" -> "pt"; "deu" and "ger" -> "de";
// "zho" and "chi" -> "zh"), others stay as they are ("yue", "haw"); the
// table is Debian's iso-codes data. Surrounding whitespace is ignored.
// nullopt when `code` is not 1-16 ASCII letters, digits, '-' or '_' starting
// with a letter or digit. (Not geography, but read from the same records.)
std::optional<std::string> language_key(std::string_view code);

// Why `code` or `name` is refused, for error messages: codes in common use
// that are not ISO 3166-1 alpha-2 point to the one to use ("UK": "GB"), AQ
// says that M49 gives Antarctica no region, a near miss of an area name
// ("Westen Europe") asks whether the nearest name was meant ("did you mean
// 'Western Europe'?"), and any other unknown area lists every name
// find_area accepts.
std::string unknown_country_reason(std::string_view code);
std::string unknown_area_reason(std::string_view name);

}  // namespace libmatch
