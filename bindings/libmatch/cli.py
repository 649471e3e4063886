"""The ``libmatch`` command: batch matching for the Cities Seeking Cities page.

Usage::

    libmatch match --seekers FILE [--pool world|FILE] [--k N]
                   [--method optimal|stable|greedy|none] [--weights population=1,region=1,...]
                   [--out FILE] [--format jsonl|json|csv]
    libmatch validate --seekers FILE [--pool world|FILE] [--out FILE] [--format jsonl|json|csv]
    libmatch explain A B [--pool world|FILE] [--seekers FILE] [--weights ...] [--json]
    libmatch demo [--k N] [--method optimal|stable|greedy]
    libmatch --version

``python -m libmatch`` is the same command. ``--k`` must be >= 1; a k above
the pool's size gives what the pool's size gives.

Input files
-----------
``--seekers`` and ``--pool`` read CSV, a JSON array of objects, or JSON Lines
(one object per line; lines end at LF, CRLF or CR, never at U+2028, U+2029
or U+0085, which JSON allows inside strings), chosen by the extension
(``.csv``, ``.json``, ``.jsonl``/``.ndjson``) or, for ``-`` (stdin) and
other names, by the content: a JSON array when the first non-blank line
starts with ``[``, JSON Lines when it starts with ``{`` or at least half of
the non-blank lines after it do (so a bad first line is one bad record), CSV
otherwise. Input is UTF-8 (a BOM is allowed); text UTF-8 cannot hold (a lone
surrogate escaped in JSON, ``"\\ud83d"``) is a problem of its field. Blank
lines, and CSV rows whose cells are all empty, are not records; empty cells
past the header's columns (trailing commas) are ignored, while a row with
something in a cell past them is an error of its own (it keeps its
``request_id``, and its other cells are checked too). A CSV header that
names a column twice is a usage error (exit 2), as no row could say which of
its cells counts; so is a one-column header holding ``;``, a tab or ``|``
(a spreadsheet's export with another separator). An input with no record at all (empty, a CSV header alone,
``[]``), like one that is not UTF-8, is a usage error (exit 2), for files
and stdin alike. In CSV, a list is a ``;``-separated cell (``Europe;Eastern Asia``),
language shares are ``en:0.8;fr:0.2``, and an empty cell is a missing field.
Numbers may be written as text (``"50000.0"``, ``"1e3"``) wherever the
pool accepts them.

``--pool`` is ``world`` (the default: :func:`libmatch.datasets.world_cities`)
or a file of cities with the columns of :class:`libmatch.Pool` (``id``,
``name``, ``country``, ``region``, ``lat``, ``lon``, ``population``,
``languages``, ``interests``).

Seeker record (input), one per line/row/array element; schema
``libmatch/schema/seeker-record.schema.json``:

``request_id``
    optional string or integer (``7.0`` is ``7``) echoed in the answer;
    default: the record's 1-based position among the records (blank lines
    not counted), in every format. Request ids are unique in a batch, compared as text (``3`` and
    ``"3"`` are one id, as in CSV output): a record whose id an earlier
    record already has, given or by default, is an error.
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

A record with problems is reported with all of them, city and profile alike.
Names are read as the core reads them: interests in any case and with spaces
around them, three-letter language codes (``por``, ``ger``) as their
two-letter language; a near miss of an interest or a region is a problem that
names the nearest (``did you mean 'Western Europe'?``). An ``exclude`` id that
is no city of the run's pool (a partner too small for it, say) could never be
proposed: the record is ok, with a warning.
NaN is a value, reported as "not a finite number" (no value is JSON
``null``, or an empty CSV cell). Integers beyond what the engine holds (ids
and ``exclude`` entries are 64-bit, ``partners`` 32-bit; other numbers up to
about 1.8e308) are reported as "out of range".

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
     "open": 0, "unmatched_reason": null,
     "warnings": [{"field": "exclude", "message": "not a city of the pool: ...",
                   "value": "424242"}]}

    {"format": "libmatch.match/1", "request_id": 4, "status": "error",
     "problems": [{"field": "country", "reason": "unknown country code", "value": "ZZ"}]}

In a candidate, ``population``, ``region``, ``language``, ``interests`` and
``distance`` are the score *components* in [0, 1] (null when the component had
no data), not the candidate's population. ``partners``, ``open`` (places left
unfilled) and ``unmatched_reason`` are present when matching (``--method``
other than ``none``); ``validate`` answers carry neither candidates nor
partners. ``warnings`` is present, in ``match`` and ``validate`` answers, only
when the core accepted something in the record that has no effect (field,
message, value, in the core's words: what ``libmatch.InputWarning`` carries
in Python). A bad record is reported with every problem found in it (``field``
is ``""`` for a line that is not JSON) and takes no part in the run, so the
other answers are those of a run without it. Floats are written with Python's
shortest round-trip form; the output is deterministic.

Matching with ``--method stable`` serves any ``partners``: deferred
acceptance when no seeker is among another's candidates, and stable fixtures
(stable roommates with capacities) when seekers are candidates of each other.

``--format jsonl`` (default) writes one answer per line, ``json`` a JSON
array, ``csv`` one row per (request, candidate) with the columns
``request_id, status, seeker_id, seeker_name, seeker_country, rank,
candidate_id, name, country, score, population, region, language,
interests, distance, reciprocal, partner, open, unmatched_reason,
problems, warnings``. ``partner`` is true for an assigned partner; ``open``,
``unmatched_reason`` and ``warnings`` (joined as ``field: message [value];
...``) are the request's, repeated on each of its rows. A
partner that is not among the request's candidates (it was paired through
its own list) gets a row of its own after the candidates, with ``rank``,
the components and ``reciprocal`` empty and ``score`` the pair's score. A
request without candidates or partners gets one row with the candidate
columns empty, and an error one row with ``status`` = ``error`` and the
problems joined as ``field: reason [value]; ...``.

Exit status: 0 when every record is ok, 1 when some failed, 2 for usage
errors (unreadable file, input without records, a CSV header naming a
column twice, ``--seekers -`` with ``--pool -``, unknown option, a bad
``--k`` or ``--weights``, an invalid pool file, an output that cannot be
written, a stable pairing that does not exist for this batch, an ``explain``
id that is no city of the pool), with a
message on stderr and no traceback. Output is UTF-8, on stdout too. A
progress bar is drawn on stderr when stderr is a terminal.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import math
import os
import re
import sys
import warnings
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, TextIO, Tuple

from ._errors import InputError, InputWarning

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
    "request_id", "status", "seeker_id", "seeker_name", "seeker_country", "rank", "candidate_id",
    "name", "country", "score", "population", "region", "language", "interests", "distance",
    "affinity", "activity", "reciprocal", "partner", "open", "unmatched_reason", "problems", "warnings",
)  # fmt: skip


class UsageError(Exception):
    """A problem with the command line or an input file as a whole (exit 2)."""


# --------------------------------------------------------------------------- reading


class _BadLine:
    """A JSON Lines line that could not be parsed, or a CSV row that could
    only in part (``record``: the cells that have a column, checked too)."""

    def __init__(self, reason: str, text: str, record: Optional[Dict[str, Any]] = None) -> None:
        self.reason = reason
        self.text = text
        self.record = record


def _read_text(path: str) -> Tuple[str, str]:
    """The text of a file (or stdin for '-') and the format its name suggests."""
    name = "stdin" if path == "-" else path
    try:
        if path == "-":
            # As bytes where stdin has them, so that it decodes as a file does.
            stream = getattr(sys.stdin, "buffer", sys.stdin)
            data = stream.read()
        else:
            with open(path, "rb") as f:
                data = f.read()
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError as error:
        raise UsageError(f"cannot read {name}: not UTF-8 text ({error})") from None
    except OSError as error:
        raise UsageError(f"cannot read {name}: {error}") from None
    lower = path.lower()
    for ext, kind in ((".csv", "csv"), (".jsonl", "jsonl"), (".ndjson", "jsonl"), (".json", "json")):
        if lower.endswith(ext):
            return text, kind
    return text, ""


def _lines(text: str) -> List[str]:
    """The lines of a text, split at \\n, \\r\\n and \\r only.

    Not str.splitlines(): JSON allows U+2028, U+2029 and U+0085 raw inside
    strings, and splitting there would cut a record in two.
    """
    return re.split(r"\r\n|\r|\n", text)


def _sniff(text: str) -> str:
    lines = [line.lstrip() for line in _lines(text) if line.strip()]
    if lines and lines[0].startswith("["):
        return "json"
    # Bad first lines must not turn JSON Lines into CSV, whose rows after the
    # header hardly start with "{": most of the lines after the first decide.
    objects = sum(line.startswith("{") for line in lines[1:])
    if not lines or lines[0].startswith("{") or 2 * objects >= len(lines) - 1 > 0:
        return "jsonl"
    return "csv"


def read_records(path: str) -> List[Tuple[Any, Any]]:
    """The records of a file as (default request id, record) pairs.

    A record is a dict, or a :class:`_BadLine` for a JSON Lines line that is
    not a JSON object or a CSV row with cells beyond the header. The default
    request id is the record's 1-based position; blank lines and empty CSV
    rows are not records. Raises
    UsageError when the file as a whole cannot be read (not a JSON array, no
    record at all, ...).
    """
    text, kind = _read_text(path)
    if text.startswith("\ufeff"):
        text = text[1:]
    kind = kind or _sniff(text)
    name = "stdin" if path == "-" else path
    out: List[Tuple[Any, Any]] = []
    if not text.strip():
        raise UsageError(f"{name}: no records (empty input)")
    if kind == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise UsageError(f"{name}: not a JSON array: {error}") from None
        if not isinstance(data, list):
            raise UsageError(f"{name}: expected a JSON array of objects")
        for item in data:
            out.append((len(out) + 1, item if isinstance(item, dict) else _BadLine("not a JSON object", json.dumps(item))))
    elif kind == "jsonl":
        for line in _lines(text):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                out.append((len(out) + 1, _BadLine(f"malformed JSON: {error.msg} (column {error.colno})", line)))
                continue
            out.append((len(out) + 1, item if isinstance(item, dict) else _BadLine("not a JSON object", line)))
    else:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = reader.fieldnames
        names = [h.strip() for h in header or [] if h.strip()]
        repeated = sorted({h for h in names if names.count(h) > 1})
        if repeated:
            # A row would keep only the last of the cells: no silent loss.
            raise UsageError(f"{name}: the CSV header names {', '.join(map(repr, repeated))} more than once")
        separator = next((c for c in ";\t|" if len(names) == 1 and c in names[0]), None)
        if separator is not None and names[0] not in KNOWN_FIELDS:
            # A spreadsheet's export with another separator: every row
            # would be one unknown field.
            raise UsageError(
                f"{name}: the CSV header is one column {names[0]!r}; libmatch reads comma-separated "
                f"CSV, and this looks separated by {separator!r}: export it with commas"
            )
        for row in reader:
            extra = row.pop(None, None) or []  # cells beyond the header
            cells = list(row.values()) + extra
            if all(cell is None or not cell.strip() for cell in cells):
                continue  # a blank line, or a spreadsheet's empty row
            record: Dict[str, Any] = {k.strip(): v for k, v in row.items() if k is not None and v not in (None, "")}
            # Empty cells past the header (trailing commas) hold nothing; a
            # cell with something in it has no column to go to.
            while extra and not (extra[-1] or "").strip():
                extra.pop()
            if extra:
                reason = f"{len(extra)} cell(s) beyond the header's {len(header or [])} columns"
                out.append((len(out) + 1, _BadLine(reason, ",".join(extra), record)))
                continue
            out.append((len(out) + 1, record))
        if not out and header:
            raise UsageError(f"{name}: no records (read as CSV: a header {','.join(header)!r} and no data rows)")
    if not out:
        raise UsageError(f"{name}: no records")
    return out


def _pool_frame(spec: str) -> Any:
    from . import datasets

    if spec == "world":
        return datasets.world_cities()
    import pandas as pd

    records = read_records(spec)
    bad = [(i, r) for i, r in records if isinstance(r, _BadLine)]
    if bad:
        shown = "".join(f"\n  record {i}: {r.reason}: {r.text[:200]}" for i, r in bad[:10])
        more = f"\n  ... and {len(bad) - 10} more" if len(bad) > 10 else ""
        raise UsageError(f"pool {spec}: {len(bad)} unreadable record(s):{shown}{more}")
    broken = [(i, p) for i, r in records for p in _valid_text(r)[1]]
    if broken:
        shown = "".join(f"\n  record {i}: {p['field']}: {p['reason']}: {p['value'][:200]}" for i, p in broken[:10])
        raise UsageError(f"pool {spec}: text that is not valid Unicode:{shown}")
    return pd.DataFrame([r for _, r in records])


def _build_pool(frame: Any, config: Any, what: str) -> Any:
    from . import Pool

    # The bundled pool brings its known partnerships (never proposed again,
    # and counted for activity); a pool file has none.
    partnerships = "bundled" if what == "world" else None
    try:
        return Pool(frame, config, partnerships=partnerships)
    except InputError as error:
        raise UsageError(f"invalid pool {what}:\n{error}") from None
    except (TypeError, ValueError) as error:
        raise UsageError(f"invalid pool {what}: {error}") from None


# --------------------------------------------------------------------------- options


def parse_config(path: Optional[str], weights: Optional[str]) -> Any:
    """The run's ScoringConfig: ``--config FILE`` (a "libmatch.scoring/1"
    document) or the learned one, with ``--weights`` replacing the weights
    it names; UsageError when bad."""
    from . import ScoringConfig, datasets

    if path is None:
        config = datasets.learned_config()
    else:
        try:
            config = ScoringConfig.load(path)
        except InputError as error:
            raise UsageError(f"bad --config {path}:\n{error}") from None
        except RuntimeError as error:
            raise UsageError(f"bad --config: {error}") from None
    if weights:
        given = parse_weights(weights)
        for name, value in given.items():
            setattr(config.weights, name, value)
        try:
            config.validate()
        except InputError as error:
            raise UsageError(f"bad --weights: {error}") from None
    return config


def parse_weights(text: str) -> Dict[str, float]:
    """Weights from ``population=1,region=0.5,...``; UsageError when bad."""
    from .pool import COMPONENTS

    names = COMPONENTS
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
    return values


# --------------------------------------------------------------------------- per-record checks


def _problem(field: str, reason: str, value: Any = "") -> Dict[str, str]:
    return {"field": field, "reason": reason, "value": "" if value is None else str(value)}


def _warning(field: str, message: str, value: Any = "") -> Dict[str, str]:
    return {"field": field, "message": message, "value": "" if value is None else str(value)}


def _present(record: Mapping[str, Any], key: str) -> bool:
    """Whether a field is given. NaN is given (and then not a finite number):
    JSON says null, and CSV an empty cell, for no value."""
    value = record.get(key)
    if value is None:
        return False
    if isinstance(value, str) and not value.strip():
        return False
    return True


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


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


def _integer(value: Any) -> Optional[int]:
    """An integer as the pool reads one (int, integral float, digits), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


