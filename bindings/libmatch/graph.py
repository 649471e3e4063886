"""Matching algorithms on plain data: vertex indices, edge arrays, preference lists.

These serve any graph, not only libmatch's candidate graphs. Vertices are
numbered ``0 .. n-1``; when the edges use only a few of a large range of
numbers (city ids as vertex numbers, say), :func:`max_weight_matching` and
:func:`b_matching` with one capacity for all renumber them internally, so
memory follows the edges rather than the largest number. Inputs are numpy
arrays (or anything ``numpy.asarray`` accepts) and are used without a copy
when their dtype and layout already fit; matchings come back as ``(p, 2)``
int64 arrays that wrap the C++ result without a copy (renumbered vertices
excepted). The calls release the GIL while they run.

Invalid input raises :class:`libmatch.InputError` (a ``ValueError``) listing
every problem found; an array of the wrong shape or dtype raises a
``ValueError`` that says how to fix the call, and a count that is not an
integer (``num_vertices=5.0``) a ``TypeError``.
"""

from __future__ import annotations

import operator
import re
from typing import Any, Callable, Optional, Sequence, Union

import numpy
import numpy.typing as npt

from . import _core
from ._errors import InputError

__all__ = ["b_matching", "hospitals_residents", "max_weight_matching", "stable_fixtures", "stable_roommates"]

PreferenceLists = Sequence[Sequence[int]]


def _count(value: object, name: str) -> int:
    """A count argument as a Python int, with the error the C++ conversion would not give."""
    if isinstance(value, (bool, numpy.bool_)):
        raise TypeError(f"{name} must be an integer; got {value!r}")
    try:
        number = operator.index(value)  # ints and numpy integers, not 5.0
    except TypeError:
        raise TypeError(f"{name} must be an integer; got {value!r}") from None
    if not 0 <= number < 2**63:
        raise ValueError(f"{name} must be >= 0 and fit in int64; got {number}")
    return number


# Vertex numbers this far beyond the vertices in play are renumbered before
# the core sees them: it allocates per vertex number (about 280 bytes each),
# so city ids used as vertex numbers (1e7 and up) would cost gigabytes.
_SPARSE_SLACK = 1 << 16


def _sparse_edges(edges: Any, num_vertices: Optional[int]) -> Optional[tuple]:
    """(edges renumbered 0..k-1, the k vertex numbers in order) when the numbers are sparse.

    None (use the edges as given) unless ``edges`` is a non-empty (m, 2)
    array of integers, all >= 0 and below ``num_vertices`` when given, with
    far fewer distinct vertices than the vertex count: the core then
    reports any problem with the numbers as given, and allocates little.
    """
    try:
        a = numpy.asarray(edges)
    except Exception:  # let the core say what is wrong with it
        return None
    if a.size == 0:  # no edges: no vertex is in play, whatever num_vertices says
        if num_vertices is None or num_vertices <= _SPARSE_SLACK:
            return None
        return numpy.empty((0, 2), dtype=numpy.int64), numpy.empty(0, dtype=numpy.int64)
    if a.ndim != 2 or a.shape[1] != 2 or a.dtype.kind not in "iu":
        return None
    low, high = int(a.min()), int(a.max())
    if low < 0 or high >= 2**63 or (num_vertices is not None and high >= num_vertices):
        return None
    count = high + 1 if num_vertices is None else num_vertices
    if count <= 4 * len(a) + _SPARSE_SLACK:  # at most 2m vertices in play: not sparse
        return None
    labels, inverse = numpy.unique(a, return_inverse=True)
    if count <= 2 * len(labels) + _SPARSE_SLACK:
        return None
    return inverse.reshape(a.shape).astype(numpy.int64), labels.astype(numpy.int64)


