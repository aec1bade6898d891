"""Workflow: the DAG resolves for every preset; the smoke outputs exist and make sense."""

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
SMOKE_FIG = ROOT / "results" / "smoke" / "figures"
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


ARTIFACTS = {"fig01_aswim_schematic": "pdf png csv",
             "fig02_single_pendulum": "pdf png csv", "fig03_pendulum_frequency": "pdf png csv",
             "fig04_lotka_volterra_errors": "pdf png csv",
             "fig05_lotka_volterra_times": "pdf png csv",
             "fig06_double_pendulum": "pdf png csv", "fig07_henon_heiles": "pdf png csv",
             "fig07b_henon_heiles_loss": "pdf png csv",
             "fig08_energy_conservation": "pdf png csv", "fig09_error_correction": "pdf png csv",
             "tab01_accuracy": "csv md tex", "tab02_chaotic": "csv md tex",
             "perf01_solver_scaling": "pdf png csv", "reproduction_report": "csv md",
             "ex01_own_system": "pdf png csv"}


@pytest.mark.workflow
@pytest.mark.parametrize("name", list(ARTIFACTS))
def test_every_artifact_and_rendered_notebook(name):
    for ext in ARTIFACTS[name].split():
        assert (SMOKE_FIG / f"{name}.{ext}").stat().st_size > 0
    assert {r["preset"] for r in _summary(name)} == {"smoke"}
    nb = SMOKE_FIG / "notebooks" / f"{name}.ipynb"
    assert "NBVAL_CHECK_OUTPUT" in nb.read_text()
    assert (ROOT / "results" / "smoke" / "benchmarks" / f"{name}.tsv").exists()


@pytest.mark.workflow
def test_lotka_volterra_figures_share_fits():
    errors, times = _summary("fig04_lotka_volterra_errors"), _summary("fig05_lotka_volterra_times")
    assert errors == times


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
        # The speed-up is the HNN's time over the method's, both measured in this run.
        hnn = next(h for h in rows if h["system"] == r["system"] and h["method"] == "hnn")
        assert float(r["speedup"]) == pytest.approx(float(hnn["seconds"]) / float(r["seconds"]),
                                                    rel=1e-5)
    md = (SMOKE_FIG / "tab02_chaotic.md").read_text()
    assert "preset: smoke" in md and "HNN 200 steps" in md and "width 100" in md


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