#: The core's integer types: city ids are int64, partners an int.
_INT64 = (-(2**63), 2**63 - 1)
_INTEGER_RANGES = {"id": _INT64, "exclude": _INT64, "partners": (-(2**31), 2**31 - 1)}


def _out_of_range(key: str, value: Any) -> Optional[Dict[str, str]]:
    """The problem with an integer the engine cannot hold, if any.

    Found here because the binding refuses such a value for the record as a
    whole, which would hide the record's other problems.
    """
    if key in _INTEGER_RANGES:
        low, high = _INTEGER_RANGES[key]
        items = value.split(";") if isinstance(value, str) and key == "exclude" else value
        for item in items if isinstance(items, (list, tuple)) else [items]:
            number = _integer(item)
            if number is not None and not low <= number <= high:
                limit = f"at most {high}" if number > high else f"at least {low}"
                return _problem(key, f"out of range: {limit}", number)
        return None
    # Any other number becomes a double; an integer beyond its range cannot.
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, int) and not isinstance(item, bool) and abs(item) > sys.float_info.max:
            digits = str(item)
            shown = digits[:20] + f"... ({len(digits)} digits)"
            return _problem(key, "out of range: too large for a number (at most about 1.8e308)", shown)
    return None


class Request:
    """One input record, checked on its own."""

    def __init__(self, position: int, default_id: Any, record: Any) -> None:
        self.position = position  # 1-based
        self.request_id: Any = default_id
        self.record = record
        self.problems: List[Dict[str, str]] = []
        self.profile: Dict[str, Any] = {}
        self.city: Optional[Dict[str, Any]] = None  # an inline city's pool row
        self.seeker_id: Optional[int] = None  # the city's id, once it is known
        # What the core accepted but says has no effect (an exclusion of no
        # city of the batch's pool), from the whole batch's check.
        self.warnings: List[Dict[str, str]] = []
        self.partners = 1
        self.name: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


