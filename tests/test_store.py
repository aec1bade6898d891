"""The committed record store: append-only JSON lines, torn lines, stale versions, resume."""

import json
import logging
import math
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace

import pytest

from shnn.pipeline import fitting, sweeps
from shnn.pipeline.machine import Usage
from shnn.pipeline.records import RECORD_VERSION, RESULT_KEYS
from shnn.pipeline.store import RecordLog, code_version, new_record, shard_log_path

SWEEP = {"system": "single_pendulum", "domain": "small", "q_lims": [[-6.28, 6.28]],
         "p_lims": [[-1.0, 1.0]], "train_size": 200, "test_size": 100,
         "vary": {"width": [20, 40]}, "repeats": 2, "methods": ["elm", "swim"],
         "data_seed": 3943, "model_seed": 992472}


def _results(error):
    """Every result of a fit record (a stored record must hold them all), test error ``error``."""
    return {**dict.fromkeys(RESULT_KEYS, 1.0), "test_rel_l2_H": error}


def _spec(width=20, method="elm"):
    return sweeps.sweep_points(SWEEP, [width])[0][2][["elm", "swim"].index(method)]


def test_put_get_roundtrip_one_line_per_fit(tmp_path):
    log = RecordLog(tmp_path / "s.jsonl")
    a, b = _spec(20, "elm"), _spec(20, "swim")
    assert log.get(a) is None
    log.put(a, new_record(a.settings(), _results(0.5), Usage(1.0, 1.0, 0.0)))
    log.put(b, new_record(b.settings(), _results(0.25), Usage(2.0, 2.0, 0.0)))
    lines = (tmp_path / "s.jsonl").read_text().splitlines()
    assert len(lines) == 2
    fresh = RecordLog(tmp_path / "s.jsonl")  # a new reader, as on another machine
    assert fresh.get(a)["test_rel_l2_H"] == 0.5 and fresh.get(b)["test_rel_l2_H"] == 0.25
    assert fresh.get(a)["code"] == code_version()
    assert fresh.get(a)["code"]["record_version"] == RECORD_VERSION
    assert fresh.get(_spec(40, "elm")) is None


def test_torn_last_line_is_ignored_and_cut_before_the_next_append(tmp_path, caplog):
    path = tmp_path / "s.jsonl"
    a, b = _spec(20, "elm"), _spec(20, "swim")
    RecordLog(path).put(a, new_record(a.settings(), _results(1.0), Usage(1.0, 1.0, 0.0)))
    with path.open("a") as fh:
        fh.write('{"settings": {"record_version"')  # killed in mid-write
    with caplog.at_level(logging.WARNING):
        log = RecordLog(path)
        assert log.get(a) is not None and log.get(b) is None
    assert "incomplete last line" in caplog.text
    log.put(b, new_record(b.settings(), _results(2.0), Usage(1.0, 1.0, 0.0)))
    lines = path.read_text().splitlines()
    assert len(lines) == 2 and all(json.loads(line) for line in lines)


def test_record_of_another_version_is_rejected_with_a_message(tmp_path, caplog):
    path = tmp_path / "s.jsonl"
    a = _spec()
    old = new_record({**a.settings(), "record_version": RECORD_VERSION - 1}, _results(1.0),
                     Usage(1.0, 1.0, 0.0))
    path.write_text(json.dumps({**old, "code": {"record_version": RECORD_VERSION - 1,
                                                "commit": "abc123"}}) + "\n")
    with caplog.at_level(logging.WARNING):
        assert RecordLog(path).get(a) is None
    assert str(path) in caplog.text and "abc123" in caplog.text
    assert f"record version {RECORD_VERSION - 1}" in caplog.text


@pytest.mark.parametrize("line", ["[1, 2]", '{"no": "settings"}', "not json at all"])
def test_lines_that_are_not_records_are_ignored(tmp_path, line, caplog):
    path = tmp_path / "s.jsonl"
    path.write_text(line + "\n" + "\n")
    with caplog.at_level(logging.WARNING):
        assert RecordLog(path).records() == {}
    assert str(path) in caplog.text


