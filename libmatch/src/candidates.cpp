#include "libmatch/candidates.hpp"

#include "engine.hpp"

namespace libmatch {

Scorer::Scorer(const CityTable& pool, const Seekers& seekers, const ScoringConfig& config)
    : engine_(std::make_unique<detail::Engine>(pool, seekers, config)) {}
Scorer::~Scorer() = default;
Scorer::Scorer(Scorer&&) noexcept = default;
Scorer& Scorer::operator=(Scorer&&) noexcept = default;

CandidateLists Scorer::candidates(const CandidateOptions& options) const {
  return engine_->candidates(options);
}

Explanation Scorer::explain(std::int64_t a, std::int64_t b) const { return engine_->explain(a, b); }

CandidateLists candidates(const CityTable& pool, const Seekers& seekers,
                          const ScoringConfig& config, const CandidateOptions& options) {
  return Scorer(pool, seekers, config).candidates(options);
}

}  // namespace libmatch
