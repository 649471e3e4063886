"""Tests of libmatch.fit (libmatch.learning): the learned scoring configuration.

Synthetic pools and partnerships drawn from the model itself check that the
fit recovers what was planted; the leave-one-out rule is checked on the
feature function directly; the NumPy scorer is checked against the
component formulas; a held-out split of a sample of the bundled
partnerships checks that the learned config beats population alone.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from libmatch import datasets
from libmatch import learning as lmfit

COUNTRIES = ["DE", "FR", "PL", "IT", "ES", "JP"]


def synthetic_pool(n_per_country: int = 120, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    centres = {"DE": (51, 10), "FR": (47, 2), "PL": (52, 19), "IT": (43, 12), "ES": (40, -4), "JP": (36, 138)}
    langs = {"DE": "de:0.95", "FR": "fr:0.93;en:0.1", "PL": "pl:0.97", "IT": "it:0.95", "ES": "es:0.9;ca:0.1",
             "JP": "ja:0.98"}
    cid = 1
    for c in COUNTRIES:
        lat0, lon0 = centres[c]
        for _ in range(n_per_country):
            rows.append({"id": cid, "name": f"{c}{cid}", "country": c, "lat": lat0 + rng.normal(0, 2),
                         "lon": lon0 + rng.normal(0, 3), "population": int(np.exp(rng.uniform(np.log(2e4), np.log(3e6)))),
                         "languages": langs[c]})
            cid += 1
    return pd.DataFrame(rows)


def draw_partnerships(pool: pd.DataFrame, utility, n_pairs: int, seed: int) -> pd.DataFrame:
    """Pairs drawn from a softmax over other-country cities of utility(seeker_row, all_rows)."""
    rng = np.random.default_rng(seed)
    country = pool["country"].to_numpy()
    ids = pool["id"].to_numpy()
    seen = set()
    while len(seen) < n_pairs:
        i = int(rng.integers(len(pool)))
        u = utility(i)
        u = np.where(country == country[i], -np.inf, u)
        p = np.exp(u - u.max())
        j = int(rng.choice(len(pool), p=p / p.sum()))
        seen.add((min(ids[i], ids[j]), max(ids[i], ids[j])))
    a, b = zip(*sorted(seen))
    return pd.DataFrame({"a": np.array(a, np.int64), "b": np.array(b, np.int64)})


@pytest.fixture(scope="module")
def planted():
    """Partners chosen by distance (near, 800 km, weight 3), size (sigma 1.5, weight 2) and a DE-JP affinity."""
    pool = synthetic_pool()
    arrays = lmfit._PoolArrays(pool)
    eps = 0.01
    country = pool["country"].to_numpy()

    def utility(i):
        d = arrays.distance_km(np.full(arrays.n, i), np.arange(arrays.n))
        g = np.abs(arrays.ln_pop - arrays.ln_pop[i])
        u = 3.0 * lmfit._t(lmfit.distance_value(d, 800.0, "near"), eps)
        u += 2.0 * lmfit._t(lmfit.population_value(g, 1.5, 2.0), eps)
        de_jp = ((country[i] == "DE") & (country == "JP")) | ((country[i] == "JP") & (country == "DE"))
        return u + np.where(de_jp, 5.0, 0.0)

    pairs = draw_partnerships(pool, utility, 1200, seed=2)
    return pool, pairs


@pytest.fixture(scope="module")
def fitted(planted):
    pool, pairs = planted
    return lmfit.fit(pool, pairs, seed=3)


def test_fit_layout_and_determinism(planted, fitted):
    pool, pairs = planted
    first = dict(fitted)
    second = lmfit.fit(pool, pairs, seed=3)
    first_fit, second_fit = first.pop("fit"), second.pop("fit")
    assert first == second
    assert first_fit["log_likelihood"] == second_fit["log_likelihood"]
    json.dumps(first)  # plain JSON-able
    assert first["format"] == "libmatch.scoring/1"
    assert set(first["weights"]) == set(lmfit.COMPONENT_NAMES)
    assert all(w >= 0 for w in first["weights"].values())
    learned = {k: first["weights"][k] for k in lmfit.LEARNED}
    assert first["weights"]["region"] == first["weights"]["interests"] == max(learned.values())
    assert first["combination"] == "geometric" and 0 < first["geometric_floor"] < 1
    assert 0.5 <= first["population_shape"] <= 4 and first["population_sigma"] > 0
    assert first["distance_preference"] in lmfit.PREFERENCES
    cp = first["country_pairs"]
    assert cp == sorted(cp) and all(x <= y for x, y, _ in cp)
    assert sum(n for _, _, n in cp) == len(pairs)
    assert first_fit["pairs"] == len(pairs) and first_fit["events"] == 2 * first_fit["pairs_used"]
    assert first_fit["log_likelihood_per_event"] > first_fit["log_likelihood_per_event_uniform"]
    other_seed = lmfit.fit(pool, pairs, seed=4, preferences=("near",))
    assert other_seed["weights"] != first["weights"]  # the seed draws the negatives


def test_fit_recovers_planted_model(fitted):
    """The learned utility curves follow the planted ones.

    Only the curves are identified where the floor is not reached (w / sigma^2
    for a Gaussian, w / scale for near), and the country affinity absorbs
    part of the distance between countries, so the curves are compared, not
    the raw parameters.
    """
    config = fitted
    w = config["weights"]
    eps = config["geometric_floor"]
    assert config["distance_preference"] == "near"
    assert w["language"] < 0.1 * w["population"]  # languages are one per country: no signal
    for g in (0.5, 1.0, 1.5):
        learned = w["population"] * lmfit._t(lmfit.population_value(g, config["population_sigma"],
                                                                     config["population_shape"]), eps)
        planted = 2.0 * lmfit._t(lmfit.population_value(g, 1.5, 2.0), eps)
        assert 0.65 < learned / planted < 1.5, (g, learned, planted)
    for d in (200.0, 500.0, 1000.0):
        learned = w["distance"] * (lmfit._t(lmfit.distance_value(d, config["distance_scale_km"], "near"), eps)
                                   - lmfit._t(lmfit.distance_value(0.0, 1.0, "near"), eps))
        planted = 3.0 * lmfit._t(lmfit.distance_value(d, 800.0, "near"), eps)
        assert 0.6 < learned / planted < 1.5, (d, learned, planted)
    # The planted DE-JP affinity is learned: DE-JP scores far above chance,
    # pairs between other countries near or below it.
    assert w["affinity"] > 0.5
    cp = {(x, y): n for x, y, n in config["country_pairs"]}
    total = sum(cp.values())
    ends = {c: sum(n * ((x == c) + (y == c)) for (x, y), n in cp.items()) for c in COUNTRIES}

    def affinity(x, y):
        x, y = min(x, y), max(x, y)
        e = lmfit.expected_pairs(ends[x], ends[y], total, x == y)
        return float(lmfit.affinity_value(cp.get((x, y), 0), e, config["affinity_prior"]))

    # (distance keeps Japan's partnerships rare, DE-JP ones too, so the
    # count ratio is a few, not the planted e^5)
    assert affinity("DE", "JP") > 0.7
    for other in ("FR", "PL", "IT", "ES"):
        assert affinity(other, "JP") < 0.5
    assert w["affinity"] * (lmfit._t(affinity("DE", "JP"), eps) - lmfit._t(max(affinity(o, "JP") for o in (
        "FR", "PL", "IT", "ES")), eps)) > 1.0  # at least e times likelier in the logit


def test_leave_one_out_features():
    """A pair's own count does not raise its own score."""
    pool = synthetic_pool(20, seed=5)
    ids = pool["id"].to_numpy()
    de = ids[pool["country"] == "DE"]
    jp = ids[pool["country"] == "JP"]
    fr = ids[pool["country"] == "FR"]
    pl = ids[pool["country"] == "PL"]
    others = pd.DataFrame({"a": np.concatenate([fr[:10], de[:5]]), "b": np.concatenate([pl[:10], fr[10:15]])})
    planted_pair = pd.DataFrame({"a": [de[7]], "b": [jp[3]]})  # the only DE-JP pair
    with_pair = pd.concat([others, planted_pair], ignore_index=True)
    config = lmfit.default_config() | {"affinity_prior": 0.5, "activity_size_exponent": 0.8,
                                       "activity_size_scale": 0.5, "activity_prior_strength": 0.3,
                                       "activity_half": 2.0}
    loo = lmfit.pair_features(pool, with_pair, config, de[7], jp[3], leave_one_out=True)
    unknown = lmfit.pair_features(pool, others, config, de[7], jp[3], leave_one_out=False)
    seen = lmfit.pair_features(pool, with_pair, config, de[7], jp[3], leave_one_out=False)
    for component in ("affinity", "activity"):
        assert loo[component] == pytest.approx(unknown[component], rel=1e-12)
        assert seen[component] > loo[component]  # counting itself would raise it
    assert loo["raw"]["n_xy"][0] == 0 and seen["raw"]["n_xy"][0] == 1
    # Both directions, and a pair that is not known is untouched.
    back = lmfit.pair_features(pool, with_pair, config, jp[3], de[7], leave_one_out=True)
    assert back["affinity"] == pytest.approx(unknown["affinity"], rel=1e-12)
    other = lmfit.pair_features(pool, with_pair, config, de[8], jp[3], leave_one_out=True)
    plain = lmfit.pair_features(pool, with_pair, config, de[8], jp[3], leave_one_out=False)
    assert other["affinity"] == plain["affinity"] and other["affinity"] > loo["affinity"]