#: A UTF-16 surrogate: in a Python string, always a lone one (JSON can escape
#: one, "\\ud83d"), which UTF-8, and so the engine and the output, cannot hold.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escaped(text: str) -> str:
    """A text with its lone surrogates written as JSON escapes (\\ud83d)."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _has_surrogate(value: Any) -> Optional[str]:
    """The first lone surrogate in a value (its strings, its keys), if any."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found = _SURROGATE.search(item)
            if found:
                return found.group()
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return None


def _valid_text(record: Mapping[str, Any]) -> Tuple[Dict[str, Any], List[Dict[str, str]]]:
    """The record with its lone surrogates replaced by U+FFFD (a field name
    holding one is left out), and a problem for each field that held one."""
    problems = []
    clean: Dict[str, Any] = {}
    for key, value in record.items():
        char = _has_surrogate(key) or _has_surrogate(value)
        if char is None:
            clean[key] = value
            continue
        reason = f"not valid Unicode text: a lone surrogate (U+{ord(char):04X}), which UTF-8 cannot hold"
        shown = _escaped(value) if isinstance(value, str) else _escaped(json.dumps(value, ensure_ascii=False, default=str))
        problems.append(_problem(_escaped(str(key)), reason, shown))
        if not _has_surrogate(key):
            clean[key] = json.loads(_SURROGATE.sub("\ufffd", json.dumps(value, ensure_ascii=False, default=str)))
    return clean, problems


