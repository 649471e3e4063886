"""Learn the scoring configuration from known sister-city partnerships.

:func:`fit` estimates the weights and parameters of libmatch's scoring from a
table of known partnerships, so that the engine's proposals look like real
partnerships, and returns the configuration as a plain JSON-able dict in the
``libmatch.scoring/1`` layout that ``ScoringConfig.from_dict`` reads.
:class:`Scorer` (and :func:`rank`) scores candidates over a whole pool with
the same formulas in NumPy, for tests, benchmarks and checking the engine.

The model
---------
For a seeker *a* and a candidate *b* (p = population), each component is a
value v in [0, 1]:

``population``
    g = |ln p_a - ln p_b|; v = exp(-(g / sigma)^shape / shape).
``distance``
    d = great-circle km (R = 6371.0088); ``near``: exp(-d / scale), ``far``:
    1 - exp(-d / scale), ``inverse``: 1 / (1 + d / scale).
``language``
    overlap = min(1, sum_l s_a(l) s_b(l)) of the two cities' speaker
    shares (each in [0, 1], any sum): the expected number of languages a
    resident of one and a resident of the other have in common, capped at
    1; present when both have data.
``affinity``
    country-pair affinity. With n_XY the known partnerships between
    countries X and Y (unordered; X = Y is domestic), n_X the partnership
    ends in X (a domestic pair counts 2) and N the number of partnerships,
    E_XY = n_X n_Y / (2N) (X != Y) or n_X^2 / (4N) (X = Y), 0 when N = 0;
    ratio = (n_XY + m) / (E_XY + m) with m = ``affinity_prior``;
    v = ratio / (1 + ratio), so chance gives 0.5.
``activity``
    of the candidate: mu = ``activity_size_scale`` * (p / 1e5) ^
    ``activity_size_exponent``; with known partnerships, n = the city's
    count and rate = (n + kappa) / (1 + kappa / mu) (the Gamma-Poisson
    posterior mean, kappa = ``activity_prior_strength``), else rate = mu;
    v = rate / (rate + ``activity_half``).

``geometric`` combination: t(v) = ln(eps + (1 - eps) v) with eps =
``geometric_floor``; the direction's score is exp(sum_c w_c t(v_c) / sum_c
w_c) over the present components. For one seeker the ranking follows
sum_c w_c t(v_c), a log-linear model: the weights are the coefficients of a
conditional logit, which is how :func:`fit` learns them.

Same-country pairs are never proposed and a seeker's known partners are not
its candidates, so the fit's choice sets leave both out too.
"""

from __future__ import annotations

import math
import numbers
import time
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import numpy as np

__all__ = [
    "COMPONENT_NAMES",
    "FORMAT",
    "Scorer",
    "activity_value",
    "affinity_value",
    "default_config",
    "distance_value",
    "expected_pairs",
    "fit",
    "pair_features",
    "population_value",
    "rank",
]

FORMAT = "libmatch.scoring/1"
#: The components in the order of the config's ``weights``.
COMPONENT_NAMES = ("population", "region", "language", "interests", "distance", "affinity", "activity")
#: The components the fit learns (region and interests have no public data).
LEARNED = ("population", "language", "distance", "affinity", "activity")
PREFERENCES = ("inverse", "near", "far")
EARTH_RADIUS_KM = 6371.0088
# exp(-300) ~ 5e-131: smaller arguments are clipped (see population_value).
_EXP_MIN = 300.0


# ---------------------------------------------------------------------------
# Component values (vectorised; the engine's formulas)
# ---------------------------------------------------------------------------


def population_value(g: Any, sigma: float, shape: float) -> np.ndarray:
    """exp(-(g / sigma)^shape / shape) for g = |ln p_a - ln p_b| >= 0."""
    z = np.asarray(g, dtype=float) / float(sigma)
    # Arguments below -300 are clipped: exp() there is under 1e-130 (0 for
    # any use, far below the geometric floor), and smaller values would
    # reach numpy's slow underflow path and make subnormal products.
    return np.exp(np.maximum(-np.power(z, float(shape)) / float(shape), -_EXP_MIN))


def distance_value(d_km: Any, scale_km: float, preference: str) -> np.ndarray:
    """The distance component for great-circle distances in km."""
    x = np.asarray(d_km, dtype=float) / float(scale_km)
    if preference == "near":
        return np.exp(-np.minimum(x, _EXP_MIN))
    if preference == "far":
        return -np.expm1(-np.minimum(x, _EXP_MIN))
    if preference == "inverse":
        return 1.0 / (1.0 + x)
    raise ValueError(f"distance_preference must be one of {PREFERENCES}; got {preference!r}")


def expected_pairs(n_x: Any, n_y: Any, total: Any, same: Any) -> np.ndarray:
    """E_XY: n_X n_Y / (2N) for X != Y, n_X^2 / (4N) for X == Y, 0 when N = 0."""
    n_x, n_y, total = (np.asarray(v, dtype=float) for v in (n_x, n_y, total))
    denom = np.where(np.asarray(same, dtype=bool), 4.0, 2.0) * total
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(total > 0, n_x * n_y / np.where(denom > 0, denom, 1.0), 0.0)
    return out


def affinity_value(n_xy: Any, e_xy: Any, prior: float) -> np.ndarray:
    """ratio / (1 + ratio) with ratio = (n_XY + m) / (E_XY + m)."""
    n_xy, e_xy = np.asarray(n_xy, dtype=float), np.asarray(e_xy, dtype=float)
    return (n_xy + prior) / (n_xy + e_xy + 2.0 * prior)


def activity_rate(n: Any, population: Any, exponent: float, scale: float, strength: float) -> np.ndarray:
    """The expected partnership rate; ``n`` None means no partnerships known (rate = mu)."""
    mu = scale * np.power(np.asarray(population, dtype=float) / 1e5, exponent)
    if n is None:
        return mu
    return (np.asarray(n, dtype=float) + strength) / (1.0 + strength / mu)


def activity_value(n: Any, population: Any, exponent: float, scale: float, strength: float, half: float) -> np.ndarray:
    """rate / (rate + half); ``n`` None means no partnerships known."""
    rate = activity_rate(n, population, exponent, scale, strength)
    return rate / (rate + half)


def _t(v: np.ndarray, eps: float) -> np.ndarray:
    return np.log(eps + (1.0 - eps) * v)


