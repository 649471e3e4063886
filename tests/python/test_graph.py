"""libmatch.graph: the matching algorithms on plain data, against independent oracles.

max_weight_matching against networkx, b_matching against an integer
program (scipy.optimize.milp), the stable algorithms against blocking-pair
checks, brute force and a reference deferred acceptance; then validation,
array handling, zero-copy results and GIL release.
"""

from __future__ import annotations

import pickle
import sys
import threading
import time

import networkx as nx
import numpy as np
import pandas
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp

import libmatch
from libmatch import graph

# ------------------------------------------------------------------ helpers


def random_graph(rng, n, density, low=1, high=100):
    """A random simple graph on n vertices: (m, 2) int64 edges and int weights."""
    pairs = [(u, v) for u in range(n) for v in range(u + 1, n) if rng.random() < density]
    edges = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    # Shuffle edges and their orientation: the API takes either.
    edges = edges[rng.permutation(len(edges))]
    flip = rng.random(len(edges)) < 0.5
    edges[flip] = edges[flip][:, ::-1]
    weights = rng.integers(low, high + 1, size=len(edges))
    return edges, weights


def check_matching(result, edges, capacity):
    """Assert result is a valid b-matching of edges: pairs u < v, sorted, each an edge once."""
    assert result.dtype == np.int64 and result.ndim == 2 and result.shape[1] == 2
    index = {}
    for e, (u, v) in enumerate(edges.tolist()):
        index[(min(u, v), max(u, v))] = e
    chosen = [tuple(p) for p in result.tolist()]
    assert all(u < v for u, v in chosen)
    assert chosen == sorted(set(chosen))
    assert all(p in index for p in chosen)
    load = np.bincount(result.ravel(), minlength=len(capacity))
    assert np.all(load <= capacity)
    return [index[p] for p in chosen]


def nx_graph(n, edges, weights):
    g = nx.Graph()
    g.add_nodes_from(range(n))
    for (u, v), w in zip(edges.tolist(), weights.tolist()):
        g.add_edge(u, v, weight=w)
    return g


def nx_total(g, matching):
    return sum(g[u][v]["weight"] for u, v in matching)


# -------------------------------------------------------- max_weight_matching


def test_max_weight_matching_matches_networkx_on_random_graphs():
    rng = np.random.default_rng(20240401)
    for trial in range(300):
        n = int(rng.integers(1, 26))
        # Some graphs with weights <= 0, which a plain matching never uses.
        low = -30 if trial % 3 == 0 else 1
        edges, weights = random_graph(rng, n, rng.uniform(0.1, 0.9), low=low)
        g = nx_graph(n, edges, weights)
        for max_cardinality in (False, True):
            result = graph.max_weight_matching(
                edges, weights, num_vertices=n, max_cardinality=max_cardinality
            )
            chosen = check_matching(result, edges, np.ones(n, dtype=np.int64))
            expected = nx.max_weight_matching(g, maxcardinality=max_cardinality)
            assert weights[chosen].sum() == nx_total(g, expected), (trial, max_cardinality)
            if max_cardinality:
                assert len(result) == len(expected), trial
            else:
                assert np.all(weights[chosen] > 0)


def test_max_weight_matching_real_weights_match_networkx():
    rng = np.random.default_rng(7)
    for trial in range(100):
        n = int(rng.integers(2, 14))
        edges, _ = random_graph(rng, n, 0.5)
        weights = rng.uniform(-0.5, 1.0, size=len(edges))
        g = nx_graph(n, edges, weights)
        for max_cardinality in (False, True):
            result = graph.max_weight_matching(edges, weights, max_cardinality=max_cardinality)
            chosen = check_matching(result, edges, np.ones(n, dtype=np.int64))
            expected = nx.max_weight_matching(g, maxcardinality=max_cardinality)
            assert weights[chosen].sum() == pytest.approx(nx_total(g, expected), abs=1e-9)


def test_max_weight_matching_keeps_integer_weights_exact():
    # On the path 0-1-2-3 these two weightings differ only below double
    # precision (2^54 + 1 is not a double), yet have different optima.
    big = 2**53
    edges = np.array([[0, 1], [1, 2], [2, 3]])
    middle_wins = np.array([big, 2 * big + 1, big], dtype=np.int64)
    sides_win = np.array([big + 1, 2 * big + 1, big + 1], dtype=np.int64)
    assert graph.max_weight_matching(edges, middle_wins).tolist() == [[1, 2]]
    assert graph.max_weight_matching(edges, sides_win).tolist() == [[0, 1], [2, 3]]


