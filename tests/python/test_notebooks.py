"""The example notebooks run top to bottom on the bundled data.

Each notebook in examples/notebooks is executed with nbclient in a fresh
kernel; any cell that raises fails the test. The kernel is this interpreter
(``sys.executable``): a ``python3`` kernelspec is installed into a temporary
directory that is put first on ``JUPYTER_PATH``, so a user-wide or system
kernelspec pointing at another Python cannot be picked up.

Skipped only when nbclient (or nbformat / ipykernel) is not importable.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

nbclient = pytest.importorskip("nbclient")
nbformat = pytest.importorskip("nbformat")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "examples" / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
TIMEOUT = 300  # seconds per cell; a whole notebook takes a few seconds


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory: pytest.TempPathFactory):
    """A python3 kernelspec for this interpreter, first on JUPYTER_PATH."""
    from ipykernel.kernelspec import install

    prefix = tmp_path_factory.mktemp("jupyter")
    # Writes PREFIX/share/jupyter/kernels/python3/kernel.json with argv[0] = sys.executable.
    install(kernel_name="python3", prefix=str(prefix))
    data_dir = prefix / "share" / "jupyter"
    saved = {name: os.environ.get(name) for name in ("JUPYTER_PATH", "MPLBACKEND")}
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [str(data_dir)] + ([saved["JUPYTER_PATH"]] if saved["JUPYTER_PATH"] else [])
    )
    os.environ["MPLBACKEND"] = "Agg"  # the notebooks select Agg themselves; belt and braces
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _run(nb, cwd: Path):
    client = nbclient.NotebookClient(
        nb,
        timeout=TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd)}},
    )
    return client.execute()


def test_notebooks_exist():
    names = {p.name for p in NOTEBOOKS}
    assert {"partners_for_one_city.ipynb", "batch_of_seekers.ipynb", "what_partnerships_teach.ipynb"} <= names


def test_kernel_is_this_interpreter(kernel_env):
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("import sys, libmatch; print(sys.executable); print(libmatch.__file__)")]
    )
    _run(nb, ROOT)
    out = "".join(o.get("text", "") for o in nb.cells[0].outputs).splitlines()
    assert Path(out[0]).resolve() == Path(sys.executable).resolve()
    import libmatch

    assert Path(out[1]).resolve() == Path(libmatch.__file__).resolve()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_saved_clean(path: Path):
    """Committed without outputs, with the python3 kernelspec and Agg selected first."""
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "no code cells"
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None, "save the notebook with outputs cleared"
    assert 'matplotlib.use("Agg")' in code[0].source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path: Path, kernel_env):
    nb = nbformat.read(path, as_version=4)
    start = time.monotonic()
    try:
        _run(nb, path.parent)
    except nbclient.exceptions.CellExecutionError as error:
        pytest.fail(f"{path.name}: a cell failed:\n{error}", pytrace=False)
    elapsed = time.monotonic() - start
    assert elapsed < TIMEOUT
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.get("output_type") == "error"]
    assert not errors
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})]
    assert images, f"{path.name} displayed no figure"


# Run after partners_for_one_city: every text of the map figure lies inside
# its axes and overlaps no other, and every candidate is named.
_MAP_LABELS_CHECK = """
import json
from matplotlib.backends.backend_agg import FigureCanvasAgg
canvas = FigureCanvasAgg(fig)  # show() closed the figure; draw it again, as saved
canvas.draw()
renderer = canvas.get_renderer()
placed = []
for ax in fig.axes:
    frame = ax.get_window_extent(renderer)
    for t in ax.texts:
        if t.get_visible() and t.get_text().strip():
            placed.append((t.get_text(), t.get_window_extent(renderer), frame))
for t in fig.texts:
    if t.get_visible() and t.get_text().strip():
        placed.append((t.get_text(), t.get_window_extent(renderer), fig.bbox))