def _relabelled(error: InputError, labels: numpy.ndarray) -> InputError:
    """The core's problems on renumbered edges, with the vertex numbers as given."""

    def label(text: str) -> str:
        return str(labels[int(text)]) if text.isdigit() and int(text) < len(labels) else text

    problems = []
    for p in error.problem_list:
        p = dict(p)
        if p["field"] in ("u", "v"):
            p["value"] = label(p["value"])
        vertex = re.fullmatch(r"vertex (\d+)", p["record"])
        if vertex:  # a capacity problem, by vertex
            p["record"] = f"vertex {label(vertex[1])}"
            p["row"] = int(label(vertex[1]))
        p["reason"] = re.sub(
            r"the pair \((\d+), (\d+)\)", lambda m: f"the pair ({label(m[1])}, {label(m[2])})", p["reason"]
        )
        problems.append(p)
    return InputError.from_problems(problems)


def _on_sparse(run: Callable[[Any], numpy.ndarray], edges: Any, num_vertices: Optional[int]) -> Optional[numpy.ndarray]:
    """``run(edges)`` on renumbered edges when the vertex numbers are sparse; else None."""
    sparse = _sparse_edges(edges, num_vertices)
    if sparse is None:
        return None
    compact, labels = sparse
    try:
        pairs = run(compact)
    except InputError as error:
        raise _relabelled(error, labels) from None
    # Renumbering keeps the order, so pairs stay (u < v) and sorted.
    return labels[pairs].reshape(-1, 2)


def max_weight_matching(
    edges: npt.ArrayLike,
    weights: npt.ArrayLike,
    *,
    num_vertices: Optional[int] = None,
    max_cardinality: bool = False,
) -> numpy.ndarray:
    """Maximum-weight matching on a general undirected graph.

    Parameters
    ----------
    edges : array_like of int, shape (m, 2)
        The edges as vertex pairs; each pair at most once, no self loops.
    weights : array_like, shape (m,)
        One weight per edge. Integer weights are used exactly; real ones
        are scaled to integers (relative resolution about 1.5e-11: the
        largest |weight| becomes 2**36 and the others are rounded, so a
        weight below about 7e-12 of the largest counts as 0, and its edge
        is left out unless `max_cardinality`).
    num_vertices : int, optional
        Number of vertices (an integer >= 0); by default the largest index
        in `edges` plus one (0 without edges).
    max_cardinality : bool, default False
        If true (any true value), return the heaviest among the matchings
        of largest size. Otherwise edges of weight <= 0 are never used.

    Returns
    -------
    numpy.ndarray of int64, shape (p, 2)
        The matched pairs ``(u, v)`` with ``u < v``, sorted.

    Raises
    ------
    libmatch.InputError
        A vertex out of range, a self loop, a repeated pair, a weight count
        that differs from the edge count, or a weight that is not finite.
    TypeError
        `num_vertices` is not an integer (a float such as 5.0 included).
    ValueError
        `num_vertices` is negative or beyond the int64 range.
    OverflowError
        Integer weights too large for the exact algorithm.
    """
    if num_vertices is not None:
        num_vertices = _count(num_vertices, "num_vertices")
    max_cardinality = bool(max_cardinality)
    sparse = _on_sparse(
        lambda compact: _core.max_weight_matching(compact, weights, max_cardinality=max_cardinality),
        edges,
        num_vertices,
    )
    if sparse is not None:
        return sparse
    return _core.max_weight_matching(edges, weights, num_vertices=num_vertices, max_cardinality=max_cardinality)


