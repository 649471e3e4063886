"""The ``libmatch`` command: batch matching for the Cities Seeking Cities page.

Usage::

    libmatch match --seekers FILE [--pool world|FILE] [--k N]
                   [--method optimal|stable|greedy|none] [--weights population=1,region=1,...]
                   [--out FILE] [--format jsonl|json|csv]
    libmatch validate --seekers FILE [--pool world|FILE] [--out FILE] [--format jsonl|json|csv]
    libmatch explain A B [--pool world|FILE] [--seekers FILE] [--weights ...] [--json]
    libmatch demo [--k N] [--method optimal|stable|greedy]

``python -m libmatch`` is the same command.

Input files
-----------
``--seekers`` and ``--pool`` read CSV, a JSON array of objects, or JSON Lines
(one object per line), chosen by the extension (``.csv``, ``.json``,
``.jsonl``/``.ndjson``) or, for ``-`` (stdin) and other names, by the content
(``[`` starts a JSON array, ``{`` JSON Lines, anything else CSV). In CSV, a
list is a ``;``-separated cell (``Europe;Eastern Asia``), language shares are
``en:0.8;fr:0.2``, and an empty cell is a missing field.

``--pool`` is ``world`` (the default: :func:`libmatch.datasets.world_cities`)
or a file of cities with the columns of :class:`libmatch.Pool` (``id``,
``name``, ``country``, ``region``, ``lat``, ``lon``, ``population``,
``languages``, ``interests``).

Seeker record (input), one per line/row/array element; schema
``libmatch/schema/seeker-record.schema.json``:

``request_id``
    optional string or integer echoed in the answer; default: the record's
    1-based line number (JSON Lines, blank lines counted), data row number
    (CSV, header excluded) or position (JSON array).
``id``
    a city of the pool, or (with the inline fields) the id to give a new city.
``partners``, ``regions``, ``countries``, ``population_min``,
``population_max``, ``languages``, ``interests``, ``exclude``, ``same_country``
    the seeking profile, as for :meth:`libmatch.Pool.candidates`
    (``languages`` are the *wanted* language codes).
``name``, ``country``, ``population``, ``lat``, ``lon``, ``city_languages``,
``region``, ``admin1``
    a city missing from the pool, described inline: ``country``,
    ``population``, ``lat`` and ``lon`` are required, ``name`` is
    recommended, ``city_languages`` are the languages spoken there, as shares
    (``{"en": 0.9}`` or ``en:0.9``). The city joins the pool for this run
    only, with the given ``id`` (which must not be in the pool) or, without
    one, a synthetic negative id derived from its fields (deterministic, and
    the same whatever else is in the batch). With ``id`` alone, ``name`` is
    read as a label and ignored.

Answer record (output), format ``libmatch.match/1``; schema
``libmatch/schema/match-record.schema.json``. Exactly one answer per input
record, in input order::

    {"format": "libmatch.match/1", "request_id": 3, "status": "ok",
     "seeker_id": 1857910, "name": "Kyoto", "country": "JP",
     "candidates": [{"candidate_id": 2988507, "name": "Paris", "country": "FR",
                     "rank": 1, "score": 0.83, "population": 0.71, "region": 1.0,
                     "language": 0.02, "interests": null, "distance": null,
                     "reciprocal": false}, ...],
     "partners": [{"partner_id": 2988507, "name": "Paris", "country": "FR",
                   "score": 0.83}],
     "open": 0, "unmatched_reason": null}

    {"format": "libmatch.match/1", "request_id": 4, "status": "error",
     "problems": [{"field": "country", "reason": "unknown country code", "value": "ZZ"}]}

In a candidate, ``population``, ``region``, ``language``, ``interests`` and
``distance`` are the score *components* in [0, 1] (null when the component had
no data), not the candidate's population. ``partners``, ``open`` (places left
unfilled) and ``unmatched_reason`` are present when matching (``--method``
other than ``none``); ``validate`` answers carry neither candidates nor
partners. A bad record is reported with every problem found in it (``field``
is ``""`` for a line that is not JSON) and takes no part in the run, so the
other answers are those of a run without it. Floats are written with Python's
shortest round-trip form; the output is deterministic.

``--format jsonl`` (default) writes one answer per line, ``json`` a JSON
array, ``csv`` one row per (request, candidate) with the columns
``request_id, status, seeker_id, seeker_name, rank, candidate_id, name,
country, score, population, region, language, interests, distance,
reciprocal, partner`` (``partner`` is true for an assigned partner) and
``problems``; a request without candidates gets one row with the candidate
columns empty, and an error one row with ``status`` = ``error`` and the
problems joined as ``field: reason [value]; ...``.

Exit status: 0 when every record is ok, 1 when some failed, 2 for usage
errors (unreadable file, unknown option, bad ``--weights``, an invalid pool
file, a method that cannot run on this input). A progress bar is drawn on
stderr when stderr is a terminal.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import math
import os
import sys
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, TextIO, Tuple

FORMAT = "libmatch.match/1"

#: Seeker profile fields (as libmatch.Pool reads them).
PROFILE_FIELDS = (
    "partners", "regions", "countries", "population_min", "population_max",
    "languages", "interests", "exclude", "same_country",
)  # fmt: skip
#: Fields describing a city missing from the pool.
INLINE_FIELDS = ("country", "population", "lat", "lon", "city_languages", "region", "admin1")
_REQUIRED_INLINE = ("country", "population", "lat", "lon")
KNOWN_FIELDS = ("format", "request_id", "id", "name") + PROFILE_FIELDS + INLINE_FIELDS

CSV_COLUMNS = (
    "request_id", "status", "seeker_id", "seeker_name", "rank", "candidate_id", "name",
    "country", "score", "population", "region", "language", "interests", "distance",
    "reciprocal", "partner", "problems",
)  # fmt: skip


class UsageError(Exception):
    """A problem with the command line or an input file as a whole (exit 2)."""


# --------------------------------------------------------------------------- reading


class _BadLine:
    """A JSON Lines line that could not be parsed."""

    def __init__(self, reason: str, text: str) -> None:
        self.reason = reason
        self.text = text


def _read_text(path: str) -> Tuple[str, str]:
    """The text of a file (or stdin for '-') and the format its name suggests."""
    if path == "-":
        return sys.stdin.read(), ""
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {path}: {error}") from None
    lower = path.lower()
    for ext, kind in ((".csv", "csv"), (".jsonl", "jsonl"), (".ndjson", "jsonl"), (".json", "json")):
        if lower.endswith(ext):
            return text, kind
    return text, ""


def _sniff(text: str) -> str:
    start = text.lstrip()[:1]
    if start == "[":
        return "json"
    if start == "{":
        return "jsonl"
    return "csv"


def read_records(path: str) -> List[Tuple[Any, Any]]:
    """The records of a file as (default request id, record) pairs.

    A record is a dict, or a :class:`_BadLine` for a JSON Lines line that is
    not a JSON object. Raises UsageError when the file as a whole cannot be
    read (not a JSON array, no CSV header, ...).
    """
    text, kind = _read_text(path)
    if text.startswith("\ufeff"):
        text = text[1:]
    kind = kind or _sniff(text)
    name = "stdin" if path == "-" else path
    out: List[Tuple[Any, Any]] = []
    if kind == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise UsageError(f"{name}: not a JSON array: {error}") from None
        if not isinstance(data, list):
            raise UsageError(f"{name}: expected a JSON array of objects")
        for i, item in enumerate(data, start=1):
            out.append((i, item if isinstance(item, dict) else _BadLine("not a JSON object", json.dumps(item))))
    elif kind == "jsonl":
        for i, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                out.append((i, _BadLine(f"malformed JSON: {error.msg} (column {error.colno})", line)))
                continue
            out.append((i, item if isinstance(item, dict) else _BadLine("not a JSON object", line)))
    else:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        if not reader.fieldnames:
            raise UsageError(f"{name}: empty CSV file (a header row is needed)")
        for i, row in enumerate(reader, start=1):
            extra = row.pop(None, None)  # cells beyond the header
            record: Dict[str, Any] = {k.strip(): v for k, v in row.items() if k is not None and v not in (None, "")}
            if extra:
                out.append((i, _BadLine("more cells than header columns", ",".join(extra))))
                continue
            out.append((i, record))
    return out


def _pool_frame(spec: str) -> Any:
    from . import datasets

    if spec == "world":
        return datasets.world_cities()
    import pandas as pd

    records = read_records(spec)
    bad = [i for i, r in records if isinstance(r, _BadLine)]
    if bad:
        raise UsageError(f"pool {spec}: unreadable record(s) at {', '.join(map(str, bad[:10]))}")
    return pd.DataFrame([r for _, r in records])


def _build_pool(frame: Any, config: Any, what: str) -> Any:
    from . import InputError, Pool

    try:
        return Pool(frame, config)
    except InputError as error:
        raise UsageError(f"invalid pool {what}:\n{error}") from None
    except (TypeError, ValueError) as error:
        raise UsageError(f"invalid pool {what}: {error}") from None


# --------------------------------------------------------------------------- options


def parse_weights(text: Optional[str]) -> Any:
    """A ScoringConfig from ``population=1,region=0.5,...``; UsageError when bad."""
    from . import InputError, ScoringConfig, Weights

    if not text:
        return ScoringConfig()
    names = ("population", "region", "language", "interests", "distance")
    values: Dict[str, float] = {}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        key = key.strip()
        if not sep or key not in names:
            raise UsageError(f"bad --weights entry {part!r}: expected NAME=NUMBER with NAME one of {', '.join(names)}")
        if key in values:
            raise UsageError(f"bad --weights: {key} given twice")
        try:
            number = float(value)
        except ValueError:
            raise UsageError(f"bad --weights entry {part!r}: {value!r} is not a number") from None
        if not math.isfinite(number) or number < 0:
            raise UsageError(f"bad --weights entry {part!r}: weights must be finite and >= 0")
        values[key] = number
    config = ScoringConfig(weights=Weights(**values))
    try:
        config.validate()
    except (InputError, ValueError) as error:
        raise UsageError(f"bad --weights: {error}") from None
    return config


# --------------------------------------------------------------------------- per-record checks


def _problem(field: str, reason: str, value: Any = "") -> Dict[str, str]:
    return {"field": field, "reason": reason, "value": "" if value is None else str(value)}


def _present(record: Mapping[str, Any], key: str) -> bool:
    value = record.get(key)
    if value is None:
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    if isinstance(value, str) and not value.strip():
        return False
    return True


def _synthetic_id(city: Mapping[str, Any]) -> int:
    """A negative id from the inline city's fields: deterministic and position-free."""
    canonical = json.dumps({k: city.get(k) for k in sorted(city)}, sort_keys=True, default=str, ensure_ascii=False)
    digest = hashlib.sha256(canonical.encode("utf-8")).digest()
    return -(int.from_bytes(digest[:6], "big") + 1)  # in [-2**48, -1]