# ---------------------------------------------------------------------------
# Pool preparation
# ---------------------------------------------------------------------------


def _primary(code: str) -> str:
    return code.replace("_", "-").split("-", 1)[0].lower()


def _parse_languages(value: Any) -> Dict[str, float]:
    """A city's languages as {primary code: share}, read as the engine does.

    Accepts "fr:0.93;en:0.2", a dict, or a list of "fr:0.93" strings or
    (code, share) pairs. Variants of one language keep the larger share;
    zero shares are dropped.
    """
    items: List[Tuple[str, float]] = []
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return {}
    if isinstance(value, str):
        entries: Iterable[Any] = [e for e in value.split(";") if e.strip()]
    elif isinstance(value, Mapping):
        entries = list(value.items())
    else:
        entries = list(value)
    for entry in entries:
        if isinstance(entry, str):
            code, _, share = entry.strip().partition(":")
            items.append((code.strip(), float(share)))
        else:
            code, share = entry
            items.append((str(code), float(share)))
    out: Dict[str, float] = {}
    for code, share in items:
        if share > 0:
            key = _primary(code)
            out[key] = max(out.get(key, 0.0), share)
    return out


class _PoolArrays:
    """The columns of a pool the scoring reads, as arrays (row order of the frame)."""

    def __init__(self, pool: Any) -> None:
        self.ids = pool["id"].to_numpy(dtype=np.int64)
        if len(np.unique(self.ids)) != len(self.ids):
            raise ValueError("pool ids must be unique")
        self.n = len(self.ids)
        self._order = np.argsort(self.ids, kind="stable")
        self._sorted = self.ids[self._order]
        countries = pool["country"].astype(str).to_numpy()
        self.country_codes, self.country = np.unique(countries, return_inverse=True)
        self.country = self.country.astype(np.int64)
        self.n_countries = len(self.country_codes)
        lat = np.radians(pool["lat"].to_numpy(dtype=float))
        lon = np.radians(pool["lon"].to_numpy(dtype=float))
        self.unit = np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
        self.population = pool["population"].to_numpy(dtype=float)
        if not np.all(np.isfinite(self.population) & (self.population > 0)):
            raise ValueError("populations must be finite and > 0")
        self.ln_pop = np.log(self.population)
        # Language profiles: cities with the same shares share a profile, so
        # overlaps are a profile x profile table (the bundled pool has one
        # profile per country).
        if "languages" in pool.columns:
            parsed = [_parse_languages(v) for v in pool["languages"]]
        else:
            parsed = [{} for _ in range(self.n)]
        keys = [tuple(sorted(d.items())) for d in parsed]
        index: Dict[Tuple[Tuple[str, float], ...], int] = {}
        self.profile = np.fromiter((index.setdefault(k, len(index)) for k in keys), dtype=np.int64, count=self.n)
        profiles = sorted(index, key=index.__getitem__)
        langs = sorted({code for prof in profiles for code, _ in prof})
        lang_index = {code: i for i, code in enumerate(langs)}
        shares = np.zeros((len(profiles), max(len(langs), 1)))
        for p, prof in enumerate(profiles):
            for code, share in prof:
                shares[p, lang_index[code]] = min(share, 1.0)
        self.profile_has = np.array([len(p) > 0 for p in profiles], dtype=bool)
        self.has_language = self.profile_has[self.profile]
        self.overlap_table = np.minimum(shares @ shares.T, 1.0)

    def lookup(self, ids: Any) -> Tuple[np.ndarray, np.ndarray]:
        """(rows, found) of ids; rows are 0 where not found."""
        ids = np.asarray(ids, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self._sorted, ids), self.n - 1)
        ok = self._sorted[pos] == ids
        return np.where(ok, self._order[pos], 0), ok

    def rows(self, ids: Any, what: str = "ids") -> np.ndarray:
        ids = np.asarray(ids, dtype=np.int64)
        pos = np.searchsorted(self._sorted, ids)
        pos = np.minimum(pos, self.n - 1)
        ok = self._sorted[pos] == ids
        if not np.all(ok):
            bad = np.unique(ids[~ok])[:10]
            raise ValueError(f"{what} not in the pool: {bad.tolist()}")
        return self._order[pos]

    def distance_km(self, i: Any, j: Any) -> np.ndarray:
        ui, uj = self.unit[i], self.unit[j]
        chord = np.linalg.norm(ui - uj, axis=-1)
        anti = np.linalg.norm(ui + uj, axis=-1)
        near = 2.0 * np.arcsin(np.minimum(chord / 2.0, 1.0))
        far = math.pi - 2.0 * np.arcsin(np.minimum(anti / 2.0, 1.0))
        return EARTH_RADIUS_KM * np.where(chord <= math.sqrt(2.0), near, far)

    def overlap(self, i: Any, j: Any) -> np.ndarray:
        return self.overlap_table[self.profile[i], self.profile[j]]


class _Counts:
    """Country-pair counts, marginals and city degrees of a set of partnerships."""

    def __init__(self, arrays: _PoolArrays, ra: np.ndarray, rb: np.ndarray) -> None:
        k = arrays.n_countries
        ca, cb = arrays.country[ra], arrays.country[rb]
        lo, hi = np.minimum(ca, cb), np.maximum(ca, cb)
        pair = np.zeros((k, k), dtype=np.int64)
        np.add.at(pair, (lo, hi), 1)
        self.pair = pair + pair.T - np.diag(np.diag(pair))  # symmetric, diagonal = domestic
        self.ends = np.bincount(ca, minlength=k) + np.bincount(cb, minlength=k)
        self.total = len(ra)
        self.degree = np.bincount(ra, minlength=arrays.n) + np.bincount(rb, minlength=arrays.n)
        self.codes = arrays.country_codes


