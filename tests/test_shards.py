"""Sharded sweeps (one job per sweep value), their gathering, and declared job resources."""

from __future__ import annotations

import copy

import pytest

from shnn import cli, resources
from shnn.config import load
from shnn.sweeps import (
    concat_csv,
    read_csv,
    run_sweep,
    shard_label,
    shard_labels,
    shard_value,
    write_csv,
)

SMOKE = load("config/smoke.yaml")
COSTS = resources.CostModel.from_files("bench/results/paper_estimate.json",
                                       "bench/results/adam_speed.json")


def tiny_sweep() -> dict:
    sweep = copy.deepcopy(SMOKE["sweeps"]["sp-small"])
    sweep.update(train_size=60, test_size=40, vary={"width": [8, 12]}, repeats=2,
                 methods=["elm", "swim"])
    return sweep


def test_labels_round_trip_and_reject_unknown_values():
    sweep = {"vary": {"alpha": [0.0, 0.2, 1.0]}}
    assert shard_labels(sweep) == ["0", "0.2", "1"]
    assert shard_value("hh", sweep, "0.2") == 0.2
    assert shard_label(1000) == "1000"
    with pytest.raises(ValueError, match=r"'0.3' is not a value of sweep 'hh'"):
        shard_value("hh", sweep, "0.3")


def test_shards_gathered_equal_the_whole_sweep(tmp_path):
    sweep = tiny_sweep()
    whole = run_sweep("t", sweep, tmp_path / "runs", progress=False)
    paths = []
    for label in shard_labels(sweep):
        rows = run_sweep("t", sweep, tmp_path / "runs", progress=False,
                         values=[shard_value("t", sweep, label)])
        assert {r["value"] for r in rows} == {int(label)}
        paths.append(tmp_path / f"value~{label}.csv")
        write_csv(rows, paths[-1])
    write_csv(whole, tmp_path / "whole.csv")
    concat_csv(paths, tmp_path / "gathered.csv")
    assert (tmp_path / "gathered.csv").read_text() == (tmp_path / "whole.csv").read_text()
    assert len(read_csv(tmp_path / "gathered.csv")) == 2 * 2 * 2


def test_gather_rejects_mismatched_headers_and_missing_files(tmp_path, capsys):
    (tmp_path / "a.csv").write_text("x,y\n1,2\n")
    (tmp_path / "b.csv").write_text("x,z\n1,2\n")
    out = tmp_path / "out.csv"
    assert cli.main(["gather", "--csv", str(out), str(tmp_path / "a.csv"),
                     str(tmp_path / "b.csv")]) == 2
    assert "header differs" in capsys.readouterr().err and not out.exists()
    assert cli.main(["gather", "--csv", str(out), str(tmp_path / "missing.csv")]) == 2
    assert "missing.csv" in capsys.readouterr().err and not out.exists()


def test_sweep_cli_rejects_an_unknown_shard_value(tmp_path, capsys):
    code = cli.main(["sweep", "--config", "config/smoke.yaml", "--sweep", "sp-small",
                     "--value", "77", "--runs-dir", str(tmp_path), "--csv",
                     str(tmp_path / "x.csv")])
    assert code == 2
    assert "'77' is not a value of sweep 'sp-small'" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_resources_grow_with_the_fit_and_cover_the_cost_model():
    paper = load("config/paper.yaml")
    dp = paper["sweeps"]["dp"]
    small = resources.shard_resources(COSTS, dp, 500)
    large = resources.shard_resources(COSTS, dp, 10000)
    assert small["runtime"] < large["runtime"] and small["mem_mb"] < large["mem_mb"]
    seconds = dp["repeats"] * sum(COSTS.fit_seconds(m, 2, dp["train_size"], 10000)
                                  for m in dp["methods"])
    assert large["runtime"] * 60 >= resources.TIME_MARGIN * seconds
    assert large["mem_mb"] * 2**20 >= COSTS.fit_peak_bytes(2, dp["train_size"], 10000)
    hnn = resources.baseline_resources(COSTS, paper["hnn"]["dp"])
    assert hnn["runtime"] * 60 >= COSTS.adam_seconds(paper["hnn"]["dp"]["steps"],
                                                     paper["hnn"]["dp"]["width"])