def _as_bool(value: Any) -> Any:
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in ("true", "yes", "1"):
            return True
        if lowered in ("false", "no", "0", ""):
            return False
    return value


class Request:
    """One input record, checked on its own."""

    def __init__(self, position: int, default_id: Any, record: Any) -> None:
        self.position = position
        self.request_id: Any = default_id
        self.record = record
        self.problems: List[Dict[str, str]] = []
        self.profile: Dict[str, Any] = {}
        self.city: Optional[Dict[str, Any]] = None  # an inline city's pool row
        self.seeker_id: Optional[int] = None
        self.name: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


def _core_problems(error: Any, renames: Mapping[str, str] = {}) -> List[Dict[str, str]]:
    out = []
    for p in error.problem_list:
        field = p["field"]
        out.append(_problem(renames.get(field, field), p["reason"], p["value"]))
    return out


def check_request(request: Request, pool: Any) -> None:
    """Fill in request.problems, .profile, .city and .seeker_id.

    Uses the core's own validation: the inline city through a one-city
    :class:`libmatch.Pool`, the seeking profile through the pool's seeker
    check. Nothing here depends on the other records.
    """
    from . import InputError, Pool

    record = request.record
    if isinstance(record, _BadLine):
        request.problems.append(_problem("", record.reason, record.text))
        return
    if "request_id" in record and _present(record, "request_id"):
        rid = record["request_id"]
        if isinstance(rid, (str, int)) and not isinstance(rid, bool):
            request.request_id = rid
        else:
            request.problems.append(_problem("request_id", "must be a string or an integer", json.dumps(rid)))
    if _present(record, "format") and record["format"] != FORMAT:
        request.problems.append(_problem("format", f"unsupported format; expected {FORMAT}", record["format"]))
    for key in record:
        if key not in KNOWN_FIELDS:
            request.problems.append(_problem(str(key), "unknown field; expected some of " + ", ".join(KNOWN_FIELDS)))

    inline = [k for k in INLINE_FIELDS if _present(record, k)]
    city_id: Optional[int] = None
    if _present(record, "id"):
        value = record["id"]
        try:
            if isinstance(value, bool):
                raise ValueError
            if isinstance(value, float):
                if not value.is_integer():
                    raise ValueError
                value = int(value)
            city_id = int(str(value).strip()) if isinstance(value, str) else int(value)
        except (TypeError, ValueError):
            request.problems.append(_problem("id", "not an integer", value))
    if _present(record, "name"):
        request.name = str(record["name"])

    if inline:
        for key in _REQUIRED_INLINE:
            if not _present(record, key):
                request.problems.append(_problem(key, f"missing field: a city described inline needs {', '.join(_REQUIRED_INLINE)}"))
        if city_id is not None and city_id in pool:
            request.problems.append(
                _problem("id", "this id is a city of the pool; give the id alone, or a new id with the inline fields", city_id)
            )
        if request.problems:
            return
        city = {
            "name": request.name,
            "country": record.get("country"),
            "region": record.get("region") if _present(record, "region") else None,
            "lat": record.get("lat"),
            "lon": record.get("lon"),
            "population": record.get("population"),
            "languages": record.get("city_languages") if _present(record, "city_languages") else None,
        }
        if _present(record, "admin1"):
            city["admin1"] = str(record["admin1"])
        import pandas as pd

        city["id"] = -1 if city_id is None else city_id
        try:
            checked = Pool(pd.DataFrame([city])).cities.iloc[0]
        except InputError as error:
            request.problems.extend(_core_problems(error, {"languages": "city_languages"}))
            return
        if city_id is None:
            # From the parsed values, so "91000" in CSV and 91000 in JSON agree.
            city_id = _synthetic_id(
                {
                    "name": request.name,
                    "country": str(checked["country"]),
                    "lat": float(checked["lat"]),
                    "lon": float(checked["lon"]),
                    "population": float(checked["population"]),
                }
            )
            city["id"] = city_id
        request.city = city
    elif city_id is None:
        if not request.problems:
            request.problems.append(_problem("id", "missing field: give the id of a pool city, or describe the city inline"))
        return
    elif city_id not in pool:
        request.problems.append(_problem("id", "not a city of the pool (describe it inline to add it)", city_id))

    profile: Dict[str, Any] = {}
    for key in PROFILE_FIELDS:
        if _present(record, key):
            profile[key] = _as_bool(record[key]) if key == "same_country" else record[key]
    # The profile's checks run against the pool; an inline city is not in it,
    # so a stand-in pool city takes its place for the check (the id itself
    # was checked above).
    check_id = city_id
    if request.city is not None or city_id not in pool:
        excluded = set()
        exclude = profile.get("exclude")
        if isinstance(exclude, (list, tuple)):
            excluded = {x for x in exclude if isinstance(x, int)}
        check_id = next(int(i) for i in pool.ids[:100] if int(i) not in excluded)
    try:
        pool.validate_seekers([dict(profile, id=check_id)])
    except InputError as error:
        request.problems.extend(p for p in _core_problems(error) if p["field"] != "id")
    except (TypeError, ValueError) as error:
        request.problems.append(_problem("", str(error)))
    if request.problems:
        return
    request.seeker_id = city_id
    request.profile = dict(profile, id=city_id)