def test_sweep_with_store_dir_writes_shard_logs_and_resumes(tmp_path):
    store = tmp_path / "store"
    rows = sweeps.run_sweep("t", SWEEP, tmp_path / "unused", progress=False, store_dir=store)
    assert len(rows) == 8
    for width in (20, 40):
        lines = shard_log_path(store, "t", str(width)).read_text().splitlines()
        assert len(lines) == 4
    assert not (tmp_path / "unused").exists()
    again = sweeps.run_sweep("t", SWEEP, tmp_path / "unused", progress=False, store_dir=store,
                             compute=False)
    assert again == rows
    assert sweeps.missing_fits("t", SWEEP, 20, store) == []


def test_compute_false_and_stop_rule(tmp_path):
    with pytest.raises(fitting.MissingRecord, match="width=20 elm"):
        sweeps.run_sweep("t", SWEEP, tmp_path, progress=False, store_dir=tmp_path / "s",
                         compute=False)
    with pytest.raises(fitting.BudgetExhausted):
        sweeps.run_sweep("t", SWEEP, tmp_path, progress=False, store_dir=tmp_path / "s",
                         stop=lambda spec: True)
    assert not (tmp_path / "s").exists()
    # A stop rule consulted only for missing fits: stop after the first two fits.
    calls = []
    with pytest.raises(fitting.BudgetExhausted):
        sweeps.run_sweep("t", SWEEP, tmp_path, progress=False, store_dir=tmp_path / "s",
                         stop=lambda spec: calls.append(spec) or len(calls) > 2)
    assert len(sweeps.missing_fits("t", SWEEP, 20, tmp_path / "s")) == 2


SHARD_SCRIPT = """
import sys, time
from shnn.pipeline import sweeps
sweep = {sweep!r}
sweeps.run_sweep("t", sweep, "unused", progress=False, store_dir=sys.argv[1])
"""


def test_sigkill_mid_shard_loses_at_most_the_fit_in_flight(tmp_path):
    sweep = {**SWEEP, "train_size": 3000, "vary": {"width": [300]}, "repeats": 4,
             "methods": ["elm", "aswim"]}
    killed_store = tmp_path / "killed"
    log_path = shard_log_path(killed_store, "t", "300")
    proc = subprocess.Popen([sys.executable, "-c", SHARD_SCRIPT.format(sweep=sweep),
                             str(killed_store)])
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if log_path.exists() and len(log_path.read_bytes().splitlines()) >= 2:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL, "the shard finished before it could be killed"
    stored = len(RecordLog(log_path).records())
    assert 2 <= stored < 8
    resumed = sweeps.run_sweep("t", sweep, "unused", progress=False, store_dir=killed_store)
    whole = sweeps.run_sweep("t", sweep, "unused", progress=False, store_dir=tmp_path / "w")
    drop = ("fit_seconds",)
    assert [{k: v for k, v in r.items() if k not in drop} for r in resumed] == \
        [{k: v for k, v in r.items() if k not in drop} for r in whole]
    assert len(RecordLog(log_path).records()) == 8


def test_baseline_with_store_and_checkpoint(tmp_path):
    config = {"store_dir": str(tmp_path / "store"),
              "sweeps": {"t": SWEEP},
              "hnn": {"t": {"width": 20, "steps": 60, "lr": 1e-3, "batch_size": 64,
                            "weight_decay": 1e-13}}}
    ckpt = tmp_path / "store" / "checkpoints" / "t.pt"
    row = sweeps.run_baseline(config, "t", tmp_path / "unused", checkpoint=ckpt,
                              checkpoint_every=20)
    assert not ckpt.exists()  # deleted once the record is stored
    assert math.isfinite(row["test_rel_l2_H"]) and row["steps"] == 60
    again = sweeps.run_baseline(config, "t", tmp_path / "unused", compute=False)
    assert again == row
    assert not (tmp_path / "unused").exists()


def test_recorded_spec_changes_are_not_reused(tmp_path):
    store = tmp_path / "store"
    sweeps.run_sweep("t", SWEEP, tmp_path, progress=False, store_dir=store)
    other = {**SWEEP, "rcond": 1e-10}
    assert len(sweeps.missing_fits("t", other, 20, store)) == 4
    spec = replace(_spec(), rcond=1e-10)
    assert RecordLog(shard_log_path(store, "t", "20")).get(spec) is None


def test_code_version_names_the_commit(monkeypatch):
    code_version.cache_clear()
    monkeypatch.setenv("SHNN_COMMIT", "deadbeef")
    try:
        assert code_version() == {"record_version": RECORD_VERSION, "commit": "deadbeef"}
    finally:
        code_version.cache_clear()
    os.environ.pop("SHNN_COMMIT", None)