def _pair_rows(arrays: _PoolArrays, partnerships: Any) -> Tuple[np.ndarray, np.ndarray, int]:
    """Unique undirected pairs as pool rows, and how many given pairs were not of two pool cities.

    Self-pairs and duplicates are dropped; so are pairs with a city outside
    the pool (``known_partnerships()`` also holds places below the default
    pool's population cut), which are counted.
    """
    if partnerships is None:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), 0
    a = np.asarray(partnerships["a"], dtype=np.int64)
    b = np.asarray(partnerships["b"], dtype=np.int64)
    ra, ok_a = arrays.lookup(a)
    rb, ok_b = arrays.lookup(b)
    ok = ok_a & ok_b
    outside = int((~ok).sum())
    ra, rb = ra[ok], rb[ok]
    keep = ra != rb
    lo, hi = np.minimum(ra[keep], rb[keep]), np.maximum(ra[keep], rb[keep])
    key = np.unique(lo * arrays.n + hi)
    return key // arrays.n, key % arrays.n, outside


def _country_pairs_list(counts: _Counts) -> List[List[Any]]:
    lo, hi = np.nonzero(np.triu(counts.pair))
    out = [[str(counts.codes[x]), str(counts.codes[y]), int(counts.pair[x, y])] for x, y in zip(lo, hi)]
    out.sort()
    return out


def _counts_from_config(arrays: _PoolArrays, config: Mapping[str, Any]) -> Tuple[np.ndarray, np.ndarray, int]:
    """The country-pair matrix, ends and N of a config's ``country_pairs`` (pool's countries)."""
    k = arrays.n_countries
    where = {str(c): i for i, c in enumerate(arrays.country_codes)}
    pair = np.zeros((k, k), dtype=float)
    ends_all: Dict[str, float] = {}
    total = 0
    for x, y, n in config.get("country_pairs", []) or []:
        n = int(n)
        total += n
        ends_all[x] = ends_all.get(x, 0) + n
        ends_all[y] = ends_all.get(y, 0) + n
        if x in where and y in where:
            pair[where[x], where[y]] += n
            if x != y:
                pair[where[y], where[x]] += n
    ends = np.array([ends_all.get(str(c), 0.0) for c in arrays.country_codes], dtype=float)
    return pair, ends, total


# ---------------------------------------------------------------------------
# Features of pairs, leave-one-out
# ---------------------------------------------------------------------------


def _features(
    arrays: _PoolArrays,
    counts: _Counts,
    seeker: np.ndarray,
    cand: np.ndarray,
    held_a: np.ndarray,
    held_b: np.ndarray,
) -> Dict[str, np.ndarray]:
    """Raw features of (seeker, cand) rows, with the pair (held_a, held_b) taken out of the counts.

    held_a / held_b are pool rows (broadcast against seeker/cand), -1 for
    none. The raw features: g, d, overlap (and its presence), the affinity's
    n_XY and E_XY, and the activity's n and population.
    """
    seeker, cand = np.broadcast_arrays(np.asarray(seeker), np.asarray(cand))
    held_a, held_b = np.broadcast_arrays(np.asarray(held_a), np.asarray(held_b))
    held_a, held_b = np.broadcast_to(held_a, seeker.shape), np.broadcast_to(held_b, seeker.shape)
    held = held_a >= 0
    cs, cc = arrays.country[seeker], arrays.country[cand]
    hx = np.where(held, arrays.country[np.maximum(held_a, 0)], -1)
    hy = np.where(held, arrays.country[np.maximum(held_b, 0)], -1)
    same_pair = held & (((cs == hx) & (cc == hy)) | ((cs == hy) & (cc == hx)))
    n_xy = counts.pair[cs, cc] - same_pair
    ends_s = counts.ends[cs] - (held & (cs == hx)) - (held & (cs == hy))
    ends_c = counts.ends[cc] - (held & (cc == hx)) - (held & (cc == hy))
    total = counts.total - held.astype(np.int64)
    e_xy = expected_pairs(ends_s, ends_c, total, cs == cc)
    n_cand = counts.degree[cand] - (held & (cand == held_a)) - (held & (cand == held_b))
    return {
        "g": np.abs(arrays.ln_pop[seeker] - arrays.ln_pop[cand]),
        "d": arrays.distance_km(seeker, cand),
        "overlap": arrays.overlap(seeker, cand),
        "language_present": arrays.has_language[seeker] & arrays.has_language[cand],
        "n_xy": n_xy.astype(float),
        "e_xy": e_xy,
        "n_activity": n_cand.astype(float),
        "population": arrays.population[cand],
    }


def pair_features(
    pool: Any,
    partnerships: Any,
    config: Mapping[str, Any],
    a: Any,
    b: Any,
    *,
    leave_one_out: bool = True,
) -> Dict[str, np.ndarray]:
    """The component values v in [0, 1] of the pairs (a seeks, b candidate), as the fit sees them.

    Affinity counts and activity degrees come from ``partnerships`` (not from
    ``config["country_pairs"]``). With ``leave_one_out``, a pair (a, b) that
    is itself a known partnership is scored as if it were unknown: its
    country pair, both countries' ends, N and both cities' degrees are
    counted without it, which is how the fit's training events see it.
    Returns {component: values} for population, distance, language (NaN when
    absent), affinity and activity, plus ``raw`` (the raw features).
    """
    arrays = _PoolArrays(pool)
    ra, rb, outside = _pair_rows(arrays, partnerships)
    counts = _Counts(arrays, ra, rb)
    sa = arrays.rows(np.atleast_1d(a), "a")
    sb = arrays.rows(np.atleast_1d(b), "b")
    ha = np.full(sa.shape, -1, np.int64)
    hb = np.full(sa.shape, -1, np.int64)
    if leave_one_out and len(ra):
        known = np.isin(np.minimum(sa, sb) * arrays.n + np.maximum(sa, sb), ra * arrays.n + rb)
        ha, hb = np.where(known, sa, -1), np.where(known, sb, -1)
    raw = _features(arrays, counts, sa, sb, ha, hb)
    return _values(raw, config, known=partnerships is not None) | {"raw": raw}


def _values(raw: Mapping[str, np.ndarray], config: Mapping[str, Any], known: bool = True) -> Dict[str, np.ndarray]:
    c = config
    return {
        "population": population_value(raw["g"], c["population_sigma"], c.get("population_shape", 2.0)),
        "distance": distance_value(raw["d"], c["distance_scale_km"], c["distance_preference"]),
        "language": np.where(raw["language_present"], raw["overlap"], np.nan),
        "affinity": affinity_value(raw["n_xy"], raw["e_xy"], c["affinity_prior"]),
        "activity": activity_value(
            raw["n_activity"] if known else None,
            raw["population"],
            c["activity_size_exponent"],
            c["activity_size_scale"],
            c["activity_prior_strength"],
            c["activity_half"],
        ),
    }