# --------------------------------------------------------------------------- the run


def _progress_on() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _records_progress(items: Sequence[Any], desc: str) -> Iterable[Any]:
    if _progress_on() and len(items) > 200:
        try:
            from tqdm import tqdm
        except ImportError:
            return items
        return tqdm(items, file=sys.stderr, desc=desc, unit="record")
    return items


def prepare(seekers_path: str, pool_spec: str, config: Any) -> Tuple[Any, List[Request]]:
    """Read and check every record; returns the pool for the run and the requests.

    The run's pool is the base pool plus the inline cities of the good
    records. Batch-level conflicts (a city that seeks twice, two inline
    cities with one id) mark the later record bad.
    """
    import pandas as pd

    records = read_records(seekers_path)
    base_frame = _pool_frame(pool_spec)
    base = _build_pool(base_frame, config, pool_spec)
    requests = [Request(i, rid, rec) for i, (rid, rec) in enumerate(records)]
    for request in _records_progress(requests, "checking"):
        check_request(request, base)

    seen: Dict[int, Request] = {}
    for request in requests:
        if not request.ok:
            continue
        assert request.seeker_id is not None
        first = seen.get(request.seeker_id)
        if first is not None:
            what = "this city already seeks" if request.city is None else "an inline city with this id is already given"
            request.problems.append(_problem("id", f"{what} in request {first.request_id}", request.seeker_id))
            continue
        seen[request.seeker_id] = request

    inline = [r.city for r in requests if r.ok and r.city is not None]
    pool = base
    if inline:
        frame = pd.concat([base_frame, pd.DataFrame(inline)], ignore_index=True)
        if "admin1" in frame.columns:
            frame["admin1"] = frame["admin1"].fillna("")
        pool = _build_pool(frame, config, pool_spec)

    # Exclusions may name inline cities by their explicit ids; the last word
    # is the core's check on the whole batch.
    from . import InputError

    while True:
        good = [r for r in requests if r.ok]
        try:
            pool.validate_seekers([r.profile for r in good])
            break
        except InputError as error:
            rows = {p["row"] for p in error.problem_list if p["row"] is not None}
            if not rows:
                raise
            for p in error.problem_list:
                if p["row"] is not None:
                    good[p["row"]].problems.append(_problem(p["field"], p["reason"], p["value"]))
    return pool, requests


