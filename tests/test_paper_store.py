"""The committed paper-preset store (records/paper): valid for this code, reproducible with
``shnn fit``, and never replanned by Snakemake on a fresh clone."""

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from plan import dry_run, planned_outputs, planned_rules

from shnn.pipeline import progress, sweeps
from shnn.pipeline.config import load
from shnn.pipeline.machine import Usage
from shnn.pipeline.recompute import CROSS_CPU_RTOL
from shnn.pipeline.records import RECORD_VERSION, RESULT_KEYS
from shnn.pipeline.store import RecordLog, baseline_log_path, new_record, shard_log_path

ROOT = Path(__file__).resolve().parents[1]
PAPER = load(ROOT / "config" / "paper.yaml")
STORE = ROOT / PAPER["store_dir"]


def _committed_lines() -> list[tuple[Path, dict]]:
    """Every line of the store's record logs (sweep shards and Adam baselines; not its machine
    log, ``machines.jsonl``)."""
    logs = sorted([*STORE.glob("sweeps/*/*.jsonl"), *STORE.glob("hnn/*.jsonl")])
    return [(path, json.loads(line)) for path in logs
            for line in path.read_text().splitlines() if line.strip()]


def test_every_committed_record_is_of_this_record_version():
    """A change that alters computed numbers must bump RECORD_VERSION; that invalidates every
    committed paper result, so it must be a deliberate decision (see docs/paper-preset.md)."""
    for path, record in _committed_lines():
        version = record["settings"]["record_version"]
        assert version == RECORD_VERSION, (
            f"{path}: committed paper result of record version {version} (commit "
            f"{record['code']['commit']}), code is at {RECORD_VERSION}")
        assert record["code"]["commit"] not in ("", "unknown")
        assert all(math.isfinite(record[k]) for k in ("test_rel_l2_H", "fit_seconds"))


def _fit_args(settings: dict) -> list[str]:
    pairs = lambda lims: [f"{lo!r},{hi!r}" for lo, hi in lims]  # noqa: E731
    args = ["fit", "--system", settings["system"], "--method", settings["method"],
            "--width", str(settings["width"]), "--train-size", str(settings["train_size"]),
            "--test-size", str(settings["test_size"]), "--data-seed", str(settings["data_seed"]),
            "--model-seed", str(settings["model_seed"]), "--json"]
    for key, value in settings["params"].items():
        args += ["--param", f"{key}={value!r}"]
    args += ["--q-lims", *pairs(settings["q_lims"]), "--p-lims", *pairs(settings["p_lims"])]
    if settings["method"] == "hnn":
        args += ["--steps", str(settings["steps"]), "--lr", repr(settings["lr"]),
                 "--batch-size", str(settings["batch_size"]),
                 "--weight-decay", repr(settings["weight_decay"])]
    else:
        args += ["--rcond", repr(settings["rcond"]), "--solver", settings["solver"],
                 "--elm-bias", f"{settings['elm_bias'][0]!r},{settings['elm_bias'][1]!r}"]
    return args


def _cheapest(method_filter) -> list[dict]:
    records = [r for _, r in _committed_lines() if method_filter(r["settings"]["method"])]
    cost = lambda r: r["settings"]["width"] * r["settings"]["train_size"] * max(  # noqa: E731
        1, r["settings"]["steps"])
    return sorted(records, key=cost)[:2]


