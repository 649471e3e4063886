#include "engine.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <limits>
#include <mutex>
#include <numeric>
#include <thread>
#include <tuple>

#include "libmatch/error.hpp"
#include "libmatch/geography.hpp"

#include "validation.hpp"

namespace libmatch::detail {
namespace {

constexpr double kEarthRadiusKm = 6371.0088;  // IUGG mean radius
constexpr float kInfinity = std::numeric_limits<float>::infinity();

std::size_t round_up(std::size_t n, std::size_t multiple) {
  return (n + multiple - 1) / multiple * multiple;
}

// asin on [0, 1] (Cephes asinf); Eigen 3.4 has no vectorised asin, and its
// select() is scalar, so the two ranges are blended by a 0/1 mask, which is
// exact: one term is always a zero.
EIGEN_STRONG_INLINE Lanes asin_unit(const Lanes& x) {
  const Lanes big = ((x - 0.5f) * 1e30f).max(0.0f).min(1.0f);  // 1 where x > 0.5
  const Lanes small = 1.0f - big;
  const Lanes z = big * (0.5f * (1.0f - x)) + small * (x * x);
  const Lanes s = big * z.sqrt() + small * x;
  const Lanes p =
      ((((4.2163199048e-2f * z + 2.4181311049e-2f) * z + 4.5470025998e-2f) * z + 7.4953002686e-2f) *
           z +
       1.6666752422e-1f) *
          z * s +
      s;
  return big * (static_cast<float>(M_PI_2) - 2.0f * p) + small * p;
}

// Added to each component's upper bound: far above the kernel's rounding
// and the error of its exp and asin approximations.
constexpr float kSlack = 1e-5f;

// An upper bound of exp(-x) for x >= 0: exp(x) is at least its Taylor
// polynomial of degree 4.
template <typename T>
EIGEN_STRONG_INLINE T exp_upper(const T& x) {
  return 1.0f / (1.0f + x * (1.0f + x * (0.5f + x * (1.0f / 6 + x * (1.0f / 24)))));
}

// One optional component of a weighted mean, for kLanes chunks: its
// weight, an upper bound of its value, and the lowest and highest of its
// presence flag (0 or 1) over each chunk's lanes.
struct Optional {
  float weight;
  Lanes value, low, high;
};

// The largest weighted mean (numerator + sum of w v) / (denominator + sum
// of w) over the presence patterns that some lane of each chunk may have.
template <std::size_t N>
EIGEN_STRONG_INLINE Lanes largest_mean(const Lanes& numerator, const Lanes& denominator,
                                       const std::array<Optional, N>& options) {
  Lanes best = Lanes::Zero();
  for (unsigned mask = 0; mask < (1u << N); ++mask) {
    // Flags are 0 or 1: products and complements stay in vector registers.
    Lanes n = numerator, d = denominator, possible = Lanes::Ones();
    for (std::size_t i = 0; i < N; ++i) {
      if (mask & (1u << i)) {
        n += options[i].weight * options[i].value;
        d += options[i].weight;
        possible *= options[i].high;
      } else {
        possible *= 1.0f - options[i].low;
      }
    }
    best = best.max(n / d.max(1e-30f) * possible);
  }
  return best;
}

struct Entry {
  float score;
  std::int64_t id;
  std::uint32_t position;
};

// The ranking order: higher score first, ties to the lower id.
bool better(const Entry& x, const Entry& y) {
  return x.score > y.score || (x.score == y.score && x.id < y.id);
}

// Bounded top-k: a heap whose front is the worst entry kept.
class TopK {
 public:
  explicit TopK(std::size_t k) : k_(k) { entries_.reserve(k); }
  bool full() const { return entries_.size() == k_; }
  const Entry& worst() const { return entries_.front(); }
  void offer(const Entry& e) {
    if (!full()) {
      entries_.push_back(e);
      std::push_heap(entries_.begin(), entries_.end(), better);
    } else if (better(e, worst())) {
      std::pop_heap(entries_.begin(), entries_.end(), better);
      entries_.back() = e;
      std::push_heap(entries_.begin(), entries_.end(), better);
    }
  }
  std::vector<Entry> sorted() && {
    std::sort(entries_.begin(), entries_.end(), better);
    return std::move(entries_);
  }