def _number(value: Any) -> Optional[float]:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def _city_info(pool: Any) -> Dict[int, Tuple[str, str, int]]:
    cities = pool.cities
    names = cities["name"].tolist() if "name" in cities.columns else [""] * len(cities)
    return {
        int(i): ("" if not isinstance(n, str) else n, str(c), int(p))
        for i, n, c, p in zip(cities["id"].tolist(), names, cities["country"].tolist(), cities["population"].tolist())
    }


def run_match(pool: Any, requests: List[Request], k: int, method: str) -> List[Dict[str, Any]]:
    """The answers, one per request, in input order."""
    from . import COMPONENTS

    good = [r for r in requests if r.ok]
    profiles = [r.profile for r in good]
    by_seeker: Dict[int, List[Dict[str, Any]]] = {r.seeker_id: [] for r in good}  # type: ignore[misc]
    partners: Dict[int, List[Dict[str, Any]]] = {r.seeker_id: [] for r in good}  # type: ignore[misc]
    unfilled: Dict[int, Tuple[int, str]] = {}
    info: Dict[int, Tuple[str, str, int]] = {}
    if good:
        info = _city_info(pool)
        progress = _progress_on()
        table = pool.candidates(profiles, k=k, progress=progress)
        for row in table.to_dict("records"):
            cid = int(row["candidate_id"])
            name, country, _ = info[cid]
            entry = {"candidate_id": cid, "name": name, "country": country, "rank": int(row["rank"]), "score": float(row["score"])}
            for c in COMPONENTS:
                entry[c] = _number(row[c])
            entry["reciprocal"] = bool(row["reciprocal"])
            by_seeker[int(row["seeker_id"])].append(entry)
        if method != "none":
            from . import NoStableMatchingError

            try:
                result = pool.match(profiles, method=method, k=k, progress=progress)
            except (NoStableMatchingError, ValueError) as error:
                raise UsageError(f"method {method} cannot pair this batch: {error}") from None
            for pair in result.pairs.to_dict("records"):
                a, b, score = int(pair["a"]), int(pair["b"]), float(pair["score"])
                for me, other in ((a, b), (b, a)):
                    if me in partners:
                        name, country, _ = info[other]
                        partners[me].append({"partner_id": other, "name": name, "country": country, "score": score})
            for u in result.unmatched.to_dict("records"):
                unfilled[int(u["id"])] = (int(u["open"]), str(u["reason"]))
    answers = []
    for r in requests:
        if not r.ok:
            answers.append({"format": FORMAT, "request_id": r.request_id, "status": "error", "problems": r.problems})
            continue
        sid = int(r.seeker_id)  # type: ignore[arg-type]
        name, country, _ = info[sid]
        answer: Dict[str, Any] = {
            "format": FORMAT,
            "request_id": r.request_id,
            "status": "ok",
            "seeker_id": sid,
            "name": name,
            "country": country,
            "candidates": by_seeker[sid],
        }
        if method != "none":
            answer["partners"] = sorted(partners[sid], key=lambda p: (-p["score"], p["partner_id"]))
            open_places, reason = unfilled.get(sid, (0, None))
            answer["open"] = open_places
            answer["unmatched_reason"] = reason
        answers.append(answer)
    return answers