# The cheapest paper baseline trains for minutes: with the fidelity tests (slow).
@pytest.mark.parametrize("kind", ["sampled", pytest.param("hnn", marks=pytest.mark.slow)])
def test_committed_fit_is_recomputed_by_shnn_fit(kind):
    records = _cheapest(lambda m: (m == "hnn") == (kind == "hnn"))
    if not records:
        pytest.skip(f"no committed {kind} paper result yet")
    for record in records[:1 if kind == "hnn" else 2]:
        result = subprocess.run([sys.executable, "-m", "shnn.cli", *_fit_args(
            record["settings"])], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        ours = json.loads(result.stdout)
        assert {**ours["settings"], "domain": ""} == {**record["settings"], "domain": ""}
        for key in ("test_rel_l2_H", "train_rel_l2_H", "test_rel_l2_xdot"):
            assert ours[key] == pytest.approx(record[key], rel=CROSS_CPU_RTOL), (
                key, record["settings"])


def _store_older_than_the_rest(dest: Path) -> None:
    """Make the committed store of a fresh copy OLDER than everything else."""
    for path in (dest / PAPER["store_dir"]).glob("**/*"):
        os.utime(path, (946684800, 946684800))  # 2000-01-01


def _fabricate(store: Path, sweep_id: str, value, keep: int | None = None) -> None:
    """Placeholder records with the right settings (results are -1: the plan reads only
    whether a valid record is there). Only ever written to a temporary copy."""
    sweep = PAPER["sweeps"][sweep_id]
    log = RecordLog(shard_log_path(store, sweep_id, sweeps.shard_label(value)))
    specs = [s for _, _, group in sweeps.sweep_points(sweep, [value]) for s in group]
    for spec in specs[:keep]:
        if spec not in log:
            log.put(spec, new_record(spec.settings(), dict.fromkeys(RESULT_KEYS, -1.0),
                                     Usage(0.0, 0.0, 0.0)))


def test_fresh_clone_dry_run_plans_no_committed_fit(fresh_repo):
    tmp_path = fresh_repo
    _store_older_than_the_rest(tmp_path)
    store = tmp_path / PAPER["store_dir"]
    _fabricate(store, "dp-wide", 9500)  # a complete shard
    _fabricate(store, "dp-wide", 10000, keep=3)  # a shard with 3 of its 40 fits
    planned = planned_outputs(dry_run(tmp_path, "paper"))
    res = PAPER["results_dir"]
    assert f"{res}/sweeps/dp-wide/stored~9500.csv" in planned
    assert f"{res}/sweeps/dp-wide/value~9500.csv" not in planned
    assert f"{res}/sweeps/dp-wide/value~10000.csv" in planned
    # Every shard and baseline complete in the real committed store is read, never computed.
    for unit in progress.plan(PAPER):
        if unit.kind == "sweep" and not sweeps.missing_fits(unit.name,
                                                            PAPER["sweeps"][unit.name],
                                                            unit.value, STORE):
            label = sweeps.shard_label(unit.value)
            assert f"{res}/sweeps/{unit.name}/value~{label}.csv" not in planned
            assert f"{res}/sweeps/{unit.name}/stored~{label}.csv" in planned
        if unit.kind == "baseline" and sweeps.baseline_spec(PAPER, unit.name) in RecordLog(
                baseline_log_path(STORE, unit.name)):
            assert f"{res}/hnn/{unit.name}.csv" not in planned
            assert f"{res}/hnn/stored/{unit.name}.csv" in planned


def test_a_grown_store_re_renders_the_paper_report(fresh_repo):
    """The report's "not run yet: N% done" notes read the store: one more fit in a shard that
    is not complete re-renders it, though no artifact completes (and nothing is refitted)."""
    store = fresh_repo / PAPER["store_dir"]
    shard = shard_log_path(store, "dp-wide", sweeps.shard_label(10000))
    # The plan's last shard, with 3 of its 40 fits whatever the real store holds of it.
    shard.unlink(missing_ok=True)
    _fabricate(store, "dp-wide", 10000, keep=3)
    report = f"{PAPER['figures_dir']}/notebooks/reproduction_report.ipynb"
    for name in planned_outputs(dry_run(fresh_repo, "paper", "--forceall", report)):
        path = fresh_repo / name  # the report and what it reads, as if built (placeholders)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("placeholder\n")
    for path in fresh_repo.rglob("*"):
        if path.is_file():
            os.utime(path, (1_700_000_000, 1_700_000_000))
    assert planned_rules(dry_run(fresh_repo, "paper", report)) == set()
    _fabricate(store, "dp-wide", 10000, keep=4)  # one more fit, as a time box appends it
    planned = planned_rules(dry_run(fresh_repo, "paper", report))
    assert planned == {"reproduction_report"}, planned
