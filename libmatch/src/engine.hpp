// The scoring engine behind Scorer: the pool laid out for vectorised
// scoring, the per-seeker wants, and the one kernel that scores a seeker
// against a chunk of kLanes pool cities.
//
// Determinism: every score comes out of score_chunk() for a fixed chunk of
// the internal order, whatever the tile size or thread count, and explain()
// calls the same kernel; so candidates() and explain() agree bit for bit and
// results never depend on how the work was split.
#pragma once

#include <array>
#include <atomic>
#include <bitset>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "libmatch/candidates.hpp"

#include "engine_isa.hpp"

namespace libmatch::detail {

inline constexpr int kLanes = 16;
using Lanes = Eigen::Array<float, kLanes, 1>;
// The kernel variants and the rest of the library share these structures:
// the build fixes Eigen's alignment so that their layout is the same.
static_assert(alignof(Lanes) == 64, "compile with EIGEN_MAX_STATIC_ALIGN_BYTES=64");
inline constexpr float kInfinity = std::numeric_limits<float>::infinity();
// The rank of a score of 0 in the geometric mean's log domain: finite, so
// that ranks blend by 0/1 flags (0 * -inf would be NaN), and exp() of it is 0.
inline constexpr float kLowestRank = -1e30f;
// Added to each component's upper bound: far above the kernel's rounding
// and the error of its exp and asin approximations.
inline constexpr float kSlack = 1e-5f;
inline constexpr int kMaxCountries = 256;
inline constexpr double kEarthRadiusKm = 6371.0088;  // IUGG mean radius
using CountrySet = std::bitset<kMaxCountries>;

// A seeker's wants, resolved to indices once.
struct Wants {
  CountrySet full;     // countries meeting a wanted country or area: region = 1
  CountrySet partial;  // on a wanted continent only: region = continent_credit
  bool any_region = true;
  double population_min = -1;  // hard bounds, linear; -1 / +inf when open
  double population_max = 0;
  float log_min = 0, log_max = 0;  // the same bounds in ln, for the soft mode
  // Wanted, as pool language indices; one a language no pool city speaks
  // becomes the index past the last (share 0 everywhere).
  std::vector<std::int32_t> languages;
  std::vector<std::uint32_t> excluded;  // positions, sorted
  bool same_country = false;
};

// How well a country meets the wants of each pool city in chunks
// [first_chunk, last_chunk), by lane and the largest per chunk (and kLanes
// more, for whole vectors). One per thread, kept while the country and the
// tile stay the same, as they mostly do (seekers go by country).
struct BackRegion {
  std::vector<float> value, term, max_term;  // max_term: of term, per chunk
  int country = -1;
  std::size_t first_chunk = 0, last_chunk = 0;
};

// Scratch tables for one seeker, for every tile of its block.
struct SeekerContext {
  std::uint32_t position = 0;  // the seeker's own position in the pool order
  int country = 0;
  int state = 0;  // see Engine::state_
  const Wants* wants = nullptr;
  float log_population = 0;
  double log_population_double = 0;
  double population = 0;
  // The non-zero entries of the unit interest vector, by increasing index:
  // the cosine then costs one multiply-add per interest the seeker has.
  std::array<int, kInterestCount> interest_index{};
  std::array<float, kInterestCount> interest_weight{};
  int interest_count = 0;
  Eigen::Vector3f unit;  // on the unit sphere
  bool has_interests = false, has_languages = false;
  // By candidate country: the region value, and it and the affinity as
  // the mean takes them (Engine::as_term).
  std::array<float, kMaxCountries> region{}, region_term{};
  const float* affinity = nullptr;
  const float* affinity_term = nullptr;
  float activity = 0, activity_term = 0;  // the seeker's own, for the candidate's view
  // By language index, with one zero slot at the end for padding lanes.
  std::vector<float> wanted, share;
  const BackRegion* back = nullptr;  // for the seeker's country
  // Per chunk from first_chunk (and kLanes more, for whole vectors): upper
  // bounds of the region and affinity terms, of language and of the
  // candidate's language component.
  std::vector<float> chunk_region_term, chunk_language, chunk_back_language, chunk_affinity_term;
  std::size_t first_chunk = 0;
};

// A chunk's ranges and unions, for bounding its scores before running the
// kernel (padding lanes left out).
struct ChunkBound {
  double population_min = 0, population_max = 0;  // for a's hard range
  double back_min_low = 0, back_max_high = 0;     // the widest of the seekers' ranges
  int single_state = -1;  // the state of every city of the chunk, or -1 (see state_)
  // Into Engine::chunk_countries_, chunk_languages_, chunk_wanted_.
  std::uint32_t countries_begin = 0, countries_end = 0;
  std::uint32_t languages_begin = 0, languages_end = 0;
  std::uint32_t wanted_begin = 0, wanted_end = 0;
  // The lists are those of the chunk before: seekers reuse their values.
  bool languages_as_before = false, wanted_as_before = false;
};

// Ranges of every chunk, chunk-minor so that one vector bounds kLanes
// chunks at once; padded by kLanes chunks.
struct ChunkRanges {
  std::vector<float> log_population_min, log_population_max;
  std::array<std::vector<float>, 3> box_min, box_max;  // of the unit vectors
  std::vector<float> interest_max;                     // [interest][chunk], the largest weight
  std::vector<float> activity_term_max;
  // Lowest and highest per-lane flag: has languages, has interests, seeks,
  // seeks particular regions.
  std::array<std::vector<float>, 2> has_languages, has_interests, seeks, back_region_present;
  std::size_t stride = 0;  // chunks, padding included
};

// A language of some city of a chunk, with its largest share there.
struct ChunkLanguage {
  std::int32_t language;
  float share;
};

// Component values (or upper bounds of them) for one seeker and one chunk,
// before they are weighted; or the same as the mean takes them (terms).
struct Components {
  Lanes population, region, language, cosine, distance, affinity, activity;
  Lanes back_population, back_region, back_language, back_activity;
};

// Everything the kernel produces for one seeker and one chunk.
struct ChunkScores {
  Lanes score;     // final (reciprocal where the candidate seeks)
  Lanes forward;   // a's view
  Lanes backward;  // b's view (0 where b does not seek)
  std::array<Lanes, kComponentCount> value, present;            // forward
  std::array<Lanes, kComponentCount> back_value, back_present;  // backward
  Lanes distance_km;
  Eigen::Array<bool, kLanes, 1> pass;  // vectorised filters (not self/excluded)
};

struct Entry {
  float score;
  std::int64_t id;
  std::uint32_t position;
};

// The ranking order: higher score first, ties to the lower id.
inline bool better(const Entry& x, const Entry& y) {
  return x.score > y.score || (x.score == y.score && x.id < y.id);
}

// Bounded top-k: a heap whose front is the worst entry kept. The kernel
// reads only the inline members; offers go through engine.cpp.
class TopK {
 public:
  explicit TopK(std::size_t k) : k_(k) { entries_.reserve(k); }
  bool full() const { return entries_.size() == k_; }
  // The score to reach: the worst kept once full, -infinity before.
  float threshold() const { return threshold_; }
  void offer(const Entry& e);
  const std::vector<Entry>& entries() const { return entries_; }  // in heap order
  std::vector<Entry> sorted() &&;