def _core_problems(error: Any, renames: Mapping[str, str] = {}) -> List[Dict[str, str]]:
    out = []
    for p in error.problem_list:
        field = p["field"]
        out.append(_problem(renames.get(field, field), p["reason"], p["value"]))
    return out


def _profile_problems(pool: Any, profile: Dict[str, Any]) -> List[Dict[str, str]]:
    """The core's problems with a seeking profile (its id aside)."""
    try:
        pool.validate_seekers([profile])
        return []
    except InputError as error:
        return [p for p in _core_problems(error) if p["field"] != "id"]
    except (TypeError, ValueError, OverflowError) as error:
        # The binding refuses the profile as a whole; field by field, every
        # problem is still found and named.
        fields = [k for k in profile if k != "id"]
        if len(fields) == 1:
            reason = str(error).split(": ", 1)[-1] if str(error).startswith("seeker ") else str(error)
            return [_problem(fields[0], reason, profile[fields[0]])]
        return [p for k in fields for p in _profile_problems(pool, {"id": profile["id"], k: profile[k]})]


def check_request(request: Request, pool: Any) -> None:
    """Fill in request.problems, .profile, .city, .seeker_id and .partners.

    Uses the core's own validation: the inline city through a one-city
    :class:`libmatch.Pool`, the seeking profile through the pool's seeker
    check. Every problem of the record is found: the city's and the
    profile's checks both run whatever the other found. Nothing here depends
    on the other records.
    """
    profile = _check_fields(request, pool)
    if profile is not None:
        _check_profile(request, profile, _profile_problems(pool, _core_profile(request, profile)))


def _core_profile(request: Request, profile: Dict[str, Any]) -> Dict[str, Any]:
    # The id was checked by _check_fields; the core's word on it (an inline
    # city is not in the pool yet) is left out, so any id serves here.
    return dict(profile, id=0 if request.seeker_id is None else request.seeker_id)