def b_matching(
    edges: npt.ArrayLike,
    weights: npt.ArrayLike,
    capacity: Union[int, npt.ArrayLike],
) -> numpy.ndarray:
    """Maximum-weight b-matching: each vertex in at most ``capacity`` chosen edges.

    Exact, and each edge is chosen at most once. Edges of weight <= 0 are
    never used.

    Parameters
    ----------
    edges : array_like of int, shape (m, 2)
        The edges as vertex pairs; each pair at most once, no self loops.
    weights : array_like, shape (m,)
        One weight per edge (integers exact, reals scaled as in
        :func:`max_weight_matching`).
    capacity : int or array_like of int, shape (n,)
        One capacity for every vertex, or one per vertex (the array's
        length is then the number of vertices). Capacities are >= 0.

    Returns
    -------
    numpy.ndarray of int64, shape (p, 2)
        The chosen edges ``(u, v)`` with ``u < v``, sorted.

    Raises
    ------
    libmatch.InputError
        As for :func:`max_weight_matching`, and for a negative capacity.
    """
    if numpy.ndim(capacity) == 0:  # one capacity for all: the edges give the vertices
        sparse = _on_sparse(lambda compact: _core.b_matching(compact, weights, capacity), edges, None)
        if sparse is not None:
            return sparse
    return _core.b_matching(edges, weights, capacity)


def hospitals_residents(
    resident_prefs: PreferenceLists,
    hospital_prefs: PreferenceLists,
    capacities: Union[int, npt.ArrayLike],
) -> numpy.ndarray:
    """The resident-optimal stable assignment (resident-proposing deferred acceptance).

    Parameters
    ----------
    resident_prefs : list of lists of int
        ``resident_prefs[r]`` lists hospitals, best first.
    hospital_prefs : list of lists of int
        ``hospital_prefs[h]`` lists residents, best first. A pair is
        acceptable only when each lists the other, and every listing must
        be returned.
    capacities : int or array_like of int, shape (len(hospital_prefs),)
        How many residents each hospital takes (one number for all, or one
        per hospital); >= 0.

    Returns
    -------
    numpy.ndarray of int64, shape (len(resident_prefs),)
        Each resident's hospital, -1 for none.

    Raises
    ------
    libmatch.InputError
        An index out of range, a repeated entry, a preference that is not
        returned, or a negative capacity.
    """
    return _core.hospitals_residents(resident_prefs, hospital_prefs, capacities)


def stable_roommates(prefs: PreferenceLists) -> numpy.ndarray:
    """A stable matching of people among themselves (Irving's algorithm).

    Parameters
    ----------
    prefs : list of lists of int
        ``prefs[p]`` lists p's acceptable partners, best first; lists may
        be incomplete but must be mutual (q in p's list iff p in q's).

    Returns
    -------
    numpy.ndarray of int64, shape (len(prefs),)
        Each person's partner, -1 for none.

    Raises
    ------
    libmatch.NoStableMatchingError
        When the instance has no stable matching.
    libmatch.InputError
        An index out of range, a person listing themselves, a repeated
        entry, or a preference that is not mutual.
    """
    return _core.stable_roommates(prefs)


def stable_fixtures(prefs: PreferenceLists, capacities: Union[int, npt.ArrayLike]) -> list:
    """A stable matching where each person takes several partners (Irving and Scott's stable fixtures).

    Stable roommates with capacities: a pair that is not matched blocks
    when each lists the other and has room or likes the other better than
    its worst partner. Irving and Scott's algorithm (2007) finds a matching
    with no blocking pair, or proves that none exists, in time linear in the
    total list length.

    Parameters
    ----------
    prefs : list of lists of int
        ``prefs[p]`` lists p's acceptable partners, best first; lists may
        be incomplete but must be mutual (q in p's list iff p in q's).
    capacities : int or array_like of int, shape (len(prefs),)
        How many partners each person takes (one number for all, or one
        per person); >= 0.

    Returns
    -------
    list of lists of int
        Each person's partners, in that person's order of preference. With
        several stable matchings, the one found by eliminating rotations
        from the lowest-numbered person on (the same input gives the same
        answer); every stable matching gives each person as many partners.
        With every capacity 1 it is what :func:`stable_roommates` returns.

    Raises
    ------
    libmatch.NoStableMatchingError
        When the instance has no stable matching.
    libmatch.InputError
        As for :func:`stable_roommates`, and for a negative capacity or a
        number of capacities that is not the number of people.
    """
    return _core.stable_fixtures(prefs, capacities)