 private:
  std::size_t k_;
  std::vector<Entry> entries_;
};

Wants resolve_wants(const SeekingProfile& profile, const CityTable& pool,
                    const std::vector<std::uint32_t>& position_of_row) {
  Wants w;
  w.any_region = profile.regions.empty() && profile.countries.empty();
  for (int c = 0; c < country_count(); ++c) {
    bool hit = std::any_of(profile.countries.begin(), profile.countries.end(),
                           [&](const std::string& code) { return country(c).code == code; });
    for (const std::string& area : profile.regions) hit = hit || area_contains(area, c);
    w.full[c] = hit;
  }
  std::array<bool, kContinentCount> continents{};
  for (int c = 0; c < country_count(); ++c) {
    if (w.full[c]) continents[static_cast<int>(region(country(c).region).continent)] = true;
  }
  for (int c = 0; c < country_count(); ++c) {
    w.partial[c] = !w.full[c] && continents[static_cast<int>(region(country(c).region).continent)];
  }
  w.population_min = profile.population_min.value_or(-1.0);
  w.population_max = profile.population_max.value_or(std::numeric_limits<double>::infinity());
  w.log_min = profile.population_min && *profile.population_min > 0
                  ? static_cast<float>(std::log(*profile.population_min))
                  : -kInfinity;
  w.log_max = profile.population_max && *profile.population_max > 0
                  ? static_cast<float>(std::log(*profile.population_max))
                  : (profile.population_max ? -kInfinity : kInfinity);
  for (const std::string& code : profile.languages) {
    // A language nobody in the pool speaks can never be met: no index.
    if (const auto index = pool.language_index(code)) w.languages.push_back(*index);
  }
  std::sort(w.languages.begin(), w.languages.end());
  w.languages.erase(std::unique(w.languages.begin(), w.languages.end()), w.languages.end());
  for (std::int64_t id : profile.exclude) w.excluded.push_back(position_of_row[*pool.row_of(id)]);
  std::sort(w.excluded.begin(), w.excluded.end());
  w.same_country = profile.same_country;
  return w;
}

}  // namespace

Engine::Engine(const CityTable& pool, const Seekers& seekers, const ScoringConfig& config)
    : config_(config) {
  config_.validate();
  if (seekers.pool_size() != pool.size()) {
    throw std::invalid_argument("libmatch: the Seekers were validated against another pool");
  }
  inv_two_sigma2_ =
      static_cast<float>(1.0 / (2.0 * config.population_sigma * config.population_sigma));
  inv_distance_scale_ = static_cast<float>(-1.0 / config.distance_scale_km);
  const Weights& w = config.weights;
  weights_ = {static_cast<float>(w.population), static_cast<float>(w.region),
              static_cast<float>(w.language), static_cast<float>(w.interests),
              static_cast<float>(w.distance)};
  size_ = pool.size();
  padded_ = round_up(std::max<std::size_t>(size_, 1), kLanes);
  language_count_ = pool.language_codes().size();

  // A seeker's own interests replace the city's: they are what it wants to
  // work on, and the cosine is symmetric, so both directions use them.
  auto interest_weights = [&](std::size_t r) {
    std::array<double, kInterestCount> weights{};
    const auto seeker = seekers.seeker_of_row(r);
    if (seeker && !seekers.profile(*seeker).interests.empty()) {
      for (const auto& [name, weight] : seekers.profile(*seeker).interests) {
        weights[*interest_index(name)] = weight;
      }
    } else {
      std::copy(pool.interests(r).begin(), pool.interests(r).end(), weights.begin());
    }
    return weights;
  };
  // Cities of one country sit together, so a chunk's cities share language
  // lists and the slot layout below stays narrow; then by strongest interest
  // and by population, so a chunk's interests and population range are
  // alike and bound well.
  std::vector<std::tuple<int, int, double>> key(size_);
  for (std::size_t r = 0; r < size_; ++r) {
    const auto weights = interest_weights(r);
    const auto strongest = std::max_element(weights.begin(), weights.end());
    key[r] = {pool.country(r), *strongest > 0 ? static_cast<int>(strongest - weights.begin()) : -1,
              pool.population(r)};
  }
  std::vector<std::uint32_t> order(size_);
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t x, std::uint32_t y) { return key[x] < key[y]; });
  const auto none = std::numeric_limits<std::uint32_t>::max();
  row_.assign(padded_, none);
  position_.assign(size_, 0);
  id_.assign(padded_, std::numeric_limits<std::int64_t>::max());
  country_.assign(padded_, 0);
  population_.assign(padded_, 1.0);
  log_population_.assign(padded_, 0.0);
  log_population_float_.assign(padded_, 0.0f);
  interests_.assign(padded_ * kInterestCount, 0.0f);
  unit_.assign(padded_ * 3, 0.0f);
  has_interests_.assign(padded_, 0.0f);
  has_languages_.assign(padded_, 0.0f);
  valid_.assign(padded_, 0.0f);
  seeker_of_.assign(padded_, -1);
  for (std::size_t p = 0; p < size_; ++p) {
    row_[p] = order[p];
    position_[order[p]] = static_cast<std::uint32_t>(p);
  }

  for (std::size_t p = 0; p < size_; ++p) {
    const std::size_t r = row_[p];
    const std::size_t chunk = p / kLanes, lane = p % kLanes;
    id_[p] = pool.id(r);
    valid_[p] = 1.0f;
    country_[p] = static_cast<std::int16_t>(pool.country(r));
    population_[p] = pool.population(r);
    log_population_[p] = std::log(pool.population(r));
    log_population_float_[p] = static_cast<float>(log_population_[p]);

    const std::array<double, kInterestCount> weights = interest_weights(r);
    double norm = 0;
    for (double x : weights) norm += x * x;
    norm = std::sqrt(norm);
    if (norm > 0) {
      has_interests_[p] = 1.0f;
      for (int i = 0; i < kInterestCount; ++i) {
        interests_[(chunk * kInterestCount + i) * kLanes + lane] =
            static_cast<float>(weights[i] / norm);
      }
    }
    const double lat = pool.latitude(r) * M_PI / 180.0, lon = pool.longitude(r) * M_PI / 180.0;
    const double xyz[3] = {std::cos(lat) * std::cos(lon), std::cos(lat) * std::sin(lon),
                           std::sin(lat)};
    for (int k = 0; k < 3; ++k) unit_[(chunk * 3 + k) * kLanes + lane] = static_cast<float>(xyz[k]);
    has_languages_[p] = pool.languages(r).empty() ? 0.0f : 1.0f;
  }

  const std::size_t chunks = padded_ / kLanes;
  // Language slots: chunk c has as many slot rows as its most multilingual
  // city; empty slots point at the zero entry past the last language.
  slot_begin_.assign(chunks + 1, 0);
  for (std::size_t c = 0; c < chunks; ++c) {
    std::size_t width = 0;
    std::array<std::vector<std::pair<int, float>>, kLanes> lists;
    for (int lane = 0; lane < kLanes; ++lane) {
      const std::size_t p = c * kLanes + lane;
      if (p < size_) lists[lane] = pool.languages(row_[p]);
      width = std::max(width, lists[lane].size());
    }
    slot_begin_[c + 1] = slot_begin_[c] + static_cast<std::uint32_t>(width);
    for (std::size_t s = 0; s < width; ++s) {
      for (int lane = 0; lane < kLanes; ++lane) {
        const bool used = s < lists[lane].size();
        slot_language_.push_back(used ? lists[lane][s].first
                                      : static_cast<std::int32_t>(language_count_));
        const float share = used ? lists[lane][s].second : 0.0f;
        slot_share_.push_back(share);
        slot_sqrt_share_.push_back(std::sqrt(share));
      }
    }
  }

  by_id_.reserve(size_);
  for (std::size_t p = 0; p < size_; ++p)
    by_id_.emplace_back(id_[p], static_cast<std::uint32_t>(p));
  std::sort(by_id_.begin(), by_id_.end());
  no_wants_.population_max = std::numeric_limits<double>::infinity();
  no_wants_.log_min = -kInfinity;
  no_wants_.log_max = kInfinity;

  back_min_.assign(padded_, -1.0);
  back_max_.assign(padded_, std::numeric_limits<double>::infinity());
  back_log_min_.assign(padded_, -kInfinity);
  back_log_max_.assign(padded_, kInfinity);
  wants_.reserve(seekers.size());
  seeks_.assign(padded_, 0.0f);
  back_same_country_.assign(padded_, 1.0f);
  back_region_present_.assign(padded_, 0.0f);
  back_wants_languages_.assign(padded_, 0.0f);
  chunk_has_seeker_.assign(chunks, 0);
  for (std::size_t s = 0; s < seekers.size(); ++s) {
    const std::uint32_t p = position_[seekers.row(s)];
    wants_.push_back(resolve_wants(seekers.profile(s), pool, position_));
    const Wants& resolved = wants_.back();
    seeker_position_.push_back(p);
    seeker_of_[p] = static_cast<std::int32_t>(s);
    back_min_[p] = resolved.population_min;
    back_max_[p] = resolved.population_max;
    back_log_min_[p] = resolved.log_min;
    back_log_max_[p] = resolved.log_max;
    seeks_[p] = 1.0f;
    back_same_country_[p] = resolved.same_country ? 1.0f : 0.0f;
    back_region_present_[p] = resolved.any_region ? 0.0f : 1.0f;
    back_wants_languages_[p] = resolved.languages.empty() ? 0.0f : 1.0f;
    chunk_has_seeker_[p / kLanes] = 1;
  }
  seeker_order_.resize(seekers.size());
  std::iota(seeker_order_.begin(), seeker_order_.end(), 0u);
  std::sort(seeker_order_.begin(), seeker_order_.end(), [&](std::uint32_t x, std::uint32_t y) {
    return seeker_position_[x] < seeker_position_[y];
  });
  want_slot_begin_.assign(chunks + 1, 0);
  for (std::size_t c = 0; c < chunks; ++c) {
    std::size_t width = 0;
    for (int lane = 0; lane < kLanes; ++lane) {
      const std::int32_t s = seeker_of_[c * kLanes + lane];
      if (s >= 0) width = std::max(width, wants_[s].languages.size());
    }
    want_slot_begin_[c + 1] = want_slot_begin_[c] + static_cast<std::uint32_t>(width);
    for (std::size_t slot = 0; slot < width; ++slot) {
      for (int lane = 0; lane < kLanes; ++lane) {
        const std::int32_t s = seeker_of_[c * kLanes + lane];
        const bool used = s >= 0 && slot < wants_[s].languages.size();
        want_slot_language_.push_back(used ? wants_[s].languages[slot]
                                           : static_cast<std::int32_t>(language_count_));
      }
    }
  }

  chunk_bounds_.resize(chunks);
  ranges_.stride = chunks + kLanes;
  for (auto* range : {&ranges_.log_population_min, &ranges_.log_population_max}) {
    range->assign(ranges_.stride, 0.0f);
  }
  for (int k = 0; k < 3; ++k) {
    ranges_.box_min[k].assign(ranges_.stride, 0.0f);
    ranges_.box_max[k].assign(ranges_.stride, 0.0f);
  }
  ranges_.interest_max.assign(kInterestCount * ranges_.stride, 0.0f);
  for (auto* flag : {&ranges_.has_languages, &ranges_.has_interests, &ranges_.seeks,
                     &ranges_.back_region_present}) {
    (*flag)[0].assign(ranges_.stride, 0.0f);
    (*flag)[1].assign(ranges_.stride, 0.0f);
  }
  for (std::size_t c = 0; c < chunks; ++c) {
    ChunkBound& bound = chunk_bounds_[c];
    const std::size_t first = c * kLanes, last = std::min(first + kLanes, size_);
    bound.population_min = bound.back_min_low = kInfinity;
    bound.population_max = bound.back_max_high = -kInfinity;
    ranges_.log_population_min[c] = kInfinity;
    ranges_.log_population_max[c] = -kInfinity;
    for (int k = 0; k < 3; ++k) {
      ranges_.box_min[k][c] = kInfinity;
      ranges_.box_max[k][c] = -kInfinity;
    }
    for (auto* flag : {&ranges_.has_languages, &ranges_.has_interests, &ranges_.seeks,
                       &ranges_.back_region_present}) {
      (*flag)[0][c] = 1.0f;
    }
    auto widen = [&](std::array<std::vector<float>, 2>& range, float x) {
      range[0][c] = std::min(range[0][c], x);
      range[1][c] = std::max(range[1][c], x);
    };
    bound.countries_begin = static_cast<std::uint32_t>(chunk_countries_.size());
    bound.languages_begin = static_cast<std::uint32_t>(chunk_languages_.size());
    bound.wanted_begin = static_cast<std::uint32_t>(chunk_wanted_.size());
    for (std::size_t p = first; p < last; ++p) {
      const std::size_t lane = p % kLanes;
      ranges_.log_population_min[c] =
          std::min(ranges_.log_population_min[c], log_population_float_[p]);
      ranges_.log_population_max[c] =
          std::max(ranges_.log_population_max[c], log_population_float_[p]);
      for (int i = 0; i < kInterestCount; ++i) {
        float& most = ranges_.interest_max[i * ranges_.stride + c];
        most = std::max(most, interests_[(c * kInterestCount + i) * kLanes + lane]);
      }
      widen(ranges_.has_languages, has_languages_[p]);
      widen(ranges_.has_interests, has_interests_[p]);
      widen(ranges_.seeks, seeks_[p]);
      widen(ranges_.back_region_present, back_region_present_[p]);
      bound.population_min = std::min(bound.population_min, population_[p]);
      bound.population_max = std::max(bound.population_max, population_[p]);
      bound.back_min_low = std::min(bound.back_min_low, back_min_[p]);
      bound.back_max_high = std::max(bound.back_max_high, back_max_[p]);
      for (int k = 0; k < 3; ++k) {
        const float x = unit_[(c * 3 + k) * kLanes + lane];
        ranges_.box_min[k][c] = std::min(ranges_.box_min[k][c], x);
        ranges_.box_max[k][c] = std::max(ranges_.box_max[k][c], x);
      }
      if (std::find(chunk_countries_.begin() + bound.countries_begin, chunk_countries_.end(),
                    country_[p]) == chunk_countries_.end()) {
        chunk_countries_.push_back(country_[p]);
      }
      for (std::uint32_t s = slot_begin_[c]; s < slot_begin_[c + 1]; ++s) {
        const std::size_t slot = s * kLanes + lane;
        if (slot_language_[slot] == static_cast<std::int32_t>(language_count_)) continue;
        const auto known = std::find_if(
            chunk_languages_.begin() + bound.languages_begin, chunk_languages_.end(),
            [&](const ChunkLanguage& l) { return l.language == slot_language_[slot]; });
        if (known == chunk_languages_.end()) {
          chunk_languages_.push_back(
              {slot_language_[slot], slot_sqrt_share_[slot], slot_share_[slot]});
        } else {
          known->sqrt_share = std::max(known->sqrt_share, slot_sqrt_share_[slot]);
          known->share = std::max(known->share, slot_share_[slot]);
        }
      }
      if (seeker_of_[p] >= 0) {
        for (std::int32_t language : wants_[seeker_of_[p]].languages) {
          if (std::find(chunk_wanted_.begin() + bound.wanted_begin, chunk_wanted_.end(),
                        language) == chunk_wanted_.end()) {
            chunk_wanted_.push_back(language);
          }
        }
      }
    }
    bound.countries_end = static_cast<std::uint32_t>(chunk_countries_.size());
    bound.languages_end = static_cast<std::uint32_t>(chunk_languages_.size());
    bound.wanted_end = static_cast<std::uint32_t>(chunk_wanted_.size());
    if (bound.countries_end == bound.countries_begin + 1) {
      bound.single_country = chunk_countries_[bound.countries_begin];
    }
    if (c > 0) {
      const ChunkBound& before = chunk_bounds_[c - 1];
      bound.languages_as_before = std::equal(
          chunk_languages_.begin() + before.languages_begin,
          chunk_languages_.begin() + before.languages_end,
          chunk_languages_.begin() + bound.languages_begin,
          chunk_languages_.begin() + bound.languages_end,
          [](const ChunkLanguage& x, const ChunkLanguage& y) {
            return x.language == y.language && x.sqrt_share == y.sqrt_share && x.share == y.share;
          });
      bound.wanted_as_before = std::equal(
          chunk_wanted_.begin() + before.wanted_begin, chunk_wanted_.begin() + before.wanted_end,
          chunk_wanted_.begin() + bound.wanted_begin, chunk_wanted_.begin() + bound.wanted_end);
    }
  }
}

