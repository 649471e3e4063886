#include "engine.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <numeric>
#include <thread>
#include <tuple>

#include "libmatch/error.hpp"
#include "libmatch/geography.hpp"

#include "validation.hpp"

namespace libmatch::detail {
namespace {

std::size_t round_up(std::size_t n, std::size_t multiple) {
  return (n + multiple - 1) / multiple * multiple;
}

// The countries of each area named so far: many seekers name the same few.
using AreaCountries = std::map<std::string, CountrySet, std::less<>>;

const CountrySet& countries_of(const std::string& area, AreaCountries& known) {
  auto it = known.find(area);
  if (it == known.end()) {
    CountrySet set;
    for (int c = 0; c < country_count(); ++c) set[c] = area_contains(area, c);
    it = known.emplace(area, set).first;
  }
  return it->second;
}

Wants resolve_wants(const SeekingProfile& profile, const CityTable& pool,
                    const std::vector<std::uint32_t>& position_of_row, AreaCountries& areas) {
  Wants w;
  w.any_region = profile.regions.empty() && profile.countries.empty();
  // Wanting any region leaves both sets empty; most seekers do.
  if (!w.any_region) {
    for (const std::string& area : profile.regions) w.full |= countries_of(area, areas);
    for (const std::string& code : profile.countries) {
      if (const auto c = country_index(code)) w.full[*c] = true;
    }
    std::array<bool, kContinentCount> continents{};
    for (int c = 0; c < country_count(); ++c) {
      if (w.full[c]) continents[static_cast<int>(region(country(c).region).continent)] = true;
    }
    for (int c = 0; c < country_count(); ++c) {
      w.partial[c] =
          !w.full[c] && continents[static_cast<int>(region(country(c).region).continent)];
    }
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
    // A language nobody in the pool speaks can never be met, but it is still
    // wanted (the language component stays present): it takes the index past
    // the last language, whose share is 0 in every table.
    const auto index = pool.language_index(code);
    w.languages.push_back(index ? *index : static_cast<std::int32_t>(pool.language_codes().size()));
  }
  std::sort(w.languages.begin(), w.languages.end());
  w.languages.erase(std::unique(w.languages.begin(), w.languages.end()), w.languages.end());
  for (std::int64_t id : profile.exclude) w.excluded.push_back(position_of_row[*pool.row_of(id)]);
  std::sort(w.excluded.begin(), w.excluded.end());
  w.same_country = profile.same_country;
  return w;
}

}  // namespace

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::avx2:
      return "avx2";
    case Isa::avx512:
      return "avx512";
    case Isa::baseline:
      break;
  }
#ifdef LIBMATCH_KERNEL_NATIVE
  return "native";  // the one variant of a -march=native build
#else
  return "baseline";
#endif
}

std::vector<Isa> supported_isas() {
  std::vector<Isa> isas = {Isa::baseline};
#if defined(LIBMATCH_KERNEL_AVX2) || defined(LIBMATCH_KERNEL_AVX512)
  __builtin_cpu_init();
#endif
#ifdef LIBMATCH_KERNEL_AVX2
  if (__builtin_cpu_supports("x86-64-v3")) isas.push_back(Isa::avx2);
#endif
#ifdef LIBMATCH_KERNEL_AVX512
  if (__builtin_cpu_supports("x86-64-v4")) isas.push_back(Isa::avx512);
#endif
  return isas;
}

namespace {
std::atomic<int> isa_override{-1};
}  // namespace

Isa scoring_isa() {
  const int forced = isa_override.load();
  if (forced >= 0) return static_cast<Isa>(forced);
  static const Isa best = supported_isas().back();
  return best;
}

void override_scoring_isa(std::optional<Isa> isa) {
  isa_override = isa ? static_cast<int>(*isa) : -1;
}

void TopK::offer(const Entry& e) {
  // A lambda, not the function: the heap algorithms then inline it.
  const auto order = [](const Entry& x, const Entry& y) { return better(x, y); };
  if (!full()) {
    entries_.push_back(e);
    std::push_heap(entries_.begin(), entries_.end(), order);
  } else if (better(e, entries_.front())) {
    std::pop_heap(entries_.begin(), entries_.end(), order);
    entries_.back() = e;
    std::push_heap(entries_.begin(), entries_.end(), order);
  }
  if (full()) threshold_ = entries_.front().score;
}