def test_max_weight_matching_num_vertices():
    edges = np.array([[0, 3]])
    assert graph.max_weight_matching(edges, [1.0]).tolist() == [[0, 3]]
    assert graph.max_weight_matching(edges, [1.0], num_vertices=10).tolist() == [[0, 3]]
    result = graph.max_weight_matching(np.empty((0, 2), dtype=np.int64), [], num_vertices=5)
    assert result.shape == (0, 2) and result.dtype == np.int64
    assert graph.max_weight_matching([], []).shape == (0, 2)
    with pytest.raises(libmatch.InputError) as info:
        graph.max_weight_matching(edges, [1.0], num_vertices=3)
    assert info.value.problems["reason"][0] == "is not a vertex: vertices are numbered 0..2"
    with pytest.raises(ValueError, match="num_vertices must be >= 0"):
        graph.max_weight_matching(edges, [1.0], num_vertices=-1)


def test_max_weight_matching_arguments_give_readable_errors():
    edges = np.array([[0, 3]])
    assert graph.max_weight_matching(edges, [1.0], num_vertices=np.int64(5)).tolist() == [[0, 3]]
    for bad in (5.0, "5", True):
        with pytest.raises(TypeError, match=r"num_vertices must be an integer; got"):
            graph.max_weight_matching(edges, [1.0], num_vertices=bad)
    with pytest.raises(ValueError, match="num_vertices must be >= 0 and fit in int64; got 1180591620717411303424"):
        graph.max_weight_matching(edges, [1.0], num_vertices=2**70)
    # max_cardinality is a flag: any value counts by its truth.
    heavy_middle = ([[0, 1], [1, 2], [2, 3]], [1, 3, 1])
    assert graph.max_weight_matching(*heavy_middle, max_cardinality="yes").tolist() == [[0, 1], [2, 3]]
    assert graph.max_weight_matching(*heavy_middle, max_cardinality=0).tolist() == [[1, 2]]


# ----------------------------------------------------------------- b_matching


def milp_b_matching_total(n, edges, weights, capacity):
    """The optimum of the b-matching integer program: binary x_e, sum over v's edges <= b_v."""
    m = len(edges)
    if m == 0:
        return 0
    incidence = np.zeros((n, m))
    incidence[edges[:, 0], np.arange(m)] = 1
    incidence[edges[:, 1], np.arange(m)] = 1
    result = milp(
        c=-weights.astype(np.float64),
        constraints=LinearConstraint(incidence, -np.inf, capacity),
        integrality=np.ones(m),
        bounds=Bounds(0, 1),
    )
    assert result.success, result.message
    return int(round(-result.fun))


def test_b_matching_matches_integer_program_on_random_graphs():
    rng = np.random.default_rng(99)
    for trial in range(150):
        n = int(rng.integers(1, 13))
        edges, weights = random_graph(rng, n, rng.uniform(0.2, 0.9), low=-10, high=50)
        capacity = rng.integers(0, 4, size=n)
        result = graph.b_matching(edges, weights, capacity)
        chosen = check_matching(result, edges, capacity)
        assert np.all(weights[chosen] > 0)
        assert weights[chosen].sum() == milp_b_matching_total(n, edges, weights, capacity), trial


def test_b_matching_scalar_capacity_and_real_weights():
    rng = np.random.default_rng(5)
    for _ in range(30):
        n = int(rng.integers(2, 10))
        edges, weights = random_graph(rng, n, 0.6)
        if len(edges) == 0:
            continue
        n = int(edges.max()) + 1  # a scalar capacity covers the vertices the edges name
        scalar = graph.b_matching(edges, weights, 2)
        np.testing.assert_array_equal(scalar, graph.b_matching(edges, weights, np.full(n, 2)))
        # Real weights give the same optimum as integers (same order, scaled).
        real = graph.b_matching(edges, weights / 7.0, 2)
        chosen = check_matching(real, edges, np.full(n, 2))
        assert weights[chosen].sum() == milp_b_matching_total(n, edges, weights, np.full(n, 2))