# ---------------------------------------------------------------------------
# The fit
# ---------------------------------------------------------------------------

# Parameter vector: 5 weights, then ln sigma, shape, ln scale, ln m,
# exponent, ln A, ln kappa, ln half.
_W = slice(0, 5)
_IW = {name: i for i, name in enumerate(LEARNED)}
_I_SIGMA, _I_SHAPE, _I_SCALE, _I_PRIOR, _I_EXP, _I_A, _I_KAPPA, _I_HALF = range(5, 13)
_BOUNDS = [(0.0, 100.0)] * 5 + [
    (math.log(0.05), math.log(20.0)),  # sigma
    (0.5, 4.0),  # shape
    (math.log(1.0), math.log(40000.0)),  # distance scale, km
    (math.log(1e-3), math.log(1e4)),  # affinity prior m
    (-1.0, 3.0),  # activity size exponent
    (math.log(1e-4), math.log(1e3)),  # activity size scale
    (math.log(1e-3), math.log(1e3)),  # activity prior strength
    (math.log(1e-4), math.log(1e4)),  # activity half
]


class _Events:
    """Choice sets as flat arrays: column 0 of each event is the real partner, the rest negatives.

    Population and distance are per entry; affinity and activity take few
    distinct values (a country pair, a city and its degree), so they are
    computed once per distinct key and gathered.
    """

    def __init__(self, raw: Mapping[str, np.ndarray], cand: np.ndarray, country_key: np.ndarray,
                 eps: float) -> None:
        self.shape = cand.shape
        self.eps = eps
        g = raw["g"]
        # ln g; g = 0 (equal populations) gets a very negative log, so
        # (g / sigma)^shape underflows to 0 as it should.
        self.ln_g = np.log(np.where(g > 0, g, 1.0))
        self.ln_g[g <= 0] = -700.0
        self.d = raw["d"]
        self.lang_present = raw["language_present"]
        self.t_lang = np.where(self.lang_present, _t(np.where(self.lang_present, raw["overlap"], 0.0), eps), 0.0)
        self.all_lang = bool(self.lang_present.all())
        # affinity: one value per distinct (country pair, leave-one-out) key
        _, first, inv = np.unique(country_key.ravel(), return_index=True, return_inverse=True)
        self.aff_inv = inv.reshape(self.shape)
        self.aff_n = raw["n_xy"].ravel()[first]
        self.aff_e = raw["e_xy"].ravel()[first]
        # activity: one value per distinct (city, degree)
        n_act = raw["n_activity"].astype(np.int64)
        key = cand.astype(np.int64) * (int(n_act.max()) + 1) + n_act
        _, first, inv = np.unique(key.ravel(), return_index=True, return_inverse=True)
        self.act_inv = inv.reshape(self.shape)
        self.act_n = raw["n_activity"].ravel()[first]
        self.act_lnp = np.log(raw["population"].ravel()[first] / 1e5)

    def subset(self, events: np.ndarray) -> "_Events":
        out = object.__new__(_Events)
        out.__dict__.update(self.__dict__)
        for name in ("ln_g", "d", "lang_present", "t_lang", "aff_inv", "act_inv"):
            setattr(out, name, getattr(self, name)[events])
        out.shape = out.ln_g.shape
        out.all_lang = bool(out.lang_present.all())
        return out


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    """sum(a * b) without BLAS: OpenBLAS's threads make small dot products
    thousands of times slower on a busy 2-core machine."""
    return float(np.einsum("i,i->", a.ravel(), b.ravel()))