outside = [s for s, e, f in placed if not (f.x0 <= e.x0 and e.x1 <= f.x1 and f.y0 <= e.y0 and e.y1 <= f.y1)]
overlaps = [(placed[i][0], placed[j][0]) for i in range(len(placed)) for j in range(i) if placed[i][1].overlaps(placed[j][1])]
named = [n for n in located["name"] if not any(n in s for s, _, _ in placed)]
print(json.dumps({"outside": outside, "overlaps": overlaps, "unnamed": named, "candidates": len(located)}))
"""


def test_candidate_map_labels_are_legible(kernel_env):
    path = NOTEBOOK_DIR / "partners_for_one_city.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(_MAP_LABELS_CHECK))
    _run(nb, path.parent)
    import json

    result = json.loads("".join(o.get("text", "") for o in nb.cells[-1].outputs))
    assert result["candidates"] == 15
    assert result["outside"] == [], "labels cut off by their axes"
    assert result["overlaps"] == [], "labels drawn over each other"
    assert result["unnamed"] == [], "candidates without a label"


# Run after batch_of_seekers: a bar of any of its charts starts on a visible 0,
# so its length is proportional to its value.
_BAR_BASELINE_CHECK = """
import json
import matplotlib.axes
from matplotlib.patches import Rectangle
cut = []
for name, ax in list(globals().items()):
    if isinstance(ax, matplotlib.axes.Axes):
        bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_height() > 0]
        if bars and ax.get_ylim()[0] > 0:
            cut.append(name)
print(json.dumps(cut))
"""


def test_bar_charts_start_at_zero(kernel_env):
    path = NOTEBOOK_DIR / "batch_of_seekers.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(_BAR_BASELINE_CHECK))
    _run(nb, path.parent)
    import json

    assert json.loads("".join(o.get("text", "") for o in nb.cells[-1].outputs)) == []


# Run after what_partnerships_teach: its findings, read from the kernel's variables.
_PARTNERSHIPS_FINDINGS = """
import json
print(json.dumps({
    "recall": {label: {str(k): float(curves.at[k, label]) for k in (1, 10, 50, 100, 1000)} for label in curves.columns},
    "table": {label: {k: float(recall_table.at[label, f"recall@{k}"]) for k in (10, 50, 100)}
              for label in recall_table.index},
    "sampled": SEEKER_SAMPLE,
    "seekers": int(split.events["seeker"].nunique()),
    "recall_axes": {"xscale": ax.get_xscale(), "xlim": list(ax.get_xlim()),
                    "lines": [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")]},
    "weights": {c: float(weights.at[c, "weight"]) for c in weights.index},
    "waterfall": {"sum": float(waterfall["contribution"].sum()), "ln_score": float(np.log(explained["score"]))},
    "affinity_checked": int(len(affinity_check)),
    "affinity_error": affinity_error,
    "heat_map": list(lift_matrix.shape),
}))
"""


def test_partnerships_notebook_findings(kernel_env):
    """what_partnerships_teach: its six charts, a learned scoring that beats the baselines, its cross-checks."""
    import json

    import libmatch

    path = NOTEBOOK_DIR / "what_partnerships_teach.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(_PARTNERSHIPS_FINDINGS))
    _run(nb, path.parent)
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})]
    # weights, what a weight does, the waterfall, the heat map, strongest/weakest pairs, recall curves
    assert len(images) >= 6
    found = json.loads("".join(o.get("text", "") for o in nb.cells[-1].outputs))

    recall = found["recall"]
    assert set(recall) == {"random", "population only", "previous default", "learned"}
    for k in ("10", "100", "1000"):
        assert recall["learned"][k] > recall["previous default"][k] > recall["random"][k], k
    assert recall["random"]["100"] < 0.01  # 100 of ~30,000 cities
    assert recall["learned"]["100"] > 0.15  # 0.238 in README's fidelity table
    assert all(recall["learned"][a] <= recall["learned"][b] for a, b in (("1", "10"), ("10", "100"), ("100", "1000")))
    # The curves and the table come from one implementation (fidelity.recall_at).
    for label, row in found["table"].items():
        for k, value in row.items():
            assert recall[label][str(k)] == value
    assert found["sampled"] is None and found["seekers"] > 2000  # every seeker of the pair split
    axes = found["recall_axes"]
    assert axes["xscale"] == "log" and axes["xlim"][0] == 1 and axes["xlim"][1] >= 1000
    assert axes["lines"] == ["random", "population only", "previous default", "learned"]

    # The match-weight chart shows the shipped weights, one per component.
    shipped = libmatch.learned_config().to_dict()["weights"]
    assert found["weights"] == pytest.approx(shipped)
    assert set(found["weights"]) == set(libmatch.COMPONENTS)
    # The waterfall adds up to ln(score); the affinities agree with explain().
    assert found["waterfall"]["sum"] == pytest.approx(found["waterfall"]["ln_score"], abs=1e-5)
    assert found["affinity_checked"] >= 10 and found["affinity_error"] < 1e-6
    assert found["heat_map"] == [25, 25]
