"""The pandas-first API: a pool of cities, its candidates, pairings and explanations.

A :class:`Pool` is built once from a DataFrame of cities; it validates every
row (all problems at once, as :class:`libmatch.InputError`) and holds the C++
city table. Seekers are given per call, as a DataFrame, a list of dicts or a
list of ids, and the results come back as DataFrames.

Parsing happens here, in Python, so that every problem can be reported by
DataFrame row and column; the checks themselves (ranges, vocabularies,
duplicates) are the C++ core's, so Python and C++ reject exactly the same
input. The long C++ calls release the GIL.
"""

from __future__ import annotations

import copy
import math
import numbers
import sys
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple, Union

import numpy as np

from . import _core
from ._core import ScoringConfig, Weights
from ._errors import InputError

__all__ = ["COMPONENTS", "INTERESTS", "MatchResult", "Pool", "ScoringConfig", "Weights"]

#: The interest vocabulary: every name an ``interests`` entry may use.
INTERESTS: Tuple[str, ...] = tuple(_core.INTERESTS)
#: The score components, in order; each is a column of candidates() and of pairs.
COMPONENTS: Tuple[str, ...] = tuple(_core.COMPONENTS)

#: The city columns a Pool reads; ``lat``/``lon`` may also be spelt
#: ``latitude``/``longitude``.
CITY_COLUMNS = ("id", "name", "country", "region", "lat", "lon", "population", "languages", "interests")
_REQUIRED_CITY_COLUMNS = ("id", "country", "lat", "lon", "population")
_CITY_ALIASES = {"lat": "latitude", "lon": "longitude"}

#: The seeker columns (or dict keys); only ``id`` is required. ``name`` is
#: accepted and ignored, so a slice of the cities table can be passed.
SEEKER_COLUMNS = (
    "id",
    "partners",
    "regions",
    "countries",
    "population_min",
    "population_max",
    "languages",
    "interests",
    "exclude",
    "same_country",
)
_IGNORED_SEEKER_COLUMNS = ("name",)

Problem = Dict[str, Any]
Progress = Union[None, bool, Callable[[int, int], Optional[bool]]]


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as error:  # pragma: no cover - pandas is a test dependency
        raise ImportError("libmatch.Pool needs pandas: pip install pandas") from error
    return pandas


# --------------------------------------------------------------------------- parsing