def test_training_events_leave_their_pair_out(planted):
    """The fit's event features equal features on the partnerships without the event's pair."""
    pool, pairs = planted
    arrays = lmfit._PoolArrays(pool)
    ra, rb, _ = lmfit._pair_rows(arrays, pairs)
    counts = lmfit._Counts(arrays, ra, rb)
    k = int(np.flatnonzero(arrays.country[ra] != arrays.country[rb])[0])
    a, b = ra[k], rb[k]
    cand = np.array([b, *np.flatnonzero(arrays.country != arrays.country[a])[:30]])
    raw = lmfit._features(arrays, counts, np.full(len(cand), a), cand, np.array(a), np.array(b))
    rest = pairs[~((pairs["a"] == arrays.ids[a]) & (pairs["b"] == arrays.ids[b]))]
    counts_rest = lmfit._Counts(arrays, *lmfit._pair_rows(arrays, rest)[:2])
    ref = lmfit._features(arrays, counts_rest, np.full(len(cand), a), cand, np.array(-1), np.array(-1))
    for name in ("n_xy", "e_xy", "n_activity"):
        np.testing.assert_allclose(raw[name], ref[name], rtol=1e-12)


def test_objective_gradient(planted):
    pool, pairs = planted
    arrays = lmfit._PoolArrays(pool)
    ra, rb, _ = lmfit._pair_rows(arrays, pairs)
    counts = lmfit._Counts(arrays, ra, rb)
    seekers, chosen = ra[:200], rb[:200]
    keep = arrays.country[seekers] != arrays.country[chosen]
    seekers, chosen = seekers[keep], chosen[keep]
    neg = lmfit._sample_negatives(arrays, seekers, ra * arrays.n + rb, 10, np.random.default_rng(0))
    cand = np.concatenate([chosen[:, None], neg], axis=1)
    s = np.broadcast_to(seekers[:, None], cand.shape)
    raw = lmfit._features(arrays, counts, s, cand, s, chosen[:, None])
    key = (arrays.country[s] * arrays.n_countries + arrays.country[cand]) * 2 + (
        arrays.country[cand] == arrays.country[chosen][:, None])
    x = np.array([0.7, 0.5, 1.2, 0.9, 0.4, 0.1, 1.7, math.log(800), math.log(2), 0.6, math.log(0.3),
                  math.log(1.5), math.log(0.8)])
    free = np.ones(13, dtype=bool)
    for lang_missing in (False, True):
        if lang_missing:
            raw = dict(raw)
            present = raw["language_present"].copy()
            present[::3, ::2] = False
            raw["language_present"] = present
        ev = lmfit._Events(raw, cand, key, 0.01)
        for pref in lmfit.PREFERENCES:
            f, g = lmfit._objective(x, ev, pref, free, 1e-3)
            num = np.array([(lmfit._objective(x + h, ev, pref, free, 1e-3)[0]
                             - lmfit._objective(x - h, ev, pref, free, 1e-3)[0]) / 2e-6
                            for h in np.eye(13) * 1e-6])
            np.testing.assert_allclose(g, num, atol=1e-7)


