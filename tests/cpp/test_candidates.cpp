// candidates() against brute force over every pair, for random tables,
// several k, thread counts and tile sizes; determinism and cancellation.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <tuple>

#include <gtest/gtest.h>
#include <libmatch/libmatch.hpp>

#include "../../libmatch/src/engine_isa.hpp"
#include "reference_scorer.hpp"
#include "test_helpers.hpp"

using namespace libmatch;

namespace {

struct Ranked {
  std::int64_t id;
  float score;
};

// The engine's own numbers for every pair (through explain), fully sorted:
// what candidates() must return, id for id and bit for bit.
std::vector<std::vector<Ranked>> brute_force(const Scorer& scorer,
                                             const reference::RandomPool& data, std::size_t k) {
  std::vector<std::vector<Ranked>> lists;
  for (const SeekingProfile& p : data.profiles) {
    std::vector<Ranked> all;
    for (const CityRecord& b : data.cities) {
      const Explanation e = scorer.explain(p.city_id, b.id);
      if (e.passes) all.push_back({b.id, e.score});
    }
    std::sort(all.begin(), all.end(), [](const Ranked& x, const Ranked& y) {
      return x.score > y.score || (x.score == y.score && x.id < y.id);
    });
    if (all.size() > k) all.resize(k);
    lists.push_back(all);
  }
  return lists;
}

void expect_equal(const CandidateLists& got, const std::vector<std::vector<Ranked>>& want,
                  const std::string& label) {
  ASSERT_EQ(got.seeker_count(), want.size()) << label;
  for (std::size_t s = 0; s < want.size(); ++s) {
    ASSERT_EQ(got.count(s), want[s].size()) << label << " seeker " << s;
    for (std::size_t i = 0; i < want[s].size(); ++i) {
      const Candidate& c = got.begin(s)[i];
      ASSERT_EQ(c.id, want[s][i].id) << label << " seeker " << s << " rank " << i;
      ASSERT_EQ(c.score, want[s][i].score) << label << " seeker " << s << " rank " << i;
    }
  }
}

bool identical(const CandidateLists& x, const CandidateLists& y) {
  const auto& a = x.all();
  const auto& b = y.all();
  if (a.size() != b.size() || x.seeker_count() != y.seeker_count()) return false;
  for (std::size_t s = 0; s < x.seeker_count(); ++s) {
    if (x.count(s) != y.count(s)) return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].id != b[i].id || std::memcmp(&a[i].score, &b[i].score, sizeof(float)) != 0 ||
        a[i].components != b[i].components || a[i].present != b[i].present) {
      return false;
    }
  }
  return true;
}

struct Shape {
  std::size_t cities, seekers;
};

}  // namespace

class CandidatesVsBruteForce : public ::testing::TestWithParam<Shape> {};