def _check_fields(request: Request, pool: Any) -> Optional[Dict[str, Any]]:
    """check_request() up to the core's check of the seeking profile: the
    profile to check (None when the record is no record at all)."""
    from . import Pool, ScoringConfig

    record = request.record
    if isinstance(record, _BadLine):
        request.problems.append(_problem("", record.reason, record.text))
        if record.record is None:
            return None
        record = record.record  # its other cells are checked too
    problems = request.problems
    # Text UTF-8 cannot hold is reported, and kept from every other check.
    record, broken = _valid_text(record)
    problems.extend(broken)
    if "request_id" in record and _present(record, "request_id") and not any(p["field"] == "request_id" for p in broken):
        rid = record["request_id"]
        if isinstance(rid, float) and rid.is_integer():
            rid = int(rid)  # 7.0 is the integer 7, as JSON Schema has it
        if isinstance(rid, (str, int)) and not isinstance(rid, bool):
            request.request_id = rid
        else:
            problems.append(_problem("request_id", "must be a string or an integer", json.dumps(rid)))
    if _present(record, "format") and record["format"] != FORMAT:
        problems.append(_problem("format", f"unsupported format; expected {FORMAT}", record["format"]))
    for key in record:
        if key not in KNOWN_FIELDS:
            problems.append(_problem(str(key), "unknown field; expected some of " + ", ".join(KNOWN_FIELDS)))
    # Fields with a problem found here are kept from the core's checks, which
    # would report them again, less clearly.
    reported = {p["field"] for p in broken}
    for key in record:
        if key in KNOWN_FIELDS and key not in ("request_id", "format", "name") and _present(record, key):
            problem = _out_of_range(key, record[key])
            if problem is not None:
                problems.append(problem)
                reported.add(key)

    city_id: Optional[int] = None
    if _present(record, "id") and "id" not in reported:
        city_id = _integer(record["id"])
        if city_id is None:
            problems.append(_problem("id", "not an integer", record["id"]))
    if _present(record, "name") and not _is_nan(record["name"]):
        request.name = str(record["name"])

    inline = [k for k in INLINE_FIELDS if _present(record, k)]
    if inline:
        missing = [k for k in _REQUIRED_INLINE if not _present(record, k)]
        for key in missing:
            problems.append(_problem(key, f"missing field: a city described inline needs {', '.join(_REQUIRED_INLINE)}"))
        if city_id is not None and city_id in pool:
            problems.append(
                _problem("id", "this id is a city of the pool; give the id alone, or a new id with the inline fields", city_id)
            )

        def given(key: str) -> Any:
            return record.get(key) if _present(record, key) and key not in reported else None

        city = {
            "id": -1 if city_id is None else city_id,
            "name": request.name,
            "country": given("country"),
            "region": given("region"),
            "lat": given("lat"),
            "lon": given("lon"),
            "population": given("population"),
            "languages": given("city_languages"),
        }
        if _present(record, "admin1"):
            city["admin1"] = str(record["admin1"])
        import pandas as pd

        checked = None
        try:
            # Checked alone, under the hand-made config: nothing is scored.
            checked = Pool(pd.DataFrame([city]), ScoringConfig(), partnerships=None).cities.iloc[0]
        except InputError as error:
            # A missing field's stand-in (None) draws a second, vaguer problem.
            skip = set(missing) | reported
            problems.extend(p for p in _core_problems(error, {"languages": "city_languages"}) if p["field"] not in skip)
        except (TypeError, ValueError, OverflowError) as error:
            problems.append(_problem("", f"the city cannot be read: {error}"))
        if checked is not None and not problems:
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
        if not _present(record, "id"):
            problems.append(_problem("id", "missing field: give the id of a pool city, or describe the city inline"))
    elif city_id not in pool:
        problems.append(_problem("id", "not a city of the pool (describe it inline to add it)", city_id))

    profile: Dict[str, Any] = {}
    for key in PROFILE_FIELDS:
        if key in reported or not _present(record, key):
            continue
        value = record[key]
        if _is_nan(value):
            # The pool would read NaN as "no value" and say nothing.
            problems.append(_problem(key, "not a finite number", value))
        else:
            profile[key] = _as_bool(value) if key == "same_country" else value
    request.seeker_id = city_id
    return profile


def _check_profile(request: Request, profile: Dict[str, Any], core: List[Dict[str, str]]) -> None:
    """check_request() after the core's check of the profile (``core``, its problems)."""
    request.problems.extend(core)
    if request.problems:
        return
    request.partners = _integer(profile.get("partners", 1)) or 1
    request.profile = dict(profile, id=request.seeker_id)


def _profiles_to_recheck(pool: Any, profiles: List[Dict[str, Any]]) -> Optional[set]:
    """The positions of the profiles the core finds anything wrong with when
    checked all at once (None: any of them). Checking each profile on its own
    costs a pass over the pool; the rest are clean, and are not checked again."""
    if not profiles:
        return set()
    try:
        pool.validate_seekers(profiles)
        return set()
    except InputError as error:
        # The problems with ids are left out of a record's answer anyway (the
        # core reports a row's other problems whatever its id's are).
        rows = {p["row"] for p in error.problem_list if p["field"] != "id" or p["row"] is None}
        return None if None in rows else rows
    except (TypeError, ValueError, OverflowError):
        return None


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


class Batch:
    """The checked requests of a run and its pool: the base pool plus the
    inline cities of the requests that are ok."""

    def __init__(self, base_frame: Any, base: Any, config: Any, what: str, requests: List[Request]) -> None:
        self.base_frame = base_frame
        self.base = base
        self.config = config
        self.what = what
        self.requests = requests
        self.pool = base
        self.rebuild()

    def rebuild(self) -> None:
        """The pool again, after requests went bad: their inline cities leave it."""
        import pandas as pd

        inline = [r.city for r in self.requests if r.ok and r.city is not None]
        if not inline:
            self.pool = self.base
            return
        frame = pd.concat([self.base_frame, pd.DataFrame(inline)], ignore_index=True)
        if "admin1" in frame.columns:
            frame["admin1"] = frame["admin1"].fillna("")
        self.pool = _build_pool(frame, self.config, self.what)