def test_scorer_matches_component_formulas(planted, fitted):
    pool, pairs = planted
    config = dict(fitted)
    config["reciprocity"] = "seeker_only"
    scorer = lmfit.Scorer(pool, config, pairs)
    seeker = int(pool["id"][0])
    score = scorer.scores(seeker)
    rows = np.flatnonzero(np.isfinite(score))[:50]
    feats = lmfit.pair_features(pool, pairs, config, np.full(len(rows), seeker), pool["id"].to_numpy()[rows],
                                leave_one_out=False)
    w = config["weights"]
    eps = config["geometric_floor"]
    num = sum(w[c] * lmfit._t(feats[c], eps) for c in lmfit.LEARNED)
    np.testing.assert_allclose(score[rows], np.exp(num / sum(w[c] for c in lmfit.LEARNED)), rtol=1e-10)
    # Filters: own country, known partners.
    own = pool["country"].to_numpy() == pool["country"][0]
    assert np.all(np.isneginf(score[own]))
    partners = set(pairs["b"][pairs["a"] == seeker]) | set(pairs["a"][pairs["b"] == seeker])
    assert partners and all(np.isneginf(score[pool["id"].to_numpy() == p]).all() for p in partners)
    top = lmfit.rank(pool, config, [seeker], pairs, k=5)
    assert list(top["candidate_id"]) == list(scorer.top(seeker, 5))
    assert list(top["rank"]) == [1, 2, 3, 4, 5] and top["score"].is_monotonic_decreasing
    assert scorer.ranks(seeker, top["candidate_id"][:3]).tolist() == [1, 2, 3]