def run_validate(pool: Any, requests: List[Request]) -> List[Dict[str, Any]]:
    info = _city_info(pool)
    out = []
    for r in requests:
        if r.ok:
            name, country, _ = info[int(r.seeker_id)]  # type: ignore[arg-type]
            out.append({"format": FORMAT, "request_id": r.request_id, "status": "ok", "seeker_id": r.seeker_id, "name": name, "country": country})
        else:
            out.append({"format": FORMAT, "request_id": r.request_id, "status": "error", "problems": r.problems})
    return out


# --------------------------------------------------------------------------- writing


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_answers(answers: List[Dict[str, Any]], out: TextIO, fmt: str) -> None:
    if fmt == "jsonl":
        for a in answers:
            out.write(_dumps(a) + "\n")
    elif fmt == "json":
        out.write("[\n" + ",\n".join(_dumps(a) for a in answers) + ("\n" if answers else "") + "]\n")
    else:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for a in answers:
            base = {"request_id": a["request_id"], "status": a["status"]}
            if a["status"] == "error":
                joined = "; ".join(f"{p['field']}: {p['reason']}" + (f" [{p['value']}]" if p["value"] else "") for p in a["problems"])
                row = dict(base, problems=joined)
                writer.writerow([_cell(row.get(c)) for c in CSV_COLUMNS])
                continue
            base.update(seeker_id=a["seeker_id"], seeker_name=a.get("name", ""))
            paired = {p["partner_id"] for p in a.get("partners", [])}
            candidates = a.get("candidates") or [None]
            for c in candidates:
                row = dict(base)
                if c is not None:
                    row.update(c)
                    if "partners" in a:
                        row["partner"] = c["candidate_id"] in paired
                writer.writerow([_cell(row.get(col)) for col in CSV_COLUMNS])


