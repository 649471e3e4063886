#!/usr/bin/env python3
"""libmatch side by side with what users would pick instead (issue 6, benchmarks/compare).

    python benchmarks/compare/compare.py [--quick] [--out results.json] [--plot scaling.png]

One run, one machine, the same inputs for every contender. Each measurement
runs in a fresh subprocess (``--worker``), so its peak memory is the
subprocess's ``ru_maxrss`` growth over the call (after the inputs are
loaded), for Python, NumPy and C++ alike. LEMON and the floor run as their
own processes (build/release/benchmarks/lemon_matching and eigen_floor_*,
built on demand); LEMON's memory is its whole peak RSS.

Sections: 1 scoring top-k (libmatch vs NumPy, and against the Eigen product
floor of bench_candidates at the same size, built as the portable library
and for the kernel variant libmatch runs), 2 optimal matching (libmatch
vs LEMON on the world candidate graphs with k = 10 and k = 20 and on a
random graph of 20,000 vertices and 200,000 edges; vs NetworkX, SciPy), 3
stable matching (libmatch vs the PyPI ``matching`` package), 4 scaling on
synthetic pools (also drawn: time and peak memory against pool size), 5
Python overhead.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BENCHMARKS = ROOT / "build" / "release" / "benchmarks"
LEMON = BENCHMARKS / "lemon_matching"
K = 20
NUMPY_BUDGET_S = 120.0  # beyond this, NumPy scores a sample of seekers and extrapolates

# --------------------------------------------------------------------------- inputs


def world_pool(quick: bool):
    import libmatch

    cities = libmatch.datasets.world_cities()
    if quick:
        rows = np.sort(np.random.default_rng(0).choice(len(cities), 3000, replace=False))
        cities = cities.iloc[rows].reset_index(drop=True)
    return cities


_SHAPES = [  # as benchmarks/synthetic_pool.cpp: code, weight, lat, lon, languages
    ("US", 14, 38, -97, {"en": 0.78, "es": 0.13}), ("IN", 12, 22, 79, {"hi": 0.44, "bn": 0.08, "te": 0.07, "en": 0.1}),
    ("CN", 12, 33, 108, {"zh": 0.95}), ("BR", 6, -12, -50, {"pt": 0.98}), ("DE", 4, 51, 10, {"de": 0.95, "tr": 0.02}),
    ("JP", 4, 36, 138, {"ja": 0.99}), ("MX", 4, 23, -102, {"es": 0.93}), ("RU", 4, 56, 45, {"ru": 0.85}),
    ("FR", 3, 46, 2, {"fr": 0.95}), ("GB", 3, 53, -2, {"en": 0.98}), ("IT", 3, 43, 12, {"it": 0.95}),
    ("ES", 3, 40, -4, {"es": 0.75, "ca": 0.12}), ("NG", 3, 9, 8, {"en": 0.5, "ha": 0.2, "yo": 0.2}),
    ("PH", 3, 12, 122, {"fil": 0.6, "en": 0.3}), ("ID", 3, -2, 118, {"id": 0.9}), ("TR", 2, 39, 35, {"tr": 0.85, "ku": 0.12}),
    ("PL", 2, 52, 19, {"pl": 0.97}), ("KE", 1, 0, 38, {"sw": 0.6, "en": 0.3}),
    ("ZA", 1, -29, 24, {"zu": 0.23, "xh": 0.16, "af": 0.13, "en": 0.1}), ("CA", 1, 56, -100, {"en": 0.56, "fr": 0.21}),
    ("AU", 1, -25, 134, {"en": 0.9}), ("AR", 1, -34, -64, {"es": 0.97}), ("EG", 1, 27, 30, {"ar": 0.98}),
    ("MA", 1, 32, -6, {"ar": 0.7, "zgh": 0.25}), ("SE", 1, 62, 15, {"sv": 0.9}),
    ("CH", 0.5, 47, 8, {"de": 0.62, "fr": 0.23, "it": 0.08}), ("NZ", 0.5, -41, 174, {"en": 0.95}),
    ("CL", 0.5, -35, -71, {"es": 0.99}), ("VN", 1, 16, 107, {"vi": 0.95}), ("GH", 0.5, 8, -1, {"ak": 0.4, "en": 0.4}),
]  # fmt: skip
_AREAS = ["Western Europe", "Europe", "Americas", "South America", "Eastern Asia",
          "Sub-Saharan Africa", "Asia", "Oceania", "Northern America"]  # fmt: skip


def synthetic_pool(n: int, seeking: float, seed: int = 42):
    """Realistic-ish synthetic cities (the shapes of benchmarks/synthetic_pool.cpp) and seekers."""
    import pandas as pd
    import libmatch

    rng = np.random.default_rng(seed)
    w = np.array([s[1] for s in _SHAPES], dtype=float)
    country = rng.choice(len(_SHAPES), size=n, p=w / w.sum())
    lat = np.clip(np.array([_SHAPES[c][2] for c in country]) + 4 * rng.standard_normal(n), -89, 89)
    lon = np.clip(np.array([_SHAPES[c][3] for c in country]) + 6 * rng.standard_normal(n), -179, 179)
    population = np.round(15000 / (1 - rng.random(n) * 0.9999) ** (1 / 0.9))
    has = rng.random(n) < 0.5
    picks = rng.random((n, 16)) < 0.2
    weights = 0.2 + rng.random((n, 16))
    interests = [
        {libmatch.INTERESTS[j]: float(weights[i, j]) for j in np.nonzero(picks[i])[0]} if has[i] else {} for i in range(n)
    ]
    cities = pd.DataFrame(
        {
            "id": np.arange(100000, 100000 + n, dtype=np.int64),
            "country": [_SHAPES[c][0] for c in country],
            "lat": lat,
            "lon": lon,
            "population": population,
            "languages": [_SHAPES[c][4] for c in country],
            "interests": interests,
        }
    )
    m = int(n * seeking)
    seekers = []
    for i in rng.choice(n, size=m, replace=False):
        p = {"id": int(cities.id[i])}
        if rng.random() < 0.5:
            p["regions"] = [_AREAS[rng.integers(len(_AREAS))]]
        if rng.random() < 0.3:
            p["population_min"] = float(population[i] / 10)
        if rng.random() < 0.3:
            p["population_max"] = float(population[i] * 10)
        if rng.random() < 0.3:
            p["languages"] = [next(iter(_SHAPES[rng.integers(len(_SHAPES))][4]))]
        p["interests"] = list(rng.choice(libmatch.INTERESTS, size=3, replace=False))
        seekers.append(p)
    return cities, seekers


# --------------------------------------------------------------------------- workers


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class Meter:
    """Wall time and peak-RSS growth of one block."""

    def __enter__(self):
        self.rss0 = _rss_mib()
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.t0
        self.peak_mib = max(0.0, _rss_mib() - self.rss0)
        self.rss_mib = _rss_mib()


def worker(name: str, params: dict) -> dict:
    import libmatch

    tmp = Path(params["tmp"])
    out: dict = {}
    if name in ("libmatch_candidates", "overhead"):
        cities = world_pool(params["quick"])
        pool = libmatch.Pool(cities, libmatch.ScoringConfig(), partnerships=None)  # the NumPy formulas
        seekers = cities[["id"]]
        if name == "libmatch_candidates":
            with Meter() as m:
                frame = pool.candidates(seekers, k=K)
            out.update(seconds=m.seconds, peak_mib=m.peak_mib, pairs=len(cities) ** 2)
            np.savez(
                tmp / "libmatch_topk.npz",
                seeker=frame.seeker_id.to_numpy(), candidate=frame.candidate_id.to_numpy(),
                rank=frame["rank"].to_numpy(), score=frame.score.to_numpy(),
            )  # fmt: skip
        else:
            best_pool, best_core = float("inf"), float("inf")
            for _ in range(params["repeats"]):
                t = time.perf_counter()
                pool.candidates(seekers, k=K)
                best_pool = min(best_pool, time.perf_counter() - t)
                scorer = pool._scorer(seekers)  # what Pool.candidates does first
                t = time.perf_counter()
                scorer.candidates(k=K, threads=0)  # the C++ call alone (GIL released)
                best_core = min(best_core, time.perf_counter() - t)
            out.update(pool_seconds=best_pool, core_seconds=best_core)
    elif name == "numpy_candidates":
        sys.path.insert(0, str(HERE))
        import numpy_scoring

        cities = world_pool(params["quick"])
        with Meter() as prep:
            scorer = numpy_scoring.NumpyScorer(cities, cities[["id"]])
        S = scorer.S
        chunk = 128
        # a first chunk to estimate, then the whole or a sample
        with Meter() as m0:
            first = scorer.candidates(k=K, chunk=chunk, seekers=range(0, min(chunk, S)))
        per_seeker = m0.seconds / min(chunk, S)
        stop = S if per_seeker * S <= NUMPY_BUDGET_S else max(chunk, int(params["sample_s"] / per_seeker) // chunk * chunk)
        stop = min(stop, S)
        with Meter() as m:
            rest = scorer.candidates(k=K, chunk=chunk, seekers=range(min(chunk, S), stop)) if stop > chunk else None
        measured = m0.seconds + (m.seconds if rest is not None else 0.0)
        ids = first["ids"] if rest is None else np.vstack([first["ids"], rest["ids"]])
        scores = first["scores"] if rest is None else np.vstack([first["scores"], rest["scores"]])
        out.update(
            seconds=measured * S / stop, measured_seconds=measured, seekers_measured=int(stop), seekers=S,
            extrapolated=stop < S, peak_mib=max(m0.peak_mib, m.peak_mib) + 0.0, prepare_seconds=prep.seconds,
            prepare_mib=prep.peak_mib,
        )  # fmt: skip
        np.savez(tmp / "numpy_topk.npz", seeker=scorer.seeker_ids[:stop], ids=ids, scores=scores)
    elif name == "libmatch_mwm":
        data = np.load(tmp / params["graph"])
        with Meter() as m:
            pairs = libmatch.graph.max_weight_matching(data["edges"], data["weights"], num_vertices=int(data["n"]))
        out.update(seconds=m.seconds, peak_mib=m.peak_mib, total_weight=_total(data, pairs), matched=len(pairs))
    elif name == "networkx_mwm":
        import networkx as nx

        data = np.load(tmp / params["graph"])
        g = nx.Graph()
        g.add_nodes_from(range(int(data["n"])))
        g.add_weighted_edges_from((int(u), int(v), int(w)) for (u, v), w in zip(data["edges"], data["weights"]))
        with Meter() as m:
            matching = nx.max_weight_matching(g)
        pairs = np.array(sorted((min(u, v), max(u, v)) for u, v in matching), dtype=np.int64).reshape(-1, 2)
        out.update(seconds=m.seconds, peak_mib=m.peak_mib, total_weight=_total(data, pairs), matched=len(pairs))
    elif name == "scipy_lsa":
        from scipy.optimize import linear_sum_assignment

        data = np.load(tmp / params["graph"])
        side = data["side"]
        left, right = np.nonzero(side == 0)[0], np.nonzero(side == 1)[0]
        li = np.full(len(side), -1)
        li[left] = np.arange(len(left))
        li[right] = np.arange(len(right))
        e = data["edges"]
        u = np.where(side[e[:, 0]] == 0, e[:, 0], e[:, 1])
        v = np.where(side[e[:, 0]] == 0, e[:, 1], e[:, 0])
        with Meter() as m:
            # a dense weight matrix; non-edges weigh 0 and so add nothing
            cost = np.zeros((len(left), len(right)))
            cost[li[u], li[v]] = data["weights"]
            r, c = linear_sum_assignment(cost, maximize=True)
            total = int(cost[r, c].sum())
        out.update(seconds=m.seconds, peak_mib=m.peak_mib, total_weight=total, matched=int((cost[r, c] > 0).sum()))
    elif name in ("libmatch_hr", "matching_hr"):
        data = np.load(tmp / params["graph"], allow_pickle=False)
        rp, hp = _preferences(data)
        if name == "libmatch_hr":
            with Meter() as m:
                assigned = libmatch.graph.hospitals_residents(rp, hp, 1)
            result = {r: int(h) for r, h in enumerate(assigned) if h >= 0}
        else:
            from matching.games import HospitalResident

            # the package deep-copies its linked players: deep recursion
            sys.setrecursionlimit(10**6)
            with Meter() as m:
                game = HospitalResident.create_from_dictionaries(
                    {r: p for r, p in enumerate(rp)}, {h: p for h, p in enumerate(hp)}, {h: 1 for h in range(len(hp))}
                )
                solution = game.solve(optimal="resident")
            result = {int(r.name): int(h.name) for h, rs in solution.items() for r in rs}
        out.update(seconds=m.seconds, peak_mib=m.peak_mib, pairs=len(result))
        with open(tmp / f"{name}.json", "w") as f:
            json.dump(sorted(result.items()), f)
    elif name == "scaling":
        cities, seekers = synthetic_pool(params["n"], params["seeking"])
        with Meter() as build:
            pool = libmatch.Pool(cities, libmatch.ScoringConfig(), partnerships=None)  # the NumPy formulas
        with Meter() as m:
            frame = pool.candidates(seekers, k=K)
        out.update(
            seconds=m.seconds, peak_mib=m.peak_mib, rss_mib=m.rss_mib, pool_build_seconds=build.seconds,
            rows=len(frame), seekers=len(seekers), pairs=params["n"] * len(seekers),
        )  # fmt: skip
    else:
        raise SystemExit(f"unknown worker {name}")
    return out


def _total(data, pairs) -> int:
    index = {(int(u), int(v)): int(w) for (u, v), w in zip(np.sort(data["edges"], axis=1), data["weights"])}
    return int(sum(index[(int(u), int(v))] for u, v in pairs))


def _preferences(data):
    """Residents (side 0) and hospitals (side 1): neighbours by weight desc, then index asc."""
    side, e, w = data["side"], data["edges"], data["weights"]
    left, right = np.nonzero(side == 0)[0], np.nonzero(side == 1)[0]
    li = np.full(len(side), -1)
    li[left] = np.arange(len(left))
    li[right] = np.arange(len(right))
    u = np.where(side[e[:, 0]] == 0, e[:, 0], e[:, 1])
    v = np.where(side[e[:, 0]] == 0, e[:, 1], e[:, 0])
    r, h = li[u], li[v]
    rp: list = [[] for _ in left]
    hp: list = [[] for _ in right]
    for i in np.lexsort((h, -w, r)):
        rp[r[i]].append(int(h[i]))
    for i in np.lexsort((r, -w, h)):
        hp[h[i]].append(int(r[i]))
    return rp, hp


# --------------------------------------------------------------------------- driver


def run_worker(name: str, **params) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", name, "--params", json.dumps(params)]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-3000:])
        raise RuntimeError(f"worker {name} failed")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = time.perf_counter() - t
    return result


def build_program(path: Path) -> None:
    if not path.exists():
        subprocess.run(["cmake", "--build", str(ROOT / "build" / "release"), "--target", path.name],
                       check=True, stdout=sys.stderr)  # fmt: skip


def run_floor(n: int, isa: str) -> dict:
    """The Eigen product floor for n x n (benchmarks/eigen_floor.hpp), compiled for `isa`."""
    program = BENCHMARKS / f"eigen_floor_{isa}"
    build_program(program)
    proc = subprocess.run([str(program), str(n)], capture_output=True, text=True, check=True)
    values = dict(line.split() for line in proc.stdout.splitlines())
    return {"seconds": float(values["seconds"]), "peak_mib": None, "kernel": values["kernel"],
            "columns": int(values["columns"])}  # fmt: skip


def run_lemon(graph_path: Path) -> dict:
    build_program(LEMON)
    data = np.load(graph_path)
    text = f"{int(data['n'])} {len(data['edges'])}\n" + "\n".join(
        f"{u} {v} {w}" for (u, v), w in zip(data["edges"].tolist(), data["weights"].tolist())
    )
    with tempfile.TemporaryFile("w+") as f:
        f.write(text + "\n")
        f.seek(0)
        proc = subprocess.Popen([str(LEMON)], stdin=f, stdout=subprocess.PIPE, text=True)
        output = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError("lemon_matching failed")
    values = dict(line.split() for line in output.splitlines())
    return {
        "seconds": float(values["seconds"]) + float(values["build_seconds"]),
        "run_seconds": float(values["seconds"]),
        "peak_mib": usage.ru_maxrss / 1024.0,  # the whole process (its input included)
        "total_weight": int(values["total_weight"]),
        "matched": int(values["matched_edges"]),
    }


def candidate_graph(tmp: Path, k: int):
    """The candidate graph of libmatch's top-k (k <= K): undirected, integer weights round(score * 1e6)."""
    d = np.load(tmp / "libmatch_topk.npz")
    keep = d["rank"] <= k
    seeker, candidate, score = d["seeker"][keep], d["candidate"][keep], d["score"][keep]
    a, b = np.minimum(seeker, candidate), np.maximum(seeker, candidate)
    weight = np.round(score * 1e6).astype(np.int64)
    pairs = np.stack([a, b], axis=1)
    pairs, first = np.unique(pairs, axis=0, return_index=True)
    weight = weight[first]
    ids, inverse = np.unique(pairs.ravel(), return_inverse=True)
    edges = inverse.reshape(-1, 2).astype(np.int64)
    return ids, edges, weight


