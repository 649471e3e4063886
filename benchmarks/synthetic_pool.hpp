// Synthetic pools with realistic shapes: heavy-tailed populations, cities
// clustered in countries of very different sizes, each country with its
// own language mix, interests on some cities only.
#pragma once

#include <cstdint>
#include <vector>

#include <libmatch/libmatch.hpp>

namespace bench {

struct SyntheticPool {
  std::vector<libmatch::CityRecord> cities;
  std::vector<libmatch::SeekingProfile> profiles;  // the first `seekers` cities
};

SyntheticPool synthetic_pool(std::size_t cities, std::size_t seekers, std::uint32_t seed = 42);

}  // namespace bench