def _objective(x: np.ndarray, ev: _Events, preference: str, free: np.ndarray,
               ridge: float = 0.0) -> Tuple[float, np.ndarray]:
    """Mean negative log-likelihood of the events (+ ridge/2 * |w|^2) and its gradient in x."""
    eps = ev.eps
    k1 = 1.0 - eps
    w = x[_W]
    grad = np.zeros_like(x)
    # population: t = ln(eps + k1 v), ln v = -z^k / k, z = g / sigma
    shape = float(x[_I_SHAPE])
    lz = ev.ln_g - x[_I_SIGMA]
    zk = np.multiply(lz, shape)
    np.maximum(zk, -_EXP_MIN, out=zk)
    np.exp(zk, out=zk)
    v = np.multiply(zk, -1.0 / shape)
    np.maximum(v, -_EXP_MIN, out=v)  # no underflow or subnormals (slow); below the floor anyway
    np.exp(v, out=v)
    den = np.multiply(v, k1)
    den += eps
    t_pop = np.log(den)
    q = np.multiply(v, k1)
    q /= den  # dt / d ln v
    q *= zk  # dt / d ln sigma
    dshape = np.multiply(lz, -1.0 / shape)
    dshape += 1.0 / shape**2
    dshape *= q  # dt / d shape
    del lz, zk, v, den
    # distance
    s = math.exp(x[_I_SCALE])
    u = ev.d * (1.0 / s)
    if preference == "near":
        v = np.exp(-np.minimum(u, _EXP_MIN))
        dv = v * u
    elif preference == "far":
        e = np.exp(-np.minimum(u, _EXP_MIN))
        v = 1.0 - e
        dv = -e * u
        del e
    else:
        v = 1.0 + u
        np.reciprocal(v, out=v)
        dv = u * v
        dv *= v
    den = np.multiply(v, k1)
    den += eps
    t_d = np.log(den)
    dv *= k1
    dv /= den  # dt / d ln scale
    del u, v, den
    # affinity, per key
    m = math.exp(x[_I_PRIOR])
    num, dn = ev.aff_n + m, ev.aff_n + ev.aff_e + 2.0 * m
    va = num / dn
    da = eps + k1 * va
    ta_k = np.log(da)
    dta_k = k1 * m * (dn - 2.0 * num) / (dn * dn) / da
    # activity, per key
    beta, big_a, kappa, half = x[_I_EXP], math.exp(x[_I_A]), math.exp(x[_I_KAPPA]), math.exp(x[_I_HALF])
    mu = big_a * np.exp(beta * ev.act_lnp)
    nk = ev.act_n + kappa
    rate = nk * mu / (mu + kappa)
    vact = rate / (rate + half)
    dact = eps + k1 * vact
    tact_k = np.log(dact)
    dt_drate = k1 * half / (rate + half) ** 2 / dact
    drate_dlmu = nk * kappa * mu / (mu + kappa) ** 2
    d_act = (
        dt_drate * drate_dlmu * ev.act_lnp,  # exponent
        dt_drate * drate_dlmu,  # ln scale
        dt_drate * kappa * mu * (mu - ev.act_n) / (mu + kappa) ** 2,  # ln strength
        -k1 * rate * half / (rate + half) ** 2 / dact,  # ln half
    )
    t_a = ta_k[ev.aff_inv]
    t_act = tact_k[ev.act_inv]

    util = t_pop * w[0]
    util += ev.t_lang * w[1]
    util += t_d * w[2]
    util += t_a * w[3]
    util += t_act * w[4]
    ratio = None
    if not ev.all_lang:
        w_all = float(w.sum())
        w_p = np.where(ev.lang_present, w_all, w_all - w[1])
        w_p = np.where(w_p > 0, w_p, 1.0)
        ratio = w_all / w_p
        sp_over = util / w_p
        util = util * ratio
    umax = util.max(axis=1, keepdims=True)
    ex = util - umax
    np.maximum(ex, -_EXP_MIN, out=ex)  # (probabilities below 1e-130 do not count)
    np.exp(ex, out=ex)
    z = ex.sum(axis=1, keepdims=True)
    n_events = util.shape[0]
    nll = float((np.log(z[:, 0]) + umax[:, 0] - util[:, 0]).sum()) / n_events
    r = ex
    r /= z  # P
    r[:, 0] -= 1.0  # d nll / d util = P - 1[chosen]
    r /= n_events
    if ratio is None:
        rw = r
        grad[0] = _dot(r, t_pop)
        grad[1] = _dot(r, ev.t_lang)
        grad[2] = _dot(r, t_d)
    else:
        rw = r * ratio
        base = _dot(r, sp_over)
        grad[0] = _dot(rw, t_pop - sp_over) + base
        grad[1] = _dot(rw, np.where(ev.lang_present, ev.t_lang - sp_over, 0.0)) + base
        grad[2] = _dot(rw, t_d - sp_over) + base
    r_aff = np.bincount(ev.aff_inv.ravel(), weights=rw.ravel(), minlength=len(ta_k))
    r_act = np.bincount(ev.act_inv.ravel(), weights=rw.ravel(), minlength=len(tact_k))
    if ratio is None:
        grad[3] = _dot(r_aff, ta_k)
        grad[4] = _dot(r_act, tact_k)
    else:
        grad[3] = _dot(rw, t_a - sp_over) + base
        grad[4] = _dot(rw, t_act - sp_over) + base
    grad[_I_SIGMA] = w[0] * _dot(rw, q)
    grad[_I_SHAPE] = w[0] * _dot(rw, dshape)
    grad[_I_SCALE] = w[2] * _dot(rw, dv)
    grad[_I_PRIOR] = w[3] * _dot(r_aff, dta_k)
    for i, dk in zip((_I_EXP, _I_A, _I_KAPPA, _I_HALF), d_act):
        grad[i] = w[4] * _dot(r_act, dk)
    if ridge > 0:
        nll += 0.5 * ridge * float(np.sum(w * w))
        grad[_W] += ridge * w
    grad[~free] = 0.0
    return nll, grad


def _nb_size_law(degree: np.ndarray, population: np.ndarray) -> Tuple[float, float, float, float]:
    """Negative-binomial (Gamma-Poisson) regression of degree on ln(p / 1e5).

    mean mu = A (p / 1e5)^beta, shape kappa. Returns (beta, A, kappa, mean
    log-likelihood per city).
    """
    from scipy.optimize import minimize
    from scipy.special import digamma, gammaln

    n = degree.astype(float)
    lp = np.log(population / 1e5)
    mean = max(n.mean(), 1e-6)

    def f(x: np.ndarray) -> Tuple[float, np.ndarray]:
        beta, la, lk = x
        mu = np.exp(la + beta * lp)
        k = math.exp(lk)
        lmk = np.log(mu + k)
        ll = gammaln(n + k) - gammaln(k) + k * (lk - lmk) + n * (np.log(mu) - lmk)
        dl_dlmu = n - (n + k) * mu / (mu + k)
        dl_dk = digamma(n + k) - digamma(k) + lk - lmk + 1.0 - (n + k) / (mu + k)
        g = np.array([-(dl_dlmu * lp).sum(), -dl_dlmu.sum(), -(dl_dk.sum() * k)]) / len(n)
        return -float(ll.sum()) / len(n), g

    x0 = np.array([0.5, math.log(mean), 0.0])
    res = minimize(f, x0, jac=True, method="L-BFGS-B",
                   bounds=[(-1.0, 3.0), (math.log(1e-4), math.log(1e3)), (math.log(1e-3), math.log(1e3))])
    beta, la, lk = res.x
    return float(beta), math.exp(la), math.exp(lk), -float(res.fun)


def _sample_negatives(
    arrays: _PoolArrays, seekers: np.ndarray, partner_keys: np.ndarray, m: int, rng: np.random.Generator
) -> np.ndarray:
    """m pool rows per seeker, uniform over other countries' cities that are not its known partners."""
    n = arrays.n
    out = rng.integers(0, n, size=(len(seekers), m))
    s = np.broadcast_to(seekers[:, None], out.shape)
    for _ in range(1000):
        bad = arrays.country[out] == arrays.country[s]
        if len(partner_keys):
            keys = np.minimum(s, out) * n + np.maximum(s, out)
            bad |= np.isin(keys, partner_keys)
        nbad = int(bad.sum())
        if nbad == 0:
            return out
        out[bad] = rng.integers(0, n, size=nbad)
    raise ValueError("could not sample negatives: too few cities outside the seekers' countries")


def default_config() -> Dict[str, Any]:
    """The engine's previous default scoring (population sigma 1 and language, weights 1, arithmetic)."""
    return {
        "format": FORMAT,
        "weights": {"population": 1.0, "region": 1.0, "language": 1.0, "interests": 1.0,
                    "distance": 0.0, "affinity": 0.0, "activity": 0.0},
        "combination": "arithmetic",
        "geometric_floor": 0.01,
        "population_sigma": 1.0,
        "population_shape": 2.0,
        "population_range": "hard",
        "continent_credit": 0.5,
        "distance_preference": "near",
        "distance_scale_km": 2000.0,
        "reciprocity": "geometric_mean",
        "exclude_known_partners": True,
        "affinity_prior": 1.0,
        "country_pairs": [],
        "activity_size_exponent": 0.5,
        "activity_size_scale": 1.0,
        "activity_prior_strength": 1.0,
        "activity_half": 1.0,
    }