void Engine::prepare_context(SeekerContext& a, std::uint32_t position, const Wants& wants) const {
  const std::size_t chunk = position / kLanes, lane = position % kLanes;
  a.position = position;
  a.country = country_[position];
  a.wants = &wants;
  a.log_population_double = log_population_[position];
  a.log_population = static_cast<float>(a.log_population_double);
  a.population = population_[position];
  a.interest_count = 0;
  for (int i = 0; i < kInterestCount; ++i) {
    const float weight = interests_[(chunk * kInterestCount + i) * kLanes + lane];
    if (weight == 0) continue;
    a.interest_index[a.interest_count] = i;
    a.interest_weight[a.interest_count++] = weight;
  }
  for (int k = 0; k < 3; ++k) a.unit[k] = unit_[(chunk * 3 + k) * kLanes + lane];
  a.has_interests = has_interests_[position] > 0;
  a.has_languages = has_languages_[position] > 0;
  const float credit = static_cast<float>(config_.continent_credit);
  for (int c = 0; c < country_count(); ++c) {
    a.region[c] = wants.full[c] ? 1.0f : (wants.partial[c] ? credit : 0.0f);
  }
  if (a.sqrt_share.size() != language_count_ + 1) {
    a.sqrt_share.assign(language_count_ + 1, 0.0f);
    a.wanted.assign(language_count_ + 1, 0.0f);
    a.share.assign(language_count_ + 1, 0.0f);
  }
  for (std::uint32_t s = slot_begin_[chunk]; s < slot_begin_[chunk + 1]; ++s) {
    const std::int32_t language = slot_language_[s * kLanes + lane];
    a.sqrt_share[language] = slot_sqrt_share_[s * kLanes + lane];
    a.share[language] = slot_share_[s * kLanes + lane];
    a.touched.push_back(language);
  }
  for (std::int32_t language : wants.languages) {
    a.wanted[language] = 1.0f;
    a.touched.push_back(language);
  }
}

