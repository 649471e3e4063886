"""A vectorised NumPy implementation of libmatch's scoring and top-k, for comparison.

It follows README "Scoring" (the C++ engine in libmatch/src/engine.cpp): the
population gaussian on the log ratio, region (1 / continent credit / left out
when the seeker wants any region), language (the overlap min(1, sum_l s_a(l)
s_b(l)) of the two cities' speaker shares, raised by the wanted share),
interests cosine and distance (off by default); the
weighted mean over the components present; the reciprocal view of a
candidate that seeks too; the hard filters (self, exclusions, same country,
population range in hard mode); and top-k ordered by score desc, then id asc.
"Same country" compares sovereign states, as the engine does by default
(``compare_sovereign_states``): Puerto Rico is the United States, Réunion
France, Hong Kong China (this module keeps its own copy of the table).

Seekers are scored in chunks of ``chunk`` rows against the whole pool, so
memory is O(chunk x pool) plus the pool's features. The language sums are a
sparse (pool x languages) matrix times a dense block of seekers (SciPy
sparse: a dense matmul over ~400 languages would be wasteful). Everything is
float64; the C++ engine works in float32, so scores agree to about 1e-6.

Only ``population_range="hard"`` is implemented (the default).
"""

from __future__ import annotations

import math
from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

import numpy as np
import scipy.sparse as sp

EARTH_RADIUS_KM = 6371.0088

# UN M49 as libmatch uses it: the finest region -> its sub-region. Regions
# not listed are their own sub-region. Continents come from
# libmatch._core.country_regions().
_SUBREGION = {
    "Eastern Africa": "Sub-Saharan Africa",
    "Middle Africa": "Sub-Saharan Africa",
    "Southern Africa": "Sub-Saharan Africa",
    "Western Africa": "Sub-Saharan Africa",
    "Caribbean": "Latin America and the Caribbean",
    "Central America": "Latin America and the Caribbean",
    "South America": "Latin America and the Caribbean",
}

# ISO 3166-1 territories that are no sovereign state of their own -> the state
# that holds them (libmatch/src/sovereignty.cpp; Taiwan, the Cook Islands,
# Niue, Western Sahara and Palestine are their own).
_SOVEREIGN = {
    "CC": "AU", "CX": "AU", "HM": "AU", "NF": "AU", "HK": "CN", "MO": "CN", "FO": "DK", "GL": "DK",
    "AX": "FI", "BL": "FR", "GF": "FR", "GP": "FR", "MF": "FR", "MQ": "FR", "NC": "FR", "PF": "FR",
    "PM": "FR", "RE": "FR", "TF": "FR", "WF": "FR", "YT": "FR", "AI": "GB", "BM": "GB", "FK": "GB",
    "GG": "GB", "GI": "GB", "GS": "GB", "IM": "GB", "IO": "GB", "JE": "GB", "KY": "GB", "MS": "GB",
    "PN": "GB", "SH": "GB", "TC": "GB", "VG": "GB", "AW": "NL", "BQ": "NL", "CW": "NL", "SX": "NL",
    "BV": "NO", "SJ": "NO", "TK": "NZ", "AS": "US", "GU": "US", "MP": "US", "PR": "US", "UM": "US",
    "VI": "US",
}


def _country_regions() -> Dict[str, Tuple[str, str]]:
    from libmatch import _core  # the M49 table only; no scoring code

    return dict(_core.country_regions())


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return False


def _entries(value: Any) -> List[Any]:
    if _missing(value):
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    return list(value)


def _pairs(value: Any, default: Optional[float]) -> List[Tuple[str, float]]:
    if _missing(value):
        return []
    if isinstance(value, Mapping):
        return [(str(k), float(v)) for k, v in value.items()]
    out = []
    for item in _entries(value):
        if isinstance(item, str):
            name, sep, number = item.partition(":")
            if sep:
                out.append((name.strip(), float(number)))
            else:
                assert default is not None, f"no share in {item!r}"
                out.append((name.strip(), default))
        else:
            out.append((str(item[0]), float(item[1])))
    return out