# ------------------------------------------------------- hospitals_residents


def random_hospitals_residents(rng, n_residents, n_hospitals):
    resident_prefs = [
        rng.permutation(n_hospitals)[: rng.integers(0, n_hospitals + 1)].tolist()
        for _ in range(n_residents)
    ]
    listed_by = [
        [r for r in range(n_residents) if h in resident_prefs[r]] for h in range(n_hospitals)
    ]
    hospital_prefs = [rng.permutation(rs).tolist() for rs in listed_by]
    capacities = rng.integers(0, 4, size=n_hospitals)
    return resident_prefs, hospital_prefs, capacities


def reference_deferred_acceptance(resident_prefs, hospital_prefs, capacities):
    """Resident-proposing deferred acceptance, written plainly."""
    rank = [{r: i for i, r in enumerate(prefs)} for prefs in hospital_prefs]
    held = [[] for _ in hospital_prefs]
    next_choice = [0] * len(resident_prefs)
    free = list(range(len(resident_prefs)))
    while free:
        r = free.pop()
        while next_choice[r] < len(resident_prefs[r]):
            h = resident_prefs[r][next_choice[r]]
            next_choice[r] += 1
            held[h].append(r)
            held[h].sort(key=rank[h].__getitem__)
            if len(held[h]) <= capacities[h]:
                break
            bumped = held[h].pop()
            if bumped != r:
                free.append(bumped)
                break
    assignment = [-1] * len(resident_prefs)
    for h, rs in enumerate(held):
        for r in rs:
            assignment[r] = h
    return assignment


def blocking_pairs_hospitals_residents(resident_prefs, hospital_prefs, capacities, assignment):
    blocking = []
    for r, prefs in enumerate(resident_prefs):
        current = assignment[r]
        better = prefs if current == -1 else prefs[: prefs.index(current)]
        for h in better:
            held = [x for x in range(len(assignment)) if assignment[x] == h]
            rank = hospital_prefs[h].index
            if len(held) < capacities[h] or any(rank(r) < rank(x) for x in held):
                blocking.append((r, h))
    return blocking


def test_hospitals_residents_is_stable_and_resident_optimal():
    rng = np.random.default_rng(11)
    for trial in range(200):
        n_residents, n_hospitals = int(rng.integers(0, 15)), int(rng.integers(0, 6))
        instance = random_hospitals_residents(rng, n_residents, n_hospitals)
        resident_prefs, hospital_prefs, capacities = instance
        assignment = graph.hospitals_residents(*instance)
        assert assignment.dtype == np.int64 and assignment.shape == (len(resident_prefs),)
        assignment = assignment.tolist()
        for r, h in enumerate(assignment):
            assert h == -1 or h in resident_prefs[r]
        for h, capacity in enumerate(capacities):
            assert assignment.count(h) <= capacity
        assert blocking_pairs_hospitals_residents(*instance, assignment) == [], trial
        # The resident-optimal stable assignment is unique: equal to the reference.
        assert assignment == reference_deferred_acceptance(*instance), trial


def test_hospitals_residents_accepts_arrays_and_scalar_capacity():
    resident_prefs = [np.array([0, 1]), (1, 0), [0]]
    hospital_prefs = [[2, 0, 1], np.array([1, 0])]
    assert graph.hospitals_residents(resident_prefs, hospital_prefs, 1).tolist() == [-1, 1, 0]
    assert graph.hospitals_residents(resident_prefs, hospital_prefs, [2, 1]).tolist() == [0, 1, 0]


# ----------------------------------------------------------- stable_roommates


def is_stable_roommates(prefs, partner):
    rank = [{q: i for i, q in enumerate(p)} for p in prefs]

    def prefers(p, q):  # p would rather have q than its partner
        return partner[p] == -1 or rank[p][q] < rank[p][partner[p]]

    return not any(
        prefers(p, q) and prefers(q, p)
        for p in range(len(prefs))
        for q in prefs[p]
        if q != partner[p]
    )


