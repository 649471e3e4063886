"""End-to-end tests of the pandas API: libmatch.Pool, candidates, match, explain.

The pool is the C++ example's (examples/cpp/top_candidates.cpp): 40 real
cities and 8 seekers, so the Python results can be checked against the C++
program's own output as well as against explain() and independent formulas.
"""

from __future__ import annotations

import json
import math
import os
import pickle
import re
import signal
import subprocess
import threading
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import libmatch
from libmatch import Cancelled, InputError
from libmatch.pool import COMPONENTS, INTERESTS, MatchResult, Pool, ScoringConfig, Weights

ROOT = Path(__file__).resolve().parents[2]

# id (GeoNames), name, country, lat, lon, population, languages, interests:
# the sample pool of examples/cpp/top_candidates.cpp, transcribed.
CITY_ROWS = [
    (1857910, "Kyoto", "JP", 35.01, 135.77, 1460000, "ja:0.98", "heritage:1.0;arts_culture:0.9;tourism:0.7;faith:0.4"),
    (1853909, "Osaka", "JP", 34.69, 135.50, 2750000, "ja:0.97", "business_trade:1.0;technology:0.6;tourism:0.5"),
    (1835329, "Daegu", "KR", 35.87, 128.60, 2380000, "ko:0.99", "technology:0.8;health:0.8;business_trade:0.6"),
    (1153671, "Chiang Mai", "TH", 18.79, 98.98, 130000, "th:0.95", "heritage:0.9;tourism:0.9;agriculture:0.5;faith:0.5"),
    (1580240, "Hue", "VN", 16.46, 107.59, 450000, "vi:0.99", "heritage:1.0;tourism:0.8;faith:0.4"),
    (1717512, "Cebu City", "PH", 10.32, 123.89, 960000, "ceb:0.85;en:0.10", "business_trade:0.8;tourism:0.8;faith:0.5"),
    (1259229, "Pune", "IN", 18.52, 73.86, 3120000, "mr:0.55;hi:0.25;en:0.10", "education:1.0;technology:0.9;business_trade:0.5"),
    (1262180, "Nagpur", "IN", 21.15, 79.09, 2410000, "mr:0.45;hi:0.35;en:0.10", "agriculture:0.8;business_trade:0.6;education:0.5"),
    (111822, "Yazd", "IR", 31.90, 54.37, 530000, "fa:0.98", "heritage:1.0;faith:0.6;tourism:0.6"),
    (311046, "Izmir", "TR", 38.42, 27.14, 2970000, "tr:0.93;ku:0.04", "business_trade:0.9;tourism:0.6;heritage:0.5"),
    (611717, "Tbilisi", "GE", 41.72, 44.79, 1200000, "ka:0.90;ru:0.05", "tourism:0.8;arts_culture:0.7;economic_development:0.6"),
    (2996944, "Lyon", "FR", 45.76, 4.84, 522000, "fr:0.93;ar:0.03", "arts_culture:0.8;health:0.7;business_trade:0.6;heritage:0.5"),
    (2735943, "Porto", "PT", 41.15, -8.61, 232000, "pt:0.97", "tourism:0.9;heritage:0.8;arts_culture:0.6"),
    (3161732, "Bergen", "NO", 60.39, 5.32, 285000, "no:0.92", "environment:0.9;tourism:0.7;arts_culture:0.6"),
    (3094802, "Kraków", "PL", 50.06, 19.94, 800000, "pl:0.97", "heritage:1.0;education:0.8;tourism:0.8;arts_culture:0.6"),
    (2650225, "Edinburgh", "GB", 55.95, -3.19, 525000, "en:0.93", "arts_culture:1.0;education:0.8;tourism:0.8;heritage:0.7"),
    (2778067, "Graz", "AT", 47.07, 15.44, 290000, "de:0.88", "technology:0.8;education:0.8;environment:0.6"),
    (2766824, "Salzburg", "AT", 47.81, 13.05, 155000, "de:0.85", "arts_culture:1.0;tourism:0.9;heritage:0.7"),
    (588335, "Tartu", "EE", 58.38, 26.72, 97000, "et:0.80;ru:0.15", "education:1.0;technology:0.8;youth_exchange:0.6"),
    (2624652, "Aarhus", "DK", 56.16, 10.20, 290000, "da:0.92", "education:0.9;arts_culture:0.7;environment:0.6"),
    (2692969, "Malmö", "SE", 55.61, 13.00, 360000, "sv:0.75;ar:0.08", "environment:0.9;technology:0.6;youth_exchange:0.6"),
    (2965140, "Cork", "IE", 51.90, -8.47, 225000, "en:0.95;ga:0.02", "business_trade:0.7;technology:0.7;arts_culture:0.5"),
    (186301, "Mombasa", "KE", -4.04, 39.67, 1210000, "sw:0.60;en:0.25", "tourism:0.9;business_trade:0.8;heritage:0.5"),
    (161325, "Arusha", "TZ", -3.37, 36.68, 420000, "sw:0.80;en:0.10", "tourism:0.9;environment:0.8;agriculture:0.6"),
    (148730, "Zanzibar City", "TZ", -6.17, 39.20, 220000, "sw:0.95", "heritage:0.9;tourism:0.9;faith:0.4"),
    (2306104, "Accra", "GH", 5.60, -0.19, 2510000, "ak:0.45;en:0.30", "business_trade:0.9;economic_development:0.8;arts_culture:0.5"),
    (2548885, "Fes", "MA", 34.03, -5.00, 1160000, "ar:0.85;fr:0.10", "heritage:1.0;faith:0.7;tourism:0.6;education:0.5"),
    (3352136, "Windhoek", "NA", -22.56, 17.08, 430000, "ng:0.35;af:0.20;en:0.10", "economic_development:0.9;environment:0.6;municipal_governance:0.5"),
    (4930956, "Boston", "US", 42.36, -71.06, 675000, "en:0.65;es:0.15", "education:1.0;technology:0.9;health:0.8"),
    (4221552, "Savannah", "US", 32.08, -81.09, 147000, "en:0.94", "heritage:0.9;tourism:0.8;arts_culture:0.6"),
    (6325494, "Quebec City", "CA", 46.81, -71.21, 550000, "fr:0.95;en:0.02", "heritage:0.9;tourism:0.8;arts_culture:0.6"),
    (4005539, "Guadalajara", "MX", 20.67, -103.35, 1390000, "es:0.98", "technology:0.8;business_trade:0.8;arts_culture:0.6"),
    (3998655, "León", "MX", 21.12, -101.68, 1720000, "es:0.99", "business_trade:0.9;economic_development:0.6;sports:0.5"),
    (6322752, "Curitiba", "BR", -25.43, -49.27, 1960000, "pt:0.98", "environment:1.0;municipal_governance:0.9;education:0.4"),
    (3838583, "Rosario", "AR", -32.95, -60.65, 1280000, "es:0.98", "sports:0.9;education:0.6;agriculture:0.6;arts_culture:0.5"),
    (3941584, "Cusco", "PE", -13.53, -71.97, 430000, "es:0.60;qu:0.38", "heritage:1.0;tourism:1.0;agriculture:0.4"),
    (3868626, "Valparaíso", "CL", -33.05, -71.62, 300000, "es:0.98", "heritage:0.8;arts_culture:0.8;tourism:0.6"),
    (2174003, "Brisbane", "AU", -27.47, 153.03, 2600000, "en:0.80;zh:0.03", "sports:0.8;education:0.7;business_trade:0.7"),
    (2192362, "Christchurch", "NZ", -43.53, 172.64, 390000, "en:0.92;mi:0.02", "public_safety:0.8;environment:0.7;education:0.6"),
    (2198148, "Suva", "FJ", -18.14, 178.44, 93000, "fj:0.45;hif:0.30;en:0.20", "environment:1.0;humanitarian_aid:0.7;education:0.5"),
]
ID = {row[1]: row[0] for row in CITY_ROWS}
NAME = {row[0]: row[1] for row in CITY_ROWS}


def make_cities() -> pd.DataFrame:
    return pd.DataFrame(
        CITY_ROWS, columns=["id", "name", "country", "lat", "lon", "population", "languages", "interests"]
    )


def make_seekers() -> pd.DataFrame:
    """The example's 8 seekers, in every input form the API accepts."""
    nan = float("nan")
    return pd.DataFrame(
        [
            {"id": ID["Kyoto"], "regions": "Western Europe; Southern Europe", "population_min": 200_000,
             "population_max": 2_000_000, "interests": {"heritage": 1.0, "arts_culture": 0.8, "tourism": 0.5}},
            {"id": ID["Boston"], "partners": 2, "regions": ["Asia"],
             "interests": "technology:1;education:1;health:0.5"},
            {"id": ID["Rosario"], "regions": "South America", "languages": "es"},
            {"id": ID["Mombasa"], "countries": ["IN", "TZ"], "interests": [("business_trade", 1.0), ("tourism", 0.6)]},
            {"id": ID["Kraków"], "regions": "Europe", "exclude": [ID["Edinburgh"]]},
            {"id": ID["Tartu"], "population_min": 50_000, "population_max": 500_000,
             "interests": "education;youth_exchange:0.8;technology:0.5"},
            {"id": ID["Pune"], "languages": ["en"], "interests": "technology;education:0.8", "population_max": nan},
            {"id": ID["Suva"], "regions": ["Oceania", "South-eastern Asia"],
             "interests": {"environment": 1.0, "humanitarian_aid": 0.7}},
        ]
    )