def random_graph(n: int, m: int, seed: int = 20000):
    """m distinct random edges on n vertices, integer weights uniform in [1, 10^6]."""
    rng = np.random.default_rng(seed)
    codes = np.empty(0, dtype=np.int64)
    while len(codes) < m:
        u, v = rng.integers(0, n, size=(2, 2 * m))
        u, v = np.minimum(u, v), np.maximum(u, v)
        fresh = (u * n + v)[u != v]
        codes = np.concatenate([codes, fresh])
        _, first = np.unique(codes, return_index=True)
        codes = codes[np.sort(first)]
    codes = codes[:m]
    edges = np.stack([codes // n, codes % n], axis=1)
    return edges, rng.integers(1, 10**6, size=m, endpoint=True)


def save_graph(tmp: Path, name: str, n: int, edges, weights, side=None) -> str:
    np.savez(tmp / name, n=n, edges=edges, weights=weights, side=np.zeros(n, np.int8) if side is None else side)
    return name


def bfs_subgraph(n: int, edges, weights, size: int, side=None):
    """The subgraph induced by the first `size` vertices reached by BFS from vertex 0 (then 1, ...)."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import breadth_first_order

    adj = sp.coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n)).tocsr()
    adj = adj + adj.T
    picked: list = []
    seen = np.zeros(n, dtype=bool)
    for start in range(n):
        if len(picked) >= size:
            break
        if seen[start]:
            continue
        order = breadth_first_order(adj, start, directed=False, return_predecessors=False)
        seen[order] = True
        picked.extend(order[: size - len(picked)].tolist())
    keep = np.zeros(n, dtype=bool)
    keep[picked] = True
    new = np.full(n, -1)
    new[np.sort(picked)] = np.arange(len(picked))
    mask = keep[edges[:, 0]] & keep[edges[:, 1]]
    sub_side = None if side is None else side[np.sort(picked)]
    return len(picked), new[edges[mask]], weights[mask], sub_side


def fmt_t(s) -> str:
    if s is None:
        return "-"
    return f"{s * 1e3:.1f} ms" if s < 1 else f"{s:.2f} s"


def fmt_m(m) -> str:
    return "-" if m is None else f"{m:.0f} MiB"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a 3,000-city world subset, small subgraphs, 10k scaling only")
    ap.add_argument("--out", default="results.json", help="where to write the JSON results")
    ap.add_argument("--plot", default="scaling.png", help="where to draw time and memory against pool size (PNG)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--params", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        import threading

        threading.stack_size(1 << 30)  # for the `matching` package's deep copies
        box: dict = {}
        t = threading.Thread(target=lambda: box.update(r=worker(args.worker, json.loads(args.params))))
        t.start()
        t.join()
        if "r" not in box:
            raise SystemExit(1)
        print(json.dumps(box["r"]))
        return

    quick = args.quick
    started = time.perf_counter()
    rows: list = []
    notes: list = []
    tmpdir = tempfile.TemporaryDirectory(prefix="libmatch-compare-")
    tmp = Path(tmpdir.name)
    common = {"tmp": str(tmp), "quick": quick}

    def row(section, task, contender, r, baseline=None, check="", size=""):
        entry = {
            "section": section, "task": task, "size": size, "contender": contender,
            "seconds": r.get("seconds"), "peak_mib": r.get("peak_mib"), "check": check,
            "ratio": None if baseline is None or not r.get("seconds") else r["seconds"] / baseline["seconds"],
            "details": r,
        }  # fmt: skip
        rows.append(entry)
        ratio = "" if entry["ratio"] is None else f"{entry['ratio']:.1f}x"
        print(f"  {task:<38} {contender:<36} {fmt_t(entry['seconds']):>10} {fmt_m(entry['peak_mib']):>9} {ratio:>8} {check}",
              file=sys.stderr, flush=True)  # fmt: skip

    import libmatch

    n_pool = 3000 if quick else len(libmatch.datasets.world_cities())
    pool_label = f"world {n_pool:,}" + (" (subset)" if quick else "")
    print(f"libmatch {libmatch.__version__}, pool: {pool_label}, k = {K}", file=sys.stderr)

    # 1 scoring
    lib = run_worker("libmatch_candidates", **common)
    row(1, "scoring top-20, every city seeks", "libmatch Pool.candidates", lib, size=pool_label)
    npy = run_worker("numpy_candidates", **common, sample_s=30.0 if quick else 60.0)
    a, b = np.load(tmp / "libmatch_topk.npz"), np.load(tmp / "numpy_topk.npz")
    S = int(npy["seekers_measured"])
    lib_ids = np.full((npy["seekers"], K), -1, dtype=np.int64)
    lib_scores = np.full((npy["seekers"], K), np.nan)
    pos = {int(s): i for i, s in enumerate(np.load(tmp / "numpy_topk.npz")["seeker"])}
    for s, c, r, sc in zip(a["seeker"], a["candidate"], a["rank"], a["score"]):
        i = pos.get(int(s))
        if i is not None:
            lib_ids[i, r - 1], lib_scores[i, r - 1] = c, sc
    lib_ids, lib_scores = lib_ids[:S], lib_scores[:S]
    same_ids = float((lib_ids == b["ids"]).mean())
    max_diff = float(np.nanmax(np.abs(lib_scores - b["scores"])))
    check = f"same top-k ids {same_ids:.2%}, max abs score diff {max_diff:.1e}"
    if npy["extrapolated"]:
        check += f"; extrapolated from {S:,} of {npy['seekers']:,} seekers ({fmt_t(npy['measured_seconds'])})"
        notes.append(f"NumPy scoring time extrapolated linearly from {S:,} of {npy['seekers']:,} seekers.")
    row(1, "scoring top-20, every city seeks", "NumPy (same formulas)", npy, lib, check, pool_label)
    # The floor of issue 2 at this size: the portable build's, and the one
    # built for the kernel variant libmatch runs here (like for like).
    floors = [run_floor(n_pool, "baseline")]
    if floors[0]["kernel"] not in ("baseline", "native"):
        floors.append(run_floor(n_pool, floors[0]["kernel"]))
    for floor, isa in zip(floors, ["portable x86-64", floors[0]["kernel"]]):
        row(1, "scoring floor (target: libmatch within 1.5x)", f"Eigen float product, {floor['columns']} columns, {isa}",
            floor, lib, f"libmatch / floor = {lib['seconds'] / floor['seconds']:.1f}x", pool_label)  # fmt: skip
    notes.append(f"libmatch's scoring kernel here: {floors[0]['kernel']}. The floor is the Eigen float product of the "
                 "seekers' and the pool's feature columns (benchmarks/eigen_floor.hpp), best of 3, tiled and "
                 "threaded as candidates() is; libmatch's time is Pool.candidates end to end.")  # fmt: skip

    # 2 optimal matching: libmatch and LEMON on the same graphs
    def same_total(other, mine):
        if other["total_weight"] == mine["total_weight"]:
            return "same total weight"
        return f"DIFFERENT total {other['total_weight']} vs {mine['total_weight']}"

    def against_lemon(task, name, n, edges, weights):
        label = f"{n:,} V / {len(edges):,} E"
        g = save_graph(tmp, name, n, edges, weights)
        mine = run_worker("libmatch_mwm", graph=g, **common)
        row(2, task, "libmatch graph.max_weight_matching", mine, size=label)
        lemon = run_lemon(tmp / g)
        row(2, task, "LEMON MaxWeightedMatching", lemon, mine, same_total(lemon, mine), label)

    for k in (10, K):
        ids, edges, weights = candidate_graph(tmp, k)
        against_lemon(f"max-weight matching, candidate graph k={k}", f"graph_k{k}.npz", len(ids), edges, weights)
    n = len(ids)  # the k = K graph serves the subgraphs below
    rn, rm = (2000, 20000) if quick else (20000, 200000)
    against_lemon("max-weight matching, random graph", "graph_random.npz", rn, *random_graph(rn, rm))

    nx_size = 400 if quick else 2500
    sn, se, sw, _ = bfs_subgraph(n, edges, weights, nx_size)
    slabel = f"{sn:,} V / {len(se):,} E"
    gs = save_graph(tmp, "graph_nx.npz", sn, se, sw)
    lms = run_worker("libmatch_mwm", graph=gs, **common)
    row(2, "max-weight matching, BFS subgraph", "libmatch graph.max_weight_matching", lms, size=slabel)
    nxr = run_worker("networkx_mwm", graph=gs, **common)
    row(2, "max-weight matching, BFS subgraph", "networkx.max_weight_matching", nxr, lms, same_total(nxr, lms), slabel)

    # bipartite: the candidate graph's cities split in two by id parity
    # (every city seeks, so there is no seekers / non-seekers split); edges
    # within a side are dropped.
    side_all = (ids % 2).astype(np.int8)
    cross = side_all[edges[:, 0]] != side_all[edges[:, 1]]
    bip_size = n if quick else 8000
    bn, be, bw, bside = bfs_subgraph(n, edges[cross], weights[cross], bip_size, side_all)
    blabel = f"{int((bside == 0).sum()):,} x {int((bside == 1).sum()):,} / {len(be):,} E"
    gb = save_graph(tmp, "graph_bip.npz", bn, be, bw, bside)
    lmb = run_worker("libmatch_mwm", graph=gb, **common)
    row(2, "max-weight matching, bipartite", "libmatch graph.max_weight_matching", lmb, size=blabel)
    lsa = run_worker("scipy_lsa", graph=gb, **common)
    row(2, "max-weight matching, bipartite", "scipy linear_sum_assignment", lsa, lmb, same_total(lsa, lmb), blabel)
    notes.append("SciPy gets a dense |left| x |right| matrix (non-edges weigh 0); its time includes filling it.")

    # 3 stable matching, on the same bipartite graph
    hr = run_worker("libmatch_hr", graph=gb, **common)
    row(3, "stable matching (hospitals/residents)", "libmatch graph.hospitals_residents", hr, size=blabel)
    mhr = run_worker("matching_hr", graph=gb, **common)
    same = json.load(open(tmp / "libmatch_hr.json")) == json.load(open(tmp / "matching_hr.json"))
    row(3, "stable matching (hospitals/residents)", "matching.HospitalResident", mhr, hr,
        "same pairs (resident-optimal)" if same else "DIFFERENT pairs", blabel)  # fmt: skip

    # 4 scaling
    sizes = [10_000] if quick else [10_000, 50_000, 100_000, 200_000]
    scaling = []
    for size in sizes:
        sc = run_worker("scaling", n=size, seeking=0.1, **common)
        scaling.append((size, sc))
        row(4, "scaling: Pool.candidates, 10% seek", "libmatch", sc, check=f"{sc['pairs']:.2e} pairs, {sc['pairs'] / sc['seconds']:.2e} pairs/s; peak RSS {sc['rss_mib']:.0f} MiB",
            size=f"synthetic {size:,}")  # fmt: skip
    if not quick:
        # The memory target's worst case: every one of 200,000 cities seeks,
        # so the result itself holds 4 million candidates.
        size = 200_000
        sc = run_worker("scaling", n=size, seeking=1.0, **common)
        row(4, "scaling: Pool.candidates, every city seeks", "libmatch", sc, check=f"{sc['pairs']:.2e} pairs, {sc['pairs'] / sc['seconds']:.2e} pairs/s; peak RSS {sc['rss_mib']:.0f} MiB",
            size=f"synthetic {size:,}")  # fmt: skip

    # 5 Python overhead
    ov = run_worker("overhead", repeats=3 if quick else 1, **common)
    core = {"seconds": ov["core_seconds"], "peak_mib": None}
    py = {"seconds": ov["pool_seconds"], "peak_mib": None}
    row(5, "Python overhead, every city seeks", "_core Scorer.candidates (C++)", core, size=pool_label)
    row(5, "Python overhead, every city seeks", "Pool.candidates (pandas in/out)", py, core, size=pool_label)

    total = time.perf_counter() - started
    info = {
        "command": "python benchmarks/compare/compare.py" + (" --quick" if quick else ""),
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {_cpu_name()}",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "libmatch": libmatch.__version__,
        "k": K,
        "runtime_seconds": total,
        "notes": notes,
        "rows": rows,
    }
    Path(args.out).write_text(json.dumps(info, indent=2, default=float))
    plot_scaling(scaling, Path(args.plot), info)
    print(markdown(info))


def plot_scaling(scaling: list, path: Path, info: dict) -> None:
    """Time and peak RSS of Pool.candidates against pool size, on two axes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [n for n, _ in scaling]
    fig, time_axis = plt.subplots(figsize=(6.4, 3.8), dpi=120)
    time_axis.plot(sizes, [r["seconds"] for _, r in scaling], "o-", color="tab:blue", label="time")
    time_axis.set_xlabel(f"pool size (synthetic cities; 10% seek, k = {K})")
    time_axis.set_ylabel("time (s)", color="tab:blue")
    memory_axis = time_axis.twinx()
    memory_axis.plot(sizes, [r["rss_mib"] for _, r in scaling], "s--", color="tab:red", label="peak RSS")
    memory_axis.set_ylabel("peak RSS (MiB)", color="tab:red")
    for axis in (time_axis, memory_axis):
        axis.set_ylim(bottom=0)
    time_axis.set_title(f"libmatch Pool.candidates scaling ({info['date']}, {os.cpu_count()} cores)", fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _cpu_name() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def markdown(info: dict) -> str:
    lines = [
        f"{info['command']} — {info['date']}, {info['machine']}, Python {info['python']}, NumPy {info['numpy']}; "
        f"total {info['runtime_seconds']:.0f} s",
        "",
        "| # | task | input | contender | time | peak memory | vs libmatch | check |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in info["rows"]:
        ratio = "" if r["ratio"] is None else f"{r['ratio']:.1f}x"
        lines.append(
            f"| {r['section']} | {r['task']} | {r['size']} | {r['contender']} | {fmt_t(r['seconds'])} | "
            f"{fmt_m(r['peak_mib'])} | {ratio} | {r['check']} |"
        )
    for note in info["notes"]:
        lines.append(f"\n{note}")
    lines.append("\n'vs libmatch': the contender's time / libmatch's on the same input (above 1 = libmatch faster). "
                 "Memory: peak RSS growth over the call, in a fresh process (LEMON: its whole process).")  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    main()
