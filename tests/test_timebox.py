"""The time-boxed runner of the paper preset and what it reads: the plan in priority order,
the progress model, the status table, the jobs' command lines, budget, stop and resume."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from shnn.pipeline import jobs, manifest, progress, segments, status, timebox
from shnn.pipeline.config import load
from shnn.pipeline.resources import CostModel
from shnn.pipeline.store import checkpoint_path

ROOT = Path(__file__).resolve().parents[1]


def test_plan_follows_the_priority_order():
    config = load(ROOT / "config" / "paper.yaml")
    units = progress.plan(config)
    labels = [u.label for u in units]
    assert labels[:5] == [f"baseline {c}" for c in ("sp-small", "sp-large", "lv-zero-small",
                                                    "lv-zero-large", "lv-five")]
    assert labels[5] == "sweep sp-small 100"
    order = ["sweep sp-large 100", "sweep lv-zero-small 100",
             "notebook fig08_energy_conservation", "notebook fig09_error_correction",
             "sweep sp-f10 1000", "sweep hh 0", "baseline hh", "baseline dp", "sweep dp 500",
             "sweep dp 5000", "sweep dp-wide 5500"]
    assert [labels.index(label) for label in order] == sorted(labels.index(label)
                                                             for label in order)
    # the double pendulum's widths above 5000 (cluster work) come last
    wide = [i for i, u in enumerate(units) if u.kind == "sweep" and u.name.startswith("dp")
            and int(u.value) > 5000]
    assert len(wide) == 10 and wide == list(range(len(units) - 10, len(units)))
    assert len(units) == 5 + 2 * 20 + 3 * 20 + 2 + 3 * 20 + 11 + 2 + 20


def test_status_lists_every_artifact():
    config = load(ROOT / "config" / "paper.yaml")
    table = status.status_table(config)
    for artifact in progress.ARTIFACT_INPUTS:
        assert f"`{artifact}`" in table
    # every artifact the paper preset's DAG plans, those the time box leaves out included
    for art in manifest.artifacts_in(config):
        if art.kind != "report":
            assert f"| `{art.name}` |" in table
    assert status.untimed_artifacts(config) == ["perf01_solver_scaling"]
    assert "| `perf01_solver_scaling` | – | – | not in the time box" in table
    assert "| `fig06_double_pendulum`, continued: sweep `dp-wide` |" in table
    assert "| **all** (shared work once) |" in table


@pytest.mark.parametrize("done, total, percent", [(69, 440, 15), (439, 440, 99),
                                                  (440, 440, 100), (0, 0, 100)])
def test_percent_done_is_rounded_down_the_same_in_status_and_report(done, total, percent):
    from shnn.pipeline.report.rows import progress_text

    done_of = progress.Progress(done, total, 0.0)
    assert done_of.percent == percent
    assert progress_text("fits", done_of) == f"{percent}% of its fits done"
    if total:
        assert status._cell(done_of) == f"{done} / {total} ({percent}%)"


@pytest.mark.parametrize("minutes, message", [("abc", "got 'abc'"), ("0", "must be > 0"),
                                              ("-5", "must be > 0"), ("nan", "must be > 0")])
def test_malformed_budget_is_a_one_line_error(minutes, message):
    result = subprocess.run([sys.executable, "-m", "shnn.pipeline.timebox", "run",
                             "--minutes", minutes],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr


def test_preset_without_store_is_refused():
    result = subprocess.run([sys.executable, "-m", "shnn.pipeline.timebox", "--config",
                             "config/default.yaml", "status"], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 2 and "has no store_dir" in result.stderr


def _fixture(tmp_path: Path, write_preset) -> Path:
    """A tiny preset with a store: one sweep (2 widths, 1 repeat) and one long Adam baseline."""
    config = yaml.safe_load((ROOT / "config" / "smoke.yaml").read_text())
    sweep = {**config["sweeps"]["sp-small"], "vary": {"width": [50, 100]}, "repeats": 1,
             "methods": ["elm", "swim"]}
    config.update(sweeps={"sp-small": sweep},
                  hnn={"sp-small": {"width": 100, "steps": 30000, "lr": 5e-4,
                                    "batch_size": 2048, "weight_decay": 1e-13}},
                  store_dir=str(tmp_path / "store"), results_dir=str(tmp_path / "results"),
                  figures_dir=str(tmp_path / "figures"), runs_dir=str(tmp_path / "runs"))
    return write_preset(config)


def test_budget_stops_cleanly_and_the_next_run_resumes(tmp_path, monkeypatch, capsys,
                                                       write_preset):
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(progress, "PRIORITY", tuple(p for p in progress.PRIORITY
                                                    if p[0] != "notebook"))
    monkeypatch.setattr(timebox, "CHECKPOINT_EVERY", 500)
    path = _fixture(tmp_path, write_preset)
    config = load(path)
    ckpt = checkpoint_path(config["store_dir"], "sp-small")
    costs = CostModel.committed()
    baseline = progress.Unit("baseline", "sp-small")

    # 12 s: the baseline's process must start (torch's import is seconds on a busy machine)
    # and pass its first checkpoint; 30000 steps take about 40 s here.
    assert timebox.run(str(path), minutes=0.2, cores=1, render=False) == 0
    out = capsys.readouterr().out
    assert "stopped by the time budget of 0.2 min" in out and "of work left" in out
    assert ckpt.exists()
    first = progress.unit_progress(config, baseline, costs)
    assert 0 < first.done < first.total

    # Shorten the baseline's remaining work by resuming it with the same settings: the
    # runner picks it up from the checkpoint, then runs the sweep.
    assert timebox.run(str(path), minutes=10, cores=1, render=False) == 0
    out = capsys.readouterr().out
    assert "all units done" in out
    assert not ckpt.exists()
    assert all(progress.unit_progress(config, u, costs).complete for u in progress.plan(config))
    log = (Path(config["results_dir"]) / "logs" / "timebox" / "baseline_sp-small.log").read_text()
    assert log.count("$ ") == 2  # two segments
    # each segment is logged in the store; their training seconds sum to the record's
    logged = segments.read_segments(segments.segment_log_path(config["store_dir"], "sp-small"))
    assert [(s.first_step, s.end_step) for s in logged] == [(0, first.done),
                                                            (first.done, 30000)]
    assert all(s.training_seconds > 0 and s.cpu and s.cores == 1 for s in logged)
    assert sum(s.training_seconds for s in logged) == pytest.approx(
        progress.baseline_training(config, "sp-small").seconds, abs=0.01)
    # a finished baseline reads from its record: complete, with the record's seconds
    finished = progress.baseline_training(config, "sp-small")
    assert finished.complete and finished.step == 30000
    assert progress.measured_seconds(config)["hnn_sp-small"] == (finished.seconds, True)


def test_a_checkpointed_baseline_is_estimated_at_its_measured_pace(tmp_path, write_preset):
    """Without a checkpoint the cost model estimates a baseline; with one, the training
    seconds per step it measured so far do."""
    import torch

    config = load(_fixture(tmp_path, write_preset))
    costs = CostModel.committed()
    baseline = progress.Unit("baseline", "sp-small")
    modelled = progress.unit_progress(config, baseline, costs)
    assert (modelled.done, modelled.total) == (0, 30000)
    assert modelled.seconds_left == costs.adam_seconds(30000, 100)
    ckpt = checkpoint_path(config["store_dir"], "sp-small")
    ckpt.parent.mkdir(parents=True)
    torch.save({"step": 1000, "seconds": 50.0}, ckpt)  # 0.05 s per step
    measured = progress.unit_progress(config, baseline, costs)
    assert (measured.done, measured.total) == (1000, 30000)
    assert measured.seconds_left == pytest.approx(29000 * 0.05)
    assert measured.seconds_left != pytest.approx(costs.adam_seconds(29000, 100))
    # the README's measured time of a started baseline: its checkpoint's, not complete
    assert not progress.baseline_training(config, "sp-small").complete
    assert progress.measured_seconds(config)["hnn_sp-small"] == (50.0, False)


def test_a_checkpoint_is_read_once_for_its_step_and_seconds(tmp_path):
    """Progress displays read a baseline checkpoint's step and training seconds together;
    a missing or damaged checkpoint reads as no progress (the resuming run reports it)."""
    import torch

    path = tmp_path / "hh.pt"
    assert progress.read_checkpoint(path) == progress.Training(0, 0.0)
    torch.save({"step": 400, "seconds": 48.0, "weights": torch.zeros(3)}, path)
    read = progress.read_checkpoint(path)
    assert (read.step, read.seconds) == (400, 48.0)
    assert read.seconds_per_step == pytest.approx(0.12)
    path.write_bytes(b"not a checkpoint")
    assert progress.read_checkpoint(path) == progress.Training(0, 0.0)
    assert progress.Training().seconds_per_step == 0.0


def test_input_progress_is_per_sweep_and_baseline(tmp_path, write_preset):
    """Each sweep's fits (its shards summed) and each baseline's Adam steps on their own; an
    artifact's progress is the sum of its inputs'."""
    import torch

    config = load(_fixture(tmp_path, write_preset))
    ckpt = checkpoint_path(config["store_dir"], "sp-small")
    ckpt.parent.mkdir(parents=True)
    torch.save({"step": 1000, "seconds": 50.0}, ckpt)
    inputs = progress.input_progress(config)
    assert set(inputs) == {("fits", "sp-small"), ("steps", "sp-small")}
    assert (inputs[("fits", "sp-small")].done, inputs[("fits", "sp-small")].total) == (0, 4)
    assert (inputs[("steps", "sp-small")].done,
            inputs[("steps", "sp-small")].total) == (1000, 30000)
    for artifact, parts in progress.artifact_progress(config).items():
        sweeps, baselines = progress.ARTIFACT_INPUTS[artifact]
        for key, names in (("fits", sweeps), ("steps", baselines)):
            expected = [inputs[(key, n)] for n in names if (key, n) in inputs]
            if expected:
                assert parts[key] == sum(expected[1:], expected[0])
            else:
                assert key not in parts


def test_the_store_is_read_once_for_all_progress_views(tmp_path, write_preset, monkeypatch):
    """``input_progress`` reads each sweep shard and baseline of the plan once; the views over
    it (``artifact_progress``, ``work_left``, the status table) reuse it, and the total left is
    the sum over the plan's units."""
    import torch

    config = load(_fixture(tmp_path, write_preset))
    ckpt = checkpoint_path(config["store_dir"], "sp-small")
    ckpt.parent.mkdir(parents=True)
    torch.save({"step": 1000, "seconds": 50.0}, ckpt)
    costs = CostModel.committed()
    units = progress.plan(config)
    per_unit = sum(progress.unit_progress(config, u, costs).seconds_left for u in units)
    assert progress.work_left(config, costs) == pytest.approx(per_unit, rel=1e-12)

    calls: list[progress.Unit] = []
    real = progress.unit_progress

    def counted(config, unit, costs):
        calls.append(unit)
        return real(config, unit, costs)

    monkeypatch.setattr(progress, "unit_progress", counted)
    inputs = progress.input_progress(config, costs)
    stored = [u for u in units if u.kind in progress.INPUT_KEYS]
    assert calls == stored
    progress.artifact_progress(config, costs, inputs)
    progress.work_left(config, costs, inputs)
    assert all(u.kind == "notebook" for u in calls[len(stored):])
    calls.clear()
    status.status_table(config)
    assert [u for u in calls if u.kind in progress.INPUT_KEYS] == stored