class NumpyScorer:
    """Prepared pool and seekers; :meth:`candidates` gives the top-k arrays.

    Parameters
    ----------
    cities : pandas.DataFrame
        As for ``libmatch.Pool`` (id, country, lat, lon, population,
        optional languages and interests).
    seekers : pandas.DataFrame or list of ids
        As for ``Pool.candidates`` (id and optional regions, countries,
        population_min, population_max, languages, interests, exclude,
        same_country).
    weights, population_sigma, continent_credit, distance_preference,
    distance_scale_km, reciprocity, compare_sovereign_states
        As in ``libmatch.ScoringConfig`` (defaults identical).
    """

    def __init__(
        self,
        cities: Any,
        seekers: Any,
        *,
        weights: Optional[Mapping[str, float]] = None,
        population_sigma: float = 1.0,
        continent_credit: float = 0.5,
        distance_preference: str = "near",
        distance_scale_km: float = 2000.0,
        reciprocity: str = "geometric_mean",
        compare_sovereign_states: bool = True,
    ) -> None:
        import pandas as pd

        w = {"population": 1.0, "region": 1.0, "language": 1.0, "interests": 1.0, "distance": 0.0}
        w.update(weights or {})
        self.w = w
        self.sigma = float(population_sigma)
        self.credit = float(continent_credit)
        self.near = distance_preference == "near"
        self.scale = float(distance_scale_km)
        self.reciprocity = reciprocity

        frame = cities.sort_values("id", kind="stable").reset_index(drop=True)
        n = len(frame)
        self.n = n
        self.ids = frame["id"].to_numpy(np.int64)
        row_of = {int(i): r for r, i in enumerate(self.ids)}
        lat_name = "lat" if "lat" in frame.columns else "latitude"
        lon_name = "lon" if "lon" in frame.columns else "longitude"

        regions = _country_regions()
        codes = sorted(regions)
        code_index = {c: i for i, c in enumerate(codes)}
        self.country = np.array([code_index[str(c).upper()] for c in frame["country"]], dtype=np.int32)
        state_of = (lambda c: _SOVEREIGN.get(c, c)) if compare_sovereign_states else (lambda c: c)
        self.state = np.array([code_index[state_of(codes[c])] for c in self.country], dtype=np.int32)
        # area name -> boolean mask over countries
        areas: Dict[str, np.ndarray] = {}
        continent_of = np.zeros(len(codes), dtype=np.int32)
        continents = sorted({cont for _, cont in regions.values()})
        for i, c in enumerate(codes):
            region, continent = regions[c]
            continent_of[i] = continents.index(continent)
            for name in {region, _SUBREGION.get(region, region), continent}:
                areas.setdefault(name, np.zeros(len(codes), dtype=bool))[i] = True
        self._areas, self._code_index, self._continent_of = areas, code_index, continent_of

        self.population = frame["population"].to_numpy(np.float64)
        self.log_population = np.log(self.population)
        lat = np.radians(frame[lat_name].to_numpy(np.float64))
        lon = np.radians(frame[lon_name].to_numpy(np.float64))
        self.unit = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=1)

        # Languages: a sparse (pool x languages) matrix of shares.
        lang_lists = [_pairs(v, None) for v in (frame["languages"] if "languages" in frame.columns else [None] * n)]
        languages = sorted({code.lower() for lst in lang_lists for code, s in lst if s > 0})
        self.lang_index = {c: i for i, c in enumerate(languages)}
        L = self.L = len(languages)
        rows, cols, vals = [], [], []
        for r, lst in enumerate(lang_lists):
            for code, share in lst:
                if share > 0:
                    rows.append(r)
                    cols.append(self.lang_index[code.lower()])
                    vals.append(share)
        share = sp.csr_matrix((np.array(vals), (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))), shape=(n, L))
        self.share = share
        self.has_languages = np.diff(share.indptr) > 0

        from libmatch import INTERESTS

        interest_index = {name: i for i, name in enumerate(INTERESTS)}
        interests = np.zeros((n, len(INTERESTS)))
        for r, v in enumerate(frame["interests"] if "interests" in frame.columns else [None] * n):
            for name, weight in _pairs(v, 1.0):
                interests[r, interest_index[name]] = weight

        # Seekers.
        if not isinstance(seekers, pd.DataFrame):
            seekers = pd.DataFrame([s if isinstance(s, Mapping) else {"id": s} for s in seekers])
        records = seekers.to_dict("records")
        S = self.S = len(records)
        self.seeker_ids = np.array([int(r["id"]) for r in records], dtype=np.int64)
        self.seeker_row = np.array([row_of[int(i)] for i in self.seeker_ids], dtype=np.int64)
        self.seeker_of = np.full(n, -1, dtype=np.int64)
        self.seeker_of[self.seeker_row] = np.arange(S)
        self.seeks = self.seeker_of >= 0
        C = len(codes)
        self.region_table = np.zeros((S, C))  # seeker x country: 1, credit or 0
        self.any_region = np.ones(S, dtype=bool)
        self.pop_min = np.full(S, -1.0)
        self.pop_max = np.full(S, np.inf)
        self.same_country_ok = np.zeros(S, dtype=bool)
        wanted_rows, wanted_cols = [], []
        wants_any_language = np.zeros(S, dtype=bool)  # lists a language, spoken or not
        excluded: List[Tuple[int, int]] = []  # (seeker, pool row)
        for s, rec in enumerate(records):
            full = np.zeros(C, dtype=bool)
            for code in _entries(rec.get("countries")):
                full[code_index[str(code).upper()]] = True
            for area in _entries(rec.get("regions")):
                full |= areas[str(area)]
            if _entries(rec.get("countries")) or _entries(rec.get("regions")):
                self.any_region[s] = False
            partial = np.isin(continent_of, continent_of[full]) & ~full
            self.region_table[s] = np.where(full, 1.0, np.where(partial, self.credit, 0.0))
            if not _missing(rec.get("population_min")):
                self.pop_min[s] = float(rec["population_min"])
            if not _missing(rec.get("population_max")):
                self.pop_max[s] = float(rec["population_max"])
            wants_any_language[s] = len(_entries(rec.get("languages"))) > 0
            for code in {str(c).lower() for c in _entries(rec.get("languages"))}:
                if code in self.lang_index:  # a language nobody speaks can never be met
                    wanted_rows.append(s)
                    wanted_cols.append(self.lang_index[code])
            for other in _entries(rec.get("exclude")):
                excluded.append((s, row_of[int(other)]))
            sc = rec.get("same_country")
            self.same_country_ok[s] = bool(sc) if not _missing(sc) else False
            own = _pairs(rec.get("interests"), 1.0)
            if own:  # a seeker's interests replace its city's everywhere
                interests[self.seeker_row[s]] = 0.0
                for name, weight in own:
                    interests[self.seeker_row[s], interest_index[name]] = weight
        self.wanted = sp.csr_matrix(
            (np.ones(len(wanted_rows)), (np.array(wanted_rows, dtype=np.int64), np.array(wanted_cols, dtype=np.int64))),
            shape=(S, L),
        )
        # A wish nobody can meet still makes the language component present.
        self.wants_languages = wants_any_language
        # Wanted languages per pool row (for the candidate's own view).
        self.wanted_by_row = sp.csr_matrix((n, L))
        if S:
            perm = sp.csr_matrix((np.ones(S), (self.seeker_row, np.arange(S))), shape=(n, S))
            self.wanted_by_row = (perm @ self.wanted).tocsr()
        self.row_wants_languages = np.zeros(n, dtype=bool)
        self.row_wants_languages[self.seeker_row] = self.wants_languages
        self.row_region_present = np.zeros(n, dtype=bool)
        self.row_region_present[self.seeker_row] = ~self.any_region
        self.row_pop_min = np.full(n, -1.0)
        self.row_pop_max = np.full(n, np.inf)
        self.row_pop_min[self.seeker_row] = self.pop_min
        self.row_pop_max[self.seeker_row] = self.pop_max
        self.row_same_country_ok = np.ones(n, dtype=bool)
        self.row_same_country_ok[self.seeker_row] = self.same_country_ok
        # Exclusions both ways, as (seeker, pool row) pairs.
        both = set(excluded)
        for s, r in excluded:
            if self.seeker_of[r] >= 0:
                both.add((int(self.seeker_of[r]), int(self.seeker_row[s])))
        self.excluded = np.array(sorted(both), dtype=np.int64).reshape(-1, 2)

        norm = np.linalg.norm(interests, axis=1)
        self.has_interests = norm > 0
        self.interests = np.divide(interests, norm[:, None], out=np.zeros_like(interests), where=norm[:, None] > 0)
        # The region table of each seeker seen from the pool side
        # (candidate b's wants applied to a's country), built per chunk.

    # ------------------------------------------------------------------ scoring

    def _scores(self, s0: int, s1: int) -> np.ndarray:
        """Final scores of seekers s0..s1 against the whole pool; -inf where filtered."""
        w = self.w
        rows = self.seeker_row[s0:s1]
        m = len(rows)
        # population
        gap = self.log_population[None, :] - self.log_population[rows][:, None]
        population = np.exp(-(gap * gap) / (2 * self.sigma * self.sigma))
        del gap
        # region
        region_present = (~self.any_region[s0:s1]).astype(np.float64)[:, None]
        region = self.region_table[s0:s1][:, self.country]
        # language: overlap and wanted share via sparse products
        overlap = np.minimum(np.asarray((self.share @ self.share[rows].T).todense()).T, 1.0)
        wanted_share = np.minimum(np.asarray((self.share @ self.wanted[s0:s1].T).todense()).T, 1.0)
        a_lang = (self.has_languages[rows] | self.wants_languages[s0:s1]).astype(np.float64)[:, None]
        language_present = self.has_languages[None, :].astype(np.float64) * a_lang
        language = (overlap + (1.0 - overlap) * wanted_share) * language_present
        del wanted_share
        # interests
        interests_present = (self.has_interests[rows][:, None] & self.has_interests[None, :]).astype(np.float64)
        cosine = np.clip(self.interests[rows] @ self.interests.T, 0.0, 1.0) * interests_present
        # distance
        if w["distance"] > 0:
            chord = np.sqrt(((self.unit[None, :, :] - self.unit[rows][:, None, :]) ** 2).sum(axis=2))
            d = 2.0 * np.arcsin(np.minimum(chord * 0.5, 1.0)) * EARTH_RADIUS_KM
            decay = np.exp(-d / self.scale)
            distance = decay if self.near else 1.0 - decay
            distance_present = 1.0
        else:
            distance, distance_present = 0.0, 0.0
        shared_num = w["interests"] * cosine + w["distance"] * distance
        shared_den = w["interests"] * interests_present + w["distance"] * distance_present
        num = w["population"] * population + w["region"] * region_present * region + w["language"] * language + shared_num
        den = w["population"] + w["region"] * region_present + w["language"] * language_present + shared_den
        forward = np.where(den > 0, num / np.maximum(den, 1e-300), 0.0)

        # the candidate's own view, where it seeks
        seeks = self.seeks[None, :]
        if self.seeks.any():
            back_region_present = self.row_region_present.astype(np.float64)[None, :]
            # b's region table at a's country: column country[a] of the
            # seekers' tables, scattered to pool rows.
            back_region = np.zeros((m, self.n))
            back_region[:, self.seeker_row] = self.region_table[:, self.country[rows]].T
            back_share = np.minimum(np.asarray((self.wanted_by_row @ self.share[rows].T).todense()).T, 1.0)
            back_language_present = (
                self.has_languages[rows].astype(np.float64)[:, None]
                * (self.has_languages | self.row_wants_languages).astype(np.float64)[None, :]
                * seeks
            )
            back_language = (overlap + (1.0 - overlap) * back_share) * back_language_present
            bnum = w["population"] * population + w["region"] * back_region_present * back_region + w["language"] * back_language + shared_num
            bden = w["population"] + w["region"] * back_region_present + w["language"] * back_language_present + shared_den
            backward = np.where(bden > 0, bnum / np.maximum(bden, 1e-300), 0.0) * seeks
            if self.reciprocity == "geometric_mean":
                combined = np.sqrt(forward * backward)
            elif self.reciprocity == "arithmetic_mean":
                combined = 0.5 * (forward + backward)
            elif self.reciprocity == "minimum":
                combined = np.minimum(forward, backward)
            else:
                combined = forward
            score = np.where(seeks, combined, forward)
        else:
            score = forward

        # hard filters
        same = self.state[None, :] == self.state[rows][:, None]
        same_ok = ~same | (self.same_country_ok[s0:s1][:, None] & self.row_same_country_ok[None, :])
        pop = self.population[None, :]
        ok = same_ok & (pop >= self.pop_min[s0:s1][:, None]) & (pop <= self.pop_max[s0:s1][:, None])
        a_pop = self.population[rows][:, None]
        ok &= (self.row_pop_min[None, :] <= a_pop) & (self.row_pop_max[None, :] >= a_pop)
        ok[np.arange(m), rows] = False  # self
        if len(self.excluded):
            sel = (self.excluded[:, 0] >= s0) & (self.excluded[:, 0] < s1)
            ok[self.excluded[sel, 0] - s0, self.excluded[sel, 1]] = False
        return np.where(ok, score, -np.inf)

    def score_matrix(self, s0: int = 0, s1: Optional[int] = None) -> np.ndarray:
        """Scores of seekers s0..s1 (input order) against the pool (rows sorted by id)."""
        return self._scores(s0, self.S if s1 is None else s1)

    def candidates(self, k: int = 10, chunk: int = 128, seekers: Optional[Iterable[int]] = None) -> Dict[str, np.ndarray]:
        """Top-k per seeker: ``ids`` (S x k, -1 where fewer) and ``scores`` (NaN there).

        ``seekers`` limits the work to a range of seeker positions
        (``range(a, b)``), for sampling.
        """
        positions = range(self.S) if seekers is None else seekers
        lo, hi = positions.start, positions.stop  # type: ignore[attr-defined]
        S = hi - lo
        out_ids = np.full((S, k), -1, dtype=np.int64)
        out_scores = np.full((S, k), np.nan)
        kk = min(k, self.n)
        for s0 in range(lo, hi, chunk):
            s1 = min(s0 + chunk, hi)
            score = self._scores(s0, s1)
            # the k-th best score of each row, then every entry at least as
            # good (ties included), ordered by score desc then id asc (pool
            # rows are sorted by id).
            kth = -np.partition(-score, kk - 1, axis=1)[:, kk - 1]
            keep = (score >= kth[:, None]) & (score > -np.inf)
            r, c = np.nonzero(keep)
            order = np.lexsort((c, -score[r, c], r))
            r, c = r[order], c[order]
            starts = np.searchsorted(r, np.arange(s1 - s0))
            rank = np.arange(len(r)) - starts[r]
            take = rank < k
            out_ids[r[take] + s0 - lo, rank[take]] = self.ids[c[take]]
            out_scores[r[take] + s0 - lo, rank[take]] = score[r[take], c[take]]
        return {"seeker_ids": self.seeker_ids[lo:hi], "ids": out_ids, "scores": out_scores}
