"""benchmarks/compare/numpy_scoring.py gives libmatch's top-k: the NumPy comparison is fair.

The random pools have multilingual cities (speaker shares summing above 1)
and a territory (PR, of one state with the US for the same-country rule).

The NumPy implementation is float64 and the C++ engine float32, so scores
agree to 1e-5; ids agree exactly except where two candidates' scores are
within that tolerance of each other (then either order is right).
"""

import pathlib
import sys

import numpy as np
import pandas as pd
import pytest

import libmatch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "benchmarks" / "compare"))
import numpy_scoring  # noqa: E402

COUNTRIES = {
    "US": {"en": 0.78, "es": 0.13}, "MX": {"es": 0.93}, "BR": {"pt": 0.98}, "FR": {"fr": 0.95},
    "DE": {"de": 0.95, "tr": 0.02}, "CH": {"de": 0.62, "fr": 0.23, "it": 0.08}, "JP": {"ja": 0.99},
    "KE": {"sw": 0.6, "en": 0.3}, "NG": {"en": 0.5, "ha": 0.2, "yo": 0.2}, "AU": {"en": 0.9},
    "IN": {"hi": 0.44, "en": 0.1}, "CA": {"en": 0.56, "fr": 0.21}, "NZ": {}, "EG": {"ar": 0.98},
    # Speaker shares as CLDR gives them, summing above 1 (bilingual people
    # count once per language); two Luxembourg cities' overlap is capped at 1.
    "LU": {"lb": 0.9, "fr": 0.95, "de": 0.9, "en": 0.6}, "BE": {"nl": 0.6, "fr": 0.45, "en": 0.5, "de": 0.1},
    "DK": {"da": 0.93, "en": 0.86, "de": 0.47}, "MA": {"ary": 0.87, "ar": 0.62, "fr": 0.36, "en": 0.14},
    "PR": {"es": 0.95, "en": 0.5},  # a territory: of one state with US cities
}
AREAS = ["Western Europe", "Europe", "Americas", "South America", "Eastern Asia",
         "Sub-Saharan Africa", "Latin America and the Caribbean", "Asia", "Oceania", "Northern America"]


def random_instance(seed, n=300, seekers=120):
    rng = np.random.default_rng(seed)
    codes = list(COUNTRIES)
    rows = []
    for i in range(n):
        country = codes[rng.integers(len(codes))]
        interests = {}
        if rng.random() < 0.6:
            for name in libmatch.INTERESTS:
                if rng.random() < 0.25:
                    interests[name] = float(np.round(0.2 + rng.random(), 3))
        rows.append({
            "id": int(1000 + 7 * i), "name": f"c{i}", "country": country,
            "lat": float(rng.uniform(-60, 60)), "lon": float(rng.uniform(-170, 170)),
            "population": float(np.round(15000 / (1 - rng.random() * 0.999) ** (1 / 0.9))),
            "languages": dict(COUNTRIES[country]), "interests": interests,
        })
    cities = pd.DataFrame(rows)
    chosen = rng.choice(n, size=seekers, replace=False)
    profiles = []
    for r in chosen:
        p = {"id": int(cities.id[r])}
        if rng.random() < 0.5:
            p["regions"] = [AREAS[rng.integers(len(AREAS))]]
        if rng.random() < 0.2:
            p["countries"] = [codes[rng.integers(len(codes))]]
        if rng.random() < 0.3:
            p["population_min"] = float(cities.population[r] / 10)
        if rng.random() < 0.3:
            p["population_max"] = float(cities.population[r] * 10)
        if rng.random() < 0.3:
            p["languages"] = [["en", "fr", "es", "xx"][rng.integers(4)]]
        if rng.random() < 0.4:
            p["interests"] = list(rng.choice(libmatch.INTERESTS, size=2, replace=False))
        if rng.random() < 0.2:
            p["exclude"] = [int(cities.id[rng.integers(n)])]
            if p["exclude"][0] == p["id"]:
                del p["exclude"]
        if rng.random() < 0.15:
            p["same_country"] = True
        profiles.append(p)
    return cities, profiles


def lists_by_seeker(frame, seeker_ids, k):
    ids = np.full((len(seeker_ids), k), -1, dtype=np.int64)
    scores = np.full((len(seeker_ids), k), np.nan)
    index = {int(s): i for i, s in enumerate(seeker_ids)}
    for s, c, rank, score in frame[["seeker_id", "candidate_id", "rank", "score"]].itertuples(index=False):
        ids[index[int(s)], int(rank) - 1] = c
        scores[index[int(s)], int(rank) - 1] = score
    return ids, scores


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("distance", [0.0, 0.7])
def test_numpy_scoring_matches_pool_candidates(seed, distance):
    k = 15
    cities, profiles = random_instance(seed)
    config = libmatch.ScoringConfig(weights=libmatch.Weights(distance=distance))
    expected = libmatch.Pool(cities, config).candidates(profiles, k=k)
    ids, scores = lists_by_seeker(expected, [p["id"] for p in profiles], k)

    scorer = numpy_scoring.NumpyScorer(cities, profiles, weights={"distance": distance})
    got = scorer.candidates(k=k, chunk=37)  # a chunk size that does not divide the seekers

    assert np.array_equal(np.isnan(scores), np.isnan(got["scores"]))  # same list lengths
    np.testing.assert_allclose(got["scores"], scores, rtol=0, atol=1e-5)
    differ = ids != got["ids"]
    # A different id only where two scores of the list are within 1e-5.
    for s, r in zip(*np.nonzero(differ)):
        row = scores[s][~np.isnan(scores[s])]
        assert np.min(np.abs(np.delete(row, r) - row[r])) < 1e-5, (s, r)
    assert differ.mean() < 0.01


def test_numpy_scoring_world_sample():
    """The bundled world pool, every city a seeker (the benchmark's input), on a subset."""
    cities = libmatch.datasets.world_cities()
    cities = cities.iloc[::20].reset_index(drop=True)  # about 1,700 cities
    # The NumPy reference implements the hand-made formulas (README, Scoring).
    pool = libmatch.Pool(cities, libmatch.ScoringConfig(), partnerships=None)
    expected = pool.candidates(cities[["id"]], k=20)
    ids, scores = lists_by_seeker(expected, cities.id, 20)
    got = numpy_scoring.NumpyScorer(cities, cities[["id"]]).candidates(k=20)
    np.testing.assert_allclose(got["scores"], scores, rtol=0, atol=1e-5)
    differ = ids != got["ids"]
    # A different id only where the engine scores NumPy's city as its own
    # (a tie within 1e-5, which may be with a city past the list's end).
    for s, r in zip(*np.nonzero(differ)):
        seeker = int(cities.id[s])
        assert abs(pool.explain(seeker, int(got["ids"][s][r]))["score"] - scores[s][r]) < 1e-5, (s, r)