def test_an_unstarted_baseline_is_estimated_at_a_like_baselines_pace(tmp_path, write_preset):
    """A baseline not started yet takes the pace another one with the same width, batch and
    degrees of freedom measured (the double pendulum's from Hénon-Heiles'); with none, the
    cost model's."""
    import torch

    config = yaml.safe_load(_fixture(tmp_path, write_preset).read_text())
    config["sweeps"]["sp-large"] = config["sweeps"]["sp-small"]
    config["hnn"]["sp-large"] = config["hnn"]["sp-small"]
    config = load(write_preset(config))
    costs = CostModel.committed()
    later = progress.Unit("baseline", "sp-large")
    left = progress.unit_progress(config, later, costs).seconds_left
    assert left == costs.adam_seconds(30000, 100)
    ckpt = checkpoint_path(config["store_dir"], "sp-small")
    ckpt.parent.mkdir(parents=True)
    torch.save({"step": 1000, "seconds": 50.0}, ckpt)  # 0.05 s per step
    assert progress.sibling_pace(config, "sp-large") == pytest.approx(0.05)
    assert progress.unit_progress(config, later, costs).seconds_left == pytest.approx(30000 * 0.05)
    other = yaml.safe_load((tmp_path / "config" / "tiny.yaml").read_text())
    other["hnn"]["sp-large"] = {**other["hnn"]["sp-large"], "width": 50}
    config = load(write_preset(other))
    assert progress.sibling_pace(config, "sp-large") == 0.0
    left = progress.unit_progress(config, later, costs).seconds_left
    assert left == costs.adam_seconds(30000, 50)