def all_matchings(prefs):
    """Every matching over the acceptable pairs (brute force, small instances only)."""
    n = len(prefs)

    def extend(p, partner):
        if p == n:
            yield list(partner)
            return
        if partner[p] != -1:
            yield from extend(p + 1, partner)
            return
        yield from extend(p + 1, partner)  # p stays single
        for q in prefs[p]:
            if q > p and partner[q] == -1:
                partner[p], partner[q] = q, p
                yield from extend(p + 1, partner)
                partner[p], partner[q] = -1, -1

    yield from extend(0, [-1] * n)


def test_stable_roommates_classic_instance_has_no_stable_matching():
    # Gale and Shapley's example: whoever pairs with person 3 is envied into a blocking pair.
    prefs = [[1, 2, 3], [2, 0, 3], [0, 1, 3], [0, 1, 2]]
    with pytest.raises(libmatch.NoStableMatchingError, match="no stable matching") as info:
        graph.stable_roommates(prefs)
    assert isinstance(info.value, RuntimeError)
    assert not any(is_stable_roommates(prefs, m) for m in all_matchings(prefs))


def test_stable_roommates_solvable_instance():
    prefs = [[1, 2, 3], [0, 2, 3], [3, 0, 1], [2, 0, 1]]
    partner = graph.stable_roommates(prefs)
    assert partner.dtype == np.int64
    assert partner.tolist() == [1, 0, 3, 2]


def test_stable_roommates_against_brute_force():
    rng = np.random.default_rng(3)
    solved = unsolvable = 0
    for _ in range(150):
        n = int(rng.integers(1, 9))
        acceptable = {(u, v) for u in range(n) for v in range(u + 1, n) if rng.random() < 0.7}
        prefs = [
            rng.permutation([v for v in range(n) if (min(u, v), max(u, v)) in acceptable]).tolist()
            for u in range(n)
        ]
        stable_exists = any(is_stable_roommates(prefs, m) for m in all_matchings(prefs))
        try:
            partner = graph.stable_roommates(prefs).tolist()
        except libmatch.NoStableMatchingError:
            assert not stable_exists, prefs
            unsolvable += 1
            continue
        solved += 1
        assert all(partner[q] == p for p, q in enumerate(partner) if q != -1)
        assert is_stable_roommates(prefs, partner), prefs
    assert solved > 10 and unsolvable > 10


# ------------------------------------------------------------ stable_fixtures


def fixtures_blocking_pairs(prefs, capacities, partners):
    """The pairs {p, q} not matched where each lists the other and has room or prefers the other."""
    rank = [{q: i for i, q in enumerate(p)} for p in prefs]

    def wants(p, q):
        return len(partners[p]) < capacities[p] or rank[p][q] < max(rank[p][r] for r in partners[p])

    return [
        (p, q)
        for p in range(len(prefs))
        for q in prefs[p]
        if p < q and p in rank[q] and q not in partners[p] and wants(p, q) and wants(q, p)
    ]


def all_fixtures(prefs, capacities):
    """Every matching within capacities (brute force over the acceptable pairs, small instances only)."""
    pairs = [(p, q) for p in range(len(prefs)) for q in prefs[p] if p < q]

    def extend(i, partners):
        if i == len(pairs):
            yield [list(x) for x in partners]
            return
        yield from extend(i + 1, partners)
        p, q = pairs[i]
        if len(partners[p]) < capacities[p] and len(partners[q]) < capacities[q]:
            partners[p].append(q)
            partners[q].append(p)
            yield from extend(i + 1, partners)
            partners[p].pop()
            partners[q].pop()

    yield from extend(0, [[] for _ in prefs])


def random_preferences(rng, n, density):
    acceptable = {(u, v) for u in range(n) for v in range(u + 1, n) if rng.random() < density}
    return [rng.permutation([v for v in range(n) if (min(u, v), max(u, v)) in acceptable]).tolist() for u in range(n)]


