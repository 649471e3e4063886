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
import os
import sys
import warnings
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple, Union

import numpy as np

from . import _core
from ._core import ScoringConfig, Weights
from ._errors import InputError, InputWarning

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
        try:
            return float(value)
        except OverflowError:  # an int beyond 1.8e308
            raise _ParseError("out of the float64 range", value) from None
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            pass
    raise _ParseError(f"not {what}", value)


# (name, lowest, highest) of the C++ integer types values go into: ids are
# int64, partners and pool_capacity a C int.
_Bounds = Tuple[str, int, int]
_INT64: _Bounds = ("int64", -(2**63), 2**63 - 1)
_INT32: _Bounds = ("int32", -(2**31), 2**31 - 1)


def _integer(value: Any, bounds: _Bounds = _INT64) -> int:
    """A whole number (an int, a whole float or a numeric string) within ``bounds``.

    Out of range is an error here, not in the C++ conversion, which would
    wrap a uint64 silently or fail with a message naming no cell.
    """
    if isinstance(value, (bool, np.bool_)):
        raise _ParseError("not an integer", value)
    if isinstance(value, (int, np.integer, numbers.Integral)):
        number = int(value)
    elif isinstance(value, numbers.Real) and math.isfinite(float(value)) and float(value).is_integer():
        number = int(value)
    elif isinstance(value, str):
        try:
            number = int(value.strip())
        except ValueError:
            raise _ParseError("not an integer", value) from None
    else:
        raise _ParseError("not an integer", value)
    name, low, high = bounds
    if not low <= number <= high:
        raise _ParseError(f"out of the {name} range", value)
    return number


def _argument(value: Any, bounds: _Bounds = _INT64) -> int:
    """An integer argument of a call: as :func:`_integer`, but not from a string."""
    if isinstance(value, (str, bytes)):
        raise _ParseError("not an integer", value)
    return _integer(value, bounds)


def _scalar(value: Any) -> Any:
    """The value of a 0-d array (pandas can leave one in an object cell), else ``value``."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    return value


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
    value = _scalar(value)
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
    value = _scalar(value)
    if _missing(value):
        return []
    out = []
    for item in _entries(value):
        if not isinstance(item, str):
            raise _ParseError(f"{kind} must be strings; got {item!r}", value)
        out.append(item)
    return out


def _integers(value: Any) -> List[int]:
    """Ids from a list, a ';'-separated string or one number (a CSV column
    with one id per row reads as int64, or float64 with empty rows)."""
    value = _scalar(value)
    if _missing(value):
        return []
    items = [value] if isinstance(value, (numbers.Number, np.bool_)) else _entries(value)
    out = []
    for item in items:
        try:
            out.append(_integer(item))
        except _ParseError as error:
            raise _ParseError(f"id {item!r}: {error.reason}", value) from None
    return out


def _int64_column(column: Any) -> Optional[np.ndarray]:
    """An integer column as int64, or None when a cell is missing or out of range.

    The fast path for id columns; None sends the caller to reading cell by
    cell, which reports each bad cell. A uint64 beyond the int64 range would
    otherwise wrap to a negative id.
    """
    pd = _pandas()
    if not pd.api.types.is_integer_dtype(column.dtype) or column.isna().any():
        return None
    if column.dtype.kind == "u" and len(column) and int(column.max()) > _INT64[2]:
        return None
    return column.to_numpy(dtype=np.int64)


def _stand_in_ids(used: np.ndarray, count: int) -> np.ndarray:
    """``count`` ids none of ``used`` is: stand-ins for ids that could not be read.

    The core then reports nothing about them (and _raise drops what it does).
    Among ``len(used) + count`` ids at least ``count`` are free.
    """
    return np.setdiff1d(np.arange(len(used) + count, dtype=np.int64), used)[:count]


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


def _raise(
    python_problems: List[Problem],
    core_error: Optional[InputError],
    renames: Mapping[str, str],
    *,
    ignored: Iterable[str] = (),
    record_of: Optional[Callable[[int], str]] = None,
    columns: Tuple[str, ...] = CITY_COLUMNS,
) -> None:
    """Raise one InputError with the parse problems and the core's, by row.

    ``ignored`` names columns that are missing: the core saw stand-ins for
    them, so what it says about those fields is noise. ``record_of`` names
    the record of a row (the core names it by an id that may be a stand-in).
    A row's problems come in the order of ``columns``.
    """
    problems = list(python_problems)
    seen = {(p["row"], p["field"]) for p in python_problems}
    ignored = set(ignored)
    if core_error is not None:
        for entry in core_error.problem_list:
            p = _core_problem(entry, renames)
            # A cell that could not be parsed was replaced by a stand-in;
            # what the core says about the stand-in is noise.
            if (p["row"], p["field"]) not in seen and p["field"] not in ignored:
                problems.append(p)
    if record_of is not None:
        for p in problems:
            if p["row"] is not None:
                p["record"] = record_of(p["row"])
    order: Dict[str, int] = {}
    for i, name in enumerate(columns):
        order.setdefault(name, i)
    problems.sort(key=lambda p: (-1 if p["row"] is None else p["row"], order.get(p["field"], len(order))))
    raise InputError.from_problems(problems) from None


def _missing_column(frame: Any, record: str, column: str) -> Problem:
    """A missing column; when the frame's index is named so, say how to get it back."""
    reason = "missing column"
    if column in [str(name) for name in frame.index.names]:
        reason += " (it is the frame's index: pass frame.reset_index())"
    return _column_problem(record, column, reason)


