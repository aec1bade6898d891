"""Workflow: the DAG resolves for every preset; the smoke outputs exist and make sense."""

import ast
import csv
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import numpy as np
import pytest
from nbval.plugin import find_comment_markers, find_metadata_tags

from shnn.pipeline.manifest import ARTIFACTS as MANIFEST
from shnn.pipeline.manifest import METHODS

ROOT = Path(__file__).resolve().parents[1]
SMOKE = ROOT / "results" / "smoke"
SMOKE_FIG = SMOKE / "figures"
SNAKEMAKE = [sys.executable, "-m", "snakemake"]


@pytest.mark.parametrize("preset", ["smoke", "default", "paper"])
def test_dry_run(preset):
    result = subprocess.run([*SNAKEMAKE, "-n", "--cores", "2", "--config", f"preset={preset}"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("config, needle", [("preset=bogus", "unknown preset 'bogus'"),
                                            ("presett=smoke", "presett"),
                                            ("preset=", "preset= needs a value")])
def test_bad_preset_is_rejected(config, needle):
    result = subprocess.run([*SNAKEMAKE, "-n", "--cores", "1", "--config", config], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode != 0 and needle in result.stdout + result.stderr


def _summary(name):
    with (SMOKE_FIG / f"{name}.csv").open() as fh:
        return list(csv.DictReader(fh))


@pytest.mark.workflow
def test_fig02_smoke_outputs():
    for ext in ("pdf", "png", "csv"):
        assert (SMOKE_FIG / f"fig02_single_pendulum.{ext}").stat().st_size > 0
    rows = _summary("fig02_single_pendulum")
    assert {r["preset"] for r in rows} == {"smoke"}
    assert {r["sweep"] for r in rows} == {"sp-small", "sp-large"}
    assert {r["method"] for r in rows} == {"elm", "uswim", "aswim", "swim"}
    assert {int(r["value"]) for r in rows} == {50, 100, 200}
    assert {int(r["repeats"]) for r in rows} == {2}
    for r in rows:
        lo, mean, hi = float(r["err_min"]), float(r["err_mean"]), float(r["err_max"])
        assert 0 < lo <= mean <= hi < 1
    # The error falls with width for every method (smoke widths 50 -> 200: several decades).
    for sweep in ("sp-small", "sp-large"):
        for method in ("elm", "uswim", "aswim", "swim"):
            err = [float(r["err_mean"]) for r in sorted(rows, key=lambda r: int(r["value"]))
                   if r["sweep"] == sweep and r["method"] == method]
            assert np.log10(err[0]) - np.log10(err[-1]) > 1.5, (sweep, method, err)


#: Every artifact the smoke preset renders and the extensions of its files (the manifest).
ARTIFACTS = {name: " ".join(art.outputs) for name, art in MANIFEST.items()}


@pytest.mark.workflow
@pytest.mark.parametrize("name", list(ARTIFACTS))
def test_every_artifact_and_rendered_notebook(name):
    for ext in ARTIFACTS[name].split():
        assert (SMOKE_FIG / f"{name}.{ext}").stat().st_size > 0
    assert {r["preset"] for r in _summary(name)} == {"smoke"}
    # nbval --nbval-lax re-runs the rendered notebook and compares its checked cells' output:
    # each must have printed something here, or the check compares nothing.
    nb = nbformat.read(SMOKE_FIG / "notebooks" / f"{name}.ipynb", as_version=4)
    checked = _nbval_checked(nb)
    assert checked, f"nbval checks no cell of the rendered {name}"
    for cell in checked:
        assert _output_text(cell).strip(), (name, cell.source)
    assert (SMOKE / "benchmarks" / f"{name}.tsv").exists()


def _nbval_checked(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    """The code cells whose output ``pytest --nbval-lax`` compares: marked with a comment
    (``# NBVAL_CHECK_OUTPUT``) or a cell tag, as nbval itself reads them."""
    checked = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        options = dict(find_metadata_tags(cell.metadata))
        options.update(find_comment_markers(cell.source))
        if options.get("check"):
            checked.append(cell)
    return checked


def _output_text(cell: nbformat.NotebookNode) -> str:
    return "".join(out.get("text", "") + out.get("data", {}).get("text/plain", "")
                   for out in cell.get("outputs", []))


@pytest.mark.parametrize("name", list(MANIFEST))
def test_every_notebook_has_a_cell_nbval_checks(name: str) -> None:
    """Each artifact's notebook, as jupytext converts it for papermill, has a cell nbval
    compares under --nbval-lax, and that cell prints (its key results)."""
    nb = jupytext.read(ROOT / MANIFEST[name].notebook)
    checked = _nbval_checked(nb)
    assert checked, f"nbval --nbval-lax checks no cell of {name}"
    for cell in checked:
        calls = {node.func.id for node in ast.walk(ast.parse(cell.source))
                 if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
        assert "print" in calls, (name, cell.source)


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open() as fh:
        return list(csv.DictReader(fh))


@pytest.mark.workflow
@pytest.mark.parametrize("name, column, field", [
    ("fig04_lotka_volterra_errors", "err", "test_rel_l2_H"),
    ("fig05_lotka_volterra_times", "time", "fit_seconds")])
def test_lotka_volterra_figures_aggregate_the_sweep_fits(name: str, column: str,
                                                         field: str) -> None:
    """Each point of figures 4 (errors) and 5 (fit times) is the mean, min and max over the
    repeats of the Lotka-Volterra sweeps' per-fit rows, and every fit is shown."""
    fits: dict[tuple[str, float, str], list[float]] = defaultdict(list)
    for sweep in ("lv-zero-small", "lv-zero-large", "lv-five"):
        for r in _csv(SMOKE / "sweeps" / f"{sweep}.csv"):
            fits[r["sweep"], float(r["value"]), r["method"]].append(float(r[field]))
    rows = _summary(name)
    assert sorted((r["sweep"], float(r["value"]), r["method"]) for r in rows) == sorted(fits)
    for r in rows:
        values = fits[r["sweep"], float(r["value"]), r["method"]]
        assert int(r["repeats"]) == len(values) > 1
        for stat, f in (("mean", np.mean), ("min", np.min), ("max", np.max)):
            assert float(r[f"{column}_{stat}"]) == pytest.approx(f(values), rel=1e-5), (r, stat)


@pytest.mark.workflow
def test_table1_rows():
    rows = _summary("tab01_accuracy")
    assert len(rows) == 5 * 5
    assert {r["method"] for r in rows} == {"hnn", "elm", "uswim", "aswim", "swim"}
    for r in rows:
        assert 0 < float(r["err"]) and float(r["seconds"]) > 0
    md = (SMOKE_FIG / "tab01_accuracy.md").read_text()
    assert "preset: smoke" in md and "200 steps" in md


@pytest.mark.workflow
def test_error_correction_reduces_error():
    for r in _summary("fig09_error_correction"):
        assert float(r["corrected_mean"]) < float(r["uncorrected_mean"])
        assert int(r["repeats"]) == 2


@pytest.mark.workflow
def test_table2_rows():
    rows = _summary("tab02_chaotic")
    assert len(rows) == 2 * 5
    assert {r["system"] for r in rows} == {"Double pendulum", "Hénon-Heiles (α = 1)"}
    for r in rows:
        assert 0 < float(r["err"]) and float(r["seconds"]) > 0
    md = (SMOKE_FIG / "tab02_chaotic.md").read_text()
    assert "preset: smoke" in md and "HNN 200 steps" in md and "width 100" in md


@pytest.mark.workflow
@pytest.mark.parametrize("case, system, figure", [
    ("dp", "Double pendulum", "fig06_double_pendulum"),
    ("hh", "Hénon-Heiles (α = 1)", "fig07_henon_heiles")])
def test_table2_sets_each_method_beside_the_hnn_of_the_same_data(case: str, system: str,
                                                                 figure: str) -> None:
    """Table 2's HNN row is the preset's Adam baseline run; each sampled row is the figure's
    sweep point at the HNN's width (double pendulum) or at alpha 1 (Henon-Heiles), means over
    repeats; the speed-up is that baseline's seconds over the method's mean fit seconds."""
    hnn = _csv(SMOKE / "hnn" / f"{case}.csv")[0]
    value = float(hnn["width"]) if case == "dp" else 1.0
    sampled = {r["method"]: r for r in _summary(figure) if float(r["value"]) == value}
    table = {r["method"]: r for r in _summary("tab02_chaotic") if r["system"] == system}
    assert set(table) == {"hnn", *METHODS} and set(sampled) == set(METHODS)
    approx = _approx_row
    assert approx(table["hnn"], seconds=hnn["fit_seconds"], err=hnn["test_rel_l2_H"],
                  speedup=1.0, width=hnn["width"], steps=hnn["steps"])
    for method in METHODS:
        point = sampled[method]
        assert approx(table[method], err=point["err_mean"], seconds=point["time_mean"],
                      repeats=point["repeats"],
                      speedup=float(hnn["fit_seconds"]) / float(point["time_mean"])), method


def _approx_row(row: dict[str, str], **expected: Any) -> bool:
    """Every ``expected`` field of a CSV row equal to within the CSV's 7 digits."""
    return all(float(row[k]) == pytest.approx(float(v), rel=1e-5) for k, v in expected.items())


@pytest.mark.workflow
def test_reproduction_report_gives_every_row_a_verdict():
    rows = _summary("reproduction_report")
    verdicts = {"agrees", "differs", "not comparable at this preset"}
    assert rows and all(r["verdict"] in verdicts for r in rows)
    # Smoke data are smaller than the paper's: nothing is comparable, and each row says why.
    assert all(r["verdict"] == "not comparable at this preset" and r["note"] for r in rows)
    artifacts = {r["artifact"] for r in rows}
    assert {"fig02", "fig03", "fig04", "fig06", "fig07", "fig08", "fig09", "tab01",
            "tab02"} <= artifacts
    md = (SMOKE_FIG / "reproduction_report.md").read_text()
    assert "preset: smoke" in md and "from commit" in md and "## Qualitative claims" in md


@pytest.mark.workflow
def test_snakemake_html_report(tmp_path):
    out = tmp_path / "report.html"
    result = subprocess.run([*SNAKEMAKE, "--cores", "1", "--config", "preset=smoke",
                             "--report", str(out)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    html = out.read_text()
    assert out.stat().st_size > 100_000  # self-contained: figures embedded
    for name in ARTIFACTS:
        assert name in html, name


def _rendered_bytes(name: str) -> dict[str, bytes]:
    paths = [SMOKE_FIG / f"{name}.{ext}" for ext in ARTIFACTS[name].split()]
    paths.append(SMOKE_FIG / "notebooks" / f"{name}.ipynb")
    return {p.name: p.read_bytes() for p in paths}


@pytest.mark.workflow
@pytest.mark.parametrize("name", ["fig09_error_correction"])
def test_a_render_of_unchanged_inputs_is_byte_identical(name):
    """Rendered again from the same inputs (its stored results reused), the notebook, figure
    and CSV are the same bytes: no render time, creation date or random cell id in them."""
    before = _rendered_bytes(name)
    target = f"results/smoke/figures/{name}.csv"
    result = subprocess.run([*SNAKEMAKE, "--cores", "1", target, "--forcerun", name,
                             "--config", "preset=smoke"], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    after = _rendered_bytes(name)
    assert [f for f in before if before[f] != after[f]] == []


@pytest.mark.workflow
def test_no_rendered_notebook_shows_a_machine_path():
    found = [nb.name for nb in (SMOKE_FIG / "notebooks").glob("*.ipynb")
             if "PosixPath(" in nb.read_text() or str(ROOT) in nb.read_text()]
    assert found == []