@pytest.fixture(scope="module")
def pool() -> Pool:
    # The hand-made config and the known partnerships among these cities:
    # what examples/cpp/top_candidates builds.
    return Pool(make_cities(), ScoringConfig(), partnerships="bundled")


@pytest.fixture(scope="module")
def seekers() -> pd.DataFrame:
    return make_seekers()


# --------------------------------------------------------------------------- configuration


def test_package_exports_the_pool_api():
    for name in ("Pool", "ScoringConfig", "Weights", "MatchResult"):
        assert getattr(libmatch, name) is getattr(libmatch.pool, name), name


def test_config_defaults_are_the_cpp_defaults():
    c = ScoringConfig()
    assert (c.weights.population, c.weights.region, c.weights.language, c.weights.interests) == (1, 1, 1, 1)
    assert c.weights.distance == 0
    assert c.population_sigma == 1.0
    assert c.population_range == "hard"
    assert c.continent_credit == 0.5
    assert c.distance_preference == "near"
    assert c.distance_scale_km == 2000.0
    assert c.reciprocity == "geometric_mean"
    assert Weights() == c.weights
    assert "geometric_mean" in repr(c)


def test_config_fields_and_checks():
    c = ScoringConfig(weights=Weights(distance=0.5), distance_preference="far", reciprocity="minimum")
    assert c.weights.distance == 0.5 and c.distance_preference == "far" and c.reciprocity == "minimum"
    c.weights.interests = 2.0  # the nested object is a view, as in C++
    assert c.weights.interests == 2.0
    with pytest.raises(ValueError, match="'hard', 'soft'"):
        ScoringConfig(population_range="medium")
    bad = ScoringConfig(weights=Weights(region=-1), continent_credit=2.0, population_sigma=0)
    with pytest.raises(InputError) as info:
        bad.validate()
    assert len(info.value.problems) == 3
    assert info.value.problems["row"].isna().all()
    with pytest.raises(InputError):
        Pool(make_cities(), bad)


def test_pool_copies_its_config():
    config = ScoringConfig()
    p = Pool(make_cities(), config)
    config.weights.distance = 1.0
    assert p.config.weights.distance == 0.0


# --------------------------------------------------------------------------- the pool


def test_pool_basics(pool):
    assert len(pool) == 40
    assert list(pool.ids) == [r[0] for r in CITY_ROWS]
    assert ID["Kyoto"] in pool and 12345 not in pool
    assert pool.cities.loc[0, "region"] == "Eastern Asia"  # derived from JP
    assert pool.cities.set_index("name").loc["Rosario", "region"] == "South America"
    assert "40 cities" in repr(pool)


def test_every_encoding_of_languages_and_interests_is_the_same_table(pool, seekers):
    cities = make_cities()
    as_dicts = cities.copy()
    as_dicts["languages"] = [dict((k, float(v)) for k, v in (e.split(":") for e in s.split(";"))) for s in cities.languages]
    as_dicts["interests"] = [[(k, float(v)) for k, v in (e.split(":") for e in s.split(";"))] for s in cities.interests]
    as_dicts = as_dicts.rename(columns={"lat": "latitude", "lon": "longitude"})
    as_dicts["country"] = as_dicts["country"].str.lower()
    as_dicts["region"] = ""
    expected = pool.candidates(seekers, k=5)
    pd.testing.assert_frame_equal(Pool(as_dicts, ScoringConfig(), partnerships="bundled").candidates(seekers, k=5), expected)
    # Interests as a plain list weigh 1 each, like "a;b".
    equal = cities.copy()
    equal["interests"] = [["heritage", "tourism"]] * 40
    same = cities.copy()
    same["interests"] = ["heritage;tourism"] * 40
    pd.testing.assert_frame_equal(Pool(equal).candidates(seekers, 3), Pool(same).candidates(seekers, 3))


def test_missing_optional_columns_and_cells():
    cities = make_cities()[["id", "country", "lat", "lon", "population"]]
    p = Pool(cities)
    assert len(p) == 40
    c = p.candidates([ID["Kyoto"]], k=3)
    assert c["language"].isna().all() and c["interests"].isna().all()
    with_gaps = make_cities()
    with_gaps.loc[0, "languages"] = None
    with_gaps.loc[1, "interests"] = float("nan")
    with_gaps["region"] = [None] * 40
    assert len(Pool(with_gaps)) == 40


# --------------------------------------------------------------------------- candidates


def test_candidates_columns_and_order(pool, seekers):
    c = pool.candidates(seekers, k=5)
    assert list(c.columns) == ["seeker_id", "candidate_id", "rank", "score", *COMPONENTS, "reciprocal"]
    assert c["seeker_id"].dtype == np.int64 and c["candidate_id"].dtype == np.int64
    assert c["score"].dtype == np.float64
    assert list(dict.fromkeys(c["seeker_id"])) == list(seekers["id"])  # seekers in input order
    for _, group in c.groupby("seeker_id", sort=False):
        assert list(group["rank"]) == list(range(1, len(group) + 1))
        keys = list(zip(-group["score"], group["candidate_id"]))
        assert keys == sorted(keys)  # higher score first, ties to the lower id
    assert c["population"].notna().all()  # always present
    assert c["distance"].isna().all()  # weight 0 by default
    # hard filters
    kyoto = c[c.seeker_id == ID["Kyoto"]]
    populations = pool.cities.set_index("id").loc[kyoto.candidate_id, "population"]
    assert populations.between(200_000, 2_000_000).all()
    krakow = c[c.seeker_id == ID["Kraków"]]
    assert ID["Edinburgh"] not in set(krakow.candidate_id)
    countries = pool.cities.set_index("id")["country"]
    assert (countries.loc[c.seeker_id].to_numpy() != countries.loc[c.candidate_id].to_numpy()).all()


def test_candidates_equal_explain_bit_for_bit(pool, seekers):
    c = pool.candidates(seekers, k=8)
    for row in c.itertuples(index=False):
        e = pool.explain(row.seeker_id, row.candidate_id, seekers=seekers)
        assert e["passes"]
        assert e["score"] == row.score
        assert e["reciprocal"] == row.reciprocal
        for name in COMPONENTS:
            part = e["forward"]["components"][name]
            value = getattr(row, name)
            if part["present"]:
                assert value == part["value"]
            else:
                assert math.isnan(value)
        if e["reciprocal"]:
            f, b = e["forward"]["score"], e["backward"]["score"]
            assert row.score == pytest.approx(math.sqrt(f * b), rel=1e-6)  # geometric mean
        else:
            assert e["backward"] is None
            assert row.score == e["forward"]["score"]