class _ParseError(Exception):
    """One cell that cannot be read; becomes a row of InputError.problems."""

    def __init__(self, reason: str, value: Any = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.value = value


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, (int, np.integer)):  # the common case first: ids
        return False
    if isinstance(value, (float, np.floating)):
        return bool(math.isnan(value))
    if isinstance(value, (str, bytes, list, tuple, dict, set, np.ndarray)):
        return False
    try:
        return bool(_pandas().isna(value))
    except (TypeError, ValueError):
        return False


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _number(value: Any, what: str = "a number") -> float:
    if isinstance(value, (bool, np.bool_)):
        raise _ParseError(f"not {what}", value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            pass
    raise _ParseError(f"not {what}", value)


def _integer(value: Any) -> int:
    if isinstance(value, (bool, np.bool_)):
        raise _ParseError("not an integer", value)
    if isinstance(value, (int, np.integer, numbers.Integral)):
        return int(value)
    if isinstance(value, numbers.Real) and math.isfinite(float(value)) and float(value).is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise _ParseError("not an integer", value)


def _entries(value: Any) -> List[Any]:
    """A ';'-separated string or a sequence, as a list of entries."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray)):
        return list(value)
    raise _ParseError("expected a list or a ';'-separated string", value)


def _pairs(value: Any, *, kind: str, default_weight: Optional[float]) -> List[Tuple[str, float]]:
    """(name, number) pairs from a dict, a "a:0.8;b:0.2" string or a list.

    With ``default_weight`` None every entry needs its number (languages);
    otherwise a bare name gets that weight (interests).
    """
    if _missing(value):
        return []
    if isinstance(value, Mapping):
        items: Iterable[Any] = value.items()
    else:
        items = _entries(value)
    form = "'code:share'" if default_weight is None else "'name' or 'name:weight'"
    out: List[Tuple[str, float]] = []
    for item in items:
        if isinstance(item, str):
            name, sep, number = item.partition(":")
            name = name.strip()
            if not name:
                raise _ParseError(f"bad {kind} entry '{item}'; expected {form}", value)
            if not sep:
                if default_weight is None:
                    raise _ParseError(f"{kind} entry '{item}' has no share; expected {form}", value)
                out.append((name, default_weight))
                continue
            try:
                out.append((name, _number(number)))
            except _ParseError:
                raise _ParseError(f"{kind} entry '{item}': '{number.strip()}' is not a number", value)
        elif isinstance(item, (tuple, list)) and len(item) == 2 and isinstance(item[0], str):
            try:
                out.append((item[0], _number(item[1])))
            except _ParseError:
                raise _ParseError(f"{kind} entry {item!r}: {item[1]!r} is not a number", value)
        else:
            raise _ParseError(f"bad {kind} entry {item!r}; expected {form}", value)
    return out


def _strings(value: Any, *, kind: str) -> List[str]:
    if _missing(value):
        return []
    out = []
    for item in _entries(value):
        if not isinstance(item, str):
            raise _ParseError(f"{kind} must be strings; got {item!r}", value)
        out.append(item)
    return out


def _integers(value: Any) -> List[int]:
    if _missing(value):
        return []
    out = []
    for item in _entries(value):
        try:
            out.append(_integer(item))
        except _ParseError:
            raise _ParseError(f"{item!r} is not an integer id", value)
    return out


def _to_frame(data: Any, what: str) -> Any:
    pd = _pandas()
    if isinstance(data, pd.DataFrame):
        return data
    try:
        return pd.DataFrame(data)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{what} must be a pandas DataFrame (or convertible to one): {error}") from None


# --------------------------------------------------------------------------- problems


def _field_column(field: str, renames: Mapping[str, str]) -> str:
    """The DataFrame column of a C++ problem field ("languages.fr" -> "languages")."""
    base = field.split(".", 1)[0]
    return renames.get(base, base)


def _core_problem(entry: Mapping[str, Any], renames: Mapping[str, str]) -> Problem:
    field = str(entry.get("field", ""))
    value = str(entry.get("value", ""))
    # "languages.fr" with value "1.5": say which language in the value.
    if "." in field and field.split(".", 1)[0] in ("languages", "interests"):
        value = f"{field.split('.', 1)[1]}:{value}"
    return {
        "record": entry.get("record", ""),
        "field": _field_column(field, renames),
        "value": value,
        "reason": entry.get("reason", ""),
        "row": entry.get("row"),
    }


def _raise(python_problems: List[Problem], core_error: Optional[InputError], renames: Mapping[str, str]) -> None:
    """Raise one InputError with the parse problems and the core's, by row."""
    problems = list(python_problems)
    seen = {(p["row"], p["field"]) for p in python_problems}
    if core_error is not None:
        for entry in core_error.problem_list:
            p = _core_problem(entry, renames)
            # A cell that could not be parsed was replaced by a stand-in;
            # what the core says about the stand-in is noise.
            if (p["row"], p["field"]) not in seen:
                problems.append(p)
    order = {name: i for i, name in enumerate(CITY_COLUMNS + SEEKER_COLUMNS)}
    problems.sort(key=lambda p: (-1 if p["row"] is None else p["row"], order.get(p["field"], len(order))))
    raise InputError.from_problems(problems) from None


# --------------------------------------------------------------------------- seekers


def _seeker_records(seekers: Any) -> Tuple[List[Mapping[str, Any]], List[str]]:
    """Seekers as a list of mappings, plus the column names seen."""
    pd = _pandas()
    if isinstance(seekers, pd.DataFrame):
        columns = [str(c) for c in seekers.columns]
        return seekers.to_dict("records"), columns
    if isinstance(seekers, (pd.Series, np.ndarray)):
        seekers = list(seekers)
    if isinstance(seekers, (str, bytes, Mapping)) or not isinstance(seekers, Iterable):
        raise TypeError("seekers must be a DataFrame, a list of dicts or a list of city ids")
    records: List[Mapping[str, Any]] = []
    columns: Dict[str, None] = {}
    for item in seekers:
        if isinstance(item, Mapping):
            records.append(item)
            columns.update(dict.fromkeys(str(k) for k in item))
        else:
            records.append({"id": item})
            columns["id"] = None
    return records, list(columns)


# A profile's values when its column is absent or the cell empty. Shared
# between profiles: nothing mutates them.
_SEEKER_DEFAULTS: Dict[str, Any] = {
    "partners": 1,
    "regions": [],
    "countries": [],
    "population_min": None,
    "population_max": None,
    "languages": [],
    "interests": [],
    "exclude": [],
    "same_country": False,
}


def _seeker_profiles(records: List[Mapping[str, Any]], columns: List[str], stand_in_id: int) -> Tuple[List[Dict[str, Any]], List[Problem]]:
    problems: List[Problem] = []
    unknown = [c for c in columns if c not in SEEKER_COLUMNS and c not in _IGNORED_SEEKER_COLUMNS]
    for c in unknown:
        problems.append(
            {
                "record": "seekers",
                "field": c,
                "value": "",
                "reason": "unknown column; expected some of " + ", ".join(SEEKER_COLUMNS),
                "row": None,
            }
        )
    if "id" not in columns and records:
        problems.append({"record": "seekers", "field": "id", "value": "", "reason": "missing column", "row": None})

    def flag(value: Any) -> bool:
        if isinstance(value, (bool, np.bool_)) or (isinstance(value, numbers.Integral) and value in (0, 1)):
            return bool(value)
        raise _ParseError("not a boolean", value)

    parsers: Dict[str, Callable[[Any], Any]] = {
        "partners": _integer,
        "regions": lambda v: _strings(v, kind="regions"),
        "countries": lambda v: _strings(v, kind="countries"),
        "population_min": _number,
        "population_max": _number,
        "languages": lambda v: _strings(v, kind="languages"),
        "interests": lambda v: _pairs(v, kind="interests", default_weight=1.0),
        "exclude": _integers,
        "same_country": flag,
    }
    fields = [(key, parse) for key, parse in parsers.items() if key in columns]
    profiles: List[Dict[str, Any]] = []
    for row, record in enumerate(records):
        label = f"seeker {row}"

        def read(key: str, parse: Callable[[Any], Any], default: Any) -> Any:
            value = record.get(key)
            if _missing(value):
                return default
            try:
                return parse(value)
            except _ParseError as error:
                problems.append({"record": label, "field": key, "value": _text(error.value), "reason": error.reason, "row": row})
                return default

        if _missing(record.get("id")):
            if "id" in columns:
                problems.append({"record": label, "field": "id", "value": "", "reason": "missing id", "row": row})
            city_id = stand_in_id
        else:
            city_id = read("id", _integer, stand_in_id)
        profile: Dict[str, Any] = {"id": city_id, **_SEEKER_DEFAULTS}
        # Only the columns given are read: a frame of bare ids stays cheap.
        for key, parse in fields:
            profile[key] = read(key, parse, _SEEKER_DEFAULTS[key])
        profiles.append(profile)
    return profiles, problems


# --------------------------------------------------------------------------- progress


def _progress_callback(progress: Progress) -> Tuple[Optional[Callable[[int, int], Any]], Callable[[], None]]:
    """The callable for the core, and a function that cleans up after it."""
    if progress is None or progress is False:
        return None, lambda: None
    if progress is True:
        try:
            from tqdm import tqdm
        except ImportError as error:
            raise ImportError("progress=True needs tqdm: pip install tqdm") from error
        bars: List[Any] = []  # made at the first call, when the total is known

        def update(done: int, total: int) -> bool:
            if not bars:
                bars.append(tqdm(total=total, file=sys.stderr, unit="tile", desc="candidates"))
            bars[0].update(done - bars[0].n)
            return True

        def close() -> None:
            if bars:
                bars[0].close()

        return update, close
    if callable(progress):
        return progress, lambda: None
    raise TypeError("progress must be None, True/False or a callable(done, total)")


def _threads(threads: Optional[int]) -> int:
    if threads is None:
        return 0
    if isinstance(threads, (bool, np.bool_)) or not isinstance(threads, numbers.Integral) or threads < 0:
        raise ValueError(f"threads must be None or 0 (every core), or an int >= 1; got {threads!r}")
    return int(threads)


# --------------------------------------------------------------------------- results


class MatchResult:
    """The pairing computed by :meth:`Pool.match`.

    Attributes
    ----------
    method : str
        ``"optimal"``, ``"stable"`` or ``"greedy"``.
    pairs : pandas.DataFrame
        One row per pair, sorted by (a, b): ``a`` (a seeker; the lower id
        when both seek), ``b``, ``score``, ``weight`` (round(score * 1e6),
        what the algorithms compare), the five components as seen by
        ``viewer`` (NaN where absent), ``viewer`` and ``mutual``.
    unmatched : pandas.DataFrame
        Seekers left with open places: ``id``, ``open`` (how many) and
        ``reason`` ("no candidate passed the filters" or "every candidate
        was taken").
    total_score : float
        The sum of the pairs' scores.
    total_weight : int
        The sum of the pairs' integer weights.
    blocking_pairs : pandas.DataFrame
        Every blocking pair (``a``, ``b``, ``score``): candidate pairs not
        paired where each city would rather have the other. Empty for
        ``method="stable"``.
    candidates : pandas.DataFrame
        The candidate graph's edges (same columns as ``pairs``).
    vertices : pandas.DataFrame
        The candidate graph's vertices: ``id``, ``capacity``, ``seeks``.
    """

    def __init__(self, pool: "Pool", graph: Any, result: Mapping[str, Any]) -> None:
        pd = _pandas()
        self._pool = pool
        self._graph = graph
        self.method: str = result["method"]
        self.pairs = pd.DataFrame(result["pairs"])
        self.unmatched = pd.DataFrame(
            {
                "id": result["unmatched"]["id"],
                "open": result["unmatched"]["open"],
                "reason": pd.array(result["unmatched"]["reason"], dtype=object),
            }
        )
        self.total_score: float = float(result["total_score"])
        self.total_weight: int = int(result["total_weight"])
        self.blocking_pairs = pd.DataFrame(result["blocking_pairs"])
        self._blocking_pair_count = int(result["blocking_pair_count"])
        self.candidates = pd.DataFrame(graph.edges())
        self.vertices = pd.DataFrame(graph.vertices())

    @property
    def blocking_pair_count(self) -> int:
        """How many blocking pairs the pairing has (0 for a stable one)."""
        return self._blocking_pair_count

    def to_networkx(self) -> Any:
        """The candidate graph as a ``networkx.Graph``.

        Nodes are city ids with attributes ``name``, ``country``,
        ``capacity`` and ``seeks``; edges carry ``score``, ``weight``, the
        components (absent ones left out), ``viewer``, ``mutual`` and
        ``paired`` (whether the pairing chose the edge). Needs networkx.
        """
        try:
            import networkx
        except ImportError as error:
            raise ImportError("to_networkx() needs networkx: pip install networkx") from error
        graph = networkx.Graph(method=self.method, total_score=self.total_score)
        cities = self._pool.cities.set_index("id")
        for v in self.vertices.itertuples(index=False):
            city = cities.loc[v.id]
            graph.add_node(
                int(v.id),
                name=str(city["name"]) if "name" in cities.columns else "",
                country=str(city["country"]),
                capacity=int(v.capacity),
                seeks=bool(v.seeks),
            )
        paired = set(zip(self.pairs["a"].tolist(), self.pairs["b"].tolist()))
        for e in self.candidates.to_dict("records"):
            attributes = {
                "score": float(e["score"]),
                "weight": int(e["weight"]),
                "viewer": int(e["viewer"]),
                "mutual": bool(e["mutual"]),
                "paired": (e["a"], e["b"]) in paired,
            }
            for c in COMPONENTS:
                if not math.isnan(e[c]):
                    attributes[c] = float(e[c])
            graph.add_edge(int(e["a"]), int(e["b"]), **attributes)
        return graph

    def to_graphml(self) -> str:
        """The candidate graph as GraphML text (Boost's write_graphml)."""
        return self._graph.graphml()

    def __repr__(self) -> str:
        return (
            f"MatchResult(method={self.method!r}, pairs={len(self.pairs)}, "
            f"unmatched={len(self.unmatched)}, total_score={self.total_score:.6g}, "
            f"blocking_pairs={self.blocking_pair_count})"
        )


# --------------------------------------------------------------------------- the pool


class Pool:
    """A validated pool of cities, ready to score seekers against.

    Parameters
    ----------
    cities : pandas.DataFrame
        One row per city. Columns (``lat``/``lon`` may be spelt
        ``latitude``/``longitude``; other columns are kept and ignored):

        ``id``
            int64, unique.
        ``name``
            optional free text.
        ``country``
            ISO 3166-1 alpha-2 code, case-insensitive.
        ``region``
            optional UN M49 region, sub-region or continent containing the
            country; missing or empty means derived from the country.
        ``lat``, ``lon``
            degrees, in [-90, 90] and [-180, 180].
        ``population``
            finite, > 0.
        ``languages``
            optional: a dict ``{"en": 0.8, "fr": 0.2}``, a string
            ``"en:0.8;fr:0.2"`` or a list of (code, share) pairs; shares in
            [0, 1] summing to at most 1. Missing/NaN means no data.
        ``interests``
            optional: a list of names (weight 1), a ``;``-separated string
            (``"heritage;tourism:0.5"``, an optional ``:weight`` per name),
            a dict name -> weight or a list of (name, weight) pairs. Names
            come from :data:`INTERESTS`.
    config : ScoringConfig, optional
        How pairs are scored; ``ScoringConfig()`` (the C++ defaults) when
        omitted.

    Raises
    ------
    libmatch.InputError
        With every problem in the table at once; ``.problems`` is a
        DataFrame with columns row (position in ``cities``, from 0),
        column, value, reason (and record).

    Attributes
    ----------
    cities : pandas.DataFrame
        A copy of the table, with ``country`` upper-cased and ``region``
        filled in (derived regions included).
    config : ScoringConfig
        A copy of the configuration.
    """

    def __init__(self, cities: Any, config: Optional[ScoringConfig] = None) -> None:
        pd = _pandas()
        frame = _to_frame(cities, "cities")
        if config is None:
            config = ScoringConfig()
        elif not isinstance(config, ScoringConfig):
            raise TypeError(f"config must be a libmatch.ScoringConfig; got {type(config).__name__}")
        # A copy (weights included): changing the caller's object later
        # must not change a pool built with it.
        config = copy.copy(config)
        config.validate()
        self.config: ScoringConfig = config

        columns = {str(c): c for c in frame.columns}
        names = {}  # canonical name -> the DataFrame's column
        for name in CITY_COLUMNS:
            if name in columns:
                names[name] = columns[name]
            elif name in _CITY_ALIASES and _CITY_ALIASES[name] in columns:
                names[name] = columns[_CITY_ALIASES[name]]
        renames = {"latitude": str(names.get("lat", "lat")), "longitude": str(names.get("lon", "lon"))}

        problems: List[Problem] = []
        for name in _REQUIRED_CITY_COLUMNS:
            if name not in names:
                problems.append({"record": "cities", "field": name, "value": "", "reason": "missing column", "row": None})
        if problems:
            _raise(problems, None, renames)

        n = len(frame)

        def cells(name: str) -> List[Any]:
            return frame[names[name]].tolist() if name in names else [None] * n

        def problem(row: int, name: str, value: Any, reason: str) -> None:
            column = str(names.get(name, name))
            problems.append({"record": f"row {row}", "field": column, "value": _text(value), "reason": reason, "row": row})

        # ids: integers, exactly (an int64 column needs no look at each cell).
        id_column = frame[names["id"]]
        ids = np.zeros(n, dtype=np.int64)
        bad_ids = []
        if pd.api.types.is_integer_dtype(id_column.dtype) and not id_column.isna().any():
            ids[:] = id_column.to_numpy(dtype=np.int64)
        else:
            for row, value in enumerate(id_column.tolist()):
                try:
                    if _missing(value):
                        raise _ParseError("missing id", value)
                    ids[row] = _integer(value)
                except _ParseError as error:
                    problem(row, "id", error.value, error.reason)
                    bad_ids.append(row)
        if bad_ids:
            # Stand-ins no real id can collide with: the core then reports
            # nothing about them (and _raise drops it anyway).
            good = np.delete(ids, bad_ids)
            low = int(good.min()) if len(good) else 0
            for i, row in enumerate(bad_ids):
                ids[row] = low - 1 - i

        def floats(name: str) -> np.ndarray:
            column = frame[names[name]]
            if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
                return column.to_numpy(dtype=np.float64, na_value=np.nan)
            out = np.empty(n, dtype=np.float64)
            for row, value in enumerate(column.tolist()):
                if _missing(value):
                    out[row] = math.nan  # the core says "not a finite number"
                    continue
                try:
                    out[row] = _number(value)
                except _ParseError as error:
                    problem(row, name, error.value, error.reason)
                    out[row] = 0.0 if name != "population" else 1.0
            return out

        latitude, longitude, population = floats("lat"), floats("lon"), floats("population")

        def strings(name: str, *, required: bool) -> List[str]:
            out = []
            for row, value in enumerate(cells(name)):
                if _missing(value):
                    if required:
                        problem(row, name, "", f"missing {name}")
                    out.append("")
                elif isinstance(value, str):
                    out.append(value.strip())
                else:
                    problem(row, name, value, "not a string")
                    out.append("")
            return out

        city_names = [_text(v) if not _missing(v) else "" for v in cells("name")]
        countries = strings("country", required=True)
        regions = strings("region", required=False)

        def pairs(name: str, default_weight: Optional[float]) -> List[List[Tuple[str, float]]]:
            out = []
            for row, value in enumerate(cells(name)):
                try:
                    out.append(_pairs(value, kind=name[:-1], default_weight=default_weight))
                except _ParseError as error:
                    problem(row, name, error.value, error.reason)
                    out.append([])
            return out

        languages = pairs("languages", None)
        interests = pairs("interests", 1.0)

        for p in problems:  # name the city as the core does, when its id is known
            if p["row"] is not None and p["row"] not in bad_ids:
                p["record"] = f"city {ids[p['row']]} (row {p['row']})"

        core_error: Optional[InputError] = None
        table = None
        try:
            table = _core.CityTable.from_columns(
                ids, city_names, countries, regions, latitude, longitude, population, languages, interests
            )
        except InputError as error:
            core_error = error
        if problems or core_error is not None:
            _raise(problems, core_error, renames)

        self._table = table
        self._renames = renames
        self._explainer: Any = None
        kept = frame.copy()
        kept[names["country"]] = table.countries
        kept[names["region"] if "region" in names else "region"] = table.regions
        self.cities = kept.reset_index(drop=True)

    # ------------------------------------------------------------------ basics

    def __len__(self) -> int:
        """The number of cities."""
        return len(self._table)

    @property
    def ids(self) -> np.ndarray:
        """The city ids, in row order (int64)."""
        return self._table.ids

    def __contains__(self, city_id: Any) -> bool:
        """Whether a city id is in the pool."""
        try:
            return self._table.row_of(int(city_id)) is not None
        except (TypeError, ValueError, OverflowError):
            return False

    def __repr__(self) -> str:
        return f"<libmatch.Pool of {len(self)} cities, {self.config!r}>"

    # ------------------------------------------------------------------ seekers

    def _seekers(self, seekers: Any) -> Any:
        """Seekers parsed and validated against the pool (the core's Seekers)."""
        pd = _pandas()
        if (
            isinstance(seekers, pd.DataFrame)
            and "id" in seekers.columns
            and set(seekers.columns) <= {"id", *_IGNORED_SEEKER_COLUMNS}
            and pd.api.types.is_integer_dtype(seekers["id"].dtype)
        ):
            # Bare ids (the common batch): no profile to parse row by row. The
            # core still checks every id against the pool.
            try:
                return _core.Seekers.from_ids(self._table, seekers["id"].to_numpy(dtype=np.int64))
            except InputError as error:
                _raise([], error, {"city_id": "id"})
        records, columns = _seeker_records(seekers)
        ids = self._table.ids
        stand_in = int(ids.min()) - 1 if len(ids) else -1
        profiles, problems = _seeker_profiles(records, columns, stand_in)
        core_error: Optional[InputError] = None
        handle = None
        if not any(p["row"] is None for p in problems):
            try:
                handle = _core.Seekers(self._table, profiles)
            except InputError as error:
                core_error = error
        if problems or core_error is not None:
            _raise(problems, core_error, {"city_id": "id"})
        return handle

    def _scorer(self, seekers: Any) -> Any:
        return _core.Scorer(self._seekers(seekers), self.config)

    def validate_seekers(self, seekers: Any) -> None:
        """Check seekers against the pool without scoring them.

        Parameters
        ----------
        seekers : pandas.DataFrame or list of dict
            As for :meth:`candidates`.

        Raises
        ------
        InputError
            With every problem found (``.problems``: row, column, value, reason).
        """
        self._seekers(seekers)

    def _lists(self, scorer: Any, k: int, threads: Optional[int], progress: Progress) -> Any:
        callback, done = _progress_callback(progress)
        try:
            return scorer.candidates(k=k, threads=_threads(threads), progress=callback)
        finally:
            done()

    # ------------------------------------------------------------------ API

    def candidates(
        self,
        seekers: Any,
        k: int = 10,
        *,
        threads: Optional[int] = None,
        progress: Progress = None,
    ) -> Any:
        """The ``k`` best candidates of every seeker, best first.

        Parameters
        ----------
        seekers : pandas.DataFrame, list of dicts or list of ids
            One seeker per row: ``id`` (a pool city) and optionally
            ``partners`` (>= 1, default 1), ``regions`` and ``countries``
            (lists or ``;``-separated strings of wanted areas and alpha-2
            codes), ``population_min``, ``population_max``, ``languages``
            (wanted codes), ``interests`` (as for cities; replaces the
            city's own), ``exclude`` (ids never to propose) and
            ``same_country`` (bool). Missing/NaN cells take the defaults.
        k : int
            Candidates per seeker (>= 1).
        threads : int, optional
            Worker threads; None (default) uses every core.
        progress : None, True or callable
            True shows a tqdm bar on stderr; a callable ``progress(done,
            total)`` is called about every 50 ms on the calling thread and
            cancels the call by returning False.

        Returns
        -------
        pandas.DataFrame
            Columns ``seeker_id``, ``candidate_id``, ``rank`` (1 = best),
            ``score``, one column per component (``population``, ``region``,
            ``language``, ``interests``, ``distance``; NaN where the
            component had no data) and ``reciprocal`` (the candidate seeks
            too, so its view is part of the score). Seekers in input order.

        Raises
        ------
        libmatch.InputError
            Bad seekers (every problem, by row) or ``k`` < 1.
        libmatch.Cancelled
            The progress callable returned False.
        KeyboardInterrupt
            Ctrl-C during the call (the workers stop promptly).

        Notes
        -----
        The GIL is released while the C++ workers score, so calls from
        several Python threads run in parallel.
        """
        scorer = self._scorer(seekers)
        lists = self._lists(scorer, k, threads, progress)
        return _pandas().DataFrame(lists.columns())

    def match(
        self,
        seekers: Any,
        method: str = "optimal",
        k: int = 20,
        *,
        mutual: bool = False,
        pool_capacity: int = 1,
        threads: Optional[int] = None,
        progress: Progress = None,
    ) -> MatchResult:
        """Pair the seekers: candidates, the candidate graph, then a pairing.

        Parameters
        ----------
        seekers
            As for :meth:`candidates`; ``partners`` is each seeker's
            capacity.
        method : {"optimal", "stable", "greedy"}
            ``optimal``: the largest total weight within capacities (exact).
            ``stable``: no blocking pair (deferred acceptance when no two
            seekers are candidates of each other, else stable roommates,
            which raises :class:`libmatch.NoStableMatchingError` when no
            stable pairing exists). ``greedy``: highest score first.
        k : int
            Candidates per seeker that become edges of the graph.
        mutual : bool
            Keep only pairs that list each other.
        pool_capacity : int
            Partners a city that does not seek accepts (>= 1).
        threads, progress
            As for :meth:`candidates` (for the scoring step).

        Returns
        -------
        MatchResult
        """
        if method not in ("optimal", "stable", "greedy"):
            raise ValueError(f"method must be 'optimal', 'stable' or 'greedy'; got {method!r}")
        scorer = self._scorer(seekers)
        lists = self._lists(scorer, k, threads, progress)
        graph = _core.CandidateGraph(lists, mutual=bool(mutual), pool_capacity=int(pool_capacity))
        result = graph.match(method, blocking_pairs_shown=max(graph.edge_count, 1))
        return MatchResult(self, graph, result)

    def explain(self, a_id: int, b_id: int, seekers: Any = None) -> Dict[str, Any]:
        """The numbers the engine used to score ``a_id``'s view of ``b_id``.

        Parameters
        ----------
        a_id, b_id : int
            Two cities of the pool.
        seekers : optional
            The seekers (as for :meth:`candidates`) whose wants apply; with
            None, no city seeks and ``a_id`` is taken to want any partner.
            Pass the same seekers as to :meth:`candidates` to get the same
            numbers, bit for bit.

        Returns
        -------
        dict
            ``a``, ``b``, ``score`` (final, even when a filter fails),
            ``passes``, ``distance_km``, ``reciprocal``, ``forward`` and
            ``backward`` (each ``{"score", "components": {name: {"value",
            "present", "weight"}}}``; ``backward`` is None unless ``b_id``
            seeks), ``filters`` (list of ``{"name", "side", "passed",
            "detail"}``), ``notes`` and ``text`` (a readable report).

        Raises
        ------
        libmatch.InputError
            An id that is not in the pool.
        """
        if seekers is None:
            if self._explainer is None:
                self._explainer = _core.Scorer(_core.Seekers(self._table, []), self.config)
            scorer = self._explainer
        else:
            scorer = self._scorer(seekers)
        return scorer.explain(int(a_id), int(b_id))