 private:
  std::size_t k_;
  float threshold_ = -kInfinity;
  std::vector<Entry> entries_;
};

class Engine {
 public:
  Engine(const CityTable& pool, const Seekers& seekers, const ScoringConfig& config);

  CandidateLists candidates(const CandidateOptions& options) const;
  Explanation explain(std::int64_t a, std::int64_t b) const;

 private:
  void prepare_context(SeekerContext& context, std::uint32_t position, const Wants& wants) const;
  void prepare_back_region(BackRegion& back, int country, std::size_t first_chunk,
                           std::size_t last_chunk) const;
  // The kernel, for one instruction set (engine_kernel.cpp). Both
  // instantiations do the same arithmetic in the same order (the kernel is
  // compiled with -ffp-contract=off, so neither can fuse differently);
  // kDetails only adds the stores of components for explain().
  template <Isa I, bool kDetails>
  void score_chunk(const SeekerContext& a, std::size_t chunk, ChunkScores& out) const;
  // False only when no lane of the chunk can score the threshold or more
  // (given as its rank, rank_of()). It feeds upper bounds of the components'
  // terms through combine(), the kernel's own arithmetic: IEEE operations
  // are monotone, so the float bound is at least the float rank, and
  // pruning never changes a result.
  template <Isa I>
  bool may_reach(const SeekerContext& a, std::size_t chunk, float threshold_rank) const;
  // A first test of the same kind for kLanes chunks from `first` at once,
  // on their ranges: cheaper, looser, and safe by a relative margin far
  // above its rounding. Bit i is set when chunk first + i may reach.
  template <Isa I>
  std::uint32_t chunks_may_reach(const SeekerContext& a, std::size_t first,
                                 float threshold_rank) const;
  // The weighted means of both views and their combination, shared by the
  // kernel and the bound, from the components' terms; `values` and
  // `details` are for explain(). Returns the score's rank: the score
  // (arithmetic), or its logarithm (geometric), so that the bounds of the
  // geometric mean need no exp() and compare with the threshold's log.
  template <Isa I>
  Lanes combine(const SeekerContext& a, std::size_t chunk, const Components& terms,
                const Components* values, ChunkScores* details) const;
  // The two views' ranks combined by the reciprocity rule.
  template <Isa I>
  Lanes both_ways(const Lanes& forward, const Lanes& backward) const;
  // x where the flag is 1, and the lowest rank where it is 0.
  template <Isa I>
  Lanes keep(const Lanes& x, const Lanes& flag) const;
  // A score from its rank, and the rank of a threshold.
  template <Isa I>
  Lanes score_of(const Lanes& rank) const;
  float rank_of(float score) const {
    if (!geometric_) return score;
    return score > 0 ? std::log(score) : -kInfinity;
  }
  template <Isa I>
  Lanes cosine(const SeekerContext& a, std::size_t chunk) const;
  // The population fall-off's exponent x (the value is exp(-x)) for gaps of
  // ln population >= 0.
  template <Isa I>
  Lanes falloff(const Lanes& gap) const;
  // A lower bound of falloff().
  template <Isa I>
  Lanes falloff_bound(const Lanes& gap) const;
  // The distance component from -d / scale, and an upper bound of it from
  // lower and upper bounds of d / scale.
  template <Isa I>
  Lanes distance_value(const Lanes& scaled) const;
  template <Isa I>
  Lanes distance_bound(const Lanes& low, const Lanes& high) const;
  // A value as the mean takes it: itself (arithmetic) or
  // ln(floor + (1 - floor) v) (geometric).
  template <Isa I>
  Lanes term(const Lanes& value) const;
  // The mean's rank from its numerator and denominator: n / d, and 0
  // (arithmetic) or the lowest rank (geometric) where nothing counts.
  template <Isa I>
  Lanes mean(const Lanes& numerator, const Lanes& denominator) const;
  // The scalar term(), for the tables of looked-up components.
  float as_term(float value) const;
  // Offers a's scores on chunks [first_chunk, last_chunk) to its heap,
  // skipping the chunks that cannot enter it. `seeds` (sorted chunks of the
  // range) go first: chunks likely to hold a's best raise its threshold
  // early, so that the bounds skip more of the rest.
  template <Isa I>
  void scan(SeekerContext& a, std::size_t first_chunk, std::size_t last_chunk,
            const std::vector<std::uint32_t>& seeds, TopK& heap, ChunkScores& scores) const;
  template <Isa I>
  void score_details(const SeekerContext& a, std::size_t chunk, ChunkScores& out) const;
  // The variant chosen at construction.
  void (Engine::*scan_)(SeekerContext&, std::size_t, std::size_t, const std::vector<std::uint32_t>&,
                        TopK&, ChunkScores&) const;
  void (Engine::*details_)(const SeekerContext&, std::size_t, ChunkScores&) const;
  // Fills a's chunk tables.
  void prepare_chunk_values(SeekerContext& a, std::size_t first_chunk,
                            std::size_t last_chunk) const;
  // Self and exclusions: rare, so checked only for lanes that would enter a
  // top-k list.
  bool allowed(const SeekerContext& a, std::uint32_t b) const;
  bool known_partners(std::uint32_t a, std::uint32_t b) const;
  // Fills affinity_, pair_count_ and pair_expected_ from the config.
  void prepare_affinity();
  // Scores seekers [first, last) against the whole pool, tile by tile, and
  // writes seeker s's list to items from s * min(k, pool), its length to
  // counts[s].
  void score_block(std::size_t first, std::size_t last, const CandidateOptions& options,
                   std::size_t pool_tile, const std::atomic<bool>& stop,
                   std::atomic<std::size_t>& tiles_done, std::vector<Candidate>& items,
                   std::vector<std::size_t>& counts) const;

