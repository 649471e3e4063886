// Countries and world regions: ISO 3166-1 alpha-2 codes and the UN M49
// geoscheme. This is the one place that knows which country lies in which
// region; every other part of libmatch works with the small integer indices
// defined here.
#pragma once

#include <cstdint>
#include <optional>
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
std::optional<int> region_index(std::string_view name);

std::string_view continent_name(Continent continent);  // "Europe", ...
std::optional<Continent> continent_from_name(std::string_view name);

// Whether `name` names an area a seeker may ask for: a region, a sub-region
// or a continent.
bool is_area_name(std::string_view name);
// Whether the area called `name` contains the country with index `country`.
bool area_contains(std::string_view name, int country);

}  // namespace libmatch