def test_stable_fixtures_against_brute_force():
    rng = np.random.default_rng(2007)
    solved = unsolvable = several = 0
    for trial in range(1000):
        n = int(rng.integers(1, 7))
        prefs = random_preferences(rng, n, 0.3 + 0.7 * rng.random())
        capacities = rng.integers(1, 2 + trial % 3, size=n).tolist()  # 1, 1-2 or 1-3
        stable_exists = any(not fixtures_blocking_pairs(prefs, capacities, m) for m in all_fixtures(prefs, capacities))
        try:
            partners = graph.stable_fixtures(prefs, capacities)
        except libmatch.NoStableMatchingError:
            assert not stable_exists, (prefs, capacities)
            unsolvable += 1
            continue
        assert stable_exists, (prefs, capacities)
        solved += 1
        several += sum(len(x) > 1 for x in partners)
        assert len(partners) == n
        for p, mine in enumerate(partners):
            assert len(mine) <= capacities[p] and len(set(mine)) == len(mine)
            assert mine == [q for q in prefs[p] if q in mine]  # in p's order of preference
            assert all(p in partners[q] for q in mine)
        assert fixtures_blocking_pairs(prefs, capacities, partners) == [], (prefs, capacities)
    assert solved > 800 and unsolvable > 25 and several > 300


def test_stable_fixtures_with_capacity_one_is_stable_roommates():
    rng = np.random.default_rng(1985)
    for _ in range(300):
        n = int(rng.integers(1, 40))
        prefs = random_preferences(rng, n, min(1.0, 4 / n))
        try:
            expected = [[q] if q >= 0 else [] for q in graph.stable_roommates(prefs).tolist()]
        except libmatch.NoStableMatchingError:
            with pytest.raises(libmatch.NoStableMatchingError):
                graph.stable_fixtures(prefs, 1)
            continue
        assert graph.stable_fixtures(prefs, 1) == expected


def test_stable_fixtures_examples_and_arguments():
    # Gale and Shapley's instance has no stable matching with one partner each,
    # and one with two each (a scalar capacity counts for everyone).
    prefs = [[1, 2, 3], [2, 0, 3], [0, 1, 3], [0, 1, 2]]
    with pytest.raises(libmatch.NoStableMatchingError, match="no stable matching"):
        graph.stable_fixtures(prefs, 1)
    partners = graph.stable_fixtures(prefs, np.array([2, 2, 2, 2], dtype=np.int32))
    assert fixtures_blocking_pairs(prefs, [2] * 4, partners) == []
    # A hub taking two of the three that want it.
    assert graph.stable_fixtures([[1, 2, 3], [0, 2], [0, 1], [0]], [2, 1, 1, 1]) == [[1, 2], [0], [0], []]
    assert graph.stable_fixtures([], []) == []
    problems = problems_of(graph.stable_fixtures, [[0, 1], [0], [1]], [1, -1, 1])
    assert rows_of(problems) == [
        [1, "capacity", "-1", "a capacity must be >= 0", "person 1"],
        [0, "preferences", "0", "a person cannot list themselves", "person 0"],
        [2, "preferences", "1", "person 1 does not list person 2", "person 2"],
    ]
    problems = problems_of(graph.stable_fixtures, [[1], [0]], [1, 1, 1])
    assert rows_of(problems) == [
        [None, "capacity", "3", "one capacity per person is needed, and there are 2 people", "capacities"]
    ]
    with pytest.raises(ValueError, match="capacities must be"):
        graph.stable_fixtures([[1], [0]], [1.5, 1])


def test_pool_stable_pairs_sample_seekers_that_want_several_partners():
    # The bundled sample as given: seekers among each other's candidates, ten
    # of them wanting two or three partners. Stable pairing used to refuse it.
    seekers = libmatch.datasets.seeking_sample()
    assert (seekers["partners"] > 1).sum() >= 5
    pool = libmatch.Pool(libmatch.datasets.world_cities())
    result = pool.match(seekers, "stable", k=10)
    ids = set(seekers["id"])
    assert any(a in ids and b in ids for a, b in zip(result.candidates.a, result.candidates.b))
    assert result.blocking_pair_count == 0 and result.blocking_pairs.empty
    load = pd_value_counts(result.pairs)
    assert sum(load.get(s, 0) > 1 for s in ids) >= 5
    capacity = dict(zip(result.vertices.id, result.vertices.capacity))
    assert all(load[v] <= capacity[v] for v in load.index)
    # Both cities of a pair rank it by its one score, so the stable pairing is
    # unique and greedy's (the highest scores first): an independent check.
    greedy = pool.match(seekers, "greedy", k=10)
    assert set(zip(result.pairs.a, result.pairs.b)) == set(zip(greedy.pairs.a, greedy.pairs.b))


def pd_value_counts(pairs):
    return pandas.concat([pairs.a, pairs.b]).value_counts()


# ----------------------------------------------------------------- validation