  ScoringConfig config_;
  float inv_two_sigma2_ = 0;
  float inv_sigma_ = 0, shape_ = 2, inv_shape_ = 0.5f;  // the population fall-off
  bool gaussian_ = true, laplace_ = false;              // shape 2 and 1: no pow
  bool geometric_ = false;
  float floor_ = 0, one_minus_floor_ = 1;
  // What the bounds take off a gap of float log populations: kSlack, and
  // the rounding of logs as large as the pool's (their float spacing passes
  // kSlack beyond |ln p| = 128).
  float gap_slack_ = kSlack;
  float inv_distance_scale_ = 0;  // -1 / distance_scale_km
  // Affinity by country pair, [a][b], kMaxCountries wide, and its terms;
  // and what explain() tells of it: known partnerships and what chance gives.
  std::vector<float> affinity_, affinity_term_;
  std::vector<double> pair_count_, pair_expected_;
  std::array<float, kComponentCount> weights_{};
  std::size_t size_ = 0, padded_ = 0, language_count_ = 0;

  // The pool, by position (sorted by country, then row; padded to kLanes).
  std::vector<std::uint32_t> row_;       // table row of a position
  std::vector<std::uint32_t> position_;  // position of a table row
  std::vector<std::int64_t> id_;
  std::vector<std::pair<std::int64_t, std::uint32_t>> by_id_;  // (id, position), sorted
  std::vector<std::int16_t> country_;
  // What the same-country rule compares: the sovereign state's index, or
  // the country's (ScoringConfig::compare_sovereign_states).
  std::vector<std::int16_t> state_;
  std::vector<double> population_;
  std::vector<double> log_population_;
  std::vector<float> log_population_float_;  // for bounds only
  std::vector<float> interests_;             // chunk-major: [chunk][interest][lane]
  std::vector<float> unit_;                  // chunk-major: [chunk][xyz][lane]
  std::vector<float> has_interests_, has_languages_;
  std::vector<float> activity_, activity_term_;  // of each position
  std::vector<double> activity_rate_;
  // Known partners of each position: [partner_begin_[p], [p + 1]), sorted.
  std::vector<std::uint32_t> partner_begin_, partner_position_;
  bool has_partnerships_ = false;
  std::vector<std::string> name_;  // by position, for explain()'s words
  std::vector<float> valid_;       // 0 for the padding past the last city
  // Language slots per chunk: chunk c owns slot rows [slot_begin_[c], [c+1]).
  std::vector<std::uint32_t> slot_begin_;
  std::vector<std::int32_t> slot_language_;  // [slot row][lane]
  std::vector<float> slot_share_;

