#include <set>
#include <string>

#include <gtest/gtest.h>
#include <libmatch/geography.hpp>

using namespace libmatch;

TEST(Geography, EveryCountryHasOneKnownRegion) {
  ASSERT_GE(country_count(), 249);
  std::set<std::string> codes;
  for (int c = 0; c < country_count(); ++c) {
    const Country& country = libmatch::country(c);
    EXPECT_EQ(country.code.size(), 2u);
    EXPECT_TRUE(codes.insert(std::string(country.code)).second) << country.code;
    ASSERT_LT(country.region, region_count());
    EXPECT_EQ(country_index(country.code), c);
  }
}

TEST(Geography, KnowsTheM49Hierarchy) {
  EXPECT_EQ(region_count(), 22);
  auto region_of = [](const char* code) { return region(country(*country_index(code)).region); };
  EXPECT_EQ(region_of("DE").name, "Western Europe");
  EXPECT_EQ(region_of("GB").name, "Northern Europe");
  EXPECT_EQ(region_of("BR").name, "South America");
  EXPECT_EQ(region_of("BR").subregion, "Latin America and the Caribbean");
  EXPECT_EQ(region_of("KE").subregion, "Sub-Saharan Africa");
  EXPECT_EQ(region_of("JP").continent, Continent::asia);
  EXPECT_EQ(region_of("US").name, "Northern America");
  EXPECT_EQ(region_of("NZ").continent, Continent::oceania);
}

TEST(Geography, AreasAreRegionsSubregionsOrContinents) {
  const int de = *country_index("DE"), ke = *country_index("KE");
  EXPECT_TRUE(area_contains("Western Europe", de));
  EXPECT_TRUE(area_contains("Europe", de));
  EXPECT_FALSE(area_contains("Eastern Europe", de));
  EXPECT_TRUE(area_contains("Sub-Saharan Africa", ke));
  EXPECT_TRUE(area_contains("Eastern Africa", ke));
  EXPECT_TRUE(is_area_name("Asia"));
  EXPECT_TRUE(is_area_name("Latin America and the Caribbean"));
  EXPECT_FALSE(is_area_name("Atlantis"));
  EXPECT_FALSE(country_index("XX").has_value());
  EXPECT_FALSE(country_index("de").has_value());  // look-ups are exact; CityTable normalises
  EXPECT_EQ(continent_from_name("Europe"), Continent::europe);
}