def test_pairs_outside_pool_are_dropped(planted):
    pool, pairs = planted
    extra = pd.concat([pairs, pd.DataFrame({"a": [10**9], "b": [int(pool["id"][0])]})], ignore_index=True)
    config = lmfit.fit(pool, extra, seed=0, preferences=("near",))
    assert config["fit"]["pairs_outside_pool"] == 1 and config["fit"]["pairs"] == len(pairs)


def _recall(pool, config, train, held, k):
    config = dict(config) | {"reciprocity": "seeker_only"}
    scorer = lmfit.Scorer(pool, config, train)
    country = dict(zip(pool["id"], pool["country"]))
    hits = total = 0
    for a, b in zip(held["a"], held["b"]):
        if country[a] == country[b]:
            continue
        for s, p in ((a, b), (b, a)):
            r = scorer.ranks(s, [p])[0]
            hits += 1 <= r <= k
            total += 1
    return hits / total


@pytest.mark.skipif(not hasattr(datasets, "known_partnerships"), reason="no bundled partnerships yet")
def test_learned_beats_population_on_held_out_sample():
    cities = datasets.world_cities()
    cities = cities[cities["country"].isin(["DE", "FR", "PL", "IT", "GB", "ES", "NL", "CZ", "UA", "JP"])
                    & (cities["population"] >= 40000)].reset_index(drop=True)
    known = datasets.known_partnerships()
    known = known[known["a"].isin(cities["id"]) & known["b"].isin(cities["id"])][["a", "b"]]
    assert len(known) > 500
    held = np.random.default_rng(0).random(len(known)) < 0.2
    train, test = known[~held], known[held]
    config = lmfit.fit(cities, train, seed=0)
    population = lmfit.default_config()
    population["weights"] = {k: 0.0 for k in lmfit.COMPONENT_NAMES} | {"population": 1.0}
    learned = _recall(cities, config, train, test, 50)
    baseline = _recall(cities, population, train, test, 50)
    assert learned > 2 * baseline and learned > 0.15