def _column_problem(record: str, column: str, reason: str) -> Problem:
    return {"record": record, "field": column, "value": "", "reason": reason, "row": None}


def _duplicated_columns(frame: Any) -> List[str]:
    """The column names a DataFrame has more than once (pandas allows it)."""
    return list(dict.fromkeys(str(c) for c in frame.columns[frame.columns.duplicated()]))


# --------------------------------------------------------------------------- seekers


def _seeker_records(seekers: Any) -> Tuple[List[Mapping[str, Any]], List[str], List[Problem]]:
    """Seekers as a list of mappings, the column names seen, and column problems."""
    pd = _pandas()
    if isinstance(seekers, pd.DataFrame):
        # A repeated column is reported, and none of its copies is read.
        duplicated = _duplicated_columns(seekers)
        problems = [_column_problem("seekers", c, "duplicate column") for c in duplicated]
        if duplicated:
            seekers = seekers.loc[:, ~seekers.columns.map(str).isin(duplicated)]
        columns = [str(c) for c in seekers.columns]
        if "id" not in columns and "id" not in duplicated and len(seekers):
            problems.append(_missing_column(seekers, "seekers", "id"))
        return seekers.to_dict("records"), columns, problems
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
    missing = [] if "id" in columns or not records else [_column_problem("seekers", "id", "missing column")]
    return records, list(columns), missing


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