void Engine::release_context(SeekerContext& a) const {
  for (std::int32_t language : a.touched) {
    a.sqrt_share[language] = a.wanted[language] = a.share[language] = 0.0f;
  }
  a.touched.clear();
}

template <bool kDetails>
void Engine::score_chunk(const SeekerContext& a, std::size_t chunk, ChunkScores& out) const {
  const std::size_t base = chunk * kLanes;
  const Wants& wants = *a.wants;
  using Doubles = Eigen::Array<double, kLanes, 1>;
  using UnitBlock = Eigen::Matrix<float, kLanes, 3>;
  const Eigen::Map<const UnitBlock> unit(unit_.data() + base * 3);
  const Eigen::Map<const Doubles> log_population(log_population_.data() + base);
  const Eigen::Map<const Doubles> population(population_.data() + base);
  const bool soft = config_.population_range == RangeMode::soft;
  const bool any_seeker = chunk_has_seeker_[chunk] != 0;
  Components c;

  // Population: the similarity is symmetric; each side's range scales it in
  // soft mode or filters in hard mode. The gap is taken in double: logs of
  // large populations would lose digits in float.
  const Lanes gap = (log_population - a.log_population).cast<float>();
  const Lanes similarity = (-(gap * gap) * inv_two_sigma2_).exp();
  c.population = c.back_population = similarity;
  if (soft) {
    const Lanes log_b = log_population.cast<float>();
    const Lanes outside = (wants.log_min - log_b).max(0.0f) + (log_b - wants.log_max).max(0.0f);
    c.population = similarity * (-(outside * outside) * inv_two_sigma2_).exp();
    if (any_seeker) {
      const Eigen::Map<const Lanes> back_log_min(back_log_min_.data() + base);
      const Eigen::Map<const Lanes> back_log_max(back_log_max_.data() + base);
      const Lanes back_outside =
          (back_log_min - a.log_population).max(0.0f) + (a.log_population - back_log_max).max(0.0f);
      c.back_population = similarity * (-(back_outside * back_outside) * inv_two_sigma2_).exp();
    }
  }

  // Region: a look-up of the candidate's country in the seeker's table.
  for (int lane = 0; lane < kLanes; ++lane) c.region[lane] = a.region[country_[base + lane]];

  // Language: the Bhattacharyya coefficient of the two distributions (a
  // sparse dot product over the slots), raised by the share of the
  // candidate's people who speak a wanted language.
  Lanes overlap = Lanes::Zero(), wanted_share = Lanes::Zero();
  for (std::uint32_t s = slot_begin_[chunk]; s < slot_begin_[chunk + 1]; ++s) {
    const std::int32_t* language = slot_language_.data() + s * kLanes;
    const float* sqrt_share = slot_sqrt_share_.data() + s * kLanes;
    const float* share = slot_share_.data() + s * kLanes;
    for (int lane = 0; lane < kLanes; ++lane) {
      overlap[lane] += a.sqrt_share[language[lane]] * sqrt_share[lane];
      wanted_share[lane] += a.wanted[language[lane]] * share[lane];
    }
  }
  overlap = overlap.min(1.0f);
  wanted_share = wanted_share.min(1.0f);
  c.language = overlap + (1.0f - overlap) * wanted_share;

  c.cosine = cosine(a, chunk);

  // Distance: from the chord between unit vectors, which keeps its
  // precision for near cities where 1 - dot would cancel.
  c.distance = Lanes::Zero();
  Lanes distance_km = Lanes::Zero();
  if (weights_[4] > 0) {
    Lanes chord2 = Lanes::Zero();
    for (int k = 0; k < 3; ++k) chord2 += (unit.col(k).array() - a.unit[k]).square();
    const Lanes half_chord = (chord2.sqrt() * 0.5f).min(1.0f);
    distance_km = 2.0f * asin_unit(half_chord) * static_cast<float>(kEarthRadiusKm);
    const Lanes decay = (distance_km * inv_distance_scale_).exp();
    c.distance = config_.distance_preference == DistancePreference::near ? decay : 1.0f - decay;
  }

  // The candidate's own view, where it seeks: its wanted areas and
  // languages judged on a.
  c.back_region = c.back_language = Lanes::Zero();
  if (any_seeker) {
    c.back_region =
        Eigen::Map<const Lanes>(a.back_region.data() + (chunk - a.back_region_chunk) * kLanes);
    Lanes back_share = Lanes::Zero();
    for (std::uint32_t s = want_slot_begin_[chunk]; s < want_slot_begin_[chunk + 1]; ++s) {
      const std::int32_t* wanted = want_slot_language_.data() + s * kLanes;
      for (int lane = 0; lane < kLanes; ++lane) back_share[lane] += a.share[wanted[lane]];
    }
    back_share = back_share.min(1.0f);
    c.back_language = overlap + (1.0f - overlap) * back_share;
  }
  out.score = combine(a, chunk, c, kDetails ? &out : nullptr);

  // Vectorised hard filters: padding, same country, population ranges.
  const Eigen::Map<const Eigen::Array<std::int16_t, kLanes, 1>> country(country_.data() + base);
  const Eigen::Map<const Lanes> valid(valid_.data() + base);
  const Eigen::Map<const Lanes> back_same_country(back_same_country_.data() + base);
  const Lanes same = (country == static_cast<std::int16_t>(a.country)).cast<float>();
  const Lanes same_ok =
      (1.0f - same) + same * (wants.same_country ? 1.0f : 0.0f) * back_same_country;
  out.pass = valid * same_ok > 0.0f;
  if (!soft) {
    out.pass = out.pass && population >= wants.population_min && population <= wants.population_max;
    if (any_seeker) {
      const Eigen::Map<const Doubles> back_min(back_min_.data() + base);
      const Eigen::Map<const Doubles> back_max(back_max_.data() + base);
      out.pass = out.pass && back_min <= a.population && back_max >= a.population;
    }
  }
  if constexpr (kDetails) out.distance_km = distance_km;
}