class _Output:
    def __init__(self, path: Optional[str]) -> None:
        self.path = path
        self.file: Optional[TextIO] = None

    def __enter__(self) -> TextIO:
        if self.path in (None, "-"):
            return sys.stdout
        try:
            self.file = open(self.path, "w", encoding="utf-8", newline="")  # type: ignore[arg-type]
        except OSError as error:
            raise UsageError(f"cannot write {self.path}: {error}") from None
        return self.file

    def __exit__(self, *exc: Any) -> None:
        if self.file is not None:
            self.file.close()


def _format_for(path: Optional[str], given: Optional[str]) -> str:
    if given:
        return given
    if path and path != "-":
        lower = path.lower()
        if lower.endswith(".csv"):
            return "csv"
        if lower.endswith(".json"):
            return "json"
    return "jsonl"


# --------------------------------------------------------------------------- commands


def _cmd_match(args: argparse.Namespace) -> int:
    if args.k < 1:
        raise UsageError("--k must be >= 1")
    config = parse_weights(args.weights)
    pool, requests = prepare(args.seekers, args.pool, config)
    answers = run_match(pool, requests, args.k, args.method)
    with _Output(args.out) as out:
        write_answers(answers, out, _format_for(args.out, args.format))
    return 0 if all(r.ok for r in requests) else 1