def test_candidates_match_independent_formulas(pool):
    cities = pool.cities.set_index("id")
    interests = {
        r[0]: np.array([dict((k, float(v)) for k, v in (e.split(":") for e in r[7].split(";"))).get(n, 0.0) for n in INTERESTS])
        for r in CITY_ROWS
    }
    languages = {r[0]: dict((k, float(v)) for k, v in (e.split(":") for e in r[6].split(";"))) for r in CITY_ROWS}
    config = ScoringConfig(weights=Weights(distance=1.0), distance_scale_km=3000.0)
    p = Pool(make_cities(), config)
    c = p.candidates([ID["Kyoto"], ID["Lyon"], ID["Suva"]], k=39)
    assert len(c) > 60
    for row in c.itertuples(index=False):
        a, b = cities.loc[row.seeker_id], cities.loc[row.candidate_id]
        population = math.exp(-math.log(a.population / b.population) ** 2 / 2)
        assert row.population == pytest.approx(population, abs=1e-6)
        ia, ib = interests[row.seeker_id], interests[row.candidate_id]
        cosine = ia @ ib / np.linalg.norm(ia) / np.linalg.norm(ib)
        assert row.interests == pytest.approx(max(cosine, 0.0), abs=1e-6)
        la, lb = languages[row.seeker_id], languages[row.candidate_id]
        overlap = min(1.0, sum(share * lb.get(code, 0.0) for code, share in la.items()))  # no wanted languages
        assert row.language == pytest.approx(overlap, abs=1e-6)
        phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
        h = math.sin((phi2 - phi1) / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2
        d = 2 * 6371.0088 * math.asin(math.sqrt(h))
        assert row.distance == pytest.approx(math.exp(-d / 3000.0), abs=1e-5)
        e = p.explain(row.seeker_id, row.candidate_id)
        assert e["distance_km"] == pytest.approx(d, rel=1e-4)
        assert row.region != row.region  # no wanted areas: left out


def _cpp_example() -> Path:
    path = Path(os.environ.get("LIBMATCH_TOP_CANDIDATES", ROOT / "build/release/examples/cpp/top_candidates"))
    if not path.exists():
        pytest.skip(f"the C++ example is not built ({path})")
    return path


def test_candidates_equal_the_cpp_example(pool, seekers):
    out = subprocess.run([str(_cpp_example()), "5"], capture_output=True, text=True, check=True).stdout
    cpp = []
    seeker = None
    row = re.compile(r"^  +(\d+) (.{14}) (\S\S) +(.{25}) ([ \d.]{6})([* ])(.*)$")
    for line in out.splitlines():
        m = re.match(r"^(\S.*) \(\w\w\) seeks (\d+) partners?", line)
        if m:
            seeker = ID[m.group(1)]
            continue
        m = row.match(line)
        if m and seeker is not None:
            parts = m.group(7).split()
            cpp.append(
                (seeker, int(m.group(1)), ID[m.group(2).strip()], float(m.group(5)), m.group(6) == "*",
                 [math.nan if x == "-" else float(x) for x in parts])
            )
    py = pool.candidates(seekers, k=5)
    assert len(cpp) == len(py) == 40
    for (seeker_id, rank, candidate, score, star, parts), r in zip(cpp, py.itertuples(index=False)):
        assert (r.seeker_id, r.rank, r.candidate_id, r.reciprocal) == (seeker_id, rank, candidate, star)
        assert r.score == pytest.approx(score, abs=5.1e-4)
        for name, value in zip(COMPONENTS, parts):
            got = getattr(r, name)
            assert math.isnan(got) == math.isnan(value), (NAME[seeker_id], NAME[candidate], name)
            if not math.isnan(value):
                assert got == pytest.approx(value, abs=5.1e-4)


def test_threads_and_seeker_forms_do_not_change_results(pool, seekers):
    one = pool.candidates(seekers, k=6, threads=1)
    pd.testing.assert_frame_equal(pool.candidates(seekers, k=6, threads=2), one)
    as_dicts = [{k: v for k, v in r.items() if not (np.isscalar(v) and pd.isna(v))} for r in seekers.to_dict("records")]
    pd.testing.assert_frame_equal(pool.candidates(as_dicts, k=6), one)
    ids_only = pool.candidates([ID["Lyon"], ID["Cork"]], k=3)
    assert list(ids_only.seeker_id.unique()) == [ID["Lyon"], ID["Cork"]]


def test_progress(pool, seekers, capsys):
    calls = []
    pool.candidates(seekers, k=3, progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1][0] == calls[-1][1]
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    pool.candidates(seekers, k=3, progress=True)
    err = capsys.readouterr().err
    assert "candidates" in err and "100%" in err
    with pytest.raises(TypeError):
        pool.candidates(seekers, progress="yes")


def test_explain(pool):
    e = pool.explain(ID["Kyoto"], ID["Lyon"])
    assert set(e) >= {"a", "b", "score", "passes", "distance_km", "forward", "backward", "filters", "notes", "text"}
    assert e["a"] == ID["Kyoto"] and e["passes"] and e["backward"] is None
    weights = [c["weight"] for c in e["forward"]["components"].values() if c["present"]]
    assert sum(weights) == pytest.approx(1.0, abs=1e-6)
    assert not e["forward"]["components"]["distance"]["present"]
    assert any("distance" in note for note in e["notes"])
    assert {f["name"] for f in e["filters"]} >= {"self", "same_country", "excluded", "population_range"}
    assert "explain" in e["text"]
    same = pool.explain(ID["Kyoto"], ID["Osaka"])
    assert not same["passes"]
    assert [f["passed"] for f in same["filters"] if f["name"] == "same_country"] == [False]
    with pytest.raises(InputError):
        pool.explain(ID["Kyoto"], 42)


# --------------------------------------------------------------------------- validation


def _problems(cities=None, seekers=None):
    with pytest.raises(InputError) as info:
        if seekers is None:
            Pool(cities)
        else:
            Pool(make_cities()).candidates(seekers)
    problems = info.value.problems
    assert list(problems.columns[:4]) == ["row", "column", "value", "reason"]
    assert isinstance(info.value, ValueError)
    return problems


def _one(problems, row, column):
    hits = problems[(problems["row"] == row) & (problems["column"] == column)]
    assert len(hits) == 1, problems.to_string()
    return hits.iloc[0]


CITY_CASES = [
    # (column, value, expected value text, reason pattern)
    ("lat", float("nan"), "nan", "not a finite number"),
    ("lat", 91.0, "91", r"outside \[-90, 90\]"),
    ("lon", 200.0, "200", r"outside \[-180, 180\]"),
    ("population", 0.0, "0", "must be > 0"),
    ("population", -5.0, "-5", "must be > 0"),
    ("population", "many", "many", "not a number"),
    ("country", "ZZ", "ZZ", "unknown country code"),
    ("country", None, "", "missing country"),
    ("region", "Atlantis", "Atlantis", "unknown region"),
    ("region", "South America", "South America", "does not contain country"),
    ("interests", "heritage;quilting", "quilting", "unknown interest; the vocabulary is: arts_culture, .*faith"),
    ("interests", {"heritage": -1.0}, "heritage:-1", "weight must be finite and >= 0"),
    ("languages", "en:1.5", "en:1.5", r"share must be in \[0, 1\]"),
    ("languages", "en:0.5;en:0.2", "en:0.2", "language listed twice"),
    ("languages", "e n:0.5", "e n", "not a language code"),
    ("languages", "en", "en", "has no share"),
    ("languages", "en:lots", "en:lots", "'lots' is not a number"),
]


@pytest.mark.parametrize("column, value, shown, reason", CITY_CASES)
def test_every_city_problem_is_reported_with_row_and_column(column, value, shown, reason):
    cities = make_cities()
    if column == "region":
        cities["region"] = ""
    cities[column] = cities[column].astype(object)
    cities.at[7, column] = value
    problems = _problems(cities)
    hit = _one(problems, 7, column)
    assert hit["value"] == shown
    assert re.search(reason, hit["reason"]), hit["reason"]
    assert len(problems) == 1, problems.to_string()


def test_duplicate_id():
    cities = make_cities()
    cities.loc[5, "id"] = cities.loc[2, "id"]
    hit = _one(_problems(cities), 5, "id")
    assert "duplicate id: row 2" in hit["reason"]


def test_bad_ids_and_missing_columns():
    cities = make_cities()
    cities["id"] = cities["id"].astype(object)
    cities.at[3, "id"] = "x"
    cities.at[4, "id"] = 2.5
    cities.at[6, "id"] = None
    problems = _problems(cities)
    assert [_one(problems, r, "id")["reason"] for r in (3, 4, 6)] == ["not an integer", "not an integer", "missing id"]
    assert len(problems) == 3
    problems = _problems(make_cities().drop(columns=["lat", "population"]))
    assert set(problems["column"]) == {"lat", "population"}
    assert problems["row"].isna().all()


def test_every_problem_at_once():
    cities = make_cities()
    cities = cities.astype({"lat": object, "country": object})
    cities.at[0, "lat"] = float("nan")
    cities.at[1, "lon"] = -181.0
    cities.at[2, "population"] = 0
    cities.at[3, "country"] = "XX"
    cities.at[4, "interests"] = "knitting"
    cities.at[5, "languages"] = "fr:0.8;fr:0.7"
    cities.at[6, "id"] = cities.at[0, "id"]
    problems = _problems(cities)
    assert list(zip(problems["row"], problems["column"])) == [
        (0, "lat"), (1, "lon"), (2, "population"), (3, "country"), (4, "interests"), (5, "languages"), (6, "id")
    ]
    message = str(InputError.from_problems([]))  # the class builds its own message
    assert "0 problems" in message


SEEKER_CASES = [
    ({"partners": 0}, "partners", "0", "must be at least 1"),
    ({"population_min": 5e6, "population_max": 1e6}, "population_min", "5e+06", r"greater than population_max"),
    ({"population_min": -1}, "population_min", "-1", "must be a finite number >= 0"),
    ({"regions": "Narnia"}, "regions", "Narnia", "unknown region"),
    ({"countries": "ZZ"}, "countries", "ZZ", "unknown country code"),
    ({"interests": "heritage;quilting"}, "interests", "quilting", "unknown interest; the vocabulary is"),
    ({"interests": "heritage;Arts Culture"}, "interests", "Arts Culture", r"^unknown interest; did you mean 'arts_culture'\?$"),
    ({"regions": "Westen Europe"}, "regions", "Westen Europe", r"^unknown region; did you mean 'Western Europe'\?$"),
    ({"partners": 1.5}, "partners", "1.5", "not an integer"),
    ({"same_country": "maybe"}, "same_country", "maybe", "not a boolean"),
]


@pytest.mark.parametrize("extra, column, shown, reason", SEEKER_CASES)
def test_every_seeker_problem_is_reported_with_row_and_column(extra, column, shown, reason):
    seekers = [{"id": ID["Kyoto"]}, {"id": ID["Lyon"]}, {"id": ID["Boston"], **extra}]
    problems = _problems(seekers=seekers)
    hit = _one(problems, 2, column)
    assert hit["value"] == shown
    assert re.search(reason, hit["reason"]), hit["reason"]
    assert len(problems) == 1, problems.to_string()


def test_unknown_and_repeated_seekers():
    problems = _problems(seekers=[{"id": 12345}, {"id": ID["Lyon"]}, {"id": ID["Lyon"]}, {"partners": 2}])
    assert "not a city of the pool" in _one(problems, 0, "id")["reason"]
    assert "already seeks" in _one(problems, 2, "id")["reason"]
    assert "missing id" in _one(problems, 3, "id")["reason"]
    problems = _problems(seekers=pd.DataFrame({"id": [ID["Lyon"]], "partner": [2]}))
    hit = problems[problems["column"] == "partner"]
    assert len(hit) == 1 and hit["row"].isna().all() and "unknown column" in hit["reason"].iloc[0]


def test_a_frame_of_bare_ids_takes_the_fast_path_with_the_same_results_and_errors(pool):
    ids = [ID["Lyon"], ID["Cork"], ID["Kyoto"]]
    frame = pd.DataFrame({"id": ids, "name": ["a", "b", "c"]})  # "name" is ignored
    pd.testing.assert_frame_equal(pool.candidates(frame, k=4), pool.candidates([{"id": i} for i in ids], k=4))
    problems = _problems(seekers=pd.DataFrame({"id": [12345, ID["Lyon"], ID["Lyon"]]}))
    assert "not a city of the pool" in _one(problems, 0, "id")["reason"]
    assert "already seeks" in _one(problems, 2, "id")["reason"]


def test_bad_arguments(pool, seekers):
    with pytest.raises(InputError):
        pool.candidates(seekers, k=0)
    with pytest.raises(ValueError):
        pool.candidates(seekers, threads=-1)
    with pytest.raises(ValueError, match="method"):
        pool.match(seekers, method="best")
    with pytest.raises(TypeError, match="mutual"):
        pool.match(seekers, mutual="no")
    with pytest.raises(TypeError):
        pool.candidates("Kyoto")


# --------------------------------------------------------------------------- match


@pytest.mark.parametrize("method", ["optimal", "stable", "greedy"])
def test_match(pool, seekers, method):
    if method == "stable":
        # Seekers that are candidates of each other make a roommates
        # problem, which needs capacity 1 everywhere.
        seekers = seekers.assign(partners=1)
    r = pool.match(seekers, method=method, k=10)
    assert isinstance(r, MatchResult) and r.method == method
    assert list(r.pairs.columns[:4]) == ["a", "b", "score", "weight"]
    assert list(r.unmatched.columns) == ["id", "open", "reason"]
    assert list(r.blocking_pairs.columns) == ["a", "b", "score"]
    assert r.total_score == pytest.approx(r.pairs["score"].sum())
    assert r.total_weight == r.pairs["weight"].sum()
    # pairs are candidate edges, within capacities
    edges = set(zip(r.candidates.a, r.candidates.b))
    assert set(zip(r.pairs.a, r.pairs.b)) <= edges
    capacity = dict(zip(r.vertices.id, r.vertices.capacity))
    load = pd.concat([r.pairs.a, r.pairs.b]).value_counts()
    assert all(load[v] <= capacity[v] for v in load.index)
    assert capacity[ID["Boston"]] == (1 if method == "stable" else 2)
    # every seeker is either full or listed as unmatched, with its open places
    partners = dict(zip(seekers["id"], seekers["partners"].fillna(1).astype(int)))
    unmatched = dict(zip(r.unmatched.id, r.unmatched.open))
    for s, want in partners.items():
        assert load.get(s, 0) + unmatched.get(s, 0) == want
    if method == "stable":
        assert r.blocking_pair_count == 0 and r.blocking_pairs.empty
    # the edges are the candidates' scores
    c = pool.candidates(seekers, k=10)
    scores = {}
    for row in c.itertuples(index=False):
        scores[frozenset((row.seeker_id, row.candidate_id))] = row.score
    assert len(scores) == len(r.candidates)
    for e in r.candidates.itertuples(index=False):
        assert e.score == scores[frozenset((e.a, e.b))]
        assert e.weight == round(e.score * 1_000_000)


def test_match_methods_agree_with_each_other_and_networkx(pool, seekers):
    nx = pytest.importorskip("networkx")
    optimal = pool.match(seekers, "optimal", k=10)
    greedy = pool.match(seekers, "greedy", k=10)
    stable = pool.match(seekers.assign(partners=1), "stable", k=10)
    assert optimal.total_weight >= greedy.total_weight >= optimal.total_weight / 2
    assert pool.match(seekers.assign(partners=1), "optimal", k=10).total_weight >= stable.total_weight
    # Boston wants 2 partners among seekers: stable fixtures, no blocking pair
    assert pool.match(seekers, "stable", k=10).blocking_pair_count == 0
    # capacity 1 everywhere: the optimum is a maximum-weight matching
    ones = seekers.assign(partners=1)
    r = pool.match(ones, "optimal", k=10)
    g = nx.Graph()
    for e in r.candidates.itertuples(index=False):
        g.add_edge(e.a, e.b, weight=int(e.weight))
    best = nx.max_weight_matching(g)
    assert r.total_weight == sum(g[u][v]["weight"] for u, v in best)
    graph = r.to_networkx()
    assert graph.number_of_edges() == len(r.candidates)
    assert sum(1 for *_, d in graph.edges(data=True) if d["paired"]) == len(r.pairs)
    assert graph.nodes[ID["Kyoto"]]["name"] == "Kyoto" and graph.nodes[ID["Kyoto"]]["seeks"]
    assert "<graphml" in r.to_graphml()
    assert "MatchResult(method='optimal'" in repr(r)


def test_unmatched_reason(pool):
    # Kraków alone, with a population window no city meets.
    r = pool.match([{"id": ID["Kraków"], "population_min": 10, "population_max": 20}], "optimal")
    assert r.pairs.empty
    assert list(r.unmatched.itertuples(index=False, name=None)) == [(ID["Kraków"], 1, "no candidate passed the filters")]


def test_stable_pairing_of_seekers_only_is_stable_and_symmetric(pool, seekers):
    # Every pair of seekers: both views count, so the edge score is the same
    # from either side and a stable pairing always exists.
    ids = list(seekers["id"])
    r = pool.match([{"id": i, "same_country": True} for i in ids], "stable", k=39)
    assert r.blocking_pair_count == 0
    for e in r.candidates.itertuples(index=False):
        if e.a in ids and e.b in ids:
            there = pool.explain(e.a, e.b, seekers=[{"id": i, "same_country": True} for i in ids])
            back = pool.explain(e.b, e.a, seekers=[{"id": i, "same_country": True} for i in ids])
            assert e.score in (there["score"], back["score"])  # the viewer's exact score
            assert there["score"] == pytest.approx(back["score"], rel=1e-5, abs=1e-7)


# --------------------------------------------------------------------------- GIL, cancellation


def synthetic_cities(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    countries = np.array(["FR", "DE", "US", "JP", "BR", "KE", "IN", "AU", "PL", "MX", "CA", "NG"])
    languages = ["en:0.6;es:0.2", "fr:0.9", "de:0.8;en:0.1", "ja:0.98", "pt:0.95", "sw:0.5;en:0.3"]
    names = list(INTERESTS)
    return pd.DataFrame(
        {
            "id": np.arange(1, n + 1, dtype=np.int64) * 10,
            "country": rng.choice(countries, n),
            "lat": rng.uniform(-60, 70, n),
            "lon": rng.uniform(-180, 180, n),
            "population": np.exp(rng.uniform(9, 16, n)),
            "languages": [languages[i] for i in rng.integers(0, len(languages), n)],
            "interests": [
                {names[j]: float(w) for j, w in zip(rng.choice(16, 3, replace=False), rng.uniform(0.1, 1, 3))}
                for _ in range(n)
            ],
        }
    )


@pytest.fixture(scope="module")
def big_pool() -> Pool:
    return Pool(synthetic_cities(6000))


def test_two_threads_run_in_parallel_and_agree(big_pool):
    # Bare ids: the Python side (which holds the GIL) is then a small part.
    seekers = pd.DataFrame({"id": big_pool.ids})
    start = time.perf_counter()
    expected = big_pool.candidates(seekers, k=10, threads=1)
    alone = time.perf_counter() - start
    barrier = threading.Barrier(3)
    inside = {"a": False, "b": False}
    results = {}
    errors = []
    ticks = []  # (time, calls running) as seen by a pure-Python watcher

    def run(name):
        try:
            barrier.wait()
            inside[name] = True
            results[name] = big_pool.candidates(seekers, k=10, threads=1)
        except BaseException as error:  # surfaced below
            errors.append(error)
        finally:
            inside[name] = False

    def watch():
        barrier.wait()
        while any(t.is_alive() for t in workers):
            ticks.append((time.perf_counter(), inside["a"] + inside["b"]))
            time.sleep(0.001)

    workers = [threading.Thread(target=run, args=(name,)) for name in ("a", "b")]
    watcher = threading.Thread(target=watch)
    for t in (*workers, watcher):
        t.start()
    for t in (*workers, watcher):
        t.join()
    assert not errors, errors
    for name in ("a", "b"):
        pd.testing.assert_frame_equal(results[name], expected)
    # The watcher is Python code, so it stalls whenever a call holds the GIL:
    # for the whole scoring (most of `alone`) if the GIL were not released.
    busy = [t for t, running in ticks if running]
    longest_stall = max(np.diff(busy), default=0.0)
    assert longest_stall < 0.3 * alone, (longest_stall, alone)
    both = [t for t, running in ticks if running == 2]
    assert both and both[-1] - both[0] > 0.5 * alone, "the two calls did not overlap"


def test_progress_returning_false_cancels(big_pool):
    seekers = pd.DataFrame({"id": big_pool.ids})
    calls = []

    def stop_at_second_call(done, total):
        calls.append(done)
        return len(calls) < 2

    start = time.perf_counter()
    with pytest.raises(Cancelled):
        big_pool.candidates(seekers, k=10, threads=1, progress=stop_at_second_call)
    assert time.perf_counter() - start < 1.0
    assert len(calls) == 2


def test_progress_exceptions_propagate(big_pool):
    seekers = pd.DataFrame({"id": big_pool.ids})

    def interrupt(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        big_pool.candidates(seekers, k=10, progress=interrupt)

    def broken(done, total):
        raise ZeroDivisionError("from the callback")

    with pytest.raises(ZeroDivisionError, match="from the callback"):
        big_pool.candidates(seekers, k=10, progress=broken)


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(), reason="signals go to the main thread")
def test_ctrl_c_stops_a_long_call_promptly():
    p = Pool(synthetic_cities(20_000, seed=3))
    seekers = [{"id": i} for i in p.ids.tolist()]
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    start = time.perf_counter()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            p.candidates(seekers, k=10, threads=1)
    finally:
        timer.cancel()
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0, f"took {elapsed:.2f} s to stop"


def test_validate_seekers_checks_without_scoring(pool, seekers):
    assert pool.validate_seekers(seekers) is None
    with pytest.raises(InputError) as caught:
        pool.validate_seekers([{"id": 1857910, "partners": 0}, {"id": 424242}])
    problems = caught.value.problems
    assert {(row, column) for row, column in zip(problems["row"], problems["column"])} >= {
        (0, "partners"),
        (1, "id"),
    }


# --------------------------------------------------------------------------- ids, numbers, arguments


def test_ids_beyond_int64_are_problems_not_wrapped_ids(pool):
    cities = make_cities()
    wide = cities.assign(id=cities["id"].astype("uint64"))
    assert list(Pool(wide).ids) == list(cities["id"])  # uint64 that fits: read as is
    wide.loc[39, "id"] = 2**63 + 5
    hit = _one(_problems(wide), 39, "id")
    assert (hit["value"], hit["reason"]) == ("9223372036854775813", "out of the int64 range")
    huge = cities.assign(id=cities["id"].astype(float))
    huge.loc[0, "id"] = 1e20
    assert _one(_problems(huge), 0, "id")["reason"] == "out of the int64 range"
    as_objects = cities.astype({"id": object})
    as_objects.at[2, "id"] = 2**64
    assert _one(_problems(as_objects), 2, "id")["reason"] == "out of the int64 range"
    # Seekers: the bare-id frame, a list of ids, dicts and exclude.
    for seekers in (
        pd.DataFrame({"id": np.array([ID["Lyon"], 2**64 - 1], dtype="uint64")}),
        [ID["Lyon"], 2**64 - 1],
        [{"id": ID["Lyon"]}, {"id": 2**64 - 1}],
    ):
        hit = _one(_problems(seekers=seekers), 1, "id")
        assert (hit["value"], hit["reason"]) == ("18446744073709551615", "out of the int64 range")
    hit = _one(_problems(seekers=[{"id": ID["Lyon"], "exclude": [ID["Cork"], 2**64]}]), 0, "exclude")
    assert "18446744073709551616: out of the int64 range" in hit["reason"]
    with pytest.raises(InputError) as info:
        pool.explain(2**64, -(2**63) - 1)
    problems = info.value.problems
    assert list(problems["column"]) == ["a", "b"]
    assert set(problems["reason"]) == {"out of the int64 range"} and problems["row"].isna().all()


def test_ids_and_counts_must_be_whole_numbers(pool, seekers):
    kyoto, lyon = ID["Kyoto"], ID["Lyon"]
    with pytest.raises(InputError) as info:
        pool.explain(kyoto + 0.7, "x")
    problems = info.value.problems
    assert list(zip(problems["column"], problems["value"], problems["reason"])) == [
        ("a", str(kyoto + 0.7), "not an integer"),
        ("b", "x", "not an integer"),
    ]
    assert pool.explain(float(kyoto), np.int64(lyon))["a"] == kyoto
    assert kyoto + 0.5 not in pool and float(kyoto) in pool and np.int64(kyoto) in pool
    assert str(kyoto) not in pool and None not in pool and True not in pool and 2**70 not in pool
    for arguments, column in ((dict(pool_capacity=2.7), "pool_capacity"), (dict(k=2.5), "k"), (dict(threads=1.5), "threads")):
        with pytest.raises(InputError) as info:
            pool.match(seekers, **arguments)
        hit = info.value.problems.iloc[0]
        assert (hit["column"], hit["reason"], hit["record"]) == (column, "not an integer", "options")
    # A whole float is the integer it equals.
    pd.testing.assert_frame_equal(pool.candidates(seekers, k=3.0), pool.candidates(seekers, k=3))


def test_bare_nullable_ids_with_a_missing_value(pool):
    ids = pd.array([ID["Kyoto"], None], dtype="Int64")
    problems = _problems(seekers=pd.DataFrame({"id": ids}))
    assert _one(problems, 1, "id")["reason"] == "missing id" and len(problems) == 1
    full = pd.DataFrame({"id": pd.array([ID["Kyoto"], ID["Lyon"]], dtype="Int64")})
    pd.testing.assert_frame_equal(pool.candidates(full, k=2), pool.candidates([ID["Kyoto"], ID["Lyon"]], k=2))


def test_bad_numbers_in_arguments_are_readable_problems(pool, seekers):
    def problem(call):
        with pytest.raises(InputError) as info:
            call()
        assert len(info.value.problems) == 1, info.value.problems
        return info.value.problems.iloc[0]

    hit = problem(lambda: pool.candidates(seekers, k=-1))
    assert (hit["column"], hit["value"], hit["reason"]) == ("k", "-1", "must be at least 1")
    hit = problem(lambda: pool.match(seekers, pool_capacity=2**40))
    assert (hit["column"], hit["reason"]) == ("pool_capacity", "out of the int32 range")
    hit = problem(lambda: pool.candidates([{"id": ID["Kyoto"], "partners": 2**40}]))
    assert (hit["row"], hit["column"], hit["reason"]) == (0, "partners", "out of the int32 range")
    hit = problem(lambda: pool.candidates(seekers, threads=-1))
    assert (hit["column"], hit["reason"]) == ("threads", "must be at least 0")
    # More candidates than the pool has means all of them; so do more threads than work.
    everything = pool.candidates([ID["Kyoto"]], k=len(pool))
    pd.testing.assert_frame_equal(pool.candidates([ID["Kyoto"]], k=10**15, threads=2**40), everything)


@pytest.mark.parametrize("answer, cancels", [("", True), (0, True), (False, True), (None, False), (1, False), ("yes", False)])
def test_progress_answers_count_by_their_truth(big_pool, answer, cancels):
    seekers = pd.DataFrame({"id": big_pool.ids[:2000]})
    run = lambda: big_pool.candidates(seekers, k=3, threads=1, progress=lambda done, total: answer)  # noqa: E731
    if cancels:
        with pytest.raises(Cancelled):
            run()
    else:
        assert len(run()) == 3 * len(seekers)


def test_every_problem_at_once_across_columns_cells_and_arguments(pool):
    # A missing column does not stop the checks of the others.
    cities = make_cities().drop(columns=["lat"])
    cities.loc[3, "population"] = 0
    cities.loc[5, "country"] = "ZZ"
    problems = _problems(cities)
    assert list(zip(problems["row"].astype(object), problems["column"])) == [(pd.NA, "lat"), (3, "population"), (5, "country")]
    assert "city " + str(cities.loc[3, "id"]) in problems["record"][1]
    # Without ids, rows are named by position only.
    problems = _problems(make_cities().drop(columns=["id", "country"]).assign(lon=[200.0] + [0.0] * 39))
    assert list(zip(problems["row"].astype(object), problems["column"])) == [(pd.NA, "id"), (pd.NA, "country"), (0, "lon")]
    assert problems["record"].iloc[2] == "row 0"
    # A bad interest weight and its repeat, in one cell.
    problems = _problems(seekers=[{"id": ID["Kyoto"], "interests": "heritage:-1;heritage:2"}])
    assert set(problems["reason"]) == {"weight must be finite and >= 0", "interest listed twice"}
    # The arguments with the seekers, and the seekers' own columns.
    with pytest.raises(InputError) as info:
        pool.match([{"id": 5, "regions": "Narnia"}], k=0, pool_capacity=0, threads=-2)
    problems = info.value.problems
    assert list(problems["column"]) == ["k", "pool_capacity", "threads", "id", "regions"]
    with pytest.raises(InputError) as info:
        pool.explain(ID["Kyoto"], 1.5, seekers=[{"id": 5}])
    assert sorted(info.value.problems["column"]) == ["b", "id"]
    problems = _problems(seekers=[{"partners": 2, "regions": "Narnia"}, {"countries": "ZZ"}])
    assert list(zip(problems["row"].astype(object), problems["column"])) == [(pd.NA, "id"), (0, "regions"), (1, "countries")]


def test_bad_language_shares_do_not_hide_each_other_or_a_repeat():
    cities = make_cities()
    cities.loc[7, "languages"] = "fr:2;en:2"
    cities.loc[8, "languages"] = "fr:2;fr:0.5"
    problems = _problems(cities)
    row7 = problems[problems["row"] == 7]
    assert list(row7["value"]) == ["fr:2", "en:2"] and row7["reason"].str.contains(r"share must be in \[0, 1\]").all()
    assert "language listed twice" in set(problems[problems["row"] == 8]["reason"])
    assert not problems["reason"].str.contains("sum").any()  # speaker shares may sum above 1


# Issue 13's multilingual cities: speaker shares as people give them, each in
# [0, 1] and summing above 1 (bilingual people count once per language).
MULTILINGUAL_ROWS = [
    (2624652, "Aarhus", "DK", 56.16, 10.20, 290000, "da:0.95;en:0.8"),
    (3161732, "Bergen", "NO", 60.39, 5.32, 285000, "no:0.95;en:0.8"),
    (186301, "Mombasa", "KE", -4.04, 39.67, 1210000, "sw:0.9;en:0.6"),
    (3941584, "Cusco", "PE", -13.53, -71.97, 430000, "es:0.8;qu:0.4"),
    (2548885, "Fes", "MA", 34.03, -5.00, 1160000, "ar:0.9;fr:0.3"),
    (6325494, "Québec", "CA", 46.81, -71.21, 550000, "fr:0.95;en:0.2"),
    (2618425, "Copenhagen", "DK", 55.68, 12.57, 650000, "da:0.95;en:0.8"),  # Aarhus' twin, for the cap
]
M = {row[1]: row[0] for row in MULTILINGUAL_ROWS}
NAME_M = {row[0]: row[1] for row in MULTILINGUAL_ROWS}
# overlap = min(1, sum_l s_a(l) s_b(l)), by hand; every pair not listed shares no language.
MULTILINGUAL_OVERLAP = {
    ("Aarhus", "Bergen"): 0.8 * 0.8,  # en: 0.64
    ("Aarhus", "Mombasa"): 0.8 * 0.6,  # en: 0.48
    ("Aarhus", "Québec"): 0.8 * 0.2,  # en: 0.16
    ("Bergen", "Mombasa"): 0.8 * 0.6,
    ("Bergen", "Québec"): 0.8 * 0.2,
    ("Mombasa", "Québec"): 0.6 * 0.2,  # en: 0.12
    ("Fes", "Québec"): 0.3 * 0.95,  # fr: 0.285
    ("Aarhus", "Copenhagen"): 1.0,  # da and en: 0.9025 + 0.64 = 1.5425, capped at 1
    ("Bergen", "Copenhagen"): 0.8 * 0.8,
    ("Copenhagen", "Mombasa"): 0.8 * 0.6,
    ("Copenhagen", "Québec"): 0.8 * 0.2,
}


def multilingual_cities() -> pd.DataFrame:
    return pd.DataFrame(MULTILINGUAL_ROWS, columns=["id", "name", "country", "lat", "lon", "population", "languages"])


def multilingual_overlap(a: str, b: str) -> float:
    return MULTILINGUAL_OVERLAP.get((min(a, b), max(a, b)), 0.0)


def test_speaker_shares_may_sum_above_one():
    pool = Pool(multilingual_cities())  # Aarhus' shares sum to 1.75, Cusco's to 1.2
    assert len(pool.cities) == len(MULTILINGUAL_ROWS)
    Pool(make_cities().assign(languages="en:1;fr:1;de:1"))  # everyone speaks three languages
    for a in M:
        for b in M:
            if a == b:
                continue
            part = pool.explain(M[a], M[b])["forward"]["components"]["language"]
            assert part["present"]
            assert part["value"] == pytest.approx(multilingual_overlap(a, b), abs=1e-6), (a, b)


def test_multilingual_wanted_languages_raise_the_overlap():
    # language = overlap + (1 - overlap) * wanted_share, wanted_share = min(1,
    # the candidate's shares of the wanted languages); each side its own wants.
    pool = Pool(multilingual_cities())
    seekers = [
        {"id": M["Aarhus"], "languages": ["fr"]},
        {"id": M["Cusco"], "languages": ["en"]},
        {"id": M["Québec"], "languages": ["da", "en"]},
    ]
    expected = {  # (seeker, candidate): (seeker's view, candidate's view or None)
        ("Aarhus", "Québec"): (0.16 + 0.84 * 0.95, 0.16 + 0.84 * 1.0),  # Québec wants da + en: 1.75, capped
        ("Aarhus", "Fes"): (0.3, None),
        ("Aarhus", "Bergen"): (0.64, None),  # Bergen speaks no French
        ("Aarhus", "Cusco"): (0.0, 0.8),  # Cusco wants English, 0.8 of Aarhus
        ("Cusco", "Mombasa"): (0.6, None),
        ("Cusco", "Fes"): (0.0, None),
        ("Québec", "Bergen"): (0.16 + 0.84 * 0.8, None),
        ("Québec", "Mombasa"): (0.12 + 0.88 * 0.6, None),
    }
    for (a, b), (forward, backward) in expected.items():
        e = pool.explain(M[a], M[b], seekers=seekers)
        assert e["forward"]["components"]["language"]["value"] == pytest.approx(forward, abs=1e-6), (a, b)
        if backward is None:
            assert e["backward"] is None
        else:
            assert e["backward"]["components"]["language"]["value"] == pytest.approx(backward, abs=1e-6), (a, b)
    # Every candidate listed, against the formula written out.
    shares = {row[0]: dict((k, float(v)) for k, v in (part.split(":") for part in row[6].split(";"))) for row in MULTILINGUAL_ROWS}
    wants = {s["id"]: s["languages"] for s in seekers}
    found = pool.candidates(seekers, k=5)
    assert len(found) == 15  # 5 candidates each; Copenhagen is Aarhus' compatriot
    for row in found.itertuples(index=False):
        overlap = multilingual_overlap(NAME_M[row.seeker_id], NAME_M[row.candidate_id])
        wanted_share = min(1.0, sum(shares[row.candidate_id].get(code, 0.0) for code in wants[row.seeker_id]))
        assert row.language == pytest.approx(overlap + (1 - overlap) * wanted_share, abs=1e-6)


def test_a_repeated_column_is_a_problem(pool):
    cities = make_cities()
    cities.loc[4, "population"] = -1
    problems = _problems(pd.concat([cities, cities[["lat"]]], axis=1))
    assert list(zip(problems["row"].astype(object), problems["column"], problems["reason"])) == [
        (pd.NA, "lat", "duplicate column"),
        (4, "population", "must be > 0"),
    ]
    # An extra column that is not read may repeat.
    assert len(Pool(pd.concat([cities.assign(population=1.0), cities[["name"]]], axis=1).rename(columns={"name": "note"}))) == 40
    seekers = pd.DataFrame({"id": [ID["Kyoto"]], "regions": ["Europe"]})
    problems = _problems(seekers=pd.concat([seekers, seekers[["regions"]]], axis=1))
    assert list(zip(problems["column"], problems["reason"])) == [("regions", "duplicate column")]
    problems = _problems(seekers=pd.concat([seekers, seekers[["id"]]], axis=1))
    assert list(zip(problems["column"], problems["reason"])) == [("id", "duplicate column")]


def test_no_stable_matching_error_is_a_runtime_error_and_the_notebook_pairs_as_given():
    assert issubclass(libmatch.NoStableMatchingError, RuntimeError)
    assert not issubclass(libmatch.NoStableMatchingError, ValueError)
    notebook = json.loads((ROOT / "examples" / "notebooks" / "batch_of_seekers.ipynb").read_text(encoding="utf-8"))
    text = "\n".join("".join(cell["source"]) for cell in notebook["cells"])
    assert "is a ValueError too" not in text and "raises `ValueError`" not in text
    # The cell that runs every method on the sample as given (capacities
    # above 1) checks that stable fixtures left no blocking pair.
    cell = next("".join(c["source"]) for c in notebook["cells"] if "as_given[method] = pool.match" in "".join(c["source"]))
    assert 'as_given["stable"].blocking_pair_count == 0' in cell


def test_every_unmatched_reason_is_documented_and_typed_alike(pool):
    documented = MatchResult.__doc__
    reasons = set()
    results = [
        pool.match([{"id": ID["Kraków"], "population_min": 10, "population_max": 20}]),
        pool.match([{"id": ID["Kraków"], "partners": 3}], k=1),
        pool.match([ID["Kyoto"], ID["Osaka"], ID["Daegu"]], k=1, mutual=True),
        # Porto is the only city of 230,000 to 235,000 people: one of the two gets it.
        pool.match([{"id": i, "population_min": 230_000, "population_max": 235_000} for i in (ID["Kyoto"], ID["Lyon"])]),
        pool.match([ID["Kyoto"]]),
    ]
    dtypes = {str(r.unmatched["reason"].dtype) for r in results}
    assert len(dtypes) == 1, dtypes
    assert results[-1].unmatched.empty
    for r in results:
        reasons.update(r.unmatched["reason"])
    assert len(reasons) == 4, reasons
    for reason in reasons:
        assert f'"{reason}"' in " ".join(documented.split()), reason
    for reason in (
        "no candidate passed the filters",
        "it has candidates, but none of them lists it back",
        "every candidate was taken",
        "it has fewer candidates than partners wanted (raise k)",
        "its free candidates score 0, so pairing them adds nothing",
    ):
        assert f'"{reason}"' in " ".join(documented.split()), reason


def test_pool_and_config_pickle(seekers):
    config = ScoringConfig(weights=Weights(distance=0.5, interests=2), population_range="soft", reciprocity="minimum")
    again = pickle.loads(pickle.dumps(config))
    assert again == config and again is not config and again.weights.interests == 2
    cities = make_cities().rename(columns={"lat": "latitude"})
    pool = Pool(cities, config)
    copy = pickle.loads(pickle.dumps(pool))
    assert isinstance(copy, Pool) and copy.config == config and list(copy.ids) == list(pool.ids)
    pd.testing.assert_frame_equal(copy.cities, pool.cities)
    pd.testing.assert_frame_equal(copy.candidates(seekers, k=5), pool.candidates(seekers, k=5))
    assert copy.explain(ID["Kyoto"], ID["Lyon"]) == pool.explain(ID["Kyoto"], ID["Lyon"])


@pytest.mark.parametrize(
    "ids",
    [
        lambda ids: [str(i) for i in ids],  # e.g. read from a CSV as text
        lambda ids: [float(i) for i in ids],
        lambda ids: pd.array(ids, dtype="Int64"),
        lambda ids: pd.Categorical(ids),
    ],
    ids=["str", "float", "Int64", "category"],
)
def test_pool_cities_hold_the_ids_as_int64_so_results_join_back(ids):
    cities = make_cities()
    pool = Pool(cities.assign(id=ids(cities["id"].tolist())))
    assert pool.cities["id"].dtype == np.int64
    assert pool.cities["id"].tolist() == cities["id"].tolist()
    seekers = [ID["Kyoto"], ID["Lyon"]]
    table = pool.candidates(seekers, k=3).join(pool.cities.set_index("id")[["name"]], on="candidate_id")
    assert table["name"].notna().all()
    graph = pool.match(seekers, k=3).to_networkx()
    assert graph.nodes[ID["Kyoto"]]["name"] == "Kyoto"


def test_match_result_pickles_for_worker_processes(pool, seekers):
    result = pool.match(seekers, "optimal", k=5)
    again = pickle.loads(pickle.dumps(result))
    assert isinstance(again, MatchResult) and repr(again) == repr(result)
    for name in ("pairs", "unmatched", "blocking_pairs", "candidates", "vertices"):
        pd.testing.assert_frame_equal(getattr(again, name), getattr(result, name))
    assert (again.method, again.total_score, again.total_weight, again.blocking_pair_count) == (
        result.method, result.total_score, result.total_weight, result.blocking_pair_count
    )
    assert again.to_graphml() == result.to_graphml()
    assert sorted(again.to_networkx().edges(data=True)) == sorted(result.to_networkx().edges(data=True))


def test_a_seekers_problems_name_it_alike_and_come_in_seeker_column_order():
    # Python's own checks (a non-boolean same_country, an unreadable
    # exclude) and the core's (an unknown id, a bad interest weight) name
    # the same row the same way, so that problems group by record.
    seekers = pd.DataFrame(
        {
            "id": [ID["Kyoto"], 12345, None],
            "partners": [0, 1, 2],
            "regions": [["Narnia"], [], []],
            "languages": [[""], [], []],
            "interests": [["quilting"], {"heritage": -1}, []],
            "exclude": [[], ["q"], []],
            "same_country": [False, "yes", "no"],
        }
    )
    problems = _problems(seekers=seekers)
    by_row = problems.groupby("row")["record"].unique()
    assert list(by_row[0]) == [f"seeker 0 (city {ID['Kyoto']})"]
    assert list(by_row[1]) == ["seeker 1 (city 12345)"]
    assert list(by_row[2]) == ["seeker 2"]  # its id is missing
    assert list(problems.loc[problems["row"] == 0, "column"]) == ["partners", "regions", "languages", "interests"]
    assert list(problems.loc[problems["row"] == 1, "column"]) == ["id", "interests", "exclude", "same_country"]
    # Without an id column no stand-in id shows.
    problems = _problems(seekers=[{"partners": 2, "regions": "Narnia"}])
    assert list(problems["record"]) == ["seekers", "seeker 0"]


def test_exclude_takes_a_single_id_as_read_from_a_csv(pool):
    # A CSV column with one excluded id per row reads as int64, or float64
    # when some rows are empty; each cell is then a number, not a list.
    expected = pool.candidates([{"id": ID["Kyoto"], "exclude": [ID["Lyon"]]}, {"id": ID["Boston"]}], k=40)
    for column in ([ID["Lyon"], np.nan], [float(ID["Lyon"]), np.nan], [str(ID["Lyon"]), None]):
        seekers = pd.DataFrame({"id": [ID["Kyoto"], ID["Boston"]], "exclude": column})
        pd.testing.assert_frame_equal(pool.candidates(seekers, k=40), expected)
    ints = pd.DataFrame({"id": [ID["Kyoto"], ID["Boston"]], "exclude": [ID["Lyon"], ID["Kyoto"]]})
    got = pool.candidates(ints, k=40)
    assert ID["Lyon"] not in set(got.loc[got["seeker_id"] == ID["Kyoto"], "candidate_id"])
    assert ID["Kyoto"] not in set(got.loc[got["seeker_id"] == ID["Boston"], "candidate_id"])
    # Still a problem: a non-whole number, a boolean.
    problems = _problems(seekers=pd.DataFrame({"id": [ID["Kyoto"], ID["Boston"]], "exclude": [1.5, True]}))
    assert list(problems["column"]) == ["exclude", "exclude"]


def test_a_missing_id_column_that_is_the_index_says_so(pool):
    # world.set_index("id") is a common pandas step; the problem says how to undo it.
    problems = _problems(make_cities().set_index("id"))
    assert list(problems["column"]) == ["id"]
    assert problems["reason"][0] == "missing column (it is the frame's index: pass frame.reset_index())"
    problems = _problems(seekers=pd.DataFrame({"id": [ID["Kyoto"]], "partners": [2]}).set_index("id"))
    assert problems["reason"][0] == "missing column (it is the frame's index: pass frame.reset_index())"
    # Otherwise the reason is as before.
    assert _problems(make_cities().drop(columns="id"))["reason"][0] == "missing column"


def test_explain_follows_a_changed_config():
    # pool.config is a public attribute; explain() without seekers must not
    # keep scoring with the config it first saw while candidates() uses the new one.
    pool = Pool(make_cities())
    kyoto, lyon = ID["Kyoto"], ID["Lyon"]

    def listed():
        c = pool.candidates([kyoto], k=40)
        return float(c.loc[c["candidate_id"] == lyon, "score"].iloc[0])

    assert pool.explain(kyoto, lyon)["score"] == listed()
    pool.config.weights.distance = 1.0
    assert pool.explain(kyoto, lyon)["score"] == listed() == pool.explain(kyoto, lyon, seekers=[])["score"]
    pool.config = ScoringConfig(population_sigma=3.0, reciprocity="minimum")
    assert pool.explain(kyoto, lyon)["score"] == listed()


def test_match_result_pickles_without_the_pool(pool, seekers, monkeypatch):
    # Unpickling a whole pool rebuilds and checks it (about a second for the
    # bundled world cities), for every result a worker sends back.
    result = pool.match(seekers, k=5)
    data = pickle.dumps(result)

    def rebuilt(*args, **kwargs):
        raise AssertionError("a pool was rebuilt to unpickle a MatchResult")

    monkeypatch.setattr(Pool, "__init__", rebuilt)
    again = pickle.loads(data)
    assert sorted(again.to_networkx().nodes(data=True)) == sorted(result.to_networkx().nodes(data=True))
    assert len(data) < len(pickle.dumps(pool.cities)) + len(pickle.dumps(result.candidates)) + len(result.to_graphml()) * 2
    assert len(pickle.loads(pickle.dumps(again)).to_graphml()) == len(result.to_graphml())


def test_a_zero_dimensional_array_in_a_cell_is_read_as_its_value():
    # pandas can leave a 0-d array in an object cell (frame.at[i, c] = np.array(["x"]));
    # it was a TypeError "iteration over a 0-d array" instead of a value or a problem.
    cities = make_cities().astype({"interests": object, "languages": object})
    cities.at[0, "interests"] = np.array("heritage")
    cities.at[1, "languages"] = np.array("ja:0.9")
    pool = Pool(cities)
    expected = Pool(make_cities().assign(interests=["heritage"] + list(make_cities()["interests"][1:]),
                                         languages=[make_cities()["languages"][0], "ja:0.9"] + list(make_cities()["languages"][2:])))
    pd.testing.assert_frame_equal(pool.candidates([ID["Kyoto"]], k=40), expected.candidates([ID["Kyoto"]], k=40))
    cities.at[2, "interests"] = np.array(5)
    assert list(_problems(cities)["column"]) == ["interests"]


def test_stand_in_id_is_found_once_per_pool(pool, seekers, monkeypatch):
    # A batch checks many profiles against one pool: the stand-in id for an
    # unreadable seeker id is a set difference over every city id, so it is
    # computed once, not per call.
    import libmatch.pool as module

    calls = []
    real = module._stand_in_ids
    monkeypatch.setattr(module, "_stand_in_ids", lambda *a: calls.append(1) or real(*a))
    fresh = libmatch.Pool(pool.cities, pool.config)
    for _ in range(3):
        fresh.candidates(seekers, k=2)
    assert len(calls) == 1


def test_world_pool_is_learned_and_never_proposes_known_partners():
    world = libmatch.datasets.world_cities()
    pool = Pool(world)
    assert pool.config == libmatch.learned_config()
    assert pool.config.combination == "geometric" and pool.config.weights.affinity > 0
    known = libmatch.datasets.known_partnerships()
    kyoto, boston = 1857910, 4930956
    partners = set(known.b[known.a == kyoto]) | set(known.a[known.b == kyoto])
    assert boston in partners and len(pool.partnerships) > 10_000
    found = set(pool.candidates([{"id": kyoto}], k=200)["candidate_id"])
    assert not found & partners
    e = pool.explain(kyoto, boston)
    assert not e["passes"]
    assert any(f["name"] == "known_partner" and not f["passed"] and "are partners already" in f["detail"] for f in e["filters"])
    assert any("known partnerships" in r for r in e["reasons"]) and any(r.endswith("km apart") for r in e["reasons"])
    assert any(r.startswith("Boston has ") for r in e["reasons"])
    # The option off: Kyoto's real partners come back among its best.
    allowed = libmatch.learned_config()
    allowed.exclude_known_partners = False
    again = set(Pool(world, allowed).candidates([{"id": kyoto}], k=200)["candidate_id"])
    assert again & partners
    # A part of the world pool keeps its partnerships; a table of one's own
    # has none unless asked ("bundled", by GeoNames id).
    part = world[world["country"].isin(["DE", "FR"])]
    assert 0 < len(Pool(part).partnerships) < len(pool.partnerships)
    assert len(Pool(make_cities()).partnerships) == 0
    assert len(Pool(make_cities(), partnerships="bundled").partnerships) == 13


def test_partnerships_given_by_the_user_are_checked_and_pickled():
    cities = make_cities()
    pool = Pool(cities, partnerships=pd.DataFrame({"a": [ID["Lyon"]], "b": [ID["Porto"]]}))
    assert pool.explain(ID["Lyon"], ID["Porto"])["passes"] is False
    back = pickle.loads(pickle.dumps(pool))
    assert back.partnerships.equals(pool.partnerships) and back.config == pool.config
    with pytest.raises(libmatch.InputError) as error:
        Pool(cities, partnerships=[(ID["Lyon"], 12345), (ID["Lyon"], ID["Lyon"])])
    reasons = set(error.value.problems["reason"])
    assert {"not a city of the table", "a city cannot partner itself"} <= reasons
    with pytest.raises(ValueError):
        Pool(cities, partnerships="everything")


def test_scoring_config_reads_and_writes_json(tmp_path):
    config = libmatch.learned_config()
    path = tmp_path / "config.json"
    config.save(str(path))
    assert libmatch.ScoringConfig.load(str(path)) == config
    assert libmatch.ScoringConfig.from_dict(config.to_dict()) == config
    assert pickle.loads(pickle.dumps(config)) == config
    with pytest.raises(libmatch.InputError) as error:
        libmatch.ScoringConfig.from_dict({"weights": {"charm": 1}, "combination": "median"})
    assert {"weights.charm", "combination"} <= set(error.value.problems["column"])


# --------------------------------------------------------------------------- codes and names in their common forms


def test_an_excluded_id_outside_the_pool_is_a_warning_not_a_problem(pool):
    # 99 is no city of the pool (a partner too small for it, say): it could
    # never be proposed, so the seeker is served, with an InputWarning.
    kyoto, lyon = ID["Kyoto"], ID["Lyon"]
    wanted = [{"id": ID["Boston"]}, {"id": kyoto, "exclude": [lyon, 99, 12345]}]
    expected = pool.candidates([wanted[0], {"id": kyoto, "exclude": [lyon]}], k=40)
    with pytest.warns(libmatch.InputWarning) as caught:
        got = pool.candidates(wanted, k=40)
    pd.testing.assert_frame_equal(got, expected)
    assert lyon not in set(got.loc[got["seeker_id"] == kyoto, "candidate_id"])
    assert len(caught) == 1  # one warning per call, listing every case
    warning = caught[0].message
    assert isinstance(warning, UserWarning) and type(warning).__module__ == "libmatch"
    assert caught[0].filename == __file__  # it points at the caller's line
    table = warning.warnings
    assert list(table.columns) == ["row", "column", "value", "message", "record"]
    assert table["row"].tolist() == [1, 1] and table["column"].tolist() == ["exclude", "exclude"]
    assert table["value"].tolist() == ["99", "12345"]
    assert table["record"].tolist() == [f"seeker 1 (city {kyoto})"] * 2
    assert set(table["message"]) == {"not a city of the pool: it can never be proposed, so excluding it changes nothing"}
    assert "2 warnings about the input" in str(warning) and "exclude = '99'" in str(warning)
    assert pickle.loads(pickle.dumps(warning)).warning_list == warning.warning_list
    # Every call that takes seekers says so; a CSV cell of ids too.
    for call in (
        lambda: pool.match(wanted, k=5),
        lambda: pool.validate_seekers(pd.DataFrame({"id": [kyoto], "exclude": ["99"]})),
        lambda: pool.explain(kyoto, lyon, wanted),
    ):
        with pytest.warns(libmatch.InputWarning, match="exclude = '99'"):
            call()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pool.candidates([{"id": kyoto, "exclude": [lyon]}], k=3)  # none without a case


def test_interest_names_are_read_in_any_case_with_spaces_around_them():
    cities = make_cities()
    plain = Pool(cities, ScoringConfig())
    written = cities.assign(interests=[
        {f" {name.title()} ": w for name, w in (part.split(":") for part in text.split(";"))} if i % 2 else
        ";".join(f"{name.upper()}\t:{w}" for name, w in (part.split(":") for part in text.split(";")))
        for i, text in enumerate(cities["interests"])
    ])  # fmt: skip
    loose = Pool(written, ScoringConfig())
    seekers = [{"id": ID["Kyoto"], "interests": [" Education ", "Arts_Culture"]}, {"id": ID["Lyon"], "interests": {"HERITAGE": 2}}]
    canonical = [{"id": ID["Kyoto"], "interests": ["education", "arts_culture"]}, {"id": ID["Lyon"], "interests": {"heritage": 2}}]
    pd.testing.assert_frame_equal(loose.candidates(seekers, k=10), plain.candidates(canonical, k=10))
    # one interest written twice is still a repeat
    problems = _problems(seekers=[{"id": ID["Kyoto"], "interests": {"education": 1, " EDUCATION": 2}}])
    assert _one(problems, 0, "interests")["reason"] == "interest listed twice"


def test_three_letter_language_codes_are_their_two_letter_language():
    cities = make_cities()
    three = {"pt": "por", "fr": "fre", "de": "deu", "ja": "jpn", "en": "eng", "zh": "chi"}

    def spelt(text):
        out = []
        for part in text.split(";"):
            code, share = part.split(":")
            out.append(f"{three.get(code, code)}{'-BR' if code == 'pt' else ''}:{share}")
        return ";".join(out)

    plain = Pool(cities, ScoringConfig())
    loose = Pool(cities.assign(languages=cities["languages"].map(spelt)), ScoringConfig())
    assert loose.cities["languages"].str.contains("por-BR").any()
    seekers = [{"id": ID["Kyoto"], "languages": ["por-BR", "ger"]}, {"id": ID["Lyon"], "languages": "FRA;yue"}]
    canonical = [{"id": ID["Kyoto"], "languages": ["pt", "de"]}, {"id": ID["Lyon"], "languages": "fr;yue"}]
    pd.testing.assert_frame_equal(loose.candidates(seekers, k=10), plain.candidates(canonical, k=10))
    explained = loose.explain(ID["Kyoto"], ID["Porto"], seekers)
    assert explained["forward"]["components"]["language"]["value"] > 0.9  # Porto speaks the wanted pt
