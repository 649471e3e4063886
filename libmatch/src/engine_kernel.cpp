// The scoring kernel and the bounds that prune it, compiled once per
// instruction set (LIBMATCH_KERNEL_ISA; see libmatch/CMakeLists.txt). Every
// definition here is local to this file or a template on the Isa, so the
// variants never share a symbol, and the library picks one at run time.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "engine.hpp"

namespace libmatch::detail {
namespace {

// asin on [0, 1] (Cephes asinf); Eigen 3.4 has no vectorised asin, and its
// select() is scalar, so the two ranges are blended by a 0/1 mask, which is
// exact: one term is always a zero. x is half the chord |u_a - u_b| / 2;
// sum2 = |u_a + u_b|^2 = 4 (1 - x^2) gives 1 - x without the cancellation
// that would cost kilometres near antipodes, where x is close to 1.
EIGEN_STRONG_INLINE Lanes asin_unit(const Lanes& x, const Lanes& sum2) {
  const Lanes big = ((x - 0.5f) * 1e30f).max(0.0f).min(1.0f);  // 1 where x > 0.5
  const Lanes small = 1.0f - big;
  const Lanes z = big * (0.125f * sum2 / (1.0f + x)) + small * (x * x);
  const Lanes s = big * z.sqrt() + small * x;
  const Lanes p =
      ((((4.2163199048e-2f * z + 2.4181311049e-2f) * z + 4.5470025998e-2f) * z + 7.4953002686e-2f) *
           z +
       1.6666752422e-1f) *
          z * s +
      s;
  return big * (static_cast<float>(M_PI_2) - 2.0f * p) + small * p;
}

// The pair's score from the two directions (monotone in both, so bounds in
// give a bound out).
EIGEN_STRONG_INLINE Lanes both_ways(Reciprocity reciprocity, const Lanes& forward,
                                    const Lanes& backward) {
  switch (reciprocity) {
    case Reciprocity::geometric_mean:
      return (forward * backward).sqrt();
    case Reciprocity::arithmetic_mean:
      return 0.5f * (forward + backward);
    case Reciprocity::minimum:
      return forward.min(backward);
    case Reciprocity::seeker_only:
      break;
  }
  return forward;
}

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

}  // namespace

template <Isa I, bool kDetails>
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
  const Lanes gap = (log_population - a.log_population_double).cast<float>();
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

  c.cosine = cosine<I>(a, chunk);

  // Distance: from the chord between unit vectors, which keeps its
  // precision for near cities where 1 - dot would cancel.
  c.distance = Lanes::Zero();
  Lanes distance_km = Lanes::Zero();
  if (weights_[4] > 0) {
    Lanes chord2 = Lanes::Zero(), sum2 = Lanes::Zero();
    for (int k = 0; k < 3; ++k) {
      chord2 += (unit.col(k).array() - a.unit[k]).square();
      sum2 += (unit.col(k).array() + a.unit[k]).square();
    }
    const Lanes half_chord = (chord2.sqrt() * 0.5f).min(1.0f);
    distance_km = 2.0f * asin_unit(half_chord, sum2) * static_cast<float>(kEarthRadiusKm);
    const Lanes decay = (distance_km * inv_distance_scale_).exp();
    c.distance = config_.distance_preference == DistancePreference::near ? decay : 1.0f - decay;
  }