  // Seekers. seeker_of_ is -1 for positions that do not seek.
  std::vector<std::int32_t> seeker_of_;
  std::vector<std::uint32_t> seeker_position_;
  std::vector<std::uint32_t> seeker_order_;  // seekers by position: by country
  std::vector<std::uint8_t> chunk_has_seeker_;
  // Per country, a bit per position: the city there seeks and wants the
  // country (fully: region 1; partly: on a wanted continent only).
  std::size_t position_words_ = 0;
  std::vector<std::uint64_t> wanted_by_country_, partly_wanted_by_country_;
  std::vector<Wants> wants_;
  Wants no_wants_;  // for explain() of a city that does not seek
  // For the candidate's own view: its bounds and its wanted languages.
  std::vector<double> back_min_, back_max_;
  std::vector<float> back_log_min_, back_log_max_;
  std::vector<float> seeks_;                 // 1 where the position seeks
  std::vector<float> back_same_country_;     // 1 unless it seeks and refuses its own country
  std::vector<float> back_region_present_;   // 1 where it seeks particular regions
  std::vector<float> back_wants_languages_;  // 1 where it wants some language
  // Wanted-language slots per chunk, laid out like the language slots.
  std::vector<std::uint32_t> want_slot_begin_;
  std::vector<std::int32_t> want_slot_language_;
  // Per chunk: what may_reach() bounds with.
  std::vector<ChunkBound> chunk_bounds_;
  ChunkRanges ranges_;
  std::vector<std::int16_t> chunk_countries_;
  std::vector<ChunkLanguage> chunk_languages_;
  std::vector<std::int32_t> chunk_wanted_;  // languages some seeker of the chunk wants
};

}  // namespace libmatch::detail