def fit(
    pool: Any,
    partnerships: Any,
    *,
    seed: int = 0,
    negatives: int = 50,
    preferences: Sequence[str] = PREFERENCES,
    geometric_floor: float = 0.01,
    size_law: str = "regression",
    ridge: float = 1e-3,
    max_iter: int = 500,
    screen_events: int = 4000,
) -> Dict[str, Any]:
    """Learn the scoring configuration from known partnerships.

    Each known pair (a, b) of cities in different countries gives two
    choice events, a picks b and b picks a. An event's choice set is the
    real partner and ``negatives`` cities drawn uniformly (with replacement)
    from the pool's cities in other countries than the seeker's that are not
    its known partners. The utility of a candidate is the engine's log score
    times the sum of the weights: sum_c w_c t(v_c), renormalised over the
    present components as the engine does; the fit maximises the conditional
    (softmax) log-likelihood of the real partners over the weights (>= 0) and
    the parameters, by L-BFGS-B with analytic gradients, once per distance
    preference, keeping the best. Domestic pairs make no events (the engine
    never proposes them) but count in the country pairs and degrees.

    Leave-one-out: every alternative of the event "a picks b" is scored with
    the counts of the partnerships without (a, b): n_XY - 1 for its country
    pair, n_X - 1, n_Y - 1 and N - 1 for the marginals, and a degree one
    lower for b (and a). A pair's own count never raises its own score.

    The activity size law (exponent, scale) and prior strength come from a
    negative-binomial regression of every pool city's number of known
    partnerships on ln population (the Gamma-Poisson model whose posterior
    mean the activity component is): mu is then the expected number of
    partnerships of a city of that size. The logit fits ``activity_half``
    and the weight. With ``size_law="refine"`` the logit refits the size law
    too; on the bundled data that gains little (held-out recall equal) and
    drifts to a degenerate corner (scale at its bound), so it is not the
    default.

    The distance preference is chosen on ``screen_events`` events drawn at
    random (each preference fitted there); the best is then fitted on all
    events, from the sample's solution. A weak ridge (``ridge`` / 2 * |w|^2
    added to the mean negative log-likelihood per event) pins the weights
    where the likelihood is flat: with the floor out of reach, the
    population curve only identifies w / sigma^shape, the near distance
    curve w / scale. It costs under 1e-3 of log-likelihood per event.

    Region and interests cannot be learned (seekers of known partnerships
    state no wants and the public data has no interests): their weights are
    set to the largest learned weight, so a seeker's stated regions or
    interests count about as much as the strongest learned component.

    Parameters
    ----------
    pool : pandas.DataFrame
        Cities: id, country, lat, lon, population, languages (a string
        "fr:0.93;en:0.2", a dict or a list; read as the engine does).
    partnerships : pandas.DataFrame
        Known pairs, int64 columns ``a`` and ``b`` (pool ids; undirected;
        duplicates and self-pairs ignored; pairs with a city outside the
        pool are dropped and counted in ``fit.pairs_outside_pool``).
    seed : int
        Seeds the negatives; the result is deterministic for a given seed.
    negatives : int
        Negatives per event.
    preferences : sequence of str
        The distance preferences tried.
    geometric_floor : float
        eps of the geometric combination (not fitted; 0.001 to 0.1 give the
        same held-out recall on the bundled data).
    size_law : {"regression", "refine"}
        See above.
    ridge : float
        The ridge on the weights (0 for none).
    max_iter : int
        L-BFGS-B iterations per fit.
    screen_events : int
        Events of the sample the distance preference is chosen on (all
        events when there are fewer than 4 times as many).

    Returns
    -------
    dict
        The ``libmatch.scoring/1`` configuration, with diagnostics under
        ``"fit"``.
    """
    from scipy.optimize import minimize

    started = time.perf_counter()
    if not isinstance(negatives, numbers.Integral) or negatives < 1:
        raise ValueError(f"negatives must be a whole number >= 1; got {negatives!r}")
    if not 0.0 < geometric_floor < 1.0:
        raise ValueError(f"geometric_floor must be in (0, 1); got {geometric_floor!r}")
    if size_law not in ("refine", "regression"):
        raise ValueError(f"size_law must be 'refine' or 'regression'; got {size_law!r}")
    for p in preferences:
        if p not in PREFERENCES:
            raise ValueError(f"unknown distance preference {p!r}; one of {PREFERENCES}")
    arrays = _PoolArrays(pool)
    ra, rb, outside = _pair_rows(arrays, partnerships)
    counts = _Counts(arrays, ra, rb)
    cross = arrays.country[ra] != arrays.country[rb]
    if cross.sum() == 0:
        raise ValueError("no partnership between cities of different countries to learn from")
    pa, pb = ra[cross], rb[cross]
    seekers = np.concatenate([pa, pb])
    chosen = np.concatenate([pb, pa])
    rng = np.random.default_rng(seed)
    neg = _sample_negatives(arrays, seekers, ra * arrays.n + rb, int(negatives), rng)
    cand = np.concatenate([chosen[:, None], neg], axis=1)
    s_rows = np.broadcast_to(seekers[:, None], cand.shape)
    raw = _features(arrays, counts, s_rows, cand, s_rows, chosen[:, None])
    kc = arrays.n_countries
    # Affinity's value is set by the two countries and by whether the
    # candidate is in the real partner's country (leave-one-out lowers that
    # country pair's count and that country's ends).
    country_key = (arrays.country[s_rows] * kc + arrays.country[cand]) * 2 + (
        arrays.country[cand] == arrays.country[chosen][:, None])
    ev = _Events(raw, cand, country_key, geometric_floor)
    del raw, country_key, s_rows, neg

    beta, big_a, kappa, nb_ll = _nb_size_law(counts.degree, arrays.population)
    x0 = np.zeros(13)
    x0[_W] = 1.0
    x0[_I_SIGMA], x0[_I_SHAPE], x0[_I_SCALE], x0[_I_PRIOR] = 0.0, 2.0, math.log(1000.0), 0.0
    x0[_I_EXP], x0[_I_A], x0[_I_KAPPA] = beta, math.log(big_a), math.log(kappa)
    rate0 = activity_rate(counts.degree, arrays.population, beta, big_a, kappa)
    x0[_I_HALF] = math.log(max(float(np.median(rate0)), 1e-3))
    free = np.ones(13, dtype=bool)
    if size_law == "regression":
        free[[_I_EXP, _I_A, _I_KAPPA]] = False
    if not ev.lang_present.any():
        free[1] = False
        x0[1] = 0.0
    bounds = [b if f else (v, v) for b, f, v in zip(_BOUNDS, free, x0)]

    def solve(events: _Events, pref: str, start: np.ndarray, iters: int, ftol: float) -> Any:
        return minimize(_objective, start, args=(events, pref, free, ridge), jac=True, method="L-BFGS-B",
                        bounds=bounds, options={"maxiter": iters, "ftol": ftol, "gtol": 1e-6})

    # The distance preference is chosen on a sample of the events (each
    # preference fitted there), then the best one is fitted on all events
    # from the sample's solution.
    n_events = ev.shape[0]
    screen = None
    if len(preferences) > 1 and n_events > 4 * screen_events:
        screen = np.sort(np.random.default_rng(seed + 1).choice(n_events, screen_events, replace=False))
    sample = ev.subset(screen) if screen is not None else ev
    tried: Dict[str, Any] = {}
    best = None
    for pref in preferences:
        res = solve(sample, pref, x0, max_iter, 1e-9)
        tried[pref] = {"log_likelihood_per_event": -float(res.fun), "iterations": int(res.nit),
                       "events": int(sample.shape[0])}
        if best is None or res.fun < best[1].fun:
            best = (pref, res)
    if screen is not None:
        pref = best[0]
        res = solve(ev, pref, best[1].x, max_iter, 1e-10)
        tried[pref]["full_fit_iterations"] = int(res.nit)
        best = (pref, res)
    pref, res = best
    x = res.x
    ll = _objective(x, ev, pref, free)[0]  # without the ridge
    weights = {name: float(x[i]) for i, name in enumerate(LEARNED)}
    wmax = max(weights.values())
    config: Dict[str, Any] = {
        "format": FORMAT,
        "weights": {
            "population": weights["population"],
            "region": wmax,
            "language": weights["language"],
            "interests": wmax,
            "distance": weights["distance"],
            "affinity": weights["affinity"],
            "activity": weights["activity"],
        },
        "combination": "geometric",
        "geometric_floor": float(geometric_floor),
        "population_sigma": math.exp(x[_I_SIGMA]),
        "population_shape": float(x[_I_SHAPE]),
        "population_range": "hard",
        "continent_credit": 0.5,
        "distance_preference": pref,
        "distance_scale_km": math.exp(x[_I_SCALE]),
        "reciprocity": "geometric_mean",
        "exclude_known_partners": True,
        "affinity_prior": math.exp(x[_I_PRIOR]),
        "country_pairs": _country_pairs_list(counts),
        "activity_size_exponent": float(x[_I_EXP]),
        "activity_size_scale": math.exp(x[_I_A]),
        "activity_prior_strength": math.exp(x[_I_KAPPA]),
        "activity_half": math.exp(x[_I_HALF]),
    }
    config["fit"] = {
        "method": "conditional logit, sampled negatives, leave-one-out counts",
        "pool_cities": int(arrays.n),
        "pairs": int(len(ra)),
        "pairs_outside_pool": outside,
        "pairs_used": int(len(pa)),
        "domestic_pairs_skipped": int(len(ra) - len(pa)),
        "events": int(n_events),
        "negatives": int(negatives),
        "seed": int(seed),
        "log_likelihood": -ll * n_events,
        "log_likelihood_per_event": -ll,
        "ridge": float(ridge),
        "log_likelihood_per_event_uniform": -math.log(negatives + 1),
        "preferences": tried,
        "size_law": size_law,
        "size_law_regression": {"exponent": beta, "scale": big_a, "prior_strength": kappa,
                                "log_likelihood_per_city": nb_ll},
        "region_interests_weight": "largest learned weight (not learnable from this data)",
        "seconds": time.perf_counter() - started,
    }
    return config