TEST_P(CandidatesVsBruteForce, SameIdsSameOrderSameScores) {
  const Shape shape = GetParam();
  const auto data = reference::random_pool(shape.cities, shape.seekers,
                                           7u + static_cast<std::uint32_t>(shape.cities));
  const CityTable pool = CityTable::from_records(data.cities);
  const Seekers seekers(pool, data.profiles);
  ScoringConfig config;
  config.weights.distance = 0.5;
  const Scorer scorer(pool, seekers, config);
  for (std::size_t k : {1, 5, 20}) {
    const auto want = brute_force(scorer, data, k);
    for (unsigned threads : {1u, 2u, 3u}) {
      for (auto [seeker_tile, pool_tile] :
           {std::pair<std::size_t, std::size_t>{1, 16}, {7, 48}, {64, 2048}}) {
        CandidateOptions options;
        options.k = k;
        options.threads = threads;
        options.seeker_tile = seeker_tile;
        options.pool_tile = pool_tile;
        expect_equal(scorer.candidates(options), want,
                     "k=" + std::to_string(k) + " threads=" + std::to_string(threads) +
                         " tiles=" + std::to_string(seeker_tile) + "x" + std::to_string(pool_tile));
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(RandomTables, CandidatesVsBruteForce,
                         ::testing::Values(Shape{40, 40}, Shape{300, 120}, Shape{2000, 60}),
                         [](const ::testing::TestParamInfo<Shape>& shape) {
                           return std::to_string(shape.param.cities) + "cities" +
                                  std::to_string(shape.param.seekers) + "seekers";
                         });

// The engine's numbers against an independent double-precision
// implementation of the documented formulas, for every pair and option.
TEST(Candidates, AgreeWithIndependentReference) {
  const auto data = reference::random_pool(400, 150, 11);
  const CityTable pool = CityTable::from_records(data.cities);
  const Seekers seekers(pool, data.profiles);
  for (int variant = 0; variant < 4; ++variant) {
    ScoringConfig config;
    config.weights = {1.0, 0.7, 1.3, 0.9, variant % 2 ? 0.8 : 0.0};
    config.population_range = variant >= 2 ? RangeMode::soft : RangeMode::hard;
    config.reciprocity = static_cast<Reciprocity>(variant);
    config.distance_preference = variant == 3 ? DistancePreference::far : DistancePreference::near;
    config.population_sigma = 0.8 + 0.3 * variant;
    const Scorer scorer(pool, seekers, config);
    const reference::ReferenceScorer ref(data.cities, data.profiles, config);
    std::size_t checked = 0;
    for (std::size_t a = 0; a < data.cities.size(); a += 3) {
      for (std::size_t b = 0; b < data.cities.size(); ++b) {
        const Explanation e = scorer.explain(data.cities[a].id, data.cities[b].id);
        const reference::PairScore r = ref.score(a, b);
        ASSERT_EQ(e.passes, r.passes) << "pair " << a << "," << b << " variant " << variant;
        ASSERT_NEAR(e.score, r.score, 1e-6) << "pair " << a << "," << b << " variant " << variant;
        for (int c = 0; c < kComponentCount; ++c) {
          ASSERT_EQ(e.forward.present[c], r.present[c]) << "component " << c;
          ASSERT_NEAR(e.forward.value[c], r.value[c], 1e-6) << "component " << c;
        }
        ++checked;
      }
    }
    EXPECT_GT(checked, 50000u);

    // And the top-k lists: the same scores rank by rank.
    CandidateOptions options;
    options.k = 10;
    const CandidateLists lists = scorer.candidates(options);
    for (std::size_t s = 0; s < data.profiles.size(); ++s) {
      std::size_t a = 0;
      while (data.cities[a].id != data.profiles[s].city_id) ++a;
      const auto want = ref.top_k(a, options.k);
      ASSERT_EQ(lists.count(s), want.size());
      for (std::size_t i = 0; i < want.size(); ++i) {
        EXPECT_NEAR(lists.begin(s)[i].score, want[i].second, 1e-6);
      }
    }
  }
}

// candidates() skips chunks whose score bound cannot reach the k-th best;
// with small k the bound prunes most of the pool, in every configuration.
TEST(Candidates, PruningMatchesBruteForceInEveryConfiguration) {
  const auto data = reference::random_pool(700, 90, 21);
  const CityTable pool = CityTable::from_records(data.cities);
  const Seekers seekers(pool, data.profiles);
  for (int variant = 0; variant < 8; ++variant) {
    ScoringConfig config;
    config.weights = {variant == 5 ? 0.0 : 1.0, 0.6, 1.2, variant == 6 ? 0.0 : 0.8,
                      variant % 3 ? 0.9 : 0.0};
    config.population_range = variant % 2 ? RangeMode::soft : RangeMode::hard;
    config.reciprocity = static_cast<Reciprocity>(variant % 4);
    config.distance_preference = variant >= 4 ? DistancePreference::far : DistancePreference::near;
    config.distance_scale_km = variant == 7 ? 50 : 2000;
    config.population_sigma = variant == 2 ? 0.05 : 1.0;
    const Scorer scorer(pool, seekers, config);
    for (std::size_t k : {1, 4}) {
      CandidateOptions options;
      options.k = k;
      options.threads = 2;
      expect_equal(scorer.candidates(options), brute_force(scorer, data, k),
                   "variant " + std::to_string(variant) + " k=" + std::to_string(k));
    }
  }
}

// The bounds have no slack to spare where scores tie: many clones of a
// few cities, at one place, of one size, so whole chunks score the same.
TEST(Candidates, PruningKeepsExactTies) {
  reference::RandomPool data;
  const char* countries[] = {"DE", "FR", "PL"};
  for (int i = 0; i < 400; ++i) {
    CityRecord c;
    c.id = 5000 - i;  // ids fall as positions rise, so ties pull from the end
    c.name = "clone " + std::to_string(i);
    c.country = countries[i % 3];
    c.latitude = 50;
    c.longitude = 10 + (i % 2) * 1e-4;
    c.population = 1e5;
    c.languages = {{"de", 0.5}, {"fr", 0.5}};
    c.interests = {{std::string(kInterests[i % 4]), 1.0}};
    data.cities.push_back(c);
  }
  for (int i = 0; i < 60; ++i) {
    SeekingProfile p;
    p.city_id = data.cities[i * 5].id;
    if (i % 2) p.languages = {"fr"};
    if (i % 3 == 0) p.same_country = true;
    data.profiles.push_back(p);
  }
  const CityTable pool = CityTable::from_records(data.cities);
  const Seekers seekers(pool, data.profiles);
  for (bool distance : {false, true}) {
    ScoringConfig config;
    config.weights.distance = distance ? 1.0 : 0.0;
    const Scorer scorer(pool, seekers, config);
    for (std::size_t k : {1, 7, 30}) {
      CandidateOptions options;
      options.k = k;
      expect_equal(scorer.candidates(options), brute_force(scorer, data, k),
                   "distance " + std::to_string(distance) + " k=" + std::to_string(k));
    }
  }
}

// Languages by country, as in the bundled world pool, and seekers that want
// alike in runs: a seeker then reuses the chunk bounds of the one before it
// (across tile edges too), which must not change a single result.
TEST(Candidates, SeekersThatWantAlikeShareChunkBounds) {
  reference::RandomPool data;
  const char* countries[] = {"DE", "FR", "PL", "BR", "KE", "JP"};
  const std::vector<std::vector<std::pair<std::string, double>>> spoken = {
      {{"de", 0.9}},  {{"fr", 0.8}, {"de", 0.1}}, {{"pl", 0.95}},
      {{"pt", 0.97}}, {{"sw", 0.6}, {"en", 0.3}}, {{"ja", 0.99}}};
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int i = 0; i < 600; ++i) {
    CityRecord c;
    c.id = 100 + i;
    c.name = "city " + std::to_string(i);
    c.country = countries[i % 6];
    c.latitude = -30 + 90 * unit(rng);
    c.longitude = -100 + 240 * unit(rng);
    c.population = std::round(15000 + 2e6 * unit(rng));
    c.languages = spoken[i % 6];
    if (i % 4 == 0) c.interests = {{std::string(kInterests[rng() % kInterestCount]), 1.0}};
    data.cities.push_back(c);
  }
  for (int i = 0; i < 600; i += 2) {
    SeekingProfile p;
    p.city_id = data.cities[i].id;
    if ((i / 20) % 3 == 1) p.regions = {"Europe"};
    if ((i / 20) % 3 == 2) p.languages = {"fr"};
    data.profiles.push_back(p);
  }
  const CityTable pool = CityTable::from_records(data.cities);
  const Seekers seekers(pool, data.profiles);
  ScoringConfig config;
  config.weights.distance = 0.5;
  const Scorer scorer(pool, seekers, config);
  for (std::size_t k : {1, 10}) {
    const auto want = brute_force(scorer, data, k);
    for (auto [seeker_tile, pool_tile] :
         {std::pair<std::size_t, std::size_t>{1, 16}, {7, 48}, {64, 2048}}) {
      CandidateOptions options;
      options.k = k;
      options.seeker_tile = seeker_tile;
      options.pool_tile = pool_tile;
      expect_equal(scorer.candidates(options), want,
                   "k=" + std::to_string(k) + " tiles=" + std::to_string(seeker_tile) + "x" +
                       std::to_string(pool_tile));
    }
  }
}

// Every kernel variant this processor runs: its candidates are its own
// explain()'s brute force, and its scores those of the baseline to 1e-6
// (Eigen's exp fuses multiply-adds where the instruction set has them), so
// near ties may swap.
TEST(Candidates, EveryInstructionSetVariantAgrees) {
  const auto data = reference::random_pool(900, 120, 33);
  const CityTable pool = CityTable::from_records(data.cities);
  const Seekers seekers(pool, data.profiles);
  ScoringConfig config;
  config.weights.distance = 0.7;
  CandidateOptions options;
  options.k = 8;
  std::vector<CandidateLists> lists;
  for (detail::Isa isa : detail::supported_isas()) {
    detail::override_scoring_isa(isa);
    const Scorer scorer(pool, seekers, config);
    lists.push_back(scorer.candidates(options));
    expect_equal(lists.back(), brute_force(scorer, data, options.k), detail::isa_name(isa));
  }
  detail::override_scoring_isa(std::nullopt);
  // The same lists, but where two candidates' scores are within that
  // rounding of each other (a near tie), which may come first.
  for (std::size_t v = 1; v < lists.size(); ++v) {
    ASSERT_EQ(lists[v].all().size(), lists[0].all().size());
    for (std::size_t s = 0; s < lists[0].seeker_count(); ++s) {
      ASSERT_EQ(lists[v].count(s), lists[0].count(s));
      const Candidate* base = lists[0].begin(s);
      const Candidate* other = lists[v].begin(s);
      for (std::size_t i = 0; i < lists[0].count(s); ++i) {
        EXPECT_NEAR(other[i].score, base[i].score, 1e-6) << "variant " << v << " seeker " << s;
        if (other[i].id == base[i].id) continue;
        const Candidate* same = std::find_if(
            base, lists[0].end(s), [&](const Candidate& c) { return c.id == other[i].id; });
        const float its_score =
            same == lists[0].end(s) ? base[lists[0].count(s) - 1].score : same->score;
        EXPECT_NEAR(its_score, base[i].score, 2e-6) << "variant " << v << " seeker " << s;
      }
    }
  }
}

TEST(Candidates, DeterministicAcrossThreadsAndTiles) {
  const auto data = reference::random_pool(3000, 500, 5);
  const CityTable pool = CityTable::from_records(data.cities);
  const Scorer scorer(pool, Seekers(pool, data.profiles));
  CandidateOptions base;
  base.k = 15;
  base.threads = 1;
  const CandidateLists reference_lists = scorer.candidates(base);
  EXPECT_GT(reference_lists.all().size(), 0u);
  for (unsigned threads : {2u, 4u, 7u}) {
    for (std::size_t pool_tile : {16u, 100u, 4096u}) {
      CandidateOptions options = base;
      options.threads = threads;
      options.pool_tile = pool_tile;
      options.seeker_tile = threads * 3;
      EXPECT_TRUE(identical(scorer.candidates(options), reference_lists))
          << threads << " threads, pool tile " << pool_tile;
    }
  }
}

TEST(Candidates, ComponentsMatchExplain) {
  const auto data = reference::random_pool(500, 50, 3);
  const CityTable pool = CityTable::from_records(data.cities);
  const Seekers seekers(pool, data.profiles);
  const Scorer scorer(pool, seekers);
  const CandidateLists lists = scorer.candidates();
  for (std::size_t s = 0; s < seekers.size(); ++s) {
    for (const Candidate* c = lists.begin(s); c != lists.end(s); ++c) {
      const Explanation e = scorer.explain(seekers.profile(s).city_id, c->id);
      EXPECT_EQ(e.score, c->score);
      EXPECT_EQ(pool.id(c->row), c->id);
      for (int k = 0; k < kComponentCount; ++k) {
        EXPECT_EQ(e.forward.value[k], c->components[k]);
        EXPECT_EQ(e.forward.present[k], ((c->present >> k) & 1) != 0);
      }
    }
  }
}

TEST(Candidates, ProgressReportsAndCanCancel) {
  const auto data = reference::random_pool(2000, 400, 9);
  const CityTable pool = CityTable::from_records(data.cities);
  const Scorer scorer(pool, Seekers(pool, data.profiles));
  CandidateOptions options;
  options.pool_tile = 16;
  options.seeker_tile = 8;
  std::size_t last_done = 0, last_total = 0, calls = 0;
  bool monotone = true;
  options.progress = [&](std::size_t done, std::size_t total) {
    monotone = monotone && done >= last_done && done <= total;
    last_done = done;
    last_total = total;
    ++calls;
    return true;
  };
  scorer.candidates(options);
  EXPECT_TRUE(monotone);
  EXPECT_GE(calls, 2u);
  EXPECT_EQ(last_done, last_total);
  EXPECT_EQ(last_total, (400u / 8) * (2000u / 16));

  options.progress = [](std::size_t, std::size_t) { return false; };
  EXPECT_THROW(scorer.candidates(options), Cancelled);

  options.progress = [](std::size_t, std::size_t) -> bool { throw std::runtime_error("stop now"); };
  EXPECT_THROW(scorer.candidates(options), std::runtime_error);
}

TEST(Candidates, ProgressReportsTheEndOnce) {
  // Each worker that finishes wakes the reporting thread: once every tile
  // was done, each wake-up reported (total, total) again.
  const auto data = reference::random_pool(300, 300, 4);
  const CityTable pool = CityTable::from_records(data.cities);
  const Scorer scorer(pool, Seekers(pool, data.profiles));
  CandidateOptions options;
  options.threads = 2;
  options.seeker_tile = 4;
  for (int run = 0; run < 40; ++run) {
    int ends = 0;
    options.progress = [&](std::size_t done, std::size_t total) {
      ends += done == total;
      return true;
    };
    scorer.candidates(options);
    ASSERT_EQ(ends, 1) << "run " << run;
  }
}

TEST(Candidates, OptionsAreValidated) {
  const auto data = reference::random_pool(20, 5, 1);
  const CityTable pool = CityTable::from_records(data.cities);
  const Scorer scorer(pool, Seekers(pool, data.profiles));
  CandidateOptions options;
  options.k = 0;
  options.pool_tile = 0;
  try {
    scorer.candidates(options);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.problems().size(), 2u);
  }
}

// k and tiles beyond the problem's size mean all of it.
TEST(Candidates, OversizedOptionsMeanTheWholeProblem) {
  const auto data = reference::random_pool(60, 12, 4);
  const CityTable pool = CityTable::from_records(data.cities);
  const Scorer scorer(pool, Seekers(pool, data.profiles));
  CandidateOptions all;
  all.k = pool.size();
  const CandidateLists want = scorer.candidates(all);
  const std::size_t most = std::numeric_limits<std::size_t>::max();
  for (auto [k, seeker_tile, pool_tile] : {std::tuple{most, std::size_t{64}, std::size_t{2048}},
                                           std::tuple{pool.size(), most, std::size_t{2048}},
                                           std::tuple{pool.size(), std::size_t{64}, most}}) {
    CandidateOptions options;
    options.k = k;
    options.seeker_tile = seeker_tile;
    options.pool_tile = pool_tile;
    EXPECT_TRUE(identical(scorer.candidates(options), want));
  }
}

TEST(Candidates, EmptyInputsGiveEmptyLists) {
  const CityTable pool = CityTable::from_records({});
  EXPECT_EQ(candidates(pool, Seekers(pool, {})).seeker_count(), 0u);
}

TEST(Candidates, PruningIsSafeForHugePopulations) {
  // The bounds take log populations in float: near ln 1e300 = 690.8 its
  // spacing (6e-5) passes the fixed slack, and with a small sigma the bound
  // fell below the true score, pruning the chunk that held the best city.
  const double populations[17] = {
      1.0001260166110846e+300, 9.9994121865540154e+299, 1.0002012174204406e+300,
      1.0001507366448834e+300, 1.0000790819460005e+300, 9.9976509750788411e+299,
      1.0001149601497812e+300, 1.0001367340569399e+300, 1.000188519418615e+300,
      1.00017171285657e+300,   1.0001129029536589e+300, 9.9988315059998381e+299,
      1.0000036985900454e+300, 1.0001254564843037e+300, 1.0001609947424713e+300,
      9.9980841791493133e+299, 1.0000236781387846e+300};
  std::vector<CityRecord> cities;
  for (int i = 0; i < 17; ++i) cities.push_back(testing_helpers::city(i + 1, "FR", populations[i]));
  SeekingProfile p;
  p.city_id = 9;
  p.same_country = true;
  ScoringConfig config;
  config.weights = {1, 0, 0, 0, 0};
  config.population_sigma = 0.00024881520416658478;
  const CityTable pool = CityTable::from_records(cities);
  const Scorer scorer(pool, Seekers(pool, {p}), config);
  CandidateOptions options;
  options.k = 1;
  const CandidateLists lists = scorer.candidates(options);
  std::int64_t best = 0;
  float best_score = -1;
  for (const CityRecord& b : cities) {
    const Explanation e = scorer.explain(9, b.id);
    if (e.passes && (e.score > best_score || (e.score == best_score && b.id < best))) {
      best = b.id;
      best_score = e.score;
    }
  }
  ASSERT_EQ(lists.count(0), 1u);
  EXPECT_EQ(lists.begin(0)->id, best);
  EXPECT_EQ(lists.begin(0)->score, best_score);
}

// A sister-city tie joins two countries: by default a territory is of the
// state that holds it (San Juan is not foreign to Chicago, nor Hong Kong to
// Shanghai), and Taiwan is its own; compare_sovereign_states = false
// compares the ISO codes.
TEST(Candidates, TerritoriesAreOfTheirState) {
  const auto place = [](std::int64_t id, const char* name, const char* code, double lat,
                        double lon) {
    return CityRecord{id, name, code, "", lat, lon, 2e6, {}, {}};
  };
  const CityTable pool = CityTable::from_records(
      {place(1, "Chicago", "US", 41.88, -87.63), place(2, "San Juan", "PR", 18.47, -66.11),
       place(3, "Shanghai", "CN", 31.23, 121.47), place(4, "Hong Kong", "HK", 22.32, 114.17),
       place(5, "Taipei", "TW", 25.03, 121.57), place(6, "Lyon", "FR", 45.76, 4.84)});
  SeekingProfile chicago, shanghai;
  chicago.city_id = 1;
  chicago.partners = 5;
  shanghai.city_id = 3;
  shanghai.partners = 5;
  const Seekers seekers(pool, {chicago, shanghai});
  CandidateOptions options;
  options.k = 10;
  const auto ids = [&](const Scorer& scorer, std::size_t seeker) {
    std::vector<std::int64_t> out;
    const CandidateLists lists = scorer.candidates(options);
    for (auto c = lists.begin(seeker); c != lists.end(seeker); ++c) out.push_back(c->id);
    std::sort(out.begin(), out.end());
    return out;
  };
  const Scorer states(pool, seekers, ScoringConfig{});
  EXPECT_EQ(ids(states, 0), (std::vector<std::int64_t>{3, 4, 5, 6}));
  EXPECT_EQ(ids(states, 1), (std::vector<std::int64_t>{1, 2, 5, 6}));
  const Explanation e = states.explain(1, 2);
  EXPECT_FALSE(e.passes);
  const auto filter = std::find_if(e.filters.begin(), e.filters.end(), [](const auto& f) {
    return f.name == "same_country" && f.side == "a";
  });
  ASSERT_NE(filter, e.filters.end());
  EXPECT_FALSE(filter->passed);
  EXPECT_EQ(filter->detail, "one sovereign state (US and PR), which a does not accept");

  ScoringConfig iso;
  iso.compare_sovereign_states = false;
  const Scorer codes(pool, seekers, iso);
  EXPECT_EQ(ids(codes, 0), (std::vector<std::int64_t>{2, 3, 4, 5, 6}));
  EXPECT_EQ(ids(codes, 1), (std::vector<std::int64_t>{1, 2, 4, 5, 6}));
  EXPECT_TRUE(codes.explain(1, 2).passes);
}