def problems_of(call, *args, **kwargs):
    with pytest.raises(libmatch.InputError) as info:
        call(*args, **kwargs)
    error = info.value
    assert isinstance(error, ValueError)
    problems = error.problems
    assert list(problems.columns[:4]) == ["row", "column", "value", "reason"]
    return problems


def rows_of(problems):
    """The problems as plain lists, <NA> rows as None."""
    return [
        [None if row is pandas.NA else int(row), *rest]
        for row, *rest in problems[["row", "column", "value", "reason", "record"]].values.tolist()
    ]


def test_edge_problems_are_all_reported_at_once():
    edges = np.array([[0, 1], [2, 2], [1, 0], [0, 9]])
    problems = problems_of(graph.max_weight_matching, edges, [1.0, 2.0, np.nan], num_vertices=4)
    assert str(problems["row"].dtype) == "Int64"
    assert rows_of(problems) == [
        [
            None,
            "weight",
            "3",
            "there are 3 weights for 4 edges; pass exactly one weight per edge",
            "weights",
        ],
        [1, "v", "2", "equals u: self loops cannot be matched; drop the edge", "edge 1"],
        [3, "v", "9", "is not a vertex: vertices are numbered 0..3", "edge 3"],
        [2, "v", "0", "repeats the pair (0, 1) of edge 0; give each pair once", "edge 2"],
        [2, "weight", "nan", "must be a finite number", "edge 2"],
    ]


def test_negative_vertices_and_capacities():
    problems = problems_of(graph.max_weight_matching, [[0, -1], [-2, 1]], [1, 1])
    assert problems[["row", "column", "value"]].values.tolist() == [[0, "v", "-1"], [1, "u", "-2"]]
    assert set(problems["reason"]) == {"is not a vertex: vertex indices are >= 0"}
    problems = problems_of(graph.b_matching, [[0, 1]], [1], [1, -1])
    assert problems[["row", "column", "value", "reason"]].values.tolist() == [
        [1, "capacity", "-1", "must be >= 0 (0 leaves the vertex out)"]
    ]


def test_preference_problems():
    problems = problems_of(graph.hospitals_residents, [[0, 5], [0, 0]], [[0]], [-1])
    assert rows_of(problems) == [
        [0, "capacity", "-1", "a capacity must be >= 0", "hospital 0"],
        [0, "preferences", "5", "hospital index out of range: there are 1 hospitals", "resident 0"],
        [1, "preferences", "0", "hospital 0 is listed more than once", "resident 1"],
        [1, "preferences", "0", "hospital 0 does not list resident 1", "resident 1"],
    ]
    problems = problems_of(graph.stable_roommates, [[0, 1], [0], [1]])
    assert rows_of(problems) == [
        [0, "preferences", "0", "a person cannot list themselves", "person 0"],
        [2, "preferences", "1", "person 1 does not list person 2", "person 2"],
    ]
    # Beyond a C int: out of range in any case, reported in the same words.
    problems = problems_of(graph.stable_roommates, [[1], [0], [2**40]])
    assert rows_of(problems) == [
        [2, "preferences", str(2**40), "person index out of range: there are 3 people", "person 2"]
    ]


def test_input_error_problems_and_pickling(monkeypatch):
    with pytest.raises(libmatch.InputError) as info:
        graph.stable_roommates([[1], []])
    error = info.value
    assert type(error) is libmatch.InputError and libmatch.InputError.__module__ == "libmatch"
    assert error.problem_list == [
        {
            "record": "person 0",
            "field": "preferences",
            "value": "1",
            "reason": "person 1 does not list person 0",
            "row": 0,
        }
    ]
    assert str(error) == (
        "1 problem in the input:\n  person 0: preferences = '1': person 1 does not list person 0"
    )
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is libmatch.InputError and copy.problem_list == error.problem_list
    assert str(copy) == str(error)
    # Without pandas, problems is the plain list.
    monkeypatch.setitem(sys.modules, "pandas", None)
    assert error.problems == error.problem_list


def test_input_error_from_python():
    error = libmatch.InputError.from_problems(
        [
            {
                "record": "city 3 (row 2)",
                "field": "lat",
                "value": "95",
                "reason": "must be in [-90, 90]",
                "row": 2,
            }
        ]
    )
    assert str(error) == (
        "1 problem in the input:\n  city 3 (row 2): lat = '95': must be in [-90, 90]"
    )
    assert error.problems.iloc[0][["row", "column", "value"]].tolist() == [2, "lat", "95"]