# ---------------------------------------------------------------------------
# A NumPy scorer over the whole pool
# ---------------------------------------------------------------------------


class Scorer:
    """Scores every pool city as a candidate of seekers, with the config's formulas, in NumPy.

    ``partnerships`` are the pool's known partnerships: they are excluded
    (when ``exclude_known_partners``) and give the activity's degrees (no
    partnerships: rate = mu). The affinity counts come from
    ``config["country_pairs"]``. Seekers state no wants (no regions,
    languages, interests or population range), so region and interests are
    absent. With ``reciprocity`` other than ``seeker_only``, a candidate in
    ``seeking`` (ids) is scored both ways and the two directions combined,
    as the engine does for candidates that also seek; the other components
    are symmetric, so only activity differs between the two directions.
    Combinations: ``geometric`` and ``arithmetic`` (sum w v / sum w).
    """

    def __init__(self, pool: Any, config: Mapping[str, Any], partnerships: Any = None,
                 seeking: Optional[Iterable[int]] = None) -> None:
        self.arrays = a = _PoolArrays(pool)
        self.config = c = dict(config)
        ra, rb, _ = _pair_rows(a, partnerships)
        ends = np.concatenate([ra, rb])
        order = np.argsort(ends, kind="stable")
        self._p_start = np.searchsorted(ends[order], np.arange(a.n + 1))
        self._p_other = np.concatenate([rb, ra])[order]
        degree = np.bincount(ra, minlength=a.n) + np.bincount(rb, minlength=a.n)
        self.w = w = {k: float(c["weights"].get(k, 0.0)) for k in COMPONENT_NAMES}
        combination = c.get("combination", "geometric")
        if combination not in ("geometric", "arithmetic"):
            raise ValueError(f"combination must be 'geometric' or 'arithmetic'; got {combination!r}")
        self.geometric = combination == "geometric"
        self.eps = float(c.get("geometric_floor", 0.01))
        self.pair, self.ends, self.total = _counts_from_config(a, c)
        self.act = np.zeros(a.n)
        if w["activity"] > 0:
            self.act = activity_value(
                degree if partnerships is not None else None, a.population,
                c["activity_size_exponent"], c["activity_size_scale"],
                c["activity_prior_strength"], c["activity_half"],
            )
        self.seeking = np.zeros(a.n, dtype=bool)
        if seeking is not None:
            self.seeking[a.rows(np.asarray(list(seeking), dtype=np.int64), "seeking ids")] = True
        self.reciprocity = c.get("reciprocity", "geometric_mean")

    def _term(self, v: np.ndarray) -> np.ndarray:
        return _t(v, self.eps) if self.geometric else v

    def scores_rows(self, rows: Any) -> np.ndarray:
        """Scores (len(rows), pool) of seekers given by pool row; -inf where filtered out."""
        a, c, w = self.arrays, self.config, self.w
        rows = np.atleast_1d(np.asarray(rows, dtype=np.int64))
        i = rows[:, None]
        num = np.zeros((len(rows), a.n))
        wsum = np.zeros((len(rows), a.n))
        if w["population"] > 0:
            g = np.abs(a.ln_pop[None, :] - a.ln_pop[i])
            num += w["population"] * self._term(population_value(g, c["population_sigma"], c.get("population_shape", 2.0)))
            wsum += w["population"]
        if w["language"] > 0:
            present = a.has_language[None, :] & a.has_language[i]
            v = a.overlap_table[a.profile[i], a.profile[None, :]]
            num += np.where(present, w["language"] * self._term(v), 0.0)
            wsum += np.where(present, w["language"], 0.0)
        if w["distance"] > 0:
            d = a.distance_km(i, np.arange(a.n)[None, :])
            num += w["distance"] * self._term(distance_value(d, c["distance_scale_km"], c["distance_preference"]))
            wsum += w["distance"]
        if w["affinity"] > 0:
            ci = a.country[i]
            e = expected_pairs(self.ends[ci], self.ends[a.country][None, :], self.total, a.country[None, :] == ci)
            num += w["affinity"] * self._term(affinity_value(self.pair[ci, a.country[None, :]], e, c["affinity_prior"]))
            wsum += w["affinity"]
        back = None
        if w["activity"] > 0:
            t_act = self._term(self.act)
            wsum += w["activity"]
            if self.reciprocity != "seeker_only" and self.seeking.any():
                back = num + w["activity"] * t_act[i]
            num += w["activity"] * t_act[None, :]
        safe = np.where(wsum > 0, wsum, 1.0)

        def finish(x: np.ndarray) -> np.ndarray:
            x = x / safe
            return np.where(wsum > 0, np.exp(x) if self.geometric else x, 0.0)

        score = finish(num)
        if back is not None:
            b = finish(back)
            both = {"geometric_mean": lambda: np.sqrt(score * b), "arithmetic_mean": lambda: 0.5 * (score + b),
                    "minimum": lambda: np.minimum(score, b)}[self.reciprocity]()
            score = np.where(self.seeking[None, :], both, score)
        score[a.country[None, :] == a.country[i]] = -np.inf
        if self.config.get("exclude_known_partners", True):
            for k, r in enumerate(rows):
                score[k, self._p_other[self._p_start[r]:self._p_start[r + 1]]] = -np.inf
        return score

    def scores(self, seeker_id: int) -> np.ndarray:
        """Scores of every pool row (frame order) for one seeker; -inf where filtered out."""
        return self.scores_rows(self.arrays.rows([seeker_id]))[0]

    def order(self, score: np.ndarray) -> np.ndarray:
        """Pool rows by score descending, ties by id ascending, filtered-out rows dropped."""
        order = np.lexsort((self.arrays.ids, -score))
        return order[np.isfinite(score[order])]

    def top(self, seeker_id: int, k: int = 100) -> np.ndarray:
        """The ids of the seeker's k best candidates, best first."""
        return self.arrays.ids[self.order(self.scores(seeker_id))[:k]]

    def ranks_rows(self, score: np.ndarray, rows: Any) -> np.ndarray:
        """1-based ranks of pool rows in one seeker's list (score row); 0 where filtered out."""
        ids = self.arrays.ids
        rows = np.atleast_1d(rows)
        out = np.zeros(len(rows), dtype=np.int64)
        for j, r in enumerate(rows):
            s = score[r]
            if np.isfinite(s):
                out[j] = 1 + int(np.count_nonzero(score > s) + np.count_nonzero((score == s) & (ids < ids[r])))
        return out

    def ranks(self, seeker_id: int, candidate_ids: Any) -> np.ndarray:
        """1-based ranks of the candidates in the seeker's list (ties by id); 0 where filtered out."""
        rows = self.arrays.rows(np.atleast_1d(candidate_ids), "candidate ids")
        return self.ranks_rows(self.scores(seeker_id), rows)