def _cmd_validate(args: argparse.Namespace) -> int:
    pool, requests = prepare(args.seekers, args.pool, parse_weights(None))
    answers = run_validate(pool, requests)
    with _Output(args.out) as out:
        write_answers(answers, out, _format_for(args.out, args.format))
    bad = sum(not r.ok for r in requests)
    print(f"{len(requests) - bad} of {len(requests)} records ok", file=sys.stderr)
    return 0 if bad == 0 else 1


def _cmd_explain(args: argparse.Namespace) -> int:
    from . import InputError

    config = parse_weights(args.weights)
    status = 0
    if args.seekers:
        pool, requests = prepare(args.seekers, args.pool, config)
        seekers = [r.profile for r in requests if r.ok]
        for r in requests:
            if not r.ok:
                status = 1
                print(f"request {r.request_id} left out: " + "; ".join(f"{p['field']}: {p['reason']}" for p in r.problems), file=sys.stderr)
    else:
        pool = _build_pool(_pool_frame(args.pool), config, args.pool)
        seekers = None
    try:
        report = pool.explain(args.a, args.b, seekers)
    except InputError as error:
        print(f"libmatch explain: {error}", file=sys.stderr)
        return 1
    if args.json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, default=_json_default) + "\n")
    else:
        info = _city_info(pool)
        for cid in (args.a, args.b):
            name, country, population = info[cid]
            print(f"{cid}: {name} ({country}), population {population:,}")
        sys.stdout.write(report["text"] if report["text"].endswith("\n") else report["text"] + "\n")
    return status