def prepare(seekers_path: str, pool_spec: str, config: Any) -> Batch:
    """Read and check every record; returns the batch to run.

    Batch-level conflicts (a request_id used twice, a city that seeks twice,
    two inline cities with one id) mark the later record bad.
    """
    if seekers_path == "-" and pool_spec == "-":
        raise UsageError("--seekers and --pool cannot both be '-': stdin can be read only once")
    records = read_records(seekers_path)
    base_frame = _pool_frame(pool_spec)
    base = _build_pool(base_frame, config, pool_spec)
    requests = [Request(i, rid, rec) for i, (rid, rec) in enumerate(records, start=1)]
    # As check_request() on each record, with the seeking profiles checked by
    # the core all at once first: only those with a problem are checked alone.
    pending = [(r, _check_fields(r, base)) for r in _records_progress(requests, "checking")]
    pending = [(r, profile) for r, profile in pending if profile is not None]
    recheck = _profiles_to_recheck(base, [_core_profile(r, profile) for r, profile in pending])
    for i, (request, profile) in enumerate(pending):
        alone = recheck is None or i in recheck
        _check_profile(request, profile, _profile_problems(base, _core_profile(request, profile)) if alone else [])

    # Compared as text: 3 and "3" are one id in CSV output.
    by_id: Dict[str, Request] = {}
    for request in requests:
        first = by_id.setdefault(str(request.request_id), request)
        if first is not request:
            request.problems.append(
                _problem("request_id", f"duplicate request_id: record {first.position} already has it", request.request_id)
            )

    # A city seeks once: a later record for it is an error, with its other
    # problems if it has any; only an accepted record takes the city.
    seen: Dict[int, Request] = {}
    for request in requests:
        if request.seeker_id is None:
            continue
        first = seen.get(request.seeker_id)
        if first is not None:
            what = "this city already seeks" if request.city is None else "an inline city with this id is already given"
            request.problems.append(_problem("id", f"{what} in request {first.request_id}", request.seeker_id))
        elif request.ok:
            seen[request.seeker_id] = request
    batch = Batch(base_frame, base, config, pool_spec, requests)
    # The core's check of the whole batch against the batch's pool, which
    # holds the inline cities: an exclusion may name another record's. Every
    # profile passed on its own, so what is left are warnings: an excluded id
    # that is no city of this pool (not a problem: it can never be proposed).
    good = [r for r in requests if r.ok]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputWarning)
        try:
            batch.pool.validate_seekers([r.profile for r in good])
        except InputError as error:
            raise UsageError(f"the batch cannot be checked:\n{error}") from None
    for w in caught:
        if isinstance(w.message, InputWarning):
            for entry in w.message.warning_list:
                good[entry["row"]].warnings.append(_warning(entry["field"], entry["message"], entry["value"]))
    return batch


def _number(value: Any) -> Optional[float]:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def _city_info(pool: Any) -> Dict[int, Tuple[str, str, float]]:
    """Name, country and population by id, as the pool read them."""
    cities = pool.cities
    names = cities["name"].tolist() if "name" in cities.columns else [""] * len(cities)
    return {
        # The pool accepted the population: a number or a number's text ("522000.5", "1e3").
        int(i): ("" if not isinstance(n, str) else n, str(c), float(p))
        for i, n, c, p in zip(pool.ids.tolist(), names, cities["country"].tolist(), cities["population"].tolist())
    }


def _population_text(population: float) -> str:
    return f"{int(population):,}" if population.is_integer() else f"{population:,}"


def _capped_k(k: int, pool: Any) -> int:
    # A seeker has at most every other city as a candidate; a larger k
    # changes nothing but what the engine reserves.
    return max(1, min(k, len(pool)))


def run_match(batch: Batch, k: int, method: str) -> List[Dict[str, Any]]:
    """The answers, one per request, in input order."""
    from . import COMPONENTS, NoStableMatchingError

    requests = batch.requests
    progress = _progress_on()

    def candidates() -> Any:
        return batch.pool.candidates([r.profile for r in requests if r.ok], k=_capped_k(k, batch.pool), progress=progress)

    table = candidates() if any(r.ok for r in requests) else None
    good = [r for r in requests if r.ok]
    by_seeker: Dict[int, List[Dict[str, Any]]] = {r.seeker_id: [] for r in good}  # type: ignore[misc]
    partners: Dict[int, List[Dict[str, Any]]] = {r.seeker_id: [] for r in good}  # type: ignore[misc]
    unfilled: Dict[int, Tuple[int, str]] = {}
    info: Dict[int, Tuple[str, str, float]] = {}
    if table is not None:
        pool = batch.pool
        info = _city_info(pool)
        for row in table.to_dict("records"):
            cid = int(row["candidate_id"])
            name, country, _ = info[cid]
            entry = {"candidate_id": cid, "name": name, "country": country, "rank": int(row["rank"]), "score": float(row["score"])}
            for c in COMPONENTS:
                entry[c] = _number(row[c])
            entry["reciprocal"] = bool(row["reciprocal"])
            by_seeker[int(row["seeker_id"])].append(entry)
        if method != "none":
            try:
                result = pool.match([r.profile for r in good], method=method, k=_capped_k(k, pool), progress=progress)
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
        if r.warnings:
            answer["warnings"] = r.warnings
        answers.append(answer)
    return answers


