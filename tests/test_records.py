"""Per-fit records: naming by parameters, atomic writes, resume after interruption."""

import json

import pytest

from shnn import sweeps
from shnn.records import FitSpec, read_record, record_path, write_record

SWEEP = {"system": "single_pendulum", "domain": "small", "q_lims": [[-3.0, 3.0]],
         "p_lims": [[-1.0, 1.0]], "train_size": 200, "test_size": 100,
         "vary": {"width": [20, 40]}, "repeats": 2, "methods": ["elm", "uswim"],
         "data_seed": 3943, "model_seed": 992472}


def test_record_path_names_parameters(tmp_path):
    spec = sweeps.sweep_points(SWEEP)[0][2][1]
    path = record_path(tmp_path, spec)
    rel = path.relative_to(tmp_path).as_posix()
    assert rel == ("system~single_pendulum/domain~small/train~200/test~100/"
                   "width~20/method~uswim/seeds~3943-992472.json")
    assert spec.params == {"m": 1.0, "l": 1.0, "g": 1.0, "f": 1.0}
    freq = sweeps.sweep_points({**SWEEP, "params": {"f": 10}})[0][2][0]
    assert "/f~10/domain~small/" in record_path(tmp_path, freq).as_posix()


def test_seeds_restart_per_value_and_advance_per_repeat():
    points = sweeps.sweep_points(SWEEP)
    seeds = [(v, r, s.data_seed, s.model_seed) for v, r, specs in points for s in specs[:1]]
    assert seeds == [(20, 0, 3943, 992472), (20, 1, 3944, 992473),
                     (40, 0, 3943, 992472), (40, 1, 3944, 992473)]


def test_resume_recomputes_only_missing(tmp_path, monkeypatch):
    rows = sweeps.run_sweep("t", SWEEP, tmp_path, progress=False)
    assert len(rows) == 8
    files = sorted(tmp_path.rglob("*.json"))
    assert len(files) == 8
    files[3].unlink()
    (files[5]).write_text('{"settings": {"truncated')  # a half-written record
    calls = []
    real = sweeps.run_fit
    monkeypatch.setattr(sweeps, "run_fit", lambda spec, data=None: calls.append(spec) or
                        real(spec, data))
    rows2 = sweeps.run_sweep("t", SWEEP, tmp_path, progress=False)
    assert len(calls) == 2
    strip = lambda rs: [{k: v for k, v in r.items() if k != "fit_seconds"} for r in rs]  # noqa: E731
    recomputed = {(c.width, c.method, c.data_seed) for c in calls}
    same = [r for r in strip(rows) if (r["width"], r["method"], r["data_seed"]) not in recomputed]
    same2 = [r for r in strip(rows2) if (r["width"], r["method"], r["data_seed"]) not in recomputed]
    assert same == same2
    assert [r["test_rel_l2_H"] for r in rows] == [r["test_rel_l2_H"] for r in rows2]


def test_record_with_other_settings_is_not_reused(tmp_path):
    spec = sweeps.sweep_points(SWEEP)[0][2][0]
    path = record_path(tmp_path, spec)
    write_record(path, {"settings": {**spec.settings(), "rcond": 1e-10}})
    assert read_record(path, spec.settings()) is None
    write_record(path, {"settings": spec.settings(), "x": 1})
    expected = {"settings": json.loads(json.dumps(spec.settings())), "x": 1}
    assert read_record(path, spec.settings()) == expected


def test_atomic_write_leaves_no_partial_file(tmp_path):
    path = tmp_path / "a" / "r.json"
    with pytest.raises(TypeError):
        write_record(path, {"bad": object()})
    assert not path.exists() and list(path.parent.iterdir()) == []


def test_fitspec_roundtrip_json():
    spec = FitSpec("henon_heiles", {"alpha": 0.5}, "d", [[-5, 5], [-5, 5]], [[-5, 5], [-5, 5]],
                   10, 10, 5, "elm", 1, 2)
    assert json.loads(json.dumps(spec.settings()))["params"] == {"alpha": 0.5}
