"""An Adam baseline on the store's scale: its first steps timed again
(``shnn.pipeline.baseline_bridge``), and Table 2's times on one scale (``tables.scaled_times``)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml

from shnn.pipeline import baseline_bridge, calibration, machine, retime, scale, tables
from shnn.pipeline.config import load
from shnn.pipeline.recompute import ErrorsDiffer
from shnn.pipeline.store import baseline_log_path, shard_log_path
from shnn.pipeline.sweeps import run_baseline, run_sweep

ROOT = Path(__file__).resolve().parents[1]


def _preset(tmp_path: Path, write_preset) -> tuple[Path, dict]:
    """A tiny preset with a store: one sweep (every fit stored) and its Adam baseline."""
    config = yaml.safe_load((ROOT / "config" / "smoke.yaml").read_text())
    sweep = {**config["sweeps"]["sp-small"], "train_size": 60, "test_size": 40,
             "vary": {"width": [8, 12]}, "repeats": 2, "methods": ["elm"]}
    config.update(sweeps={"sp-small": sweep},
                  hnn={"sp-small": {"width": 8, "steps": 60, "lr": 1e-3, "batch_size": 16,
                                    "weight_decay": 1e-13}},
                  results_dir=str(tmp_path / "results"), figures_dir=str(tmp_path / "figures"),
                  runs_dir=str(tmp_path / "runs"), store_dir=str(tmp_path / "store"))
    path = write_preset(config)
    config = load(path)
    run_sweep("sp-small", config["sweeps"]["sp-small"], config["runs_dir"], progress=False,
              store_dir=config["store_dir"])
    run_baseline(config, "sp-small", config["runs_dir"])
    return path, config


def _rewrite(path: Path, change) -> None:
    """Apply ``change`` to every record of a store log, as if it had been stored so."""
    records = [json.loads(line) for line in path.read_text().splitlines()]
    for record in records:
        change(record)
    path.write_text("".join(json.dumps(r) + "\n" for r in records))


def _old(record: dict) -> None:
    """A record made before records named their machine."""
    record.pop("machine", None)


def test_a_baseline_bridge_times_its_first_steps_and_checks_their_losses(tmp_path,
                                                                        write_preset):
    _, config = _preset(tmp_path, write_preset)
    bridge = baseline_bridge.measure(config, "sp-small", steps=20)
    assert (bridge["sweep"], bridge["value"], bridge["steps"]) == ("hnn", "sp-small", 20)
    assert bridge["losses"] == "bitwise" and bridge["loss_difference"] == 0
    assert bridge["ratio"] == pytest.approx(
        bridge["seconds_per_step"] / bridge["stored_seconds_per_step"], rel=1e-3)
    assert bridge["machine"]["boot"] == machine.boot_id() and "contention" in bridge

    _rewrite(baseline_log_path(config["store_dir"], "sp-small"),
             lambda r: r.update(loss_history=[v * 1.01 for v in r["loss_history"]]))
    with pytest.raises(ErrorsDiffer, match="losses differ"):
        baseline_bridge.measure(config, "sp-small", steps=20)
    with pytest.raises(ValueError, match="unknown Adam baseline 'nope'"):
        baseline_bridge.measure(config, "nope")
    with pytest.raises(ValueError, match="at most the baseline's 60"):
        baseline_bridge.measure(config, "sp-small", steps=600)


def test_the_loss_difference_compares_the_steps_both_runs_have():
    losses = np.array([4.0, 3.0, 2.0, 1.0, 0.5])
    assert baseline_bridge.loss_difference(losses, [4.0, 2.0, 0.5, 0.1], 2) == 0.0
    assert baseline_bridge.loss_difference(losses, [4.0, 2.2], 2) == pytest.approx(0.2 / 2.2)
    assert baseline_bridge.loss_difference(losses, [], 2) == float("inf")
    assert baseline_bridge.history_stride(180000) == 180
    assert baseline_bridge.history_stride(200) == 1
    assert baseline_bridge.bridge_steps(180000) == 1800 and baseline_bridge.bridge_steps(60) == 60
    assert baseline_bridge.bridge_steps(250000) == 1750  # a multiple of the stride 250


def test_table_times_go_on_the_scale_only_when_every_one_can(tmp_path, write_preset,
                                                              monkeypatch, capsys):
    path, config = _preset(tmp_path, write_preset)
    monkeypatch.setattr(machine, "ALONE", 1.0)  # whatever else runs beside the test
    _rewrite(baseline_log_path(config["store_dir"], "sp-small"), _old)
    calibration.append_calibration(config["store_dir"], {
        "machine": machine.identity(), "median_seconds": 1.0, "contention": 0.0})
    rows = {"sp-small": run_sweep("sp-small", config["sweeps"]["sp-small"],
                                  config["runs_dir"], progress=False,
                                  store_dir=config["store_dir"])}
    hnn = {"sp-small": run_baseline(config, "sp-small", config["runs_dir"])}
    before = json.dumps([rows, hnn])
    assert scale.baseline_factor(config, "sp-small") is None  # no bridge yet
    assert tables.scaled_times(config, rows, hnn) == {} and json.dumps([rows, hnn]) == before

    assert retime.run(str(path), 5, bridge=True, baselines=["sp-small"]) == 0
    assert "Adam baseline sp-small" in capsys.readouterr().out
    factor, how = scale.baseline_factor(config, "sp-small")
    bridge = scale.read_bridges(config["store_dir"])["hnn", "sp-small"]
    assert how == "bridge" and factor == pytest.approx(bridge["ratio"], rel=1e-12)
    notes = tables.scaled_times(config, rows, hnn)
    assert list(notes) == ["sp-small"] and "HNN: by its bridge" in notes["sp-small"]
    old = json.loads(before)[1]["sp-small"]["fit_seconds"]
    assert hnn["sp-small"]["fit_seconds"] == pytest.approx(old * factor, rel=1e-12)

    # one sweep fit that nothing measured can scale: every time stays as measured
    _rewrite(shard_log_path(config["store_dir"], "sp-small", "12"), _old)
    rows = {"sp-small": run_sweep("sp-small", config["sweeps"]["sp-small"],
                                  config["runs_dir"], progress=False,
                                  store_dir=config["store_dir"])}
    hnn = {"sp-small": run_baseline(config, "sp-small", config["runs_dir"])}
    before = json.dumps([rows, hnn])
    assert tables.scaled_times(config, rows, hnn) == {} and json.dumps([rows, hnn]) == before


def test_a_baseline_goes_with_bridge_and_must_be_known(tmp_path, write_preset):
    path, _ = _preset(tmp_path, write_preset)
    with pytest.raises(ValueError, match="unknown Adam baseline 'nope'"):
        retime.run(str(path), 5, bridge=True, baselines=["nope"])
    with pytest.raises(ValueError, match="--baseline goes with --bridge"):
        retime.run(str(path), 5, baselines=["sp-small"])