def run_validate(batch: Batch) -> List[Dict[str, Any]]:
    info = _city_info(batch.pool)
    out = []
    for r in batch.requests:
        if r.ok:
            name, country, _ = info[int(r.seeker_id)]  # type: ignore[arg-type]
            out.append({"format": FORMAT, "request_id": r.request_id, "status": "ok", "seeker_id": r.seeker_id, "name": name, "country": country})
            if r.warnings:
                out[-1]["warnings"] = r.warnings
        else:
            out.append({"format": FORMAT, "request_id": r.request_id, "status": "error", "problems": r.problems})
    return out


# --------------------------------------------------------------------------- writing


def _dumps(value: Any) -> str:
    # Readers that split lines at U+2028, U+2029 or U+0085 (str.splitlines)
    # must still see one answer per line: those are escaped (they can only be
    # inside strings).
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x85", "\\u0085")


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
            base.update(seeker_id=a["seeker_id"], seeker_name=a.get("name", ""), seeker_country=a.get("country", ""))
            if "warnings" in a:
                base["warnings"] = "; ".join(f"{w['field']}: {w['message']}" + (f" [{w['value']}]" if w["value"] else "") for w in a["warnings"])
            if "partners" in a:
                base.update(open=a["open"], unmatched_reason=a["unmatched_reason"])
            paired = {p["partner_id"] for p in a.get("partners", [])}
            rows = []
            for c in a.get("candidates", []):
                row = dict(base, **c)
                if "partners" in a:
                    row["partner"] = c["candidate_id"] in paired
                rows.append(row)
            # A partner can come from the other city's list only: it still gets a row.
            listed = {c["candidate_id"] for c in a.get("candidates", [])}
            for p in a.get("partners", []):
                if p["partner_id"] not in listed:
                    partner = {"candidate_id": p["partner_id"], "name": p["name"], "country": p["country"], "score": p["score"]}
                    rows.append(dict(base, **partner, partner=True))
            for row in rows or [base]:
                writer.writerow([_cell(row.get(col)) for col in CSV_COLUMNS])


def _discard_stdout() -> None:
    """Point stdout at the null device, so that the interpreter's last flush of
    what could not be written does not fail (and print a traceback) again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no file descriptor (captured in tests)
        pass


def _utf8_stdout() -> None:
    """Make stdout UTF-8, as the files written are: a locale (or
    PYTHONIOENCODING) with another encoding cannot hold every city's name."""
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    if encoding != "utf8" and hasattr(sys.stdout, "reconfigure"):
        try:
            sys.stdout.reconfigure(encoding="utf-8")
        except (ValueError, OSError):  # pragma: no cover - a stream that refuses
            pass


def _write(path: Optional[str], write: Callable[[TextIO], None]) -> None:
    """Write to the file, or to stdout for None or '-'; a failed write is a usage error."""
    to_stdout = path in (None, "-")
    try:
        if to_stdout:
            _utf8_stdout()
            write(sys.stdout)
            sys.stdout.flush()  # a full disk shows here, not at exit
        else:
            with open(path, "w", encoding="utf-8", newline="") as f:  # type: ignore[arg-type]
                write(f)
    except BrokenPipeError:
        raise
    except OSError as error:
        if to_stdout:
            _discard_stdout()
        raise UsageError(f"cannot write {'stdout' if to_stdout else path}: {error.strerror or error}") from None


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


def _check_k(k: int) -> None:
    if k < 1:
        raise UsageError("--k must be >= 1")


def _cmd_match(args: argparse.Namespace) -> int:
    _check_k(args.k)
    batch = prepare(args.seekers, args.pool, parse_config(args.config, args.weights))
    answers = run_match(batch, args.k, args.method)
    _write(args.out, lambda out: write_answers(answers, out, _format_for(args.out, args.format)))
    return 0 if all(r.ok for r in batch.requests) else 1


def _cmd_validate(args: argparse.Namespace) -> int:
    batch = prepare(args.seekers, args.pool, parse_config(getattr(args, "config", None), None))
    answers = run_validate(batch)
    _write(args.out, lambda out: write_answers(answers, out, _format_for(args.out, args.format)))
    bad = sum(not r.ok for r in batch.requests)
    print(f"{len(batch.requests) - bad} of {len(batch.requests)} records ok", file=sys.stderr)
    return 0 if bad == 0 else 1


