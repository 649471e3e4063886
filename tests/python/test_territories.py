"""Territories are of their sovereign state (README, "Hard filters").

A sister-city tie joins communities of two countries: San Juan (PR) is not
foreign to Chicago, nor Hong Kong to Shanghai, while Taiwan keeps its own
code. ``ScoringConfig.compare_sovereign_states = False`` compares ISO codes.
Checked through the Python API, explain() and the batch command.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

import libmatch
from libmatch import cli

CITIES = pd.DataFrame(
    [
        (1, "Chicago", "US", 41.88, -87.63, 2.7e6),
        (2, "San Juan", "PR", 18.47, -66.11, 3.4e5),
        (3, "Shanghai", "CN", 31.23, 121.47, 2.4e7),
        (4, "Hong Kong", "HK", 22.32, 114.17, 7.4e6),
        (5, "Taipei", "TW", 25.03, 121.57, 2.6e6),
        (6, "Lyon", "FR", 45.76, 4.84, 5.2e5),
        (7, "Nuuk", "GL", 64.18, -51.72, 1.9e4),
        (8, "Aarhus", "DK", 56.16, 10.21, 2.9e5),
    ],
    columns=["id", "name", "country", "lat", "lon", "population"],
)


def proposed(config, seeker):
    pool = libmatch.Pool(CITIES, config, partnerships=None)
    frame = pool.candidates([{"id": seeker, "partners": 7}], k=10)
    return set(frame["candidate_id"])


@pytest.mark.parametrize(
    ("seeker", "states", "codes"),
    [
        (1, {3, 4, 5, 6, 7, 8}, {2, 3, 4, 5, 6, 7, 8}),  # Chicago: San Juan is domestic
        (3, {1, 2, 5, 6, 7, 8}, {1, 2, 4, 5, 6, 7, 8}),  # Shanghai: Hong Kong is; Taipei is not
        (8, {1, 2, 3, 4, 5, 6}, {1, 2, 3, 4, 5, 6, 7}),  # Aarhus: Nuuk is
    ],
)
def test_territories_count_as_their_state(seeker, states, codes):
    assert proposed(libmatch.ScoringConfig(), seeker) == states
    assert proposed(libmatch.ScoringConfig(compare_sovereign_states=False), seeker) == codes


def test_explain_says_one_sovereign_state():
    pool = libmatch.Pool(CITIES, libmatch.ScoringConfig(), partnerships=None)
    e = pool.explain(1, 2)
    assert not e["passes"]
    words = [f["detail"] for f in e["filters"] if f["name"] == "same_country"]
    assert words == ["one sovereign state (US and PR), which a does not accept"]
    # The output keeps each city's own code.
    frame = pool.candidates([{"id": 3, "partners": 7}], k=10)
    assert "TW" in set(pool.cities.set_index("id").loc[frame["candidate_id"], "country"])


def test_the_option_round_trips_as_json():
    config = libmatch.ScoringConfig(compare_sovereign_states=False)
    assert json.loads(config.to_json())["compare_sovereign_states"] is False
    assert libmatch.ScoringConfig.from_json(config.to_json()) == config
    assert libmatch.ScoringConfig().compare_sovereign_states


def test_batch_command_compares_states(tmp_path, capsys):
    pool_csv = tmp_path / "pool.csv"
    CITIES.assign(languages="", interests="").to_csv(pool_csv, index=False)
    seekers = tmp_path / "seekers.jsonl"
    seekers.write_text(json.dumps({"request_id": "chicago", "id": 1, "partners": 7}) + "\n", encoding="utf-8")
    iso = tmp_path / "iso.json"
    iso.write_text(json.dumps({"format": "libmatch.scoring/1", "compare_sovereign_states": False}), encoding="utf-8")

    def candidates(*extra):
        code = cli.main(["match", "--seekers", str(seekers), "--pool", str(pool_csv), "--k", "10", *extra])
        out, _ = capsys.readouterr()
        assert code == 0
        (answer,) = [json.loads(line) for line in out.splitlines()]
        return {c["candidate_id"] for c in answer["candidates"]}

    assert 2 not in candidates()
    assert 2 in candidates("--config", str(iso))
