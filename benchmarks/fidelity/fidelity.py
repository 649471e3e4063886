"""Fidelity of libmatch's proposals to real sister-city partnerships.

Holds out part of the known partnerships, fits the scoring on the rest
(:func:`libmatch.fit`) and asks how well each ranker finds the held-out
partners among the whole pool:

- ``pair`` split: 20% of the pairs at random (seeded) are held out;
- ``city`` split: 20% of the cities with partners are held out with all
  their pairs, so a seeker's own partners are all unseen.

The pool's known partnerships are the training pairs: they are excluded from
the lists and count for activity, the held-out pairs do not. Every seeker
city with held-out partners ranks the whole pool (its own country and its
training partners excluded). Domestic held-out pairs are left out of the
evaluation (the engine never proposes a same-country pair). Each seeker's
list is its own view (``reciprocity`` ``seeker_only``), so being a seeker of
the benchmark, which only cities with held-out partners are, tells a
candidate's score nothing.

Reported per ranker: recall@10/50/100, micro-averaged over (seeker,
held-out partner) events (a held-out pair counts from both ends in the pair
split) and macro-averaged over seekers, and the median rank of the real
partner. Rankers: random; population only (exp(-g^2/2), arithmetic); the
previous engine default (arithmetic mean of population, sigma 1, and
language, weights 1 each); the learned config.

Scoring is libmatch.learning's NumPy scorer. ``--scorer engine`` uses the engine
(``libmatch.ScoringConfig.from_dict`` and ``Pool(cities, config,
partnerships=frame).candidates(seekers, k=100)``) for the recalls of the
default and learned configs, once the engine has them; median ranks always
come from the NumPy scorer (the engine lists only the top k).

    python benchmarks/fidelity/fidelity.py --out fidelity.json

The stages are functions for other drivers too (the notebook
``examples/notebooks/what_partnerships_teach.ipynb`` imports this file):
:func:`bundled_pairs`, :func:`make_split`, :func:`ranker_configs`,
:func:`held_out_ranks` (the full rank of every held-out partner, per ranker)
and :func:`recall_at`, which the table's recalls also come from.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

import libmatch
from libmatch import learning as lmfit

KS = (10, 50, 100)
HOLDOUT = 0.2
SPLITS = ("pair", "city")
# The rankers that --scorer engine ranks with Pool.candidates (the others are not engine configs).
ENGINE_RANKERS = ("previous default", "learned")


# ---------------------------------------------------------------------------
# Data and splits
# ---------------------------------------------------------------------------


def load_partnerships(pool: pd.DataFrame) -> Tuple[pd.DataFrame, str]:
    """The bundled known partnerships."""
    frame = libmatch.datasets.known_partnerships()
    return frame[["a", "b"]].astype("int64"), "libmatch.datasets.known_partnerships()"


def _undirected(frame: pd.DataFrame) -> pd.DataFrame:
    a, b = frame["a"].to_numpy(np.int64), frame["b"].to_numpy(np.int64)
    keep = a != b
    out = pd.DataFrame({"a": np.minimum(a, b)[keep], "b": np.maximum(a, b)[keep]})
    return out.drop_duplicates().sort_values(["a", "b"]).reset_index(drop=True)


def split_pairs(pairs: pd.DataFrame, seed: int) -> Tuple[pd.DataFrame, pd.DataFrame]:
    """(train, held-out): HOLDOUT of the pairs at random."""
    rng = np.random.default_rng(seed)
    held = rng.random(len(pairs)) < HOLDOUT
    return pairs[~held].reset_index(drop=True), pairs[held].reset_index(drop=True)


def split_cities(pairs: pd.DataFrame, seed: int) -> Tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """(train, held-out, held-out cities): HOLDOUT of the cities with partners, with all their pairs."""
    rng = np.random.default_rng(seed)
    cities = np.unique(np.concatenate([pairs["a"], pairs["b"]]))
    held_cities = np.sort(rng.choice(cities, int(round(HOLDOUT * len(cities))), replace=False))
    touched = pairs["a"].isin(held_cities) | pairs["b"].isin(held_cities)
    return pairs[~touched].reset_index(drop=True), pairs[touched].reset_index(drop=True), held_cities


def events(pool: pd.DataFrame, held: pd.DataFrame, seekers: Optional[np.ndarray] = None) -> pd.DataFrame:
    """(seeker, partner) events of the held-out pairs between countries; both ends seek unless ``seekers``."""
    country = pd.Series(pool["country"].to_numpy(), index=pool["id"].to_numpy())
    cross = held[held["a"].map(country).to_numpy() != held["b"].map(country).to_numpy()]
    ev = pd.concat([cross.rename(columns={"a": "seeker", "b": "partner"}),
                    cross.rename(columns={"b": "seeker", "a": "partner"})], ignore_index=True)
    if seekers is not None:
        ev = ev[ev["seeker"].isin(seekers)]
    return ev.sort_values(["seeker", "partner"]).reset_index(drop=True)


def bundled_pairs(pool: pd.DataFrame) -> Tuple[pd.DataFrame, str, int]:
    """(pairs, source, pairs outside the pool): the bundled partnerships as unique undirected pairs of pool cities."""
    pairs, source = load_partnerships(pool)
    pairs = _undirected(pairs)
    inside = pairs["a"].isin(pool["id"]) & pairs["b"].isin(pool["id"])
    return pairs[inside].reset_index(drop=True), source, int((~inside).sum())


class Split(NamedTuple):
    """One held-out split: the training pairs (the pool's known partnerships), the held-out ones, their events."""

    name: str
    train: pd.DataFrame
    held: pd.DataFrame
    events: pd.DataFrame


def make_split(name: str, pool: pd.DataFrame, pairs: pd.DataFrame, seed: int) -> Split:
    """The ``pair`` or ``city`` split of ``pairs`` (see the module docstring)."""
    if name == "pair":
        train, held = split_pairs(pairs, seed)
        return Split(name, train, held, events(pool, held))
    if name == "city":
        train, held, held_cities = split_cities(pairs, seed)
        return Split(name, train, held, events(pool, held, held_cities))
    raise ValueError(f"unknown split {name!r}; one of {SPLITS}")


# ---------------------------------------------------------------------------
# Rankers
# ---------------------------------------------------------------------------


def population_only_config() -> Dict[str, Any]:
    c = lmfit.default_config()
    c["weights"] = {k: 0.0 for k in lmfit.COMPONENT_NAMES} | {"population": 1.0}
    return c


def numpy_ranks(pool: pd.DataFrame, config: Optional[Mapping[str, Any]], train: pd.DataFrame,
                ev: pd.DataFrame, seed: int) -> np.ndarray:
    """Rank of each event's partner in its seeker's list (config None: random scores)."""
    cfg = dict(config) if config is not None else population_only_config()
    cfg["reciprocity"] = "seeker_only"
    scorer = lmfit.Scorer(pool, cfg, train)
    rows_s = scorer.arrays.rows(ev["seeker"].to_numpy())
    rows_p = scorer.arrays.rows(ev["partner"].to_numpy())
    out = np.zeros(len(ev), dtype=np.int64)
    seekers = np.unique(rows_s)
    order = np.argsort(rows_s, kind="stable")
    rs, rp = rows_s[order], rows_p[order]
    starts = np.searchsorted(rs, seekers)
    ends = np.searchsorted(rs, seekers, side="right")
    rng = np.random.default_rng(seed)
    block = 64
    for b0 in range(0, len(seekers), block):
        rows = seekers[b0:b0 + block]
        score = scorer.scores_rows(rows)
        if config is None:  # random: uniform scores on the same eligible set
            score = np.where(np.isfinite(score), rng.random(score.shape), -np.inf)
        for k, r in enumerate(rows):
            j = b0 + k
            sl = slice(starts[j], ends[j])
            out[order[sl]] = scorer.ranks_rows(score[k], rp[sl])
    return out


def ranker_configs(learned: Mapping[str, Any]) -> Dict[str, Optional[Dict[str, Any]]]:
    """Each ranker's config, in the report's order (random: None), given the learned one."""
    return {"random": None, "population only": population_only_config(),
            "previous default": lmfit.default_config(), "learned": dict(learned)}


def held_out_ranks(pool: pd.DataFrame, split: Split, configs: Mapping[str, Optional[Mapping[str, Any]]],
                   seed: int) -> Dict[str, np.ndarray]:
    """Per ranker, the full rank (1 = best, over the whole pool) of each of the split's events' partners."""
    return {label: numpy_ranks(pool, config, split.train, split.events, seed) for label, config in configs.items()}


def engine_topk(pool: pd.DataFrame, config: Mapping[str, Any], train: pd.DataFrame, seekers: np.ndarray,
                k: int = 100) -> pd.DataFrame:
    """The engine's top-k lists (seeker_id, candidate_id, rank), once Pool takes the new config.

    The switch from the NumPy scorer: this is the only engine call.
    """
    cfg = dict(config)
    cfg["reciprocity"] = "seeker_only"
    engine_pool = libmatch.Pool(pool, libmatch.ScoringConfig.from_dict(cfg), partnerships=train)
    lists = engine_pool.candidates([int(s) for s in seekers], k=k)
    return lists[["seeker_id", "candidate_id", "rank"]]


def engine_ranks(pool: pd.DataFrame, config: Mapping[str, Any], train: pd.DataFrame, ev: pd.DataFrame,
                 k: int = 100) -> np.ndarray:
    """Rank of each event's partner in the engine's top k; k + 1 when not listed."""
    lists = engine_topk(pool, config, train, np.unique(ev["seeker"].to_numpy()), k)
    merged = ev.merge(lists, how="left", left_on=["seeker", "partner"], right_on=["seeker_id", "candidate_id"])
    return merged["rank"].fillna(k + 1).to_numpy(np.int64)


def found_within(ranks: np.ndarray, ks: Sequence[int]) -> np.ndarray:
    """(events, len(ks)) booleans: the partner is listed at rank k or better (rank 0: never listed)."""
    ranks = np.asarray(ranks)[:, None]
    return (ranks >= 1) & (ranks <= np.asarray(ks)[None, :])


def recall_at(ranks: np.ndarray, ks: Sequence[int]) -> np.ndarray:
    """Recall@k for each k, micro-averaged over events (NaN without events)."""
    if len(ranks) == 0:
        return np.full(len(ks), math.nan)
    return found_within(ranks, ks).mean(axis=0)


def summarise(ev: pd.DataFrame, ranks: np.ndarray, median_ranks: Optional[np.ndarray] = None) -> Dict[str, Any]:
    out: Dict[str, Any] = {"events": int(len(ev)), "seekers": int(ev["seeker"].nunique())}
    found = pd.DataFrame(found_within(ranks, KS), columns=list(KS))
    found["seeker"] = ev["seeker"].to_numpy()
    micro = recall_at(ranks, KS)
    for i, k in enumerate(KS):
        out[f"recall@{k}"] = float(micro[i])
        out[f"macro_recall@{k}"] = float(found.groupby("seeker")[k].mean().mean()) if len(ranks) else math.nan
    mr = ranks if median_ranks is None else median_ranks
    out["median_rank"] = float(np.median(mr)) if len(mr) else math.nan
    return out


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def run_split(split: Split, pool: pd.DataFrame, seed: int, scorer: str,
              fit_kwargs: Mapping[str, Any]) -> Dict[str, Any]:
    train, held, ev = split.train, split.held, split.events
    started = time.perf_counter()
    learned = lmfit.fit(pool, train, seed=seed, **fit_kwargs)
    fit_seconds = time.perf_counter() - started
    results = {}
    for label, config in ranker_configs(learned).items():
        t0 = time.perf_counter()
        ranks = numpy_ranks(pool, config, train, ev, seed)
        if scorer == "engine" and label in ENGINE_RANKERS:
            summary = summarise(ev, engine_ranks(pool, config, train, ev), ranks)
            summary["scorer"] = "engine (median rank: numpy)"
        else:
            summary = summarise(ev, ranks)
            summary["scorer"] = "numpy"
        summary["seconds"] = time.perf_counter() - t0
        results[label] = summary
    learned_public = {k: v for k, v in learned.items() if k != "country_pairs"}
    learned_public["country_pairs_count"] = len(learned["country_pairs"])
    return {"split": split.name, "train_pairs": int(len(train)), "held_out_pairs": int(len(held)),
            "fit_seconds": fit_seconds, "rankers": results, "learned_config": learned_public}


def table(report: Mapping[str, Any]) -> str:
    lines = ["| split | ranker | recall@10 | recall@50 | recall@100 | macro recall@100 | median rank |",
             "|---|---|---|---|---|---|---|"]
    for split in report["splits"]:
        for label, r in split["rankers"].items():
            lines.append(f"| {split['split']} | {label} | {r['recall@10']:.3f} | {r['recall@50']:.3f} | "
                         f"{r['recall@100']:.3f} | {r['macro_recall@100']:.3f} | {r['median_rank']:.0f} |")
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", help="write the report as JSON here")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scorer", choices=("numpy", "engine", "auto"), default="numpy",
                        help="engine: the engine's Pool.candidates for the default and learned configs' recalls; "
                             "auto: the engine when libmatch.ScoringConfig has from_dict")
    parser.add_argument("--splits", default="pair,city")
    parser.add_argument("--negatives", type=int, default=None, help="the fit's negatives per event")
    parser.add_argument("--size-law", choices=("regression", "refine"), default=None)
    args = parser.parse_args(argv)
    scorer = args.scorer
    if scorer == "auto":
        scorer = "engine" if hasattr(libmatch.ScoringConfig, "from_dict") else "numpy"
    fit_kwargs: Dict[str, Any] = {}
    if args.negatives is not None:
        fit_kwargs["negatives"] = args.negatives
    if args.size_law is not None:
        fit_kwargs["size_law"] = args.size_law

    pool = libmatch.datasets.world_cities()
    pairs, source, outside = bundled_pairs(pool)
    report: Dict[str, Any] = {"pool_cities": int(len(pool)), "pairs": int(len(pairs)),
                              "pairs_outside_pool": outside, "source": source,
                              "seed": args.seed, "scorer": scorer, "holdout": HOLDOUT,
                              "recall": "micro over (seeker, held-out partner) events; macro: mean over seekers",
                              "splits": []}
    splits = [s.strip() for s in args.splits.split(",") if s.strip()]
    for name in splits:
        if name not in SPLITS:
            parser.error(f"unknown split {name!r}")
        split = make_split(name, pool, pairs, args.seed)
        ev = split.events
        result = run_split(split, pool, args.seed, scorer, fit_kwargs)
        result["held_out_events"] = int(len(ev))
        report["splits"].append(result)
        print(f"{name}: {len(split.train)} training pairs, {len(split.held)} held out, {len(ev)} events "
              f"({ev['seeker'].nunique()} seekers), fit {result['fit_seconds']:.1f} s", file=sys.stderr)
    print(table(report))
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1, default=float)
    return 0


if __name__ == "__main__":
    sys.exit(main())