def _seeker_profiles(
    records: List[Mapping[str, Any]], columns: List[str], stand_in_id: int, problems: List[Problem]
) -> List[Dict[str, Any]]:
    """The core's profile dicts; what cannot be read is added to ``problems``."""
    unknown = [c for c in columns if c not in SEEKER_COLUMNS and c not in _IGNORED_SEEKER_COLUMNS]
    for c in unknown:
        problems.append(_column_problem("seekers", c, "unknown column; expected some of " + ", ".join(SEEKER_COLUMNS)))

    def flag(value: Any) -> bool:
        if isinstance(value, (bool, np.bool_)) or (isinstance(value, numbers.Integral) and value in (0, 1)):
            return bool(value)
        raise _ParseError("not a boolean", value)

    parsers: Dict[str, Callable[[Any], Any]] = {
        "partners": lambda v: _integer(v, _INT32),
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
    return profiles


def _user_stack_level() -> int:
    """The ``stacklevel`` that makes a warning point at the caller's line:
    the first frame outside this package (as pandas' find_stack_level)."""
    package = os.path.dirname(os.path.abspath(__file__)) + os.sep
    frame = sys._getframe()
    level = 0
    while frame is not None and frame.f_code.co_filename.startswith(package):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


# --------------------------------------------------------------------------- progress


_WORLD_MARK = "libmatch.dataset"  # set in DataFrame.attrs by datasets.world_cities()


def _partnerships(partnerships: Any, frame: Any, ids: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Known partnerships as two int64 id arrays, from what Pool() was given."""
    pd = _pandas()
    if isinstance(partnerships, str):
        if partnerships not in ("auto", "bundled"):
            raise ValueError(f"partnerships must be 'auto', 'bundled', None, a DataFrame or pairs; got {partnerships!r}")
        if partnerships == "auto" and frame.attrs.get(_WORLD_MARK) != "world_cities":
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        from .datasets import known_partnerships

        known = known_partnerships()
        inside = np.isin(known["a"].to_numpy(), ids) & np.isin(known["b"].to_numpy(), ids)
        return known["a"].to_numpy()[inside].copy(), known["b"].to_numpy()[inside].copy()
    if partnerships is None:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    if isinstance(partnerships, pd.DataFrame):
        if not {"a", "b"} <= set(partnerships.columns):
            raise ValueError("a partnerships DataFrame needs the columns 'a' and 'b' (city ids)")
        pairs = partnerships[["a", "b"]].to_numpy()
    else:
        pairs = np.asarray(partnerships)
        if pairs.size == 0:
            pairs = pairs.reshape(0, 2)
    if pairs.ndim != 2 or pairs.shape[1] != 2:
        raise ValueError("partnerships must be (id, id) pairs")
    try:
        whole = pairs.astype(np.int64)
    except (TypeError, ValueError):
        raise ValueError("partnerships must hold whole-number city ids") from None
    if not np.array_equal(whole, pairs):
        raise ValueError("partnerships must hold whole-number city ids")
    return whole[:, 0].copy(), whole[:, 1].copy()


def _rebuild_pool(cities: Any, config: ScoringConfig, partnerships: Any) -> "Pool":
    return Pool(cities, config, partnerships=partnerships)


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

        def ask(done: int, total: int) -> bool:
            # None (a callable without a return) goes on; any other value
            # counts by its truth, so 0 or "" cancels like False. The core
            # itself would take only a bool.
            go_on = progress(done, total)
            return True if go_on is None else bool(go_on)

        return ask, lambda: None
    raise TypeError("progress must be None, True/False or a callable(done, total)")


def _option(problems: List[Problem], name: str, value: Any, minimum: int, bounds: _Bounds = _INT64) -> int:
    """An integer argument of a call; a problem (and ``minimum`` in its place) when it is not one.

    Problems are named as the core names its own (record "options"), so
    that they can be reported with the seekers'.
    """
    try:
        number = _argument(value, bounds)
        if number < minimum:
            raise _ParseError(f"must be at least {minimum}", value)
        return number
    except _ParseError as error:
        problems.append({"record": "options", "field": name, "value": _text(error.value), "reason": error.reason, "row": None})
        return minimum


def _threads(problems: List[Problem], threads: Optional[int]) -> int:
    if threads is None:
        return 0
    # The core runs at most one thread per block of work, so any count above
    # that (and above a C unsigned) means the same.
    return min(_option(problems, "threads", threads, 0), 2**32 - 1)


# --------------------------------------------------------------------------- results


class MatchResult:
    """The pairing computed by :meth:`Pool.match`.

    A MatchResult pickles (so a worker process can return it); the copy
    keeps its frames, the candidate graph's GraphML text and, of the pool,
    the id, name and country of the graph's cities.

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
        ``reason`` (pandas' default string dtype, empty or not), one of:

        - "no candidate passed the filters";
        - "it has candidates, but none of them lists it back" (with
          ``mutual=True``);
        - "every candidate was taken" (its other candidates went to
          others);
        - "it has fewer candidates than partners wanted (raise k)" (it is
          paired with all of them);
        - "its free candidates score 0, so pairing them adds nothing".
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
        self._pool: Optional[Pool] = pool
        self._cities: Any = None  # instead of the pool, once unpickled
        self._graph: Any = graph
        self._graphml: Optional[str] = None
        self.method: str = result["method"]
        self.pairs = pd.DataFrame(result["pairs"])
        self.unmatched = pd.DataFrame(
            {
                "id": result["unmatched"]["id"],
                "open": result["unmatched"]["open"],
                # dtype=str: pandas' string dtype (object before pandas 3)
                # whether or not there is a row to infer it from.
                "reason": pd.Series(result["unmatched"]["reason"], dtype=str),
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
        cities = (self._pool.cities if self._pool is not None else self._cities).set_index("id")
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
        if self._graph is None:  # unpickled: the text was kept instead
            return self._graphml
        return self._graph.graphml()

    def __getstate__(self) -> Dict[str, Any]:
        # The C++ graph does not pickle; its GraphML text stands in for it,
        # so a result can come back from a multiprocessing or joblib worker.
        # Of the pool only what to_networkx() reads is kept, for the cities
        # of the graph: a whole pool would be rebuilt (and checked) on the
        # way back, about a second for the bundled world cities.
        state = dict(self.__dict__)
        state["_graphml"] = self.to_graphml()
        state["_graph"] = None
        if self._pool is not None:
            cities = self._pool.cities
            columns = [c for c in ("id", "name", "country") if c in cities.columns]
            state["_cities"] = cities.loc[cities["id"].isin(self.vertices["id"]), columns].reset_index(drop=True)
            state["_pool"] = None
        return state

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
            [0, 1], each the share of people who speak the language (any
            sum: bilingual people count in each). Missing/NaN means no data. A code
            counts as its language: ``"pt-BR"``, ``"PT"`` and the ISO 639-2/3
            codes ``"por"`` and ``"por-BR"`` are all ``pt`` (``"ger"`` and
            ``"deu"`` are ``de``); ``"yue"``, with no two-letter code, stays.
        ``interests``
            optional: a list of names (weight 1), a ``;``-separated string
            (``"heritage;tourism:0.5"``, an optional ``:weight`` per name),
            a dict name -> weight or a list of (name, weight) pairs. Names
            come from :data:`INTERESTS`, in any case and with spaces around
            them or not (``" Education "``, ``"Arts_Culture"``); a near miss
            is a problem that names the nearest (``"did you mean
            'education'?"``), as an unknown region is.
    config : ScoringConfig, optional
        How pairs are scored; when omitted, :func:`libmatch.learned_config`,
        learned from the bundled partnerships (country affinity, distance,
        size and activity apply to any pool). ``ScoringConfig()`` is the
        hand-made C++ default.
    partnerships : "auto", "bundled", None, DataFrame or pairs
        Partnerships the cities have already signed: never proposed again
        (unless ``config.exclude_known_partners`` is False) and counted for
        each city's activity. ``"auto"`` (the default) takes the bundled
        ones (:func:`libmatch.datasets.known_partnerships`) when ``cities``
        is the bundled world pool (or a part of it), and none otherwise;
        ``"bundled"`` takes those whose two cities are in ``cities`` (for a
        table keyed by GeoNames ids); a DataFrame with columns ``a`` and
        ``b`` or a sequence of (id, id) pairs gives your own.

    Raises
    ------
    libmatch.InputError
        With every problem in the table at once; ``.problems`` is a
        DataFrame with columns row (position in ``cities``, from 0),
        column, value, reason (and record).

    Attributes
    ----------
    cities : pandas.DataFrame
        A copy of the table, with ``id`` as int64 (as the results give it,
        whatever its dtype in ``cities``), ``country`` upper-cased and
        ``region`` filled in (derived regions included).
    config : ScoringConfig
        A copy of the configuration. Changing it (or assigning another)
        changes how later calls score, explain() included.
    """

    def __init__(self, cities: Any, config: Optional[ScoringConfig] = None, *, partnerships: Any = "auto") -> None:
        pd = _pandas()
        frame = _to_frame(cities, "cities")
        if config is None:
            from .datasets import learned_config

            config = learned_config()
        elif not isinstance(config, ScoringConfig):
            raise TypeError(f"config must be a libmatch.ScoringConfig; got {type(config).__name__}")
        # A copy (weights included): changing the caller's object later
        # must not change a pool built with it.
        config = copy.copy(config)
        config.validate()
        self.config: ScoringConfig = config
        self._stand_in: Optional[int] = None  # an id no city has, for unreadable seeker ids

        problems: List[Problem] = []
        # A repeated column is reported and none of its copies read, as if
        # missing (but not reported missing too).
        duplicated = set(_duplicated_columns(frame))
        columns = {str(c): c for c in frame.columns if str(c) not in duplicated}
        names = {}  # canonical name -> the DataFrame's column
        for name in CITY_COLUMNS:
            if name in columns:
                names[name] = columns[name]
            elif name in _CITY_ALIASES and _CITY_ALIASES[name] in columns:
                names[name] = columns[_CITY_ALIASES[name]]
        renames = {"latitude": str(names.get("lat", "lat")), "longitude": str(names.get("lon", "lon"))}
        for name in CITY_COLUMNS:
            for spelling in (name, _CITY_ALIASES.get(name)):
                if spelling in duplicated:
                    problems.append(_column_problem("cities", spelling, "duplicate column"))
        reported = {p["field"] for p in problems}
        # A missing column is reported once; the other columns are still
        # checked, with stand-ins (NaN, "", unique ids) for it whose problems
        # are ignored.
        missing = [name for name in _REQUIRED_CITY_COLUMNS if name not in names]
        for name in missing:
            if name not in reported and _CITY_ALIASES.get(name) not in reported:
                problems.append(_missing_column(frame, "cities", name))

        n = len(frame)

        def cells(name: str) -> List[Any]:
            return frame[names[name]].tolist() if name in names else [None] * n

        def problem(row: int, name: str, value: Any, reason: str) -> None:
            column = str(names.get(name, name))
            problems.append({"record": f"row {row}", "field": column, "value": _text(value), "reason": reason, "row": row})

        # ids: integers in the int64 range, exactly (an int64 column needs no
        # look at each cell).
        ids = _int64_column(frame[names["id"]]) if "id" in names else None
        bad_ids: List[int] = []
        if ids is None and "id" not in names:
            ids = np.zeros(n, dtype=np.int64)
            bad_ids = list(range(n))
        elif ids is None:
            ids = np.zeros(n, dtype=np.int64)
            for row, value in enumerate(cells("id")):
                try:
                    if _missing(value):
                        raise _ParseError("missing id", value)
                    ids[row] = _integer(value)
                except _ParseError as error:
                    problem(row, "id", error.value, error.reason)
                    bad_ids.append(row)
        if bad_ids:
            ids[bad_ids] = _stand_in_ids(np.delete(ids, bad_ids), len(bad_ids))

        def floats(name: str) -> np.ndarray:
            if name not in names:
                return np.full(n, np.nan)
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
                    if required and name in names:
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

        partner_a, partner_b = _partnerships(partnerships, frame, ids)
        core_error: Optional[InputError] = None
        table = None
        try:
            table = _core.CityTable.from_columns(
                ids, city_names, countries, regions, latitude, longitude, population, languages, interests,
                partner_a, partner_b,
            )
        except InputError as error:
            core_error = error
        if problems or core_error is not None:
            unread = set(bad_ids)

            def record_of(row: int) -> str:
                # Named as the core names a city, when its id is known.
                return f"row {row}" if row in unread else f"city {ids[row]} (row {row})"

            _raise(problems, core_error, renames, ignored=missing, record_of=record_of)

        self._table = table
        self._partnerships = (partner_a, partner_b)
        self._renames = renames
        self._explainer: Any = None
        kept = frame.copy()
        # The ids as the engine reads them (int64), whatever their dtype in
        # the input ("12" read from a CSV, 12.0, Int64, categorical): the
        # results' ids then join back to this table, and to_networkx() finds
        # each city.
        kept[names["id"]] = ids.copy()
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
        """Whether a city id is in the pool; as in a set, 1.0 counts as 1 and 1.5 is never in it."""
        try:
            return self._table.row_of(_argument(city_id)) is not None
        except _ParseError:
            return False

    def __repr__(self) -> str:
        return f"<libmatch.Pool of {len(self)} cities, {self.config!r}>"

    @property
    def partnerships(self) -> Any:
        """The known partnerships the pool holds, as a DataFrame of ids ``a``, ``b``."""
        return _pandas().DataFrame({"a": self._partnerships[0], "b": self._partnerships[1]})

    def __reduce__(self) -> Any:
        # The C++ table does not pickle; the checked cities, the config and
        # the partnerships rebuild it exactly (for multiprocessing, joblib).
        return _rebuild_pool, (self.cities, self.config, self.partnerships)

    # ------------------------------------------------------------------ seekers

    def _seekers(self, seekers: Any, problems: Iterable[Problem] = ()) -> Any:
        """Seekers parsed and validated against the pool (the core's Seekers).

        ``problems`` are those already found in the call's other arguments:
        they are raised with the seekers' own, in one InputError.
        """
        pd = _pandas()
        problems = list(problems)
        ignored: List[str] = []
        core_error: Optional[InputError] = None
        handle = None
        ids = None
        if (
            isinstance(seekers, pd.DataFrame)
            and seekers.columns.is_unique
            and "id" in seekers.columns
            and set(seekers.columns) <= {"id", *_IGNORED_SEEKER_COLUMNS}
        ):
            ids = _int64_column(seekers["id"])
        if ids is not None:
            # Bare ids (the common batch): no profile to parse row by row. The
            # core still checks every id against the pool.
            try:
                handle = _core.Seekers.from_ids(self._table, ids)
            except InputError as error:
                core_error = error
        else:
            records, columns, found = _seeker_records(seekers)
            problems += found
            if self._stand_in is None:  # a set difference over every id: once per pool
                self._stand_in = int(_stand_in_ids(self._table.ids, 1)[0])
            stand_in = self._stand_in
            profiles = _seeker_profiles(records, columns, stand_in, problems)
            if "id" not in columns:
                ignored.append("id")  # every id is the stand-in
            try:
                handle = _core.Seekers(self._table, profiles)
            except InputError as error:
                core_error = error
        if problems or core_error is not None:
            # Rows named as the core names a seeker, "seeker 2 (city 5)",
            # whichever check found the problem; by position only when the
            # id could not be read.
            unread = {p["row"] for p in problems if p["field"] == "id" and p["row"] is not None}
            if ignored:  # no id column: the core saw stand-ins
                record_of = lambda row: f"seeker {row}"  # noqa: E731
            elif ids is not None:
                record_of = lambda row: f"seeker {row} (city {ids[row]})"  # noqa: E731
            else:
                record_of = lambda row: (  # noqa: E731
                    f"seeker {row}" if row in unread else f"seeker {row} (city {profiles[row]['id']})"
                )
            _raise(problems, core_error, {"city_id": "id"}, ignored=ignored, record_of=record_of, columns=SEEKER_COLUMNS)
        found = handle.warnings
        if found:
            # The core's words, as for problems: the batch command passes on the same.
            warnings.warn(InputWarning.from_entries(found), stacklevel=_user_stack_level())
        return handle

    def _scorer(self, seekers: Any, problems: Iterable[Problem] = ()) -> Any:
        return _core.Scorer(self._seekers(seekers, problems), self.config)

    def _k(self, problems: List[Problem], k: Any) -> int:
        # The core never lists more candidates than the pool has cities, so
        # a larger k means the same (and need not fit a C size_t).
        return min(_option(problems, "k", k, 1), max(len(self), 1))

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

        Warns
        -----
        libmatch.InputWarning
            As for :meth:`candidates`: what is accepted but has no effect.
        """
        self._seekers(seekers)

    def _lists(self, scorer: Any, k: int, threads: int, progress: Progress) -> Any:
        callback, done = _progress_callback(progress)
        try:
            return scorer.candidates(k=k, threads=threads, progress=callback)
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
            (wanted codes, read as the cities' are: ``"por"`` wants ``pt``),
            ``interests`` (as for cities; replaces the city's own),
            ``exclude`` (ids never to propose: a list, a ``;``-separated
            string or one id; an id that is no city of the pool, such as a
            partner too small for it, could never be proposed: it is dropped
            with an :class:`libmatch.InputWarning`) and
            ``same_country`` (bool). Missing/NaN cells take the defaults.
        k : int
            Candidates per seeker (>= 1; more than the pool has means all).
        threads : int, optional
            Worker threads (>= 1); None (default) or 0 uses every core.
        progress : None, True or callable
            True shows a tqdm bar on stderr; a callable ``progress(done,
            total)`` is called about every 50 ms on the calling thread and
            cancels the call by returning a false value other than None
            (``False``, ``0``, ``""``); returning None (or nothing) goes on.

        Returns
        -------
        pandas.DataFrame
            Columns ``seeker_id``, ``candidate_id``, ``rank`` (1 = best),
            ``score``, one column per component (``population``, ``region``,
            ``language``, ``interests``, ``distance``; NaN where the
            component was left out of the score: no data, or ``distance``
            with weight 0, the default) and ``reciprocal`` (the candidate seeks
            too, so its view is part of the score). Seekers in input order.

        Raises
        ------
        libmatch.InputError
            Bad seekers (every problem, by row) and bad arguments (``k`` or
            ``threads`` not a whole number, ``k`` < 1, ``threads`` < 0; row
            <NA>, record "options"), all in one error.
        TypeError
            ``seekers`` is not a table or list, or ``progress`` is neither
            None, a bool nor a callable.
        libmatch.Cancelled
            The progress callable returned a false value (not None).
        KeyboardInterrupt
            Ctrl-C during the call (the workers stop promptly).

        Warns
        -----
        libmatch.InputWarning
            Once per call, listing every ``exclude`` id that is no city of
            the pool (``caught.message.warnings``: a DataFrame of row,
            column, value, message, record); the call goes on without them.

        Notes
        -----
        The GIL is released while the C++ workers score, so calls from
        several Python threads run in parallel.
        """
        problems: List[Problem] = []
        k = self._k(problems, k)
        threads = _threads(problems, threads)
        scorer = self._scorer(seekers, problems)
        columns = self._lists(scorer, k, threads, progress).columns()  # the C++ lists go here
        # The columns wrap buffers made for them: no copy (pandas would copy
        # a dict's arrays, which doubled the result's memory at its peak).
        return _pandas().DataFrame(columns, copy=False)

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
            seekers are candidates of each other, else stable fixtures,
            stable roommates with capacities, which raises
            :class:`libmatch.NoStableMatchingError` when no stable pairing
            exists). ``greedy``: highest score first.
        k : int
            Candidates per seeker that become edges of the graph.
        mutual : bool
            Keep only pairs that list each other.
        pool_capacity : int
            Partners a city that does not seek accepts (>= 1, at most
            2**31 - 1).
        threads, progress
            As for :meth:`candidates` (for the scoring step).

        Returns
        -------
        MatchResult

        Raises
        ------
        TypeError
            ``mutual`` that is not a bool.
        ValueError
            An unknown ``method``.
        libmatch.InputError
            As for :meth:`candidates`; a bad ``pool_capacity`` is reported
            with the other arguments and the seekers.
        libmatch.NoStableMatchingError
            ``stable`` when no stable pairing exists (a ``RuntimeError``).

        Warns
        -----
        libmatch.InputWarning
            As for :meth:`candidates`.
        """
        if method not in ("optimal", "stable", "greedy"):
            raise ValueError(f"method must be 'optimal', 'stable' or 'greedy'; got {method!r}")
        if not isinstance(mutual, (bool, np.bool_)):  # bool("no") would be True
            raise TypeError(f"mutual must be True or False; got {mutual!r}")
        problems: List[Problem] = []
        k = self._k(problems, k)
        pool_capacity = _option(problems, "pool_capacity", pool_capacity, 1, _INT32)
        threads = _threads(problems, threads)
        scorer = self._scorer(seekers, problems)
        lists = self._lists(scorer, k, threads, progress)
        graph = _core.CandidateGraph(lists, mutual=bool(mutual), pool_capacity=pool_capacity)
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
            An id that is not a whole number in the int64 range or not in
            the pool (record "explain", column "a" or "b"), with the
            seekers' problems when ``seekers`` are given.

        Warns
        -----
        libmatch.InputWarning
            As for :meth:`candidates`, when ``seekers`` are given.
        """
        problems: List[Problem] = []
        ids = []
        for name, value in (("a", a_id), ("b", b_id)):
            try:
                city_id = _argument(value)
                if self._table.row_of(city_id) is None:
                    raise _ParseError("not a city of the pool", value)
            except _ParseError as error:
                problems.append({"record": "explain", "field": name, "value": _text(error.value), "reason": error.reason, "row": None})
                city_id = 0
            ids.append(city_id)
        if seekers is not None:
            scorer = self._scorer(seekers, problems)
        elif problems:
            raise InputError.from_problems(problems)
        else:
            # The scorer without seekers is kept for the next call, but only
            # while the config is the one it was made with: pool.config can
            # be changed (or replaced) between calls.
            cached = self._explainer
            if cached is None or cached.config != self.config:
                cached = self._explainer = _core.Scorer(_core.Seekers(self._table, []), self.config)
            scorer = cached
        return scorer.explain(*ids)