std::vector<Entry> TopK::sorted() && {
  std::sort(entries_.begin(), entries_.end(),
            [](const Entry& x, const Entry& y) { return better(x, y); });
  return std::move(entries_);
}

Engine::Engine(const CityTable& pool, const Seekers& seekers, const ScoringConfig& config)
    : config_(config) {
  config_.validate();
  scan_ = &Engine::scan<Isa::baseline>;
  details_ = &Engine::score_details<Isa::baseline>;
  switch (scoring_isa()) {
#ifdef LIBMATCH_KERNEL_AVX2
    case Isa::avx2:
      scan_ = &Engine::scan<Isa::avx2>;
      details_ = &Engine::score_details<Isa::avx2>;
      break;
#endif
#ifdef LIBMATCH_KERNEL_AVX512
    case Isa::avx512:
      scan_ = &Engine::scan<Isa::avx512>;
      details_ = &Engine::score_details<Isa::avx512>;
      break;
#endif
    default:
      break;
  }
  if (!seekers.fit(pool)) {
    throw std::invalid_argument("libmatch: the Seekers were validated against another pool");
  }
  inv_two_sigma2_ =
      static_cast<float>(1.0 / (2.0 * config.population_sigma * config.population_sigma));
  inv_sigma_ = static_cast<float>(1.0 / config.population_sigma);
  shape_ = static_cast<float>(config.population_shape);
  inv_shape_ = static_cast<float>(1.0 / config.population_shape);
  gaussian_ = config.population_shape == 2.0;
  laplace_ = config.population_shape == 1.0;
  geometric_ = config.combination == Combination::geometric;
  floor_ = static_cast<float>(config.geometric_floor);
  one_minus_floor_ = static_cast<float>(1.0 - config.geometric_floor);
  inv_distance_scale_ = static_cast<float>(-1.0 / config.distance_scale_km);
  // Scores do not depend on the weights' scale: scaled so the largest is 1,
  // any finite weights stay within float's range and precision.
  const Weights& w = config.weights;
  const double raw[kComponentCount] = {w.population, w.region,   w.language, w.interests,
                                       w.distance,   w.affinity, w.activity};
  const double largest = *std::max_element(std::begin(raw), std::end(raw));
  for (int c = 0; c < kComponentCount; ++c) weights_[c] = static_cast<float>(raw[c] / largest);
  prepare_affinity();
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
  state_.assign(padded_, -1);  // padding lanes are of no state
  population_.assign(padded_, 1.0);
  log_population_.assign(padded_, 0.0);
  log_population_float_.assign(padded_, 0.0f);
  interests_.assign(padded_ * kInterestCount, 0.0f);
  unit_.assign(padded_ * 3, 0.0f);
  has_interests_.assign(padded_, 0.0f);
  has_languages_.assign(padded_, 0.0f);
  activity_.assign(padded_, 0.0f);
  activity_term_.assign(padded_, as_term(0.0f));
  activity_rate_.assign(padded_, 0.0);
  name_.assign(padded_, std::string());
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
    state_[p] = static_cast<std::int16_t>(
        config.compare_sovereign_states ? sovereign_state(pool.country(r)) : pool.country(r));
    population_[p] = pool.population(r);
    log_population_[p] = std::log(pool.population(r));
    log_population_float_[p] = static_cast<float>(log_population_[p]);
    // Each float log is within |ln p| 2^-24 of the double, and the gap's
    // subtraction rounds by as much again: four times that covers both sides.
    gap_slack_ =
        std::max(gap_slack_, kSlack + 4 * std::numeric_limits<float>::epsilon() *
                                          static_cast<float>(std::abs(log_population_[p])));

    // The unit vector, scaled first so that no square overflows.
    std::array<double, kInterestCount> weights = interest_weights(r);
    const double most = *std::max_element(weights.begin(), weights.end());
    double norm = 0;
    for (double& x : weights) {
      x = most > 0 ? x / most : 0;
      norm += x * x;
    }
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
    name_[p] = pool.name(r);

    // Activity: what the city's size predicts, sharpened by its known
    // partnerships when the pool has any (a Gamma-Poisson posterior mean).
    const double expected = config.activity_size_scale *
                            std::pow(pool.population(r) / 1e5, config.activity_size_exponent);
    const double rate =
        pool.has_partnerships()
            ? (static_cast<double>(pool.partner_count(r)) + config.activity_prior_strength) /
                  (1.0 + config.activity_prior_strength / expected)
            : expected;
    activity_rate_[p] = rate;
    activity_[p] = static_cast<float>(rate / (rate + config.activity_half));
    activity_term_[p] = as_term(activity_[p]);
  }
  has_partnerships_ = pool.has_partnerships();
  partner_begin_.assign(padded_ + 1, 0);
  for (std::size_t p = 0; p < size_; ++p) {
    const std::size_t r = row_[p];
    partner_begin_[p + 1] = partner_begin_[p] + static_cast<std::uint32_t>(pool.partner_count(r));
    for (const std::uint32_t* q = pool.partners_begin(r); q != pool.partners_end(r); ++q) {
      partner_position_.push_back(position_[*q]);
    }
    std::sort(partner_position_.begin() + partner_begin_[p], partner_position_.end());
  }
  for (std::size_t p = size_; p < padded_; ++p) partner_begin_[p + 1] = partner_begin_[p];

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
  AreaCountries areas;
  seeks_.assign(padded_, 0.0f);
  back_same_country_.assign(padded_, 1.0f);
  back_region_present_.assign(padded_, 0.0f);
  back_wants_languages_.assign(padded_, 0.0f);
  chunk_has_seeker_.assign(chunks, 0);
  for (std::size_t s = 0; s < seekers.size(); ++s) {
    const std::uint32_t p = position_[seekers.row(s)];
    wants_.push_back(resolve_wants(seekers.profile(s), pool, position_, areas));
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
  position_words_ = padded_ / 64 + 1;
  wanted_by_country_.assign(kMaxCountries * position_words_, 0);
  partly_wanted_by_country_.assign(kMaxCountries * position_words_, 0);
  for (std::size_t s = 0; s < seekers.size(); ++s) {
    if (wants_[s].any_region) continue;  // no bits to set
    const std::size_t p = seeker_position_[s];
    for (int c = 0; c < country_count(); ++c) {
      const std::uint64_t bit = std::uint64_t{1} << (p % 64);
      if (wants_[s].full[c]) wanted_by_country_[c * position_words_ + p / 64] |= bit;
      if (wants_[s].partial[c]) partly_wanted_by_country_[c * position_words_ + p / 64] |= bit;
    }
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
  ranges_.activity_term_max.assign(ranges_.stride, as_term(0.0f));
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
      ranges_.activity_term_max[c] = std::max(ranges_.activity_term_max[c], activity_term_[p]);
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
          chunk_languages_.push_back({slot_language_[slot], slot_share_[slot]});
        } else {
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
    bound.single_state = state_[first];
    for (std::size_t p = first; p < last; ++p) {
      if (state_[p] != bound.single_state) bound.single_state = -1;
    }
    if (c > 0) {
      const ChunkBound& before = chunk_bounds_[c - 1];
      bound.languages_as_before =
          std::equal(chunk_languages_.begin() + before.languages_begin,
                     chunk_languages_.begin() + before.languages_end,
                     chunk_languages_.begin() + bound.languages_begin,
                     chunk_languages_.begin() + bound.languages_end,
                     [](const ChunkLanguage& x, const ChunkLanguage& y) {
                       return x.language == y.language && x.share == y.share;
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
  a.state = state_[position];
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
  a.affinity = affinity_.data() + a.country * kMaxCountries;
  a.affinity_term = affinity_term_.data() + a.country * kMaxCountries;
  a.activity = activity_[position];
  a.activity_term = activity_term_[position];
  const float credit = static_cast<float>(config_.continent_credit);
  const float terms[3] = {as_term(0.0f), as_term(credit), as_term(1.0f)};
  for (int c = 0; c < country_count(); ++c) {
    const int level = wants.full[c] ? 2 : (wants.partial[c] ? 1 : 0);
    a.region[c] = level == 2 ? 1.0f : (level == 1 ? credit : 0.0f);
    a.region_term[c] = terms[level];
  }
  a.wanted.assign(language_count_ + 1, 0.0f);
  a.share.assign(language_count_ + 1, 0.0f);
  for (std::uint32_t s = slot_begin_[chunk]; s < slot_begin_[chunk + 1]; ++s) {
    const std::int32_t language = slot_language_[s * kLanes + lane];
    a.share[language] = slot_share_[s * kLanes + lane];
  }
  for (std::int32_t language : wants.languages) a.wanted[language] = 1.0f;
}

void Engine::prepare_chunk_values(SeekerContext& a, std::size_t first_chunk,
                                  std::size_t last_chunk) const {
  const std::size_t count = last_chunk - first_chunk + kLanes;
  a.first_chunk = first_chunk;
  const float lowest = as_term(0.0f);
  a.chunk_region_term.assign(count, lowest);
  a.chunk_language.assign(count, 0.0f);
  a.chunk_back_language.assign(count, 0.0f);
  a.chunk_affinity_term.assign(count, lowest);
  float overlap = 0, wanted_share = 0, back_share = 0;
  for (std::size_t chunk = first_chunk; chunk < last_chunk; ++chunk) {
    const ChunkBound& bound = chunk_bounds_[chunk];
    const std::size_t i = chunk - first_chunk;
    // A seeker that wants any region leaves the region component out.
    for (std::uint32_t c = bound.countries_begin; c < bound.countries_end && !a.wants->any_region;
         ++c) {
      a.chunk_region_term[i] = std::max(a.chunk_region_term[i], a.region_term[chunk_countries_[c]]);
    }
    for (std::uint32_t c = bound.countries_begin; c < bound.countries_end; ++c) {
      a.chunk_affinity_term[i] =
          std::max(a.chunk_affinity_term[i], a.affinity_term[chunk_countries_[c]]);
    }
    if (chunk == first_chunk || !bound.languages_as_before) {
      overlap = wanted_share = 0;
      for (std::uint32_t l = bound.languages_begin; l < bound.languages_end; ++l) {
        const ChunkLanguage& language = chunk_languages_[l];
        overlap += a.share[language.language] * language.share;
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

void Engine::prepare_back_region(BackRegion& back, int country, std::size_t first_chunk,
                                 std::size_t last_chunk) const {
  if (back.country == country && back.first_chunk == first_chunk && back.last_chunk == last_chunk) {
    return;
  }
  back.country = country;
  back.first_chunk = first_chunk;
  back.last_chunk = last_chunk;
  back.value.assign((last_chunk - first_chunk) * kLanes, 0.0f);
  back.term.assign((last_chunk - first_chunk) * kLanes, as_term(0.0f));
  back.max_term.assign(last_chunk - first_chunk + kLanes, as_term(0.0f));
  const float credit = static_cast<float>(config_.continent_credit);
  const float credit_term = as_term(credit), full_term = as_term(1.0f);
  const std::uint64_t* full = wanted_by_country_.data() + country * position_words_;
  const std::uint64_t* partial = partly_wanted_by_country_.data() + country * position_words_;
  for (std::size_t p = first_chunk * kLanes; p < last_chunk * kLanes; ++p) {
    const std::uint64_t bit = std::uint64_t{1} << (p % 64);
    const bool is_full = (full[p / 64] & bit) != 0, is_partial = (partial[p / 64] & bit) != 0;
    if (!is_full && !is_partial) continue;
    back.value[p - first_chunk * kLanes] = is_full ? 1.0f : credit;
    const float term = is_full ? full_term : credit_term;
    back.term[p - first_chunk * kLanes] = term;
    float& most = back.max_term[p / kLanes - first_chunk];
    most = std::max(most, term);
  }
}

float Engine::as_term(float value) const {
  return geometric_ ? std::log(floor_ + one_minus_floor_ * value) : value;
}

bool Engine::known_partners(std::uint32_t a, std::uint32_t b) const {
  return std::binary_search(partner_position_.begin() + partner_begin_[a],
                            partner_position_.begin() + partner_begin_[a + 1], b);
}

void Engine::prepare_affinity() {
  // Counts by country pair, both ways, and each country's partnership ends
  // (a pair inside one country has both there).
  const std::size_t n = kMaxCountries;
  pair_count_.assign(n * n, 0.0);
  pair_expected_.assign(n * n, 0.0);
  affinity_.assign(n * n, 0.0f);
  affinity_term_.assign(n * n, 0.0f);
  std::vector<double> ends(n, 0.0);
  double total = 0;
  for (const CountryPairCount& pair : config_.country_pairs) {
    const auto x = static_cast<std::size_t>(*find_country(pair.a));
    const auto y = static_cast<std::size_t>(*find_country(pair.b));
    pair_count_[x * n + y] = pair_count_[y * n + x] = pair.count;
    ends[x] += pair.count;
    ends[y] += pair.count;
    total += pair.count;
  }
  const double prior = config_.affinity_prior;
  for (std::size_t x = 0; x < n; ++x) {
    for (std::size_t y = 0; y < n; ++y) {
      // Ends drawn at random: a pair is {x, y} with probability 2 p_x p_y,
      // or p_x^2 inside one country, p = ends / (2 total).
      const double expected =
          total > 0 ? (x == y ? ends[x] * ends[x] / (4 * total) : ends[x] * ends[y] / (2 * total))
                    : 0.0;
      pair_expected_[x * n + y] = expected;
      const double ratio = (pair_count_[x * n + y] + prior) / (expected + prior);
      affinity_[x * n + y] = static_cast<float>(ratio / (1.0 + ratio));
      affinity_term_[x * n + y] = as_term(affinity_[x * n + y]);
    }
  }
}

bool Engine::allowed(const SeekerContext& a, std::uint32_t b) const {
  if (b == a.position) return false;
  if (config_.exclude_known_partners && known_partners(a.position, b)) return false;
  if (std::binary_search(a.wants->excluded.begin(), a.wants->excluded.end(), b)) return false;
  const std::int32_t theirs = seeker_of_[b];
  return theirs < 0 || !std::binary_search(wants_[theirs].excluded.begin(),
                                           wants_[theirs].excluded.end(), a.position);
}

void Engine::score_block(std::size_t first, std::size_t last, const CandidateOptions& options,
                         std::size_t pool_tile, const std::atomic<bool>& stop,
                         std::atomic<std::size_t>& tiles_done, std::vector<Candidate>& items,
                         std::vector<std::size_t>& counts) const {
  // One context per seeker of the block, prepared once for every tile.
  std::vector<SeekerContext> contexts(last - first);
  for (std::size_t i = first; i < last; ++i) {
    const std::uint32_t s = seeker_order_[i];
    prepare_context(contexts[i - first], seeker_position_[s], wants_[s]);
  }
  // Seekers of one country often want alike, and chunk values depend on
  // nothing else: those that follow a seeker with the same take its values.
  std::vector<std::uint8_t> values_as_before(last - first, 0);
  for (std::size_t i = first + 1; i < last; ++i) {
    const SeekerContext& x = contexts[i - first - 1];
    const SeekerContext& y = contexts[i - first];
    values_as_before[i - first] =
        x.country == y.country && x.wants->any_region == y.wants->any_region &&
        (x.wants->any_region || x.region == y.region) && x.wanted == y.wanted && x.share == y.share;
  }
  BackRegion back;
  ChunkScores scores;
  const std::size_t stride = std::min(options.k, size_);  // list size, and stride in `items`
  std::vector<TopK> heaps(last - first, TopK(stride));
  std::vector<std::uint32_t> seeds;
  for (std::size_t begin = 0; begin < padded_; begin += pool_tile) {
    if (stop.load(std::memory_order_relaxed)) return;
    const std::size_t first_chunk = begin / kLanes;
    const std::size_t last_chunk = std::min(begin + pool_tile, padded_) / kLanes;
    for (std::size_t i = first; i < last; ++i) {
      SeekerContext& context = contexts[i - first];
      prepare_back_region(back, context.country, first_chunk, last_chunk);
      context.back = &back;
      if (values_as_before[i - first]) {
        const SeekerContext& before = contexts[i - first - 1];
        context.first_chunk = before.first_chunk;
        context.chunk_region_term = before.chunk_region_term;
        context.chunk_language = before.chunk_language;
        context.chunk_back_language = before.chunk_back_language;
        context.chunk_affinity_term = before.chunk_affinity_term;
      } else {
        prepare_chunk_values(context, first_chunk, last_chunk);
      }
      // Seekers go by country, interest and population, so the one before
      // likely wants alike: its best in this tile are a's first tries.
      seeds.clear();
      if (i > first) {
        for (const Entry& e : heaps[i - first - 1].entries()) {
          const std::uint32_t chunk = e.position / kLanes;
          if (chunk >= first_chunk && chunk < last_chunk) seeds.push_back(chunk);
        }
        std::sort(seeds.begin(), seeds.end());
        seeds.erase(std::unique(seeds.begin(), seeds.end()), seeds.end());
      }
      (this->*scan_)(context, first_chunk, last_chunk, seeds, heaps[i - first], scores);
    }
    tiles_done.fetch_add(1, std::memory_order_relaxed);
  }
  // Components only for the winners, from the same kernel.
  for (std::size_t i = first; i < last; ++i) {
    const std::uint32_t s = seeker_order_[i];
    const std::vector<Entry> best = std::move(heaps[i - first]).sorted();
    SeekerContext& context = contexts[i - first];
    Candidate* out = items.data() + s * stride;
    counts[s] = best.size();
    for (const Entry& e : best) {
      prepare_back_region(back, context.country, e.position / kLanes, e.position / kLanes + 1);
      context.back = &back;
      (this->*details_)(context, e.position / kLanes, scores);
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
      *out++ = c;
    }
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

  // Sizes beyond the problem's mean the whole of it (and must not overflow).
  const std::size_t seekers = wants_.size();
  const std::size_t pool_tile = round_up(std::min(options.pool_tile, padded_), kLanes);
  const std::size_t seeker_tile = std::min(options.seeker_tile, std::max<std::size_t>(seekers, 1));
  const std::size_t blocks = (seekers + seeker_tile - 1) / seeker_tile;
  const std::size_t total = blocks * ((padded_ + pool_tile - 1) / pool_tile);
  unsigned threads =
      options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(blocks, 1)));

  // Each seeker's list is written in place, k slots apart, then closed up:
  // no per-seeker vectors, so the lists are held once, not twice, at the end.
  CandidateLists lists;
  lists.items_.resize(seekers * std::min(options.k, size_));
  std::vector<std::size_t> counts(seekers, 0);
  std::atomic<std::size_t> next_block{0}, tiles_done{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::condition_variable finished_cv;
  unsigned finished = 0;
  std::exception_ptr error;
  auto work = [&] {
    try {
      for (std::size_t block; !stop && (block = next_block++) < blocks;) {
        const std::size_t first = block * seeker_tile;
        score_block(first, std::min(first + seeker_tile, seekers), options, pool_tile, stop,
                    tiles_done, lists.items_, counts);
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
  bool cancelled = false, end_reported = false;
  {
    std::unique_lock<std::mutex> lock(mutex);
    while (true) {
      // Report before waiting, so a callback that cancels at once always
      // cancels, however small the job.
      // Once (total, total) is out, later wake-ups (each worker's end) and
      // the final call have nothing new to say.
      if (options.progress && !stop && !end_reported) {
        lock.unlock();
        bool go_on = true;
        const std::size_t done = tiles_done.load();
        end_reported = done == total;
        try {
          go_on = options.progress(done, total);
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
  if (options.progress && !end_reported) options.progress(total, total);

  for (std::uint32_t position : seeker_position_) lists.seeker_ids_.push_back(id_[position]);
  const std::size_t k = std::min(options.k, size_);
  lists.offsets_.reserve(seekers + 1);
  lists.offsets_.push_back(0);
  for (std::size_t s = 0; s < seekers; ++s) {
    // Down to the end of the list before, which never passes slots not yet
    // moved (std::copy allows that overlap, but not a copy onto itself).
    if (lists.offsets_.back() != s * k) {
      const auto from = lists.items_.begin() + static_cast<std::ptrdiff_t>(s * k);
      std::copy(from, from + static_cast<std::ptrdiff_t>(counts[s]),
                lists.items_.begin() + static_cast<std::ptrdiff_t>(lists.offsets_.back()));
    }
    lists.offsets_.push_back(lists.offsets_.back() + counts[s]);
  }
  lists.items_.resize(lists.offsets_.back());
  return lists;
}

}  // namespace libmatch::detail