def _json_default(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        import numpy as np

        if isinstance(value, np.generic):
            return value.item()
    except ImportError:  # pragma: no cover
        pass
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def demo_text(k: int = 10, method: str = "optimal") -> str:
    """The demo's report: seeking_sample() against world_cities(), paired."""
    from . import COMPONENTS, Pool, datasets

    seekers = datasets.seeking_sample()
    pool = Pool(datasets.world_cities())
    result = pool.match(seekers, method=method, k=k, progress=_progress_on())
    info = _city_info(pool)
    wanted = {int(i): int(p) for i, p in zip(seekers["id"], seekers["partners"])}
    lines = [
        f"libmatch demo: {len(seekers)} seeking cities (datasets.seeking_sample()) against "
        f"{len(pool):,} world cities (datasets.world_cities()), k = {k}, method = {method}",
        f"{sum(wanted.values())} places wanted; {len(result.pairs)} pairs, total score {result.total_score:.4f}, "
        f"{result.blocking_pair_count} blocking pairs",
        "",
    ]

    def label(cid: int, width: int = 28) -> str:
        name, country, _ = info[cid]
        text = f"{name} ({country})"
        return (text[: width - 1] + "…") if len(text) > width else text.ljust(width)

    header = f"{'seeker':28}  {'partner':28}  {'population':>11}  {'score':>6}  " + "  ".join(f"{c:>10}" for c in COMPONENTS)
    lines += [header, "-" * len(header)]
    order = {cid: i for i, cid in enumerate(wanted)}  # the sample's order
    pairs = sorted(result.pairs.to_dict("records"), key=lambda p: (order[int(p["a"])], -p["score"], int(p["b"])))
    for pair in pairs:
        a, b = int(pair["a"]), int(pair["b"])
        comps = "  ".join(f"{'-':>10}" if math.isnan(pair[c]) else f"{pair[c]:10.3f}" for c in COMPONENTS)
        mark = "*" if b in wanted else " "
        lines.append(f"{label(a)}  {label(b, 27)}{mark}  {info[b][2]:>11,}  {pair['score']:6.3f}  {comps}")
    lines.append("")
    lines.append("* the partner seeks too; components are the viewer's (a) side, '-' = no data")
    if len(result.unmatched):
        lines.append("")
        lines.append("Unmatched places:")
        for u in result.unmatched.to_dict("records"):
            lines.append(f"  {label(int(u['id'])).rstrip()}: {int(u['open'])} open, {u['reason']}")
    else:
        lines.append("Every seeker got all the partners it wanted.")
    return "\n".join(lines) + "\n"


def _cmd_demo(args: argparse.Namespace) -> int:
    from . import NoStableMatchingError

    try:
        sys.stdout.write(demo_text(args.k, args.method))
    except (NoStableMatchingError, ValueError) as error:
        raise UsageError(f"method {args.method}: {error}") from None
    return 0


# --------------------------------------------------------------------------- entry point


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="libmatch",
        description="Sister-city matching: candidates and pairings for seeking cities (format libmatch.match/1).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    def pool_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--pool", default="world", metavar="world|FILE", help="the pool: the bundled world cities (default) or a CSV/JSON/JSONL file")

    def weights_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--weights", metavar="NAME=W,...", help="component weights, e.g. population=1,region=1,language=1,interests=1,distance=0.5")

    def output_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--out", metavar="FILE", help="output file ('-' or none: stdout)")
        p.add_argument("--format", choices=("jsonl", "json", "csv"), help="output format (default: from --out's extension, else jsonl)")

    m = sub.add_parser("match", help="candidates and partners for a batch of seekers")
    m.add_argument("--seekers", required=True, metavar="FILE", help="seeker records: CSV, JSON array or JSON Lines; '-' for stdin")
    pool_option(m)
    m.add_argument("--k", type=int, default=10, help="candidates per seeker (default 10)")
    m.add_argument("--method", choices=("optimal", "stable", "greedy", "none"), default="optimal", help="pairing method (default optimal; none: candidates only)")
    weights_option(m)
    output_options(m)
    m.set_defaults(run=_cmd_match)

    v = sub.add_parser("validate", help="check seeker records without scoring")
    v.add_argument("--seekers", required=True, metavar="FILE")
    pool_option(v)
    output_options(v)
    v.set_defaults(run=_cmd_validate)

    e = sub.add_parser("explain", help="how city A scores city B")
    e.add_argument("a", type=int, metavar="A")
    e.add_argument("b", type=int, metavar="B")
    pool_option(e)
    e.add_argument("--seekers", metavar="FILE", help="seeker records whose wants apply")
    weights_option(e)
    e.add_argument("--json", action="store_true", help="print the explanation as JSON")
    e.set_defaults(run=_cmd_explain)

    d = sub.add_parser("demo", help="the bundled sample seekers against the world cities, paired")
    d.add_argument("--k", type=int, default=10)
    d.add_argument("--method", choices=("optimal", "stable", "greedy"), default="optimal")
    d.set_defaults(run=_cmd_demo)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command; returns the exit status (0 ok, 1 some records failed, 2 usage)."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0) if not isinstance(exit_.code, str) else 2
    try:
        return int(args.run(args))
    except UsageError as error:
        print(f"libmatch {args.command}: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into head
        try:
            sys.stdout.close()
        except OSError:
            pass
        return 0
    except KeyboardInterrupt:
        print("libmatch: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