  // The candidate's own view, where it seeks: its wanted areas and
  // languages judged on a.
  c.back_region = c.back_language = Lanes::Zero();
  if (any_seeker) {
    c.back_region =
        Eigen::Map<const Lanes>(a.back->value.data() + (chunk - a.back->first_chunk) * kLanes);
    Lanes back_share = Lanes::Zero();
    for (std::uint32_t s = want_slot_begin_[chunk]; s < want_slot_begin_[chunk + 1]; ++s) {
      const std::int32_t* wanted = want_slot_language_.data() + s * kLanes;
      for (int lane = 0; lane < kLanes; ++lane) back_share[lane] += a.share[wanted[lane]];
    }
    back_share = back_share.min(1.0f);
    c.back_language = overlap + (1.0f - overlap) * back_share;
  }
  out.score = combine<I>(a, chunk, c, kDetails ? &out : nullptr);

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

template <Isa I>
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

template <Isa I>
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
    // exact: seeks is 0 or 1
    score = seeks * both_ways(config_.reciprocity, forward, backward) + (1.0f - seeks) * forward;
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

template <Isa I>
std::uint32_t Engine::chunks_may_reach(const SeekerContext& a, std::size_t first,
                                       float threshold) const {
  const Wants& wants = *a.wants;
  const std::size_t offset = first - a.first_chunk;
  auto range = [&](const std::vector<float>& values) {
    return Eigen::Map<const Lanes>(values.data() + first);
  };
  const Lanes gap = ((range(ranges_.log_population_min) - a.log_population)
                         .max(a.log_population - range(ranges_.log_population_max)) -
                     gap_slack_)
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
  const Eigen::Map<const Lanes> back_region(a.back->max.data() + (first - a.back->first_chunk));

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
  const Lanes combined = both_ways(config_.reciprocity, forward, backward);
  // Chunks where every lane seeks score combined; where none does, forward.
  const Lanes seeks_low = range(ranges_.seeks[0]), seeks_high = range(ranges_.seeks[1]);
  const Lanes score = (combined * seeks_high).max(forward * (1.0f - seeks_low));
  const auto reach = score * (1.0f + 1e-4f) + 1e-6f >= threshold;
  std::uint32_t bits = 0;
  for (int i = 0; i < kLanes; ++i) bits |= static_cast<std::uint32_t>(reach[i]) << i;
  return bits;
}

template <Isa I>
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
  const Lanes gap = ((log_population - a.log_population).abs() - gap_slack_).max(0.0f);
  const Lanes population = exp_upper<Lanes>(gap * gap * inv_two_sigma2_) + kSlack;
  const std::size_t offset = chunk - a.first_chunk;
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
  c.cosine = cosine<I>(a, chunk);
  c.distance = distance;
  c.back_region = Lanes::Zero();
  if (chunk_has_seeker_[chunk] != 0) {
    c.back_region =
        Eigen::Map<const Lanes>(a.back->value.data() + (chunk - a.back->first_chunk) * kLanes);
  }
  c.back_language = Lanes::Constant(a.chunk_back_language[offset]);
  return (combine<I>(a, chunk, c, nullptr) >= threshold).any();
}

template <Isa I>
void Engine::scan(SeekerContext& a, std::size_t first_chunk, std::size_t last_chunk,
                  const std::vector<std::uint32_t>& seeds, TopK& heap, ChunkScores& scores) const {
  const auto offer = [&](std::size_t chunk) {
    const float threshold = heap.threshold();
    score_chunk<I, false>(a, chunk, scores);
    const auto hits = scores.pass && scores.score >= threshold;
    if (!hits.any()) return;
    for (int lane = 0; lane < kLanes; ++lane) {
      const auto b = static_cast<std::uint32_t>(chunk * kLanes + lane);
      // The threshold may have risen since the chunk began.
      if (hits[lane] && scores.score[lane] >= heap.threshold() && allowed(a, b)) {
        heap.offer({scores.score[lane], id_[b], b});
      }
    }
  };
  for (std::uint32_t chunk : seeds) offer(chunk);
  auto seed = seeds.begin();
  for (std::size_t group = first_chunk; group < last_chunk; group += kLanes) {
    const std::size_t count = std::min<std::size_t>(kLanes, last_chunk - group);
    std::uint32_t candidates = count == kLanes ? 0xffffu : (1u << count) - 1;
    if (heap.full()) candidates &= chunks_may_reach<I>(a, group, heap.threshold());
    for (std::size_t chunk = group; candidates != 0; ++chunk, candidates >>= 1) {
      if ((candidates & 1) == 0) continue;
      if (heap.full() && !may_reach<I>(a, chunk, heap.threshold())) continue;
      while (seed != seeds.end() && *seed < chunk) ++seed;
      if (seed != seeds.end() && *seed == chunk) continue;  // offered already
      offer(chunk);
    }
  }
}

template <Isa I>
void Engine::score_details(const SeekerContext& a, std::size_t chunk, ChunkScores& out) const {
  score_chunk<I, true>(a, chunk, out);
}

template void Engine::scan<Isa::LIBMATCH_KERNEL_ISA>(SeekerContext&, std::size_t, std::size_t,
                                                     const std::vector<std::uint32_t>&, TopK&,
                                                     ChunkScores&) const;
template void Engine::score_details<Isa::LIBMATCH_KERNEL_ISA>(const SeekerContext&, std::size_t,
                                                              ChunkScores&) const;

}  // namespace libmatch::detail