def test_other_errors_keep_their_messages():
    with pytest.raises(OverflowError, match="exceeds the supported maximum"):
        graph.max_weight_matching([[0, 1]], np.array([2**62], dtype=np.int64))
    with pytest.raises(ValueError, match="does not fit in int64"):
        graph.max_weight_matching([[0, 1]], np.array([2**63], dtype=np.uint64))


@pytest.mark.parametrize(
    "edges",
    [
        np.array([0, 1, 2, 3]),
        np.array([[0, 1, 2]]),
        np.array([[0.0, 1.0]]),
        np.array([[[0, 1]]]),
        np.array([[True, False]]),
        [["a", "b"]],
    ],
)
def test_bad_edge_arrays_say_how_to_fix_the_call(edges):
    with pytest.raises(ValueError) as info:
        graph.max_weight_matching(edges, [1.0])
    message = str(info.value)
    assert message.startswith("edges must be an (m, 2) integer array; ")
    assert "pass numpy.asarray(edges, dtype=numpy.int64).reshape(-1, 2)" in message
    assert "got shape" in message


def test_bad_weight_and_capacity_arrays():
    with pytest.raises(ValueError, match=r"weights must be a 1-D array of numbers.*shape \(1, 1\)"):
        graph.max_weight_matching([[0, 1]], [[1.0]])
    with pytest.raises(ValueError, match="weights must be a 1-D array.*dtype <U1"):
        graph.max_weight_matching([[0, 1]], ["x"])
    with pytest.raises(ValueError, match=r"capacity must be an integer or a 1-D integer array"):
        graph.b_matching([[0, 1]], [1.0], 1.5)
    with pytest.raises(ValueError, match=r"capacities must be an integer or a 1-D integer array"):
        graph.hospitals_residents([[0]], [[0]], [[1]])
    with pytest.raises(TypeError, match=r"resident_prefs\[0\]\[1\] must be an integer index"):
        graph.hospitals_residents([[0, 1.5]], [[0]], 1)
    with pytest.raises(TypeError, match=r"prefs\[1\] must be a list of integer indices, got int"):
        graph.stable_roommates([[1], 0])


# --------------------------------------------------------- arrays in and out


def test_results_wrap_the_cpp_buffer_without_a_copy():
    edges, weights = random_graph(np.random.default_rng(1), 30, 0.3)
    for result in (graph.max_weight_matching(edges, weights), graph.b_matching(edges, weights, 2)):
        assert len(result) > 0
        assert result.base is not None and not result.flags.owndata
        assert result.flags.c_contiguous and result.flags.writeable
        result[0, 0] = -7  # the array's memory is its own to change
        assert result[0, 0] == -7


def test_input_dtypes_and_layouts():
    rng = np.random.default_rng(2)
    edges, weights = random_graph(rng, 40, 0.2)
    expected = graph.max_weight_matching(edges, weights.astype(np.float64))
    assert edges.dtype == np.int64 and edges.flags.c_contiguous
    np.testing.assert_array_equal(graph.max_weight_matching(edges, weights), expected)
    # forcecast: float32 weights, narrower or unsigned ints, non-contiguous views, lists.
    for w in (weights.astype(np.float32), weights.astype(np.int32), weights.astype(np.uint16)):
        np.testing.assert_array_equal(graph.max_weight_matching(edges, w), expected)
    layouts = (edges.astype(np.int32), edges.astype(np.uint32), np.asfortranarray(edges))
    for e in (*layouts, edges.tolist()):
        np.testing.assert_array_equal(graph.max_weight_matching(e, weights), expected)
    strided = np.zeros((len(edges), 4), dtype=np.int64)
    strided[:, ::2] = edges
    np.testing.assert_array_equal(graph.max_weight_matching(strided[:, ::2], weights), expected)
    # The inputs are left as they were.
    assert edges.flags.writeable and edges.dtype == np.int64


# -------------------------------------------------------------- GIL release


