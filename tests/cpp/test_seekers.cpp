#include <algorithm>

#include <gtest/gtest.h>
#include <libmatch/libmatch.hpp>

#include "test_helpers.hpp"

using namespace libmatch;
using testing_helpers::city;

TEST(Seekers, ResolvesProfilesToPoolRows) {
  const CityTable pool = CityTable::from_records({city(10, "DE", 1e5), city(20, "FR", 2e5)});
  SeekingProfile p;
  p.city_id = 20;
  p.countries = {"de"};
  const Seekers seekers(pool, {p});
  EXPECT_EQ(seekers.size(), 1u);
  EXPECT_EQ(seekers.row(0), 1u);
  EXPECT_EQ(seekers.seeker_of_row(1), 0u);
  EXPECT_FALSE(seekers.seeker_of_row(0).has_value());
  EXPECT_EQ(seekers.profile(0).countries[0], "DE");
}

TEST(Seekers, ReportsEveryProblemAtOnce) {
  const CityTable pool = CityTable::from_records({city(10, "DE", 1e5), city(20, "FR", 2e5)});
  std::vector<SeekingProfile> profiles(8);
  profiles[0].city_id = 99;  // not in the pool
  profiles[1].city_id = 10;
  profiles[1].partners = 0;  // capacity < 1
  profiles[2].city_id = 10;  // seeks twice
  profiles[3].city_id = 20;
  profiles[3].regions = {"Narnia"};  // unknown region
  profiles[3].countries = {"QQ"};    // unknown country
  profiles[4].city_id = 20;          // seeks twice too (reported again)
  profiles[5].city_id = 20;
  profiles[5].population_min = 5e5;  // min > max
  profiles[5].population_max = 1e5;
  profiles[6].city_id = 20;
  profiles[6].exclude = {12345};  // excluded id not in the pool
  profiles[7].city_id = 20;
  profiles[7].interests = {{"astrology", 1}};  // unknown interest
  try {
    Seekers(pool, profiles);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    auto has = [&](std::size_t index, const std::string& field) {
      const auto& ps = e.problems();
      return std::any_of(ps.begin(), ps.end(),
                         [&](const Problem& p) { return p.index == index && p.field == field; });
    };
    EXPECT_TRUE(has(0, "city_id"));
    EXPECT_TRUE(has(1, "partners"));
    EXPECT_TRUE(has(2, "city_id"));
    EXPECT_TRUE(has(3, "regions"));
    EXPECT_TRUE(has(3, "countries"));
    EXPECT_TRUE(has(5, "population_min"));
    EXPECT_TRUE(has(6, "exclude"));
    EXPECT_TRUE(has(7, "interests"));
    EXPECT_NE(std::string(e.what()).find("seeker 6 (city 20)"), std::string::npos);
  }
}

// Seekers hold pool rows: a Scorer or graph refuses a pool with other ids,
// even of the same size.
TEST(Seekers, BelongToThePoolTheyWereCheckedAgainst) {
  const CityTable pool = CityTable::from_records({city(1, "DE", 1e5), city(2, "FR", 2e5)});
  const CityTable other = CityTable::from_records({city(100, "DE", 1e5), city(200, "FR", 2e5)});
  SeekingProfile p;
  p.city_id = 1;
  p.exclude = {2};
  const Seekers seekers(pool, {p});
  EXPECT_TRUE(seekers.fit(pool));
  EXPECT_TRUE(seekers.fit(CityTable::from_records({city(1, "JP", 5), city(2, "BR", 9)})));
  EXPECT_FALSE(seekers.fit(other));
  EXPECT_THROW(Scorer(other, seekers), std::invalid_argument);
}