template void Engine::score_chunk<true>(const SeekerContext&, std::size_t, ChunkScores&) const;
template void Engine::score_chunk<false>(const SeekerContext&, std::size_t, ChunkScores&) const;

EIGEN_STRONG_INLINE Lanes Engine::cosine(const SeekerContext& a, std::size_t chunk) const {
  // Cosine of unit vectors; only the seeker's non-zero interests add terms,
  // always in the same order, so every caller gets the same bits.
  const float* block = interests_.data() + chunk * kLanes * kInterestCount;
  Lanes dot = Lanes::Zero();
  for (int j = 0; j < a.interest_count; ++j) {
    dot += Eigen::Map<const Lanes>(block + a.interest_index[j] * kLanes) * a.interest_weight[j];
  }
  return dot.max(0.0f).min(1.0f);
}

Lanes Engine::combine(const SeekerContext& a, std::size_t chunk, const Components& c,
                      ChunkScores* details) const {
  const std::size_t base = chunk * kLanes;
  const Wants& wants = *a.wants;
  const Eigen::Map<const Lanes> has_interests(has_interests_.data() + base);
  const Eigen::Map<const Lanes> has_languages(has_languages_.data() + base);
  const Eigen::Map<const Lanes> seeks(seeks_.data() + base);
  const float region_present = wants.any_region ? 0.0f : 1.0f;
  const Lanes language_present =
      has_languages * ((a.has_languages || !wants.languages.empty()) ? 1.0f : 0.0f);
  const Lanes language = c.language * language_present;
  const Lanes interests_present = has_interests * (a.has_interests ? 1.0f : 0.0f);
  const Lanes cosine = c.cosine * interests_present;
  const float distance_present = weights_[4] > 0 ? 1.0f : 0.0f;

  // Weighted mean over the components present, in a fixed order. The
  // population component is always present.
  const Lanes shared_numerator = weights_[3] * cosine + weights_[4] * c.distance;
  const Lanes shared_denominator = weights_[3] * interests_present + weights_[4] * distance_present;
  const Lanes numerator = weights_[0] * c.population + weights_[1] * region_present * c.region +
                          weights_[2] * language + shared_numerator;
  const Lanes denominator = weights_[0] + weights_[1] * region_present +
                            weights_[2] * language_present + shared_denominator;
  // Where the denominator is 0, so is every term of the numerator: the
  // quotient is then 0 without a (scalar, in Eigen 3.4) select.
  const Lanes forward = numerator / denominator.max(1e-30f);

  Lanes score = forward, backward = Lanes::Zero(), back_region_present = Lanes::Zero();
  Lanes back_language = Lanes::Zero(), back_language_present = Lanes::Zero();
  if (chunk_has_seeker_[chunk] != 0) {
    back_region_present = Eigen::Map<const Lanes>(back_region_present_.data() + base);
    const Eigen::Map<const Lanes> wants_languages(back_wants_languages_.data() + base);
    back_language_present =
        (a.has_languages ? 1.0f : 0.0f) * (has_languages + wants_languages).min(1.0f) * seeks;
    back_language = c.back_language * back_language_present;
    const Lanes back_numerator = weights_[0] * c.back_population +
                                 weights_[1] * back_region_present * c.back_region +
                                 weights_[2] * back_language + shared_numerator;
    const Lanes back_denominator = weights_[0] + weights_[1] * back_region_present +
                                   weights_[2] * back_language_present + shared_denominator;
    backward = back_numerator / back_denominator.max(1e-30f) * seeks;
    Lanes combined = forward;  // seeker_only
    switch (config_.reciprocity) {
      case Reciprocity::geometric_mean:
        combined = (forward * backward).sqrt();
        break;
      case Reciprocity::arithmetic_mean:
        combined = 0.5f * (forward + backward);
        break;
      case Reciprocity::minimum:
        combined = forward.min(backward);
        break;
      case Reciprocity::seeker_only:
        break;
    }
    score = seeks * combined + (1.0f - seeks) * forward;  // exact: seeks is 0 or 1
  }

  if (details) {
    details->forward = forward;
    details->backward = backward;
    details->value = {c.population, c.region * region_present, language, cosine, c.distance};
    details->present = {Lanes::Ones(), Lanes::Constant(region_present), language_present,
                        interests_present, Lanes::Constant(distance_present)};
    details->back_value = {c.back_population * seeks, c.back_region * back_region_present,
                           back_language, cosine * seeks, c.distance * seeks};
    details->back_present = {seeks, back_region_present, back_language_present,
                             interests_present * seeks, distance_present * seeks};
  }
  return score;
}