def test_a_jobs_command_line_is_the_same_for_snakemake_and_the_runner(tmp_path, write_preset):
    """``rules/compute.smk`` and the runner build a shard's and a baseline's command from
    :mod:`shnn.pipeline.jobs`: the runner's adds the deadline (and the checkpoint interval),
    Snakemake's the benchmark file; both write the rule's output and use the store's
    checkpoint."""
    path = _fixture(tmp_path, write_preset)
    config = load(path)
    res = config["results_dir"]
    shard = timebox.unit_command(str(path), config, progress.Unit("sweep", "sp-small", 50),
                                 deadline=1234.56789, cores=1)
    assert shard == jobs.shard_command(str(path), config, "sp-small", "50",
                                       deadline=1234.56789)
    assert shard[shard.index("--csv") + 1] == jobs.shard_csv(res, "sp-small", "50")
    assert shard[-2:] == ["--deadline", "1234.568"] and "--benchmark" not in shard
    rule = jobs.shard_command(str(path), config, "sp-small", "50", benchmark=True)
    assert rule == [*shard[:-2], "--benchmark", f"{res}/benchmarks/sweep_sp-small/value~50.tsv"]

    baseline = timebox.unit_command(str(path), config, progress.Unit("baseline", "sp-small"),
                                    deadline=1234.56789, cores=1)
    checkpoint = str(checkpoint_path(config["store_dir"], "sp-small"))
    assert baseline[baseline.index("--csv") + 1] == jobs.baseline_csv(res, "sp-small")
    assert baseline[baseline.index("--checkpoint") + 1] == checkpoint
    assert baseline[baseline.index("--checkpoint-every") + 1] == str(timebox.CHECKPOINT_EVERY)
    rule = jobs.baseline_command(str(path), config, "sp-small", benchmark=True)
    assert rule[rule.index("--checkpoint") + 1] == checkpoint
    assert rule[-2:] == ["--benchmark", f"{res}/benchmarks/hnn_sp-small.tsv"]
    # without a store, no checkpoint (the smoke and default presets)
    assert "--checkpoint" not in jobs.baseline_command(
        str(path), {**config, "store_dir": None}, "sp-small")
