"""A time panel on one machine's scale: calibrations and bridges (``shnn.pipeline.scale``)."""

from __future__ import annotations

import json
import statistics

import pytest
from test_retime import _store

from shnn.pipeline import calibration, machine, retime, scale
from shnn.pipeline.store import shard_log_path
from shnn.pipeline.sweeps import run_sweep


def _make_old(config: dict, label: str, factor: float) -> None:
    """Make one shard's records look as if made before records named their machine, on a
    machine ``factor`` times slower."""
    log = shard_log_path(config["store_dir"], "sp-small", label)
    records = [json.loads(line) for line in log.read_text().splitlines()]
    for record in records:
        record.pop("machine")
        record["fit_seconds"] *= factor
    log.write_text("".join(json.dumps(r) + "\n" for r in records))


def test_an_old_shard_is_bridged_and_the_sweep_then_goes_on_one_scale(tmp_path, write_preset,
                                                                       monkeypatch, capsys):
    path, config = _store(tmp_path, write_preset)
    monkeypatch.setattr(machine, "ALONE", 1.0)  # whatever else runs beside the test
    _make_old(config, "12", 2.0)
    assert scale.store_scale(config["store_dir"]) is None  # no calibration yet
    targets = scale.bridge_targets(config)
    assert [(t.sweep, t.label, len(t.fits)) for t in targets] == [("sp-small", "12", 1)]
    assert targets[0].stored_medians == {"elm": statistics.median(
        json.loads(line)["fit_seconds"] for line in
        shard_log_path(config["store_dir"], "sp-small", "12").read_text().splitlines())}
    assert retime.run(str(path), 5, bridge=True) == 0
    bridges = scale.read_bridges(config["store_dir"])
    assert list(bridges) == [("sp-small", "12")]
    bridge = bridges["sp-small", "12"]
    assert bridge["ratio"] > 0 and bridge["machine"]["boot"] == machine.boot_id()
    assert bridge["fits"][0]["stored"] > 0 and scale.bridge_targets(config) == []
    assert bridge["fits"][0]["errors"] == "bitwise"

    assert scale.store_scale(config["store_dir"]) is None  # the tiny preset has no reference
    calibration.append_calibration(config["store_dir"], {
        "machine": machine.identity(), "median_seconds": 1.5, "contention": 0.0})
    found = scale.store_scale(config["store_dir"])
    assert found is not None and (found.boot, found.seconds) == (machine.boot_id(), 1.5)
    factors = scale.sweep_factors(config, "sp-small", found)
    assert factors is not None and len(factors) == 6
    assert {how for _, how in factors.values()} == {"calibration", "bridge"}
    assert factors[12, 1, "elm"][0] == pytest.approx(bridge["ratio"], rel=1e-12)  # one shard
    assert factors[8, 0, "elm"] == (1.0, "calibration")  # the scale machine itself
    rows = run_sweep("sp-small", config["sweeps"]["sp-small"], config["runs_dir"],
                     progress=False, store_dir=config["store_dir"])
    scaled = scale.on_scale(rows, factors)
    for row, new in zip(rows, scaled, strict=True):
        factor = factors[row["value"], row["repeat"], row["method"]][0]
        assert new["fit_seconds"] == row["fit_seconds"] * factor
        assert {k: v for k, v in new.items() if k != "fit_seconds"} == \
            {k: v for k, v in row.items() if k != "fit_seconds"}
    note = scale.scale_note(factors, found)
    assert note.startswith("all 6 fits on the scale of machine ")
    assert "3 by their machine's calibration" in note and "3 made before records" in note


def test_a_sweep_with_a_fit_that_cannot_be_scaled_stays_as_measured(tmp_path, write_preset,
                                                                    monkeypatch):
    _, config = _store(tmp_path, write_preset)
    _make_old(config, "12", 1.0)
    calibration.append_calibration(config["store_dir"], {
        "machine": machine.identity(), "median_seconds": 2.0, "contention": 0.0})
    found = scale.store_scale(config["store_dir"])
    assert found.seconds == 2.0
    assert scale.sweep_factors(config, "sp-small", found) is None  # width 12 has no bridge


def test_a_contended_or_torn_bridge_is_not_trusted(tmp_path):
    good = {"sweep": "s", "value": "1", "ratio": 0.5, "contention": 0.05,
            "machine": {"boot": "b"}}
    scale.append_bridge(tmp_path, good)
    scale.append_bridge(tmp_path, {**good, "value": "2", "contention": 0.9})
    with scale.bridges_path(tmp_path).open("a") as fh:
        fh.write('{"sweep": "s", "val')
    assert list(scale.read_bridges(tmp_path)) == [("s", "1")]


def test_a_bridge_whose_errors_all_differ_stops_and_stores_nothing(tmp_path, write_preset,
                                                                   monkeypatch, capsys):
    path, config = _store(tmp_path, write_preset)
    monkeypatch.setattr(machine, "ALONE", 1.0)
    _make_old(config, "12", 1.0)
    log = shard_log_path(config["store_dir"], "sp-small", "12")
    records = [json.loads(line) for line in log.read_text().splitlines()]
    for record in records:
        record["test_rel_l2_H"] *= 1.01
    log.write_text("".join(json.dumps(r) + "\n" for r in records))
    assert retime.run(str(path), 5, bridge=True) == 1
    assert "no bridge stored" in capsys.readouterr().err
    assert scale.read_bridges(config["store_dir"]) == {}


def test_a_bridge_with_the_reference_beside_it_is_read_against_that_moment():
    bridge = {"ratio": 0.5, "machine": {"boot": "other"}, "reference_seconds": [3.0, 5.0]}
    found = scale.Scale("scale", 2.0, {"scale": 2.0}, {("s", "1"): bridge})
    # now / stored 0.5 at a moment the reference took 4 s: on a 2 s scale, a factor 0.25
    assert found.factor("s", "1", {}) == (0.25, "bridge")
    plain = {**bridge, "machine": {"boot": "scale"}}
    del plain["reference_seconds"]
    assert scale.Scale("scale", 2.0, {"scale": 2.0}, {("s", "1"): plain}).factor(
        "s", "1", {}) == (0.5, "bridge")
    assert found.factor("s", "2", {}) is None  # no bridge, no machine