void Engine::prepare_chunk_values(SeekerContext& a, std::size_t first_chunk,
                                  std::size_t last_chunk) const {
  const std::size_t count = last_chunk - first_chunk + kLanes;
  a.chunk_region.assign(count, 0.0f);
  a.chunk_language.assign(count, 0.0f);
  a.chunk_back_language.assign(count, 0.0f);
  float overlap = 0, wanted_share = 0, back_share = 0;
  for (std::size_t chunk = first_chunk; chunk < last_chunk; ++chunk) {
    const ChunkBound& bound = chunk_bounds_[chunk];
    const std::size_t i = chunk - first_chunk;
    for (std::uint32_t c = bound.countries_begin; c < bound.countries_end; ++c) {
      a.chunk_region[i] = std::max(a.chunk_region[i], a.region[chunk_countries_[c]]);
    }
    if (chunk == first_chunk || !bound.languages_as_before) {
      overlap = wanted_share = 0;
      for (std::uint32_t l = bound.languages_begin; l < bound.languages_end; ++l) {
        const ChunkLanguage& language = chunk_languages_[l];
        overlap += a.sqrt_share[language.language] * language.sqrt_share;
        wanted_share += a.wanted[language.language] * language.share;
      }
      overlap = std::min(1.0f, overlap + kSlack);
      wanted_share = std::min(1.0f, wanted_share + kSlack);
    }
    if (chunk == first_chunk || !bound.wanted_as_before) {
      back_share = 0;
      for (std::uint32_t l = bound.wanted_begin; l < bound.wanted_end; ++l) {
        back_share += a.share[chunk_wanted_[l]];
      }
      back_share = std::min(1.0f, back_share + kSlack);
    }
    a.chunk_language[i] = overlap + (1.0f - overlap) * wanted_share + kSlack;
    a.chunk_back_language[i] = overlap + (1.0f - overlap) * back_share + kSlack;
  }
}

std::uint32_t Engine::chunks_may_reach(const SeekerContext& a, std::size_t first,
                                       float threshold) const {
  const Wants& wants = *a.wants;
  const std::size_t offset = first - a.back_region_chunk;
  auto range = [&](const std::vector<float>& values) {
    return Eigen::Map<const Lanes>(values.data() + first);
  };
  const Lanes gap = ((range(ranges_.log_population_min) - a.log_population)
                         .max(a.log_population - range(ranges_.log_population_max)) -
                     kSlack)
                        .max(0.0f);
  const Lanes population = exp_upper<Lanes>(gap * gap * inv_two_sigma2_) + kSlack;
  Lanes cosine = Lanes::Zero();
  for (int j = 0; j < a.interest_count; ++j) {
    cosine += a.interest_weight[j] *
              Eigen::Map<const Lanes>(ranges_.interest_max.data() +
                                      a.interest_index[j] * ranges_.stride + first);
  }
  cosine = cosine.min(1.0f) + kSlack;
  Lanes distance = Lanes::Zero();
  if (weights_[4] > 0) {
    // From a to each chunk's box of unit vectors; the distance is at least
    // R * chord and at most pi / 2 * R * chord.
    Lanes near2 = Lanes::Zero(), far2 = Lanes::Zero();
    for (int k = 0; k < 3; ++k) {
      const Lanes below = range(ranges_.box_min[k]) - a.unit[k];
      const Lanes above = a.unit[k] - range(ranges_.box_max[k]);
      near2 += below.max(above).max(0.0f).square();
      far2 += below.square().max(above.square());
    }
    const float per_chord = static_cast<float>(kEarthRadiusKm) * -inv_distance_scale_;
    distance = config_.distance_preference == DistancePreference::near
                   ? exp_upper<Lanes>(near2.sqrt() * (per_chord * (1.0f - kSlack)))
                   : (far2.sqrt() * (per_chord * static_cast<float>(M_PI_2))).min(1.0f);
    distance += kSlack;
  }
  const Eigen::Map<const Lanes> region(a.chunk_region.data() + offset);
  const Eigen::Map<const Lanes> language(a.chunk_language.data() + offset);
  const Eigen::Map<const Lanes> back_language(a.chunk_back_language.data() + offset);
  const Eigen::Map<const Lanes> back_region(a.back_region_max.data() + offset);

  const float region_present = wants.any_region ? 0.0f : 1.0f;
  const float distance_present = weights_[4] > 0 ? 1.0f : 0.0f;
  const float seeker_languages = a.has_languages || !wants.languages.empty() ? 1.0f : 0.0f;
  const float seeker_interests = a.has_interests ? 1.0f : 0.0f;
  const Optional interests{weights_[3], cosine, range(ranges_.has_interests[0]) * seeker_interests,
                           range(ranges_.has_interests[1]) * seeker_interests};
  const Lanes shared_numerator = weights_[4] * distance_present * distance;
  const float shared_denominator = weights_[4] * distance_present;
  const Lanes forward = largest_mean<2>(
      weights_[0] * population + weights_[1] * region_present * region + shared_numerator,
      Lanes::Constant(weights_[0] + weights_[1] * region_present + shared_denominator),
      {Optional{weights_[2], language, range(ranges_.has_languages[0]) * seeker_languages,
                range(ranges_.has_languages[1]) * seeker_languages},
       interests});
  const float a_languages = a.has_languages ? 1.0f : 0.0f;
  const Lanes backward = largest_mean<3>(
      weights_[0] * population + shared_numerator,
      Lanes::Constant(weights_[0] + shared_denominator),
      {Optional{weights_[1], back_region, range(ranges_.back_region_present[0]),
                range(ranges_.back_region_present[1])},
       Optional{weights_[2], back_language, Lanes::Zero(), Lanes::Constant(a_languages)},
       interests});
  Lanes combined = forward;
  switch (config_.reciprocity) {
    case Reciprocity::geometric_mean:
      combined = (forward * backward).sqrt();
      break;
    case Reciprocity::arithmetic_mean:
      combined = 0.5f * (forward + backward);
      break;
    case Reciprocity::minimum:
      combined = forward.min(backward);
      break;
    case Reciprocity::seeker_only:
      break;
  }
  // Chunks where every lane seeks score combined; where none does, forward.
  const Lanes seeks_low = range(ranges_.seeks[0]), seeks_high = range(ranges_.seeks[1]);
  const Lanes score = (combined * seeks_high).max(forward * (1.0f - seeks_low));
  const auto reach = score * (1.0f + 1e-4f) + 1e-6f >= threshold;
  std::uint32_t bits = 0;
  for (int i = 0; i < kLanes; ++i) bits |= static_cast<std::uint32_t>(reach[i]) << i;
  return bits;
}

