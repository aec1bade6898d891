"""Golden numbers guard the record version: small fits of every method on every built-in
system, whose errors are committed in ``tests/golden_fits.json`` with the record version that
made them. A change to the science code that moves a number must raise
``shnn.pipeline.records.RECORD_VERSION`` (which invalidates every stored record, committed paper
results included) and then regenerate the file::

    SHNN_REGENERATE_GOLDEN=1 pytest tests/test_golden_numbers.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from shnn.pipeline.fitting import run_fit
from shnn.pipeline.manifest import METHODS
from shnn.pipeline.records import RECORD_VERSION, FitSpec

GOLDEN = Path(__file__).with_name("golden_fits.json")
#: Relative tolerance: another BLAS thread count may move the last few digits, never more.
RTOL = 1e-8
#: system -> (params, q limits, p limits), one degree of freedom or two.
SYSTEMS = {
    "single_pendulum": ({}, [[-3.0, 3.0]], [[-1.0, 1.0]]),
    "lotka_volterra": ({}, [[-2.0, 2.0]], [[-2.0, 2.0]]),
    "double_pendulum": ({}, [[-1.0, 1.0]] * 2, [[-0.5, 0.5]] * 2),
    "henon_heiles": ({}, [[-1.0, 1.0]] * 2, [[-1.0, 1.0]] * 2),
}
ERRORS = ("test_rel_l2_H", "train_rel_l2_H", "test_rel_l2_xdot", "train_rel_l2_xdot")


def _spec(system: str, method: str) -> FitSpec:
    params, q, p = SYSTEMS[system]
    return FitSpec(system=system, params=params, domain="golden", q_lims=q, p_lims=p,
                   train_size=300, test_size=200, width=40, method=method, data_seed=3943,
                   model_seed=992472)


def _compute() -> dict[str, dict[str, float]]:
    return {f"{system}/{method}": {k: run_fit(_spec(system, method))[k] for k in ERRORS}
            for system in SYSTEMS for method in METHODS}


def test_golden_numbers_hold_for_this_record_version():
    if os.environ.get("SHNN_REGENERATE_GOLDEN"):
        GOLDEN.write_text(json.dumps({"record_version": RECORD_VERSION, "fits": _compute()},
                                     indent=1, sort_keys=True) + "\n")
    golden = json.loads(GOLDEN.read_text())
    assert golden["record_version"] == RECORD_VERSION, (
        f"RECORD_VERSION is {RECORD_VERSION} but {GOLDEN.name} was made at "
        f"{golden['record_version']}: regenerate it (see this module's docstring)")
    ours = _compute()
    assert set(ours) == set(golden["fits"])
    for key, errors in golden["fits"].items():
        for name, value in errors.items():
            assert ours[key][name] == pytest.approx(value, rel=RTOL), (
                f"{key} {name} moved from {value!r} to {ours[key][name]!r} at record version "
                f"{RECORD_VERSION}: a change that alters numbers must raise RECORD_VERSION")
