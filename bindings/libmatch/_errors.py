"""libmatch's exception classes.

Design: the classes live here, in Python, and the C++ translator in
``bindings/src/register_errors.cpp`` imports this module and raises them.
One class then serves both the C++ core and the pure-Python layer (which can
raise ``InputError`` itself), it pickles, and ``InputError.problems`` can be
a pandas DataFrame without the extension module knowing about pandas. This
module imports nothing from ``libmatch`` so that ``_core`` can import it
while the package is still initialising.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping

__all__ = ["Cancelled", "InputError", "InputWarning", "NoStableMatchingError"]


# Problems (of an InputError) and warnings (of an InputWarning) are one
# shape: record, field, value, row and a text, under `text` ("reason" or
# "message").


def _entry(entry: Mapping[str, Any], text: str) -> Dict[str, Any]:
    row = entry.get("row")
    return {
        "record": str(entry.get("record", "")),
        "field": str(entry.get("field", entry.get("column", ""))),
        "value": str(entry.get("value", "")),
        text: str(entry.get(text, "")),
        "row": None if row is None else int(row),
    }


def _problem(entry: Mapping[str, Any]) -> Dict[str, Any]:
    return _entry(entry, "reason")


def _warning(entry: Mapping[str, Any]) -> Dict[str, Any]:
    return _entry(entry, "message")


def _listing(heading: str, listed: List[Dict[str, Any]], text: str) -> str:
    """The message: a heading line, then one line per entry, as the C++ core writes them."""
    lines = [heading]
    for e in listed:
        value = f" = '{e['value']}'" if e["value"] else ""
        lines.append(f"  {e['record']}: {e['field']}{value}: {e[text]}")
    return "\n".join(lines)


def _frame(listed: List[Dict[str, Any]], text: str) -> Any:
    """The entries as a DataFrame (row, column, value, text, record), or a copy of the dicts without pandas."""
    try:
        import pandas
    except ImportError:
        return [dict(e) for e in listed]
    return pandas.DataFrame(
        {
            "row": pandas.array([x["row"] for x in listed], dtype="Int64"),
            "column": pandas.array([x["field"] for x in listed], dtype=object),
            "value": pandas.array([x["value"] for x in listed], dtype=object),
            text: pandas.array([x[text] for x in listed], dtype=object),
            "record": pandas.array([x["record"] for x in listed], dtype=object),
        }
    )


class InputError(ValueError):
    """Invalid input, with every problem found in it.

    Raised instead of stopping at the first problem, so that a whole table
    can be fixed at once. ``str(error)`` lists the problems one per line.

    Parameters
    ----------
    message : str
        The text of the error.
    problems : iterable of mappings
        One mapping per problem with the keys ``record`` (which record, e.g.
        ``"edge 3"``), ``field`` (which field, e.g. ``"weight"``), ``value``
        (the offending value as text), ``reason`` (why it is wrong) and
        ``row`` (the record's position in its input, or None).
    """

    def __init__(self, message: str, problems: Iterable[Mapping[str, Any]] = ()) -> None:
        super().__init__(message)
        self.message = message
        #: The problems as a list of dicts (keys record, field, value, reason, row).
        self.problem_list: List[Dict[str, Any]] = [_problem(p) for p in problems]

    @classmethod
    def from_problems(cls, problems: Iterable[Mapping[str, Any]]) -> "InputError":
        """Build the error with a message listing the problems, as the C++ core does."""
        listed = [_problem(p) for p in problems]
        heading = f"{len(listed)} problem{'' if len(listed) == 1 else 's'} in the input:"
        return cls(_listing(heading, listed, "reason"), listed)

    @property
    def problems(self) -> Any:
        """The problems as a pandas DataFrame, one row per problem.

        Columns: ``row`` (position of the record in its input; <NA> when the
        problem is not tied to one record), ``column`` (the field), ``value``
        (as text), ``reason``, and ``record`` (which record, e.g.
        ``"resident 2"``). Without pandas installed, the list of dicts of
        :attr:`problem_list` (a copy) is returned instead.
        """
        return _frame(self.problem_list, "reason")

    def __reduce__(self) -> Any:
        # Keep the problems across pickling (multiprocessing, joblib).
        return (type(self), (self.message, self.problem_list))


class InputWarning(UserWarning):
    """Input that was accepted but does not do what it asks for.

    Emitted with :func:`warnings.warn` (once per call, listing every case)
    by the calls that take seekers, :meth:`libmatch.Pool.candidates`,
    :meth:`~libmatch.Pool.match`, :meth:`~libmatch.Pool.validate_seekers`
    and :meth:`~libmatch.Pool.explain`; the call goes on. Today there is one
    case: an ``exclude`` id that is no city of the pool (an existing partner
    too small for it, say), which could never be proposed anyway. Silence it
    with ``warnings.simplefilter("ignore", libmatch.InputWarning)``; read it
    with ``warnings.catch_warnings(record=True)``, where
    ``caught[0].message.warnings`` is a DataFrame.

    Parameters
    ----------
    message : str
        The text of the warning.
    entries : iterable of mappings
        One mapping per case with the keys ``record`` (``"seeker 2 (city
        5)"``), ``field`` (``"exclude"``), ``value`` (as text), ``message``
        (what it means) and ``row`` (the seeker's position in its input).
    """

    def __init__(self, message: str, entries: Iterable[Mapping[str, Any]] = ()) -> None:
        super().__init__(message)
        self.message = message
        #: The cases as a list of dicts (keys record, field, value, message, row).
        self.warning_list: List[Dict[str, Any]] = [_warning(e) for e in entries]

    @classmethod
    def from_entries(cls, entries: Iterable[Mapping[str, Any]]) -> "InputWarning":
        """Build the warning with a message listing the cases, as InputError lists problems."""
        listed = [_warning(e) for e in entries]
        heading = f"{len(listed)} warning{'' if len(listed) == 1 else 's'} about the input:"
        return cls(_listing(heading, listed, "message"), listed)

    @property
    def warnings(self) -> Any:
        """The cases as a pandas DataFrame, one row each: ``row`` (the
        seeker's position), ``column`` (the field), ``value``, ``message``
        and ``record``. Without pandas, a copy of :attr:`warning_list`."""
        return _frame(self.warning_list, "message")

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> Any:
        return (type(self), (self.message, self.warning_list))


class NoStableMatchingError(RuntimeError):
    """The stable roommates or stable fixtures instance has no stable matching."""


class Cancelled(RuntimeError):
    """A long call was cancelled (by its progress callback) before it finished."""


# Shown and pickled as libmatch.InputError etc., where users import them from.
for _cls in (InputError, InputWarning, NoStableMatchingError, Cancelled):
    _cls.__module__ = "libmatch"
del _cls
