"""Per-fit records: naming by parameters, atomic writes, resume after interruption, and
validation on reading (an invalid record is reported, recomputed, never reused)."""

import json
import logging
import math
import os

import pytest

from shnn import files
from shnn.pipeline import fitting, records, sweeps
from shnn.pipeline.records import (
    RECORD_VERSION,
    FitSpec,
    InvalidRecord,
    load_or_compute,
    read_record,
    record_path,
    record_problems,
    write_record,
)
from shnn.pipeline.store import RecordLog, shard_log_path

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
    real = fitting.run_fit
    monkeypatch.setattr(fitting, "run_fit", lambda spec, data=None: calls.append(spec) or
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
    valid = {"settings": json.loads(json.dumps(spec.settings())), "created": "now",
             **dict.fromkeys(records.RESULT_KEYS, 0.5)}
    write_record(path, valid)
    assert read_record(path, spec.settings()) == valid


def test_atomic_write_leaves_no_partial_file(tmp_path):
    path = tmp_path / "a" / "r.json"
    with pytest.raises(TypeError):
        write_record(path, {"bad": object()})
    assert not path.exists() and list(path.parent.iterdir()) == []


def test_fitspec_roundtrip_json():
    spec = FitSpec("henon_heiles", {"alpha": 0.5}, "d", [[-5, 5], [-5, 5]], [[-5, 5], [-5, 5]],
                   10, 10, 5, "elm", 1, 2)
    assert json.loads(json.dumps(spec.settings()))["params"] == {"alpha": 0.5}


def test_write_record_fsyncs_before_the_rename(tmp_path, monkeypatch):
    calls = []
    fsync, replace = os.fsync, os.replace
    monkeypatch.setattr(files.os, "fsync", lambda fd: calls.append("fsync") or fsync(fd))
    monkeypatch.setattr(files.os, "replace",
                        lambda a, b: calls.append("replace") or replace(a, b))
    write_record(tmp_path / "r.json", {"a": 1.0})
    assert calls[:2] == ["fsync", "replace"]
    assert json.loads((tmp_path / "r.json").read_text()) == {"a": 1.0}
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


# Validation on reading: every way a stored record can be wrong, as a corruption of the valid
# record (its text and parsed value) -> the bytes written, and a part of the reason reported.
def _json(record):
    return json.dumps(record).encode()


def _without(record, key):
    return {k: v for k, v in record.items() if k != key}


CORRUPTIONS = {
    "binary bytes": (lambda text, r: b"\x80\x81\xfe\xff\x00 garbage", "not UTF-8 text"),
    "another shape": (lambda text, r: b"[1, 2]", "not a JSON object but a JSON array"),
    "no results": (lambda text, r: _json({"settings": r["settings"], "created": r["created"]}),
                   "missing results: fit_seconds, test_rel_l2_H"),
    "string error": (lambda text, r: _json({**r, "test_rel_l2_H": "0.01"}),
                     "test_rel_l2_H is '0.01', not a finite number"),
    "nan error": (lambda text, r: _json({**r, "test_rel_l2_xdot": math.nan}),
                  "test_rel_l2_xdot is nan"),
    "inf error": (lambda text, r: _json({**r, "train_rel_l2_H": -math.inf}),
                  "train_rel_l2_H is -inf"),
    "truncated": (lambda text, r: text[: len(text) // 2].encode(), "not valid JSON"),
    "empty file": (lambda text, r: b"", "empty"),
    "other record version": (
        lambda text, r: _json({**r, "settings": {**r["settings"],
                                                 "record_version": RECORD_VERSION - 1}}),
        f"record version {RECORD_VERSION - 1} (this code is at {RECORD_VERSION})"),
    "other settings": (lambda text, r: _json({**r, "settings": {**r["settings"], "rcond": 1e-3}}),
                       "made with other settings (rcond differ)"),
    "settings not an object": (lambda text, r: _json({**r, "settings": "x"}),
                               "no settings object"),
    "no created": (lambda text, r: _json(_without(r, "created")), "created is missing"),
    "boolean error": (lambda text, r: _json({**r, "fit_seconds": True}),
                      "fit_seconds is True"),
    "huge integer error": (lambda text, r: _json({**r, "fit_seconds": 10**400}),
                           "fit_seconds is 1000"),
    "wall seconds a string": (lambda text, r: _json({**r, "wall_seconds": "1"}),
                              "wall_seconds is '1'"),
}

TINY = {**SWEEP, "train_size": 60, "test_size": 40, "vary": {"width": [8]}, "repeats": 1}


def _count_fits(monkeypatch):
    calls = []
    real = fitting.run_fit
    monkeypatch.setattr(fitting, "run_fit", lambda spec, data=None, **kw: calls.append(spec) or
                        real(spec, data, **kw))
    return calls


def _assert_csv_rows_valid(rows, path):
    sweeps.write_csv(rows, path)
    for row in sweeps.read_csv(path):
        for key in sweeps.CSV_COLUMNS[12:]:
            assert isinstance(row[key], float) and math.isfinite(row[key]), (key, row)


@pytest.mark.parametrize("case", CORRUPTIONS)
def test_invalid_record_file_is_reported_and_recomputed(tmp_path, monkeypatch, caplog, case):
    corrupt, reason = CORRUPTIONS[case]
    runs = tmp_path / "runs"
    rows = sweeps.run_sweep("t", TINY, runs, progress=False)
    spec = sweeps.sweep_points(TINY)[0][2][1]  # the uswim fit
    path = record_path(runs, spec)
    path.write_bytes(corrupt(path.read_text(), json.loads(path.read_text())))
    calls = _count_fits(monkeypatch)
    with caplog.at_level(logging.WARNING):
        again = sweeps.run_sweep("t", TINY, runs, progress=False)
    assert calls == [spec]
    assert str(path) in caplog.text and reason in caplog.text
    drop = lambda rs: [{k: v for k, v in r.items() if k != "fit_seconds"} for r in rs]  # noqa: E731
    assert drop(again) == drop(rows)  # the same numbers, recomputed
    _assert_csv_rows_valid(again, tmp_path / "t.csv")
    assert read_record(path, spec.settings()) is not None  # replaced by a valid record


HNN = {"width": 8, "steps": 20, "lr": 1e-3, "batch_size": 32, "weight_decay": 1e-13}

ADAM_CORRUPTIONS = {
    "loss_history not a list": ({"loss_history": "0.5"}, "loss_history is a JSON string"),
    "loss_history empty": ({"loss_history": []}, "loss_history is empty"),
    "loss_history with nan": ({"loss_history": [0.5, math.nan]}, "loss_history[1] is nan"),
    "final_loss a string": ({"final_loss": "0.5"}, "final_loss is '0.5'"),
}


@pytest.mark.parametrize("case", ADAM_CORRUPTIONS)
def test_invalid_adam_record_is_reported_and_retrained(tmp_path, monkeypatch, caplog, case):
    change, reason = ADAM_CORRUPTIONS[case]
    config = {"sweeps": {"t": TINY}, "hnn": {"t": HNN}}
    row = sweeps.run_baseline(config, "t", tmp_path)
    path = record_path(tmp_path, sweeps.baseline_spec(config, "t"))
    path.write_text(json.dumps({**json.loads(path.read_text()), **change}))
    calls = _count_fits(monkeypatch)
    with caplog.at_level(logging.WARNING):
        again = sweeps.run_baseline(config, "t", tmp_path)
    assert len(calls) == 1 and str(path) in caplog.text and reason in caplog.text
    assert math.isfinite(again["final_loss"]) and again.keys() == row.keys()
    with pytest.raises(fitting.MissingRecord):  # a bad record is missing, also without compute
        path.write_text(json.dumps({**json.loads(path.read_text()), **change}))
        sweeps.run_baseline(config, "t", tmp_path, compute=False)


def test_invalid_line_of_a_record_log_is_skipped_and_recomputed(tmp_path, monkeypatch, caplog):
    store = tmp_path / "store"
    rows = sweeps.run_sweep("t", TINY, tmp_path, progress=False, store_dir=store)
    path = shard_log_path(store, "t", "8")
    first, second = path.read_bytes().splitlines(keepends=True)
    broken = json.dumps({**json.loads(second), "test_rel_l2_H": "0.01"}).encode() + b"\n"
    path.write_bytes(first + b"\xff\xfe binary\n" + broken + b"[1, 2]\n")
    calls = _count_fits(monkeypatch)
    with caplog.at_level(logging.WARNING):
        again = sweeps.run_sweep("t", TINY, tmp_path, progress=False, store_dir=store)
    assert [c.method for c in calls] == ["uswim"]
    for number, reason in ((2, "not UTF-8 text"), (3, "test_rel_l2_H is '0.01'"),
                           (4, "not a JSON object")):
        assert f"{path}:{number}: invalid record ignored" in caplog.text and reason in caplog.text
    drop = lambda rs: [{k: v for k, v in r.items() if k != "fit_seconds"} for r in rs]  # noqa: E731
    assert drop(again) == drop(rows)
    _assert_csv_rows_valid(again, tmp_path / "t.csv")
    log = RecordLog(path, warn=False)
    assert len(log.records()) == 2 and [b.number for b in log.bad_lines()] == [2, 3, 4]


def test_log_line_without_code_is_invalid(tmp_path, caplog):
    store = tmp_path / "store"
    sweeps.run_sweep("t", TINY, tmp_path, progress=False, store_dir=store)
    path = shard_log_path(store, "t", "8")
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    path.write_text("".join(json.dumps(_without(r, "code")) + "\n" for r in lines))
    with caplog.at_level(logging.WARNING):
        assert RecordLog(path).records() == {}
    assert f"{path}:2: invalid record ignored (its fit is recomputed): code is missing" in \
        caplog.text


def test_a_computed_invalid_record_is_not_stored(tmp_path, monkeypatch):
    spec = sweeps.sweep_points(TINY)[0][2][0]
    monkeypatch.setattr(fitting, "run_fit", lambda spec, data=None: {
        **dict.fromkeys(records.RESULT_KEYS, 0.5), "test_rel_l2_H": math.nan})
    with pytest.raises(InvalidRecord, match="computed record not stored: test_rel_l2_H is nan"):
        fitting.fit_record(spec, tmp_path)
    assert not record_path(tmp_path, spec).exists()


def test_record_problems_accepts_valid_records_only():
    spec = sweeps.sweep_points(TINY)[0][2][0]
    valid = {"settings": spec.settings(), "created": "now", "wall_seconds": 2,
             **dict.fromkeys(records.RESULT_KEYS, 0.5)}
    assert record_problems(valid, spec.settings()) == record_problems(valid) == []
    assert record_problems(None) == ["not a JSON object but a JSON null"]
    hnn = {**valid, "settings": {**valid["settings"], "method": "hnn"}}
    assert record_problems(hnn) == ["missing results: final_loss",
                                    "loss_history is a JSON null, not a list of numbers"]
    assert record_problems({**hnn, "final_loss": 0.1, "loss_history": [1, 0.5]}) == []


def test_other_records_are_validated_by_structure_only(tmp_path, caplog):
    """The error-correction records (shnn.correction) hold other results."""
    path = tmp_path / "c.json"
    settings = {"h": 0.1, "repeat": 0}
    path.write_bytes(b"\x00\x9f not json")
    with caplog.at_level(logging.WARNING):
        record, computed = load_or_compute(path, settings, lambda: {"err": 0.5})
    assert computed and record["err"] == 0.5 and str(path) in caplog.text
    assert load_or_compute(path, settings, lambda: {"err": 1.0}) == (record, False)