bool Engine::may_reach(const SeekerContext& a, std::size_t chunk, float threshold) const {
  const ChunkBound& bound = chunk_bounds_[chunk];
  const Wants& wants = *a.wants;
  // Hard filters that rule out every lane.
  if (bound.single_country == a.country && !wants.same_country) return false;
  if (config_.population_range == RangeMode::hard &&
      (bound.population_max < wants.population_min || bound.population_min > wants.population_max ||
       a.population < bound.back_min_low || a.population > bound.back_max_high)) {
    return false;
  }

  // Upper bounds of the components.
  const Eigen::Map<const Lanes> log_population(log_population_float_.data() + chunk * kLanes);
  const Lanes gap = ((log_population - a.log_population).abs() - kSlack).max(0.0f);
  const Lanes population = exp_upper<Lanes>(gap * gap * inv_two_sigma2_) + kSlack;
  const std::size_t offset = chunk - a.back_region_chunk;
  Lanes distance = Lanes::Zero();
  if (weights_[4] > 0) {
    // The distance is at least R * chord and at most pi / 2 * R * chord.
    using UnitBlock = Eigen::Matrix<float, kLanes, 3>;
    const Eigen::Map<const UnitBlock> unit(unit_.data() + chunk * kLanes * 3);
    Lanes chord2 = Lanes::Zero();
    for (int k = 0; k < 3; ++k) chord2 += (unit.col(k).array() - a.unit[k]).square();
    const Lanes x = chord2.sqrt() * (static_cast<float>(kEarthRadiusKm) * -inv_distance_scale_);
    if (config_.distance_preference == DistancePreference::near) {
      distance = exp_upper<Lanes>(x * (1.0f - kSlack)) + kSlack;
    } else {
      distance = (x * static_cast<float>(M_PI_2)).min(1.0f) + kSlack;
    }
  }

  Components c;
  c.population = c.back_population = population;

  c.region = Lanes::Constant(a.chunk_region[offset]);
  c.language = Lanes::Constant(a.chunk_language[offset]);
  c.cosine = cosine(a, chunk);
  c.distance = distance;
  c.back_region = Lanes::Zero();
  if (chunk_has_seeker_[chunk] != 0) {
    c.back_region =
        Eigen::Map<const Lanes>(a.back_region.data() + (chunk - a.back_region_chunk) * kLanes);
  }
  c.back_language = Lanes::Constant(a.chunk_back_language[offset]);
  return (combine(a, chunk, c, nullptr) >= threshold).any();
}

void Engine::prepare_back_region(SeekerContext& a, std::size_t first_chunk,
                                 std::size_t last_chunk) const {
  if (a.back_region_country == a.country && a.back_region_chunk == first_chunk &&
      a.back_region_end == last_chunk) {
    return;
  }
  a.back_region_country = a.country;
  a.back_region_chunk = first_chunk;
  a.back_region_end = last_chunk;
  a.back_region.assign((last_chunk - first_chunk) * kLanes, 0.0f);
  a.back_region_max.assign(last_chunk - first_chunk + kLanes, 0.0f);
  const float credit = static_cast<float>(config_.continent_credit);
  for (std::size_t p = first_chunk * kLanes; p < last_chunk * kLanes; ++p) {
    if (seeker_of_[p] < 0) continue;
    const Wants& theirs = wants_[seeker_of_[p]];
    const float value = theirs.full[a.country] ? 1.0f : (theirs.partial[a.country] ? credit : 0.0f);
    a.back_region[p - first_chunk * kLanes] = value;
    float& most = a.back_region_max[p / kLanes - first_chunk];
    most = std::max(most, value);
  }
}

bool Engine::allowed(const SeekerContext& a, std::uint32_t b) const {
  if (b == a.position) return false;
  if (std::binary_search(a.wants->excluded.begin(), a.wants->excluded.end(), b)) return false;
  const std::int32_t theirs = seeker_of_[b];
  return theirs < 0 || !std::binary_search(wants_[theirs].excluded.begin(),
                                           wants_[theirs].excluded.end(), a.position);
}