def _cmd_explain(args: argparse.Namespace) -> int:
    for name, value in (("A", args.a), ("B", args.b)):
        if not _INT64[0] <= value <= _INT64[1]:
            raise UsageError(f"{name} = {value} is out of range: city ids are between {_INT64[0]} and {_INT64[1]}")
    config = parse_config(args.config, args.weights)
    status = 0
    if args.seekers:
        batch = prepare(args.seekers, args.pool, config)
        pool = batch.pool
        seekers = [r.profile for r in batch.requests if r.ok]
        for r in batch.requests:
            if not r.ok:
                status = 1
                print(f"request {r.request_id} left out: " + "; ".join(f"{p['field']}: {p['reason']}" for p in r.problems), file=sys.stderr)
            elif r.warnings:
                print(f"request {r.request_id}: " + "; ".join(f"{w['field']} {w['value']}: {w['message']}" for w in r.warnings), file=sys.stderr)
    else:
        pool = _build_pool(_pool_frame(args.pool), config, args.pool)
        seekers = None
    try:
        report = pool.explain(args.a, args.b, seekers)
    except InputError as error:  # A or B is no city of the pool: a bad argument, as out of range is
        print(f"libmatch explain: {error}", file=sys.stderr)
        return 2
    if args.json:
        text = json.dumps(report, ensure_ascii=False, default=_json_default) + "\n"
    else:
        info = _city_info(pool)
        lines = []
        for cid in (args.a, args.b):
            name, country, population = info[cid]
            lines.append(f"{cid}: {name} ({country}), population {_population_text(population)}\n")
        text = "".join(lines) + report["text"] + ("" if report["text"].endswith("\n") else "\n")
    _write(None, lambda out: out.write(text))
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
    info = _city_info(pool)
    capped = _capped_k(k, pool)
    result = pool.match(seekers, method=method, k=capped, progress=_progress_on())
    wanted = {int(i): int(p) for i, p in zip(seekers["id"], seekers["partners"])}

    def label(cid: int, width: int = 28) -> str:
        name, country, _ = info[cid]
        text = f"{name} ({country})"
        return (text[: width - 1] + "…") if len(text) > width else text.ljust(width)

    lines = [
        f"libmatch demo: {len(seekers)} seeking cities (datasets.seeking_sample()) against "
        f"{len(pool):,} world cities (datasets.world_cities()), k = {k}, method = {method}",
        f"{sum(wanted.values())} places wanted; {len(result.pairs)} pairs, total score {result.total_score:.4f}, "
        f"{result.blocking_pair_count} blocking pairs",
    ]
    lines.append("")

    # "inhabitants": the partner's size, apart from the population component.
    header = f"{'seeker':28}  {'partner':28}  {'inhabitants':>11}  {'score':>6}  " + "  ".join(f"{c:>10}" for c in COMPONENTS)
    lines += [header, "-" * len(header)]
    order = {cid: i for i, cid in enumerate(wanted)}  # the sample's order
    pairs = sorted(result.pairs.to_dict("records"), key=lambda p: (order[int(p["a"])], -p["score"], int(p["b"])))
    for pair in pairs:
        a, b = int(pair["a"]), int(pair["b"])
        comps = "  ".join(f"{'-':>10}" if math.isnan(pair[c]) else f"{pair[c]:10.3f}" for c in COMPONENTS)
        mark = "*" if b in wanted else " "
        lines.append(f"{label(a)}  {label(b, 27)}{mark}  {_population_text(info[b][2]):>11}  {pair['score']:6.3f}  {comps}")
    lines.append("")
    seekers_paired = any(int(pair["b"]) in wanted for pair in pairs)
    lines.append(("* the partner seeks too; " if seekers_paired else "") + "components are the viewer's (a) side, '-' = no data")
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

    _check_k(args.k)
    try:
        text = demo_text(args.k, args.method)
    except (NoStableMatchingError, ValueError) as error:
        raise UsageError(f"method {args.method}: {error}") from None
    _write(None, lambda out: out.write(text))
    return 0


# --------------------------------------------------------------------------- entry point


def _parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="libmatch",
        description="Sister-city matching: candidates and pairings for seeking cities (format libmatch.match/1).",
    )
    parser.add_argument("--version", action="version", version=f"libmatch {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    def pool_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--pool", default="world", metavar="world|FILE", help="the pool: the bundled world cities (default) or a CSV/JSON/JSONL file")

    def weights_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--config", metavar="FILE", help="a scoring configuration (libmatch.scoring/1 JSON, e.g. from libmatch.fit); default: the learned one")
        p.add_argument("--weights", metavar="NAME=W,...", help="replace the config's weights, e.g. population=1,region=1,distance=0.5,affinity=0")

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
    v.add_argument("--seekers", required=True, metavar="FILE", help="seeker records to check: CSV, JSON array or JSON Lines; '-' for stdin")
    pool_option(v)
    output_options(v)
    v.set_defaults(run=_cmd_validate)

    e = sub.add_parser("explain", help="how city A scores city B")
    e.add_argument("a", type=int, metavar="A", help="id of the city whose view is explained (a pool city)")
    e.add_argument("b", type=int, metavar="B", help="id of the city it scores (a pool city)")
    pool_option(e)
    e.add_argument("--seekers", metavar="FILE", help="seeker records whose wants apply")
    weights_option(e)
    e.add_argument("--json", action="store_true", help="print the explanation as JSON")
    e.set_defaults(run=_cmd_explain)

    d = sub.add_parser("demo", help="the bundled sample seekers against the world cities, paired")
    d.add_argument("--k", type=int, default=10, help="candidates per seeker that become edges of the pairing graph (default 10)")
    d.add_argument("--method", choices=("optimal", "stable", "greedy"), default="optimal", help="pairing method (default optimal)")
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
        with warnings.catch_warnings():
            # What the core accepts with a warning is reported with its
            # record (prepare() collects it), not by Python on stderr.
            warnings.simplefilter("ignore", InputWarning)
            return int(args.run(args))
    except UsageError as error:
        print(f"libmatch {args.command}: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into head
        _discard_stdout()
        return 0
    except KeyboardInterrupt:
        print("libmatch: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