def test_calls_release_the_gil():
    rng = np.random.default_rng(4)
    n, m = 5000, 40000
    edges = rng.integers(0, n, size=(2 * m, 2))
    edges = np.unique(np.sort(edges[edges[:, 0] != edges[:, 1]], axis=1), axis=0)
    edges = edges[rng.permutation(len(edges))[:m]]
    weights = rng.integers(1, 1000, size=len(edges))
    expected = graph.max_weight_matching(edges, weights)

    barrier = threading.Barrier(2)
    intervals = [None, None]
    results = [None, None]

    def work(i):
        barrier.wait()
        start = time.perf_counter()
        results[i] = graph.max_weight_matching(edges, weights)
        intervals[i] = (start, time.perf_counter())

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    # This thread keeps running Python code meanwhile: it can only do so
    # during the calls if they have released the GIL.
    ticks = []
    while any(t.is_alive() for t in threads):
        ticks.append(time.perf_counter())
        time.sleep(0.001)
    for t in threads:
        t.join()

    for result in results:
        np.testing.assert_array_equal(result, expected)
    (start0, end0), (start1, end1) = intervals
    assert max(start0, start1) < min(end0, end1), "the two calls did not overlap in time"
    for start, end in intervals:
        middle = (start + 0.25 * (end - start), start + 0.75 * (end - start))
        assert any(middle[0] <= t <= middle[1] for t in ticks), "the call held the GIL"


# ----------------------------------------------- sparse vertex numbers


def test_sparse_vertex_numbers_such_as_city_ids_cost_memory_by_edges_not_by_the_largest_id():
    # City ids used as vertex numbers: the largest is far beyond the number of
    # vertices in play. The core allocates per vertex number (a 1.2e7 id took
    # 3.3 GB for two edges, 1e8 ran out of memory, 1e12 was refused); the
    # result is the same as on the vertices renumbered 0..k-1.
    rng = np.random.default_rng(7)
    edges, weights = random_graph(rng, 14, 0.4)
    ids = np.sort(rng.choice(10**12, size=14, replace=False)) + 10**6
    sparse = ids[edges]
    start = time.monotonic()
    for max_cardinality in (False, True):
        got = graph.max_weight_matching(sparse, weights, max_cardinality=max_cardinality)
        want = graph.max_weight_matching(edges, weights, max_cardinality=max_cardinality)
        assert got.dtype == np.int64 and got.tolist() == ids[want].tolist()
    assert graph.max_weight_matching(sparse, weights, num_vertices=10**13).tolist() == ids[
        graph.max_weight_matching(edges, weights)
    ].tolist()
    for capacity in (1, 2):
        assert graph.b_matching(sparse, weights, capacity).tolist() == ids[graph.b_matching(edges, weights, capacity)].tolist()
    assert time.monotonic() - start < 10
    # Problems still name the vertices as given.
    bad = np.array([[10**9, 10**9], [5 * 10**8, 7 * 10**8], [7 * 10**8, 5 * 10**8]])
    with pytest.raises(libmatch.InputError) as info:
        graph.max_weight_matching(bad, [1.0, 2.0, np.nan])
    problems = info.value.problems
    assert list(problems["value"]) == [str(10**9), str(5 * 10**8), "nan"]
    assert "(500000000, 700000000) of edge 1" in problems["reason"][1]
    assert "edge 2: v = '500000000': repeats the pair (500000000, 700000000) of edge 1" in str(info.value)
    # An id beyond num_vertices is still out of range.
    with pytest.raises(libmatch.InputError, match="vertices are numbered 0..9"):
        graph.max_weight_matching([[10**9, 1]], [1.0], num_vertices=10)
    # A capacity problem names the vertex as given.
    with pytest.raises(libmatch.InputError) as info:
        graph.b_matching([[10**9, 5], [7, 10**9]], [1.0, 2.0], -1)
    assert list(info.value.problems["record"]) == ["vertex 5", "vertex 7", f"vertex {10**9}"]
    assert list(info.value.problems["row"]) == [5, 7, 10**9]
    # No edges among very many vertices: nothing to allocate.
    for edges in ([], np.empty((0, 2), dtype=np.int64)):
        assert graph.max_weight_matching(edges, [], num_vertices=10**12).shape == (0, 2)
    with pytest.raises(libmatch.InputError, match="1 weights for 0 edges"):
        graph.max_weight_matching([], [1.0], num_vertices=10**12)
