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
                                            ("presett=smoke", "presett")])
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


@pytest.mark.workflow
def test_rendered_notebook_exists():
    nb = ROOT / "results" / "smoke" / "notebooks" / "fig02_single_pendulum.ipynb"
    assert nb.stat().st_size > 0 and "NBVAL_CHECK_OUTPUT" in nb.read_text()