def rank(pool: Any, config: Mapping[str, Any], seekers: Any, partnerships: Any = None, *, k: int = 100) -> Any:
    """Top-k candidates of each seeker id under ``config``: DataFrame seeker_id, candidate_id, rank, score.

    A NumPy reference of the engine's ranking for seekers without wants (see
    :class:`Scorer`); ``partnerships`` are the pool's known partnerships, and
    the seekers also count as seeking candidates for reciprocity.
    """
    import pandas as pd

    seekers = np.atleast_1d(np.asarray(seekers, dtype=np.int64))
    scorer = Scorer(pool, config, partnerships, seeking=seekers)
    cols: Dict[str, List[np.ndarray]] = {"seeker_id": [], "candidate_id": [], "rank": [], "score": []}
    rows = scorer.arrays.rows(seekers, "seeker ids")
    for start in range(0, len(rows), 64):
        block = scorer.scores_rows(rows[start:start + 64])
        for s, score in zip(seekers[start:start + 64], block):
            order = scorer.order(score)[:k]
            cols["seeker_id"].append(np.full(len(order), s, dtype=np.int64))
            cols["candidate_id"].append(scorer.arrays.ids[order])
            cols["rank"].append(np.arange(1, len(order) + 1, dtype=np.int64))
            cols["score"].append(score[order])
    return pd.DataFrame({name: (np.concatenate(v) if v else np.zeros(0)) for name, v in cols.items()})
