"""Sharded sweeps (one job per sweep value), their gathering, and declared job resources."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from shnn import cli
from shnn.pipeline import resources
from shnn.pipeline.config import load
from shnn.pipeline.sweeps import (
    concat_csv,
    read_csv,
    run_sweep,
    shard_label,
    shard_labels,
    shard_value,
    write_csv,
)

SMOKE = load("config/smoke.yaml")
COSTS = resources.CostModel.committed()


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


PAPER = load("config/paper.yaml")


def _increasing(values: list[float]) -> bool:
    """Never falling, and higher at the end than at the start."""
    return values == sorted(values) and values[0] < values[-1]


@pytest.mark.parametrize("sweep_id, key", [("dp", "width"), ("sp-small", "width"),
                                           ("sp-f20", "train_size")])
def test_shard_resources_grow_with_the_fit(sweep_id: str, key: str) -> None:
    """Wider networks and more training points: more time and more memory per shard."""
    sweep = PAPER["sweeps"][sweep_id]
    values = sorted(sweep["vary"][key])
    declared = [resources.shard_resources(COSTS, sweep, v) for v in values]
    assert _increasing([d["runtime"] for d in declared])
    assert _increasing([d["mem_mb"] for d in declared])


def test_memory_grows_with_the_size_of_the_fit_not_with_the_system() -> None:
    """Peak memory grows with N x M, and with M^2 beyond it (the matrix of the least-squares
    system): more for double the width than for double the points, and more for the 4-D
    double pendulum than for a 2-D system of the same N and M."""
    base = COSTS.fit_peak_bytes(1, 10000, 1000)
    more_n, more_m = COSTS.fit_peak_bytes(1, 20000, 1000), COSTS.fit_peak_bytes(1, 10000, 2000)
    assert base < more_n < more_m < 4 * base  # M also sizes the square B
    assert COSTS.fit_peak_bytes(2, 10000, 1000) > base


def test_a_shard_with_more_fits_takes_longer_but_no_more_memory() -> None:
    """Repeats and methods run one after another: time adds up, memory is the largest fit's."""
    dp = PAPER["sweeps"]["dp"]
    fewer = {**dp, "methods": ["uswim"]}
    more = {**dp, "repeats": 2 * dp["repeats"]}
    width = max(dp["vary"]["width"])
    declared = [resources.shard_resources(COSTS, s, width) for s in (fewer, dp, more)]
    assert declared[0]["runtime"] < declared[1]["runtime"] < declared[2]["runtime"]
    assert declared[0]["mem_mb"] == declared[1]["mem_mb"] == declared[2]["mem_mb"]
    aswim_only = resources.shard_resources(COSTS, {**dp, "methods": ["aswim"]}, width)
    assert aswim_only["runtime"] > declared[0]["runtime"]  # A-SWIM's two stages cost more


def test_baseline_runtime_grows_with_steps_and_width() -> None:
    hnn = PAPER["hnn"]["dp"]
    base = resources.baseline_resources(COSTS, hnn)["runtime"]
    assert resources.baseline_resources(COSTS, {**hnn, "steps": 2 * hnn["steps"]})["runtime"] \
        > base
    assert resources.baseline_resources(COSTS, {**hnn, "width": 2 * hnn["width"]})["runtime"] \
        > base
    assert resources.baseline_resources(COSTS, {**hnn, "steps": 1})["runtime"] < base


def _committed(pattern: str) -> list[tuple[str, list[dict]]]:
    """Each committed log and its fits as the store reads them: the last line of each fit (a
    re-timed fit's line is appended again; its old line stays in the log)."""
    from shnn.pipeline.store import RecordLog

    store = Path(PAPER["store_dir"])
    return [(path.relative_to(store).as_posix(), list(RecordLog(path).records().values()))
            for path in sorted(store.glob(pattern))]


def test_declared_runtime_covers_the_committed_paper_fits() -> None:
    """The paper preset's fits were measured on the 2-core reference machine: every shard
    and baseline in the store took less wall time than its job declares."""
    shards = _committed("sweeps/*/value~*.jsonl")
    if not shards:
        pytest.skip("no committed paper shard yet")
    for name, records in shards:
        sweep_id, label = name.split("/")[1], name.split("~")[1].removesuffix(".jsonl")
        sweep = PAPER["sweeps"][sweep_id]
        declared = resources.shard_resources(COSTS, sweep, shard_value(sweep_id, sweep, label))
        assert sum(r["wall_seconds"] for r in records) <= 60 * declared["runtime"], name
    for name, records in _committed("hnn/*.jsonl"):
        case = name.split("/")[1].removesuffix(".jsonl")
        declared = resources.baseline_resources(COSTS, PAPER["hnn"][case])
        assert max(r["wall_seconds"] for r in records) <= 60 * declared["runtime"], name