void Engine::score_block(std::size_t first, std::size_t last, const CandidateOptions& options,
                         std::size_t pool_tile, const std::atomic<bool>& stop,
                         std::atomic<std::size_t>& tiles_done,
                         std::vector<std::vector<Candidate>>& results) const {
  SeekerContext context;
  ChunkScores scores;
  std::vector<TopK> heaps(last - first, TopK(options.k));
  for (std::size_t begin = 0; begin < padded_; begin += pool_tile) {
    if (stop.load(std::memory_order_relaxed)) return;
    const std::size_t first_chunk = begin / kLanes;
    const std::size_t last_chunk = std::min(begin + pool_tile, padded_) / kLanes;
    for (std::size_t i = first; i < last; ++i) {
      const std::uint32_t s = seeker_order_[i];
      prepare_context(context, seeker_position_[s], wants_[s]);
      prepare_back_region(context, first_chunk, last_chunk);
      TopK& heap = heaps[i - first];
      prepare_chunk_values(context, first_chunk, last_chunk);
      for (std::size_t group = first_chunk; group < last_chunk; group += kLanes) {
        const std::size_t count = std::min<std::size_t>(kLanes, last_chunk - group);
        std::uint32_t candidates = count == kLanes ? 0xffffu : (1u << count) - 1;
        if (heap.full()) candidates &= chunks_may_reach(context, group, heap.worst().score);
        for (std::size_t chunk = group; candidates != 0; ++chunk, candidates >>= 1) {
          if ((candidates & 1) == 0) continue;
          const float threshold = heap.full() ? heap.worst().score : -kInfinity;
          if (heap.full() && !may_reach(context, chunk, threshold)) continue;
          score_chunk<false>(context, chunk, scores);
          const auto hits = scores.pass && scores.score >= threshold;
          if (!hits.any()) continue;
          for (int lane = 0; lane < kLanes; ++lane) {
            const auto b = static_cast<std::uint32_t>(chunk * kLanes + lane);
            if (hits[lane] && allowed(context, b)) heap.offer({scores.score[lane], id_[b], b});
          }
        }
      }
      release_context(context);
    }
    tiles_done.fetch_add(1, std::memory_order_relaxed);
  }
  // Components only for the winners, from the same kernel.
  for (std::size_t i = first; i < last; ++i) {
    const std::uint32_t s = seeker_order_[i];
    const std::vector<Entry> best = std::move(heaps[i - first]).sorted();
    prepare_context(context, seeker_position_[s], wants_[s]);
    std::vector<Candidate>& out = results[s];
    out.reserve(best.size());
    for (const Entry& e : best) {
      prepare_back_region(context, e.position / kLanes, e.position / kLanes + 1);
      score_chunk<true>(context, e.position / kLanes, scores);
      const int lane = static_cast<int>(e.position % kLanes);
      Candidate c;
      c.id = e.id;
      c.row = row_[e.position];
      c.score = e.score;
      c.reciprocal = seeker_of_[e.position] >= 0 && config_.reciprocity != Reciprocity::seeker_only;
      for (int k = 0; k < kComponentCount; ++k) {
        c.components[k] = scores.value[k][lane];
        if (scores.present[k][lane] > 0)
          c.present = static_cast<std::uint8_t>(c.present | (1u << k));
      }
      out.push_back(c);
    }
    release_context(context);
  }
}

CandidateLists Engine::candidates(const CandidateOptions& options) const {
  ProblemList problems;
  auto require = [&](const char* field, std::size_t value, bool ok, const char* reason) {
    if (!ok)
      problems.add("options", static_cast<std::size_t>(-1), field, std::to_string(value), reason);
  };
  require("k", options.k, options.k >= 1, "must be at least 1");
  require("seeker_tile", options.seeker_tile, options.seeker_tile >= 1, "must be at least 1");
  require("pool_tile", options.pool_tile, options.pool_tile >= 1, "must be at least 1");
  problems.throw_if_any();

  const std::size_t seekers = wants_.size();
  const std::size_t pool_tile = round_up(options.pool_tile, kLanes);
  const std::size_t blocks = (seekers + options.seeker_tile - 1) / options.seeker_tile;
  const std::size_t total = blocks * ((padded_ + pool_tile - 1) / pool_tile);
  unsigned threads =
      options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(blocks, 1)));

  std::vector<std::vector<Candidate>> results(seekers);
  std::atomic<std::size_t> next_block{0}, tiles_done{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::condition_variable finished_cv;
  unsigned finished = 0;
  std::exception_ptr error;
  auto work = [&] {
    try {
      for (std::size_t block; !stop && (block = next_block++) < blocks;) {
        const std::size_t first = block * options.seeker_tile;
        score_block(first, std::min(first + options.seeker_tile, seekers), options, pool_tile, stop,
                    tiles_done, results);
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex);
      if (!error) error = std::current_exception();
      stop = true;
    }
    std::lock_guard<std::mutex> lock(mutex);
    ++finished;
    finished_cv.notify_all();
  };

  // Workers score; this thread only reports progress, so the callback
  // always runs on the caller's thread.
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work);
  bool cancelled = false;
  {
    std::unique_lock<std::mutex> lock(mutex);
    while (true) {
      // Report before waiting, so a callback that cancels at once always
      // cancels, however small the job.
      if (options.progress && !stop) {
        lock.unlock();
        bool go_on = true;
        try {
          go_on = options.progress(tiles_done.load(), total);
        } catch (...) {
          std::lock_guard<std::mutex> guard(mutex);
          if (!error) error = std::current_exception();
          go_on = false;
        }
        lock.lock();
        if (!go_on) cancelled = stop = true;
      }
      if (finished == threads) break;
      finished_cv.wait_for(lock, std::chrono::milliseconds(50));
    }
  }
  for (std::thread& t : pool) t.join();
  if (error) std::rethrow_exception(error);
  if (cancelled) throw Cancelled();
  if (options.progress) options.progress(total, total);

  CandidateLists lists;
  lists.offsets_.reserve(seekers + 1);
  lists.offsets_.push_back(0);
  for (const auto& r : results) lists.offsets_.push_back(lists.offsets_.back() + r.size());
  lists.items_.reserve(lists.offsets_.back());
  for (auto& r : results) lists.items_.insert(lists.items_.end(), r.begin(), r.end());
  return lists;
}

}  // namespace libmatch::detail
