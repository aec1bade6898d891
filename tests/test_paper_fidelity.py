"""Seed fidelity against the paper: single pendulum, width 1000, all ten repeats.

Runs ``shnn fit`` (in process) over the paper's seeds (data 3943 + r, model 992472 + r,
r = 0..9) for all four methods on both fig02 domains, and requires the 10-repeat mean, min
and max of the test error to be within a factor of 2 of the paper's appendix tables of sweeps
sp-small and sp-large (``data/paper/sweeps.csv``; only the LAPACK/BLAS build differs from the
original). Writes the numbers to ``results/tests/fidelity_sp_width1000.json``. About 3 minutes
on 2 cores.
"""

import contextlib
import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest

from shnn.cli import main

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
DOMAINS = {"sp-small": "-1,1", "sp-large": "-6,6"}
METHODS = ("elm", "uswim", "aswim", "swim")


def _paper(sweep, method):
    with (ROOT / "data" / "paper" / "sweeps.csv").open() as fh:
        for row in csv.DictReader(fh):
            if row["sweep"] == sweep and row["method"] == method and row["value"] == "1000":
                return {k: float(row[f"err_{k}"]) for k in ("mean", "min", "max")}
    raise KeyError((sweep, method))


def _fit(p_lims, method, r):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["fit", "--system", "single_pendulum", "--q-lims", "-2pi,2pi",
                       "--p-lims", p_lims, "--method", method, "--width", "1000",
                       "--train-size", "10000", "--test-size", "10000",
                       "--data-seed", str(3943 + r), "--model-seed", str(992472 + r), "--json"])
    assert status == 0
    return json.loads(out.getvalue())["test_rel_l2_H"]


@pytest.fixture(scope="module")
def errors():
    result = {sweep: {m: [_fit(p, m, r) for r in range(10)] for m in METHODS}
              for sweep, p in DOMAINS.items()}
    out = ROOT / "results" / "tests" / "fidelity_sp_width1000.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    summary = {s: {m: {"ours": {"mean": float(np.mean(v)), "min": min(v), "max": max(v)},
                       "paper": _paper(s, m), "errors": v} for m, v in ms.items()}
               for s, ms in result.items()}
    out.write_text(json.dumps(summary, indent=1))
    return result


@pytest.mark.parametrize("sweep", list(DOMAINS))
@pytest.mark.parametrize("method", METHODS)
def test_width1000_within_factor_2_of_paper(errors, sweep, method):
    v = errors[sweep][method]
    ours = {"mean": float(np.mean(v)), "min": min(v), "max": max(v)}
    paper = _paper(sweep, method)
    for stat in ("mean", "min", "max"):
        ratio = ours[stat] / paper[stat]
        assert 0.5 <= ratio <= 2.0, (stat, ours[stat], paper[stat])


def test_aswim_equals_swim_on_single_pendulum(errors):
    # docs/method.md §6.8: in the original, A-SWIM equals SWIM in 387/400 single-pendulum runs.
    same = sum(a == s for sweep in DOMAINS
               for a, s in zip(errors[sweep]["aswim"], errors[sweep]["swim"], strict=True))
    assert same >= 16, same


@pytest.fixture(scope="module")
def lv_five_errors():
    """LV five-centered, A-SWIM and SWIM at widths 400 and 700, all ten paper seed pairs."""
    from shnn.pipeline.config import load
    from shnn.pipeline.fitting import fit_record
    from shnn.pipeline.sweeps import sweep_points

    sweep = dict(load(ROOT / "config" / "paper.yaml")["sweeps"]["lv-five"])
    sweep.update(vary={"width": [400, 700]}, methods=["aswim", "swim"])
    errors: dict[str, list[float]] = {}
    for value, _, specs in sweep_points(sweep):
        for spec in specs:
            record, _ = fit_record(spec, ROOT / "results" / "runs")
            errors.setdefault(f"{spec.method}-{value}", []).append(record["test_rel_l2_H"])
    out = ROOT / "results" / "tests" / "fidelity_lv_five.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({k: {"mean_10": float(np.mean(v)), "mean_first_3":
                                   float(np.mean(v[:3])), "min": min(v), "max": max(v),
                                   "errors": v} for k, v in errors.items()}, indent=1))
    return errors


@pytest.mark.parametrize("key", ["aswim-400", "swim-400", "aswim-700", "swim-700"])
def test_lv_five_heavy_tail_matches_paper_over_ten_repeats(lv_five_errors, key):
    # At the default preset (3 repeats) these means are about 3x below the paper's: the paper's
    # 10-repeat mean is dominated by repeats 3-9. Over all ten seeds they agree.
    method, width = key.split("-")
    with (ROOT / "data" / "paper" / "sweeps.csv").open() as fh:
        paper = next(r for r in csv.DictReader(fh) if r["sweep"] == "lv-five"
                     and r["method"] == method and r["value"] == width)
    v = lv_five_errors[key]
    for ours, theirs in ((np.mean(v), paper["err_mean"]), (min(v), paper["err_min"]),
                         (max(v), paper["err_max"])):
        assert 1 / 1.3 <= ours / float(theirs) <= 1.3
