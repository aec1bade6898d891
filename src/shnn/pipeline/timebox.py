"""The paper preset in pieces: do what is missing, in a fixed priority order, within a time box.

On 2 cores the paper preset takes about two days, longer than any session or CI run. Its
results accumulate in the committed store (``store_dir`` of ``config/paper.yaml``,
:mod:`shnn.pipeline.store`): every finished fit is one appended line, every unfinished Adam
baseline a checkpoint. ``python -m shnn.pipeline.timebox run --minutes 150``
(``make paper MINUTES=150``)

1. works through the :func:`plan` in priority order (Table 1's five Adam baselines, fig02,
   fig04/05, fig08, fig09, fig03, fig07, Table 2's two baselines, fig06 up to width 5000
   (sweep ``dp``), then the double pendulum's wider widths (sweep ``dp-wide``, which
   continues ``dp``: fig06 shows them once all are computed)), each unit a ``shnn`` job in its
   own process that gets the deadline: a sweep shard starts no fit the cost model says would
   end after it, an Adam baseline checkpoints and stops at it; a job still running at the
   deadline plus a grace period is killed (its finished fits are stored; at most the fit in
   flight is lost);
2. then renders, through Snakemake, every paper artifact whose inputs are complete
   (``figures/paper/``), and the paper-preset reproduction report over them.

``python -m shnn.pipeline.timebox status`` (``make paper-status``) prints per artifact the fits
done, the Adam steps done and the estimated hours left (cost model of
:mod:`shnn.pipeline.resources`; an Adam baseline at a measured pace where there is one,
:func:`sibling_pace`).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shnn.pipeline import calibration, segments
from shnn.pipeline.commands import EXIT_BUDGET
from shnn.pipeline.machine import Meter, Usage
from shnn.pipeline.manifest import continued_jobs, paper_results
from shnn.pipeline.resources import CostModel
from shnn.pipeline.store import RecordLog, baseline_log_path, checkpoint_path, shard_log_path
from shnn.pipeline.sweeps import (
    baseline_spec,
    missing_fits,
    record_seconds,
    shard_label,
    sweep_points,
)

CONFIG = "config/paper.yaml"
COSTS = ("bench/results/paper_estimate.json", "bench/results/adam_speed.json")
#: Seconds a job may run past the deadline (to write its checkpoint) before it is killed.
GRACE_SECONDS = 60
#: Adam steps between checkpoints of a baseline (about a minute at width 5000 on 2 cores).
CHECKPOINT_EVERY = 1000
#: Run time of the artifacts whose experiment (``shnn experiment``, not a sweep) the time box
#: runs together with their notebook, as one Snakemake target, in seconds: the default
#: preset's measured times (docs/performance.md, runtime table), whose settings fig08 shares;
#: fig09 runs 10 instead of 3 cheap repeats, so its figure is scaled by 10/3 and rounded up.
NOTEBOOK_SECONDS = {"fig08_energy_conservation": 110.0, "fig09_error_correction": 30.0}

#: artifact -> (sweeps, Adam baselines) it reads, for the paper's figures and tables
#: (:mod:`shnn.pipeline.manifest`); fig01 and fig08/09 (their own experiments) need neither.
#: perf01 (a solver benchmark, not a paper result) is left to a full ``snakemake --config
#: preset=paper`` run.
ARTIFACT_INPUTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    art.name: (art.sweeps, art.baselines) for art in paper_results()}
#: The priority order of the work: (kind, names) with kind ``baseline``, ``sweep`` or
#: ``notebook`` (an artifact rendered with its experiment, one Snakemake target).
PRIORITY: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("baseline", ("sp-small", "sp-large", "lv-zero-small", "lv-zero-large", "lv-five")),
    ("sweep", ("sp-small", "sp-large")),
    ("sweep", ("lv-zero-small", "lv-zero-large", "lv-five")),
    ("notebook", ("fig08_energy_conservation", "fig09_error_correction")),
    ("sweep", ("sp-f10", "sp-f15", "sp-f20")),
    ("sweep", ("hh",)),
    ("baseline", ("hh", "dp")),
    ("sweep", ("dp",)),
    ("sweep", ("dp-wide",)),  # widths 5500-10000: cluster work, computed here after the rest
)


@dataclass(frozen=True)
class Unit:
    """One durable piece of work: an Adam baseline, a sweep shard or a notebook artifact."""

    kind: str
    name: str
    value: Any = None

    @property
    def label(self) -> str:
        if self.kind == "sweep":
            return f"sweep {self.name} {shard_label(self.value)}"
        return f"{self.kind} {self.name}"


@dataclass(frozen=True)
class Progress:
    """How far one unit (or a sum of units) is: work done of total, estimated seconds left."""

    done: int
    total: int
    seconds_left: float

    def __add__(self, other: Progress) -> Progress:
        return Progress(self.done + other.done, self.total + other.total,
                        self.seconds_left + other.seconds_left)

    @property
    def complete(self) -> bool:
        return self.done >= self.total

    @property
    def percent(self) -> int:
        """Percent done, rounded down: 100 only when complete (439 of 440 is 99, not 100)."""
        return 100 * self.done // self.total if self.total else 100


def plan(config: dict[str, Any]) -> list[Unit]:
    """Every unit of the paper preset, in priority order."""
    units: list[Unit] = []
    for kind, names in PRIORITY:
        section = {"sweep": "sweeps", "baseline": "hnn"}.get(kind)
        for name in names:
            if section and name not in config[section]:
                continue  # a preset without this sweep or baseline (e.g. a test fixture)
            if kind != "sweep":
                units.append(Unit(kind, name))
                continue
            units += [Unit("sweep", name, value)
                      for value in next(iter(config["sweeps"][name]["vary"].values()))]
    return units


def figures_dir(config: dict[str, Any]) -> Path:
    return Path(config["figures_dir"])


def artifact_rendered(config: dict[str, Any], artifact: str) -> bool:
    """All of ``artifact``'s output files exist in the preset's figures folder."""
    folder = figures_dir(config)
    return (folder / "notebooks" / f"{artifact}.ipynb").exists() and (
        folder / f"{artifact}.csv").exists()


@dataclass(frozen=True)
class Training:
    """How far an Adam baseline's training is: the steps done and the training seconds summed
    over its segments (both 0 before it starts); ``complete`` once its record is stored."""

    step: int = 0
    seconds: float = 0.0
    complete: bool = False

    @property
    def seconds_per_step(self) -> float:
        """The measured pace so far (0 before the first step)."""
        return self.seconds / self.step if self.step else 0.0


def read_checkpoint(path: Path) -> Training:
    """The step and training seconds of a baseline checkpoint, in one read (zeros if there is
    none or it cannot be read: this is for progress displays; a run that resumes from it
    reports a damaged file)."""
    if not path.exists():
        return Training()
    import torch

    try:
        state = torch.load(path, weights_only=True)
        return Training(int(state["step"]), float(state["seconds"]))
    except Exception:
        return Training()


def unit_files(config: dict[str, Any], unit: Unit) -> list[Path]:
    """The store files that hold a unit's work: a shard's log, or a baseline's log and
    checkpoint (none for a notebook artifact: its work is its rendered files)."""
    store = config["store_dir"]
    if unit.kind == "sweep":
        return [shard_log_path(store, unit.name, shard_label(unit.value))]
    if unit.kind == "baseline":
        return [baseline_log_path(store, unit.name), checkpoint_path(store, unit.name)]
    return []


def progress_inputs(config: dict[str, Any]) -> list[str]:
    """Every store file of the plan's units that exists: what the progress of
    :func:`input_progress` is read from. The paper report's
    "not run yet: N% done" notes come from there, so these are its inputs: a store that grows
    re-renders the report even when no artifact completes. A complete shard's or baseline's
    files are never written again, so they never trigger it."""
    return [str(path) for unit in plan(config) for path in unit_files(config, unit)
            if path.exists()]


def baseline_training(config: dict[str, Any], case: str) -> Training:
    """How far baseline ``case`` is in the store: all its steps once complete (its record),
    those of its checkpoint when started, else none."""
    store = config["store_dir"]
    spec = baseline_spec(config, case)
    record = RecordLog(baseline_log_path(store, case)).get(spec)
    if record is not None:
        return Training(spec.steps, record_seconds(record), complete=True)
    return read_checkpoint(checkpoint_path(store, case))


def sibling_pace(config: dict[str, Any], case: str) -> float:
    """The training seconds per step another baseline whose steps cost the same (same width,
    batch size and degrees of freedom) measured so far, 0 when none has.

    An Adam baseline is estimated at a measured pace where there is one: the cost model's
    benchmark (width 1000, batch 2048, the single pendulum: 1 degree of freedom) scales only
    with the width, and the Henon-Heiles baseline (width 5000, 2 degrees of freedom) took 2.4x
    its estimate per step; the double pendulum's steps cost what Henon-Heiles' do."""
    def cost_shape(name: str) -> tuple[int, int, int]:
        spec = baseline_spec(config, name)
        return spec.width, spec.batch_size, len(spec.q_lims)

    shape = cost_shape(case)
    for other in config["hnn"]:
        if other != case and cost_shape(other) == shape:
            pace = baseline_training(config, other).seconds_per_step
            if pace > 0:
                return pace
    return 0.0


def progress(config: dict[str, Any], unit: Unit, costs: CostModel) -> Progress:
    """Work done and estimated seconds left of one unit (the store and checkpoints)."""
    if unit.kind == "baseline":
        spec = baseline_spec(config, unit.name)
        training = baseline_training(config, unit.name)
        if training.complete:
            return Progress(spec.steps, spec.steps, 0.0)
        steps_left = spec.steps - training.step
        pace = training.seconds_per_step or sibling_pace(config, unit.name)
        return Progress(training.step, spec.steps, steps_left * pace if pace
                        else costs.adam_seconds(steps_left, spec.width))
    if unit.kind == "notebook":
        done = artifact_rendered(config, unit.name)
        return Progress(int(done), 1, 0.0 if done else NOTEBOOK_SECONDS[unit.name])
    sweep = config["sweeps"][unit.name]
    total = sum(len(specs) for _, _, specs in sweep_points(sweep, [unit.value]))
    missing = missing_fits(unit.name, sweep, unit.value, config["store_dir"])
    seconds = sum(costs.fit_seconds(s.method, len(s.q_lims), s.train_size, s.width)
                  for s in missing)
    return Progress(total - len(missing), total, seconds)


#: The progress key of a unit kind whose work an artifact reads (:func:`input_progress`).
INPUT_KEYS = {"sweep": "fits", "baseline": "steps"}


def input_progress(config: dict[str, Any], costs: CostModel | None = None
                   ) -> dict[tuple[str, str], Progress]:
    """Per sweep ``("fits", sweep_id)`` and Adam baseline ``("steps", case)`` of the plan: its
    progress (a sweep's shards summed). Read the store once and pass the result on: the other
    progress views (:func:`artifact_progress`, :func:`work_left`) take it."""
    costs = costs or CostModel.from_files(*COSTS)
    out: dict[tuple[str, str], Progress] = {}
    for unit in plan(config):
        if unit.kind in INPUT_KEYS:
            key = (INPUT_KEYS[unit.kind], unit.name)
            out[key] = out.get(key, Progress(0, 0, 0.0)) + progress(config, unit, costs)
    return out


def artifact_progress(config: dict[str, Any], costs: CostModel | None = None,
                      inputs: dict[tuple[str, str], Progress] | None = None
                      ) -> dict[str, dict[str, Progress]]:
    """Per artifact: ``{"fits": ..., "steps": ...}`` progress of the sweeps and baselines it
    reads (``steps``: Adam steps; from ``inputs`` of :func:`input_progress`, read when not
    given), or ``{"notebook": ...}`` for fig08/fig09."""
    costs = costs or CostModel.from_files(*COSTS)
    inputs = input_progress(config, costs) if inputs is None else inputs
    out: dict[str, dict[str, Progress]] = {}
    for artifact, (sweeps, baselines) in ARTIFACT_INPUTS.items():
        parts: dict[str, Progress] = {}
        if artifact in NOTEBOOK_SECONDS:
            parts["notebook"] = progress(config, Unit("notebook", artifact), costs)
        for key, names in (("fits", sweeps), ("steps", baselines)):
            for name in names:
                if (key, name) in inputs:
                    parts[key] = parts.get(key, Progress(0, 0, 0.0)) + inputs[(key, name)]
        out[artifact] = parts
    return out


def measured_seconds(config: dict[str, Any]) -> dict[str, tuple[float, bool]]:
    """``{job: (seconds, complete)}`` measured so far, per pipeline job name (``sweep_<id>``,
    ``hnn_<case>``), from the store: a sweep's stored fits' wall seconds (fit, errors, data),
    a baseline's training seconds summed over its segments (its record, or the checkpoint of
    an unfinished one)."""
    store = config["store_dir"]
    out: dict[str, tuple[float, bool]] = {}
    for unit in plan(config):
        if unit.kind == "sweep":
            log = RecordLog(shard_log_path(store, unit.name, shard_label(unit.value)))
            seconds = sum(record_seconds(r) for r in log.records().values())
            complete = not missing_fits(unit.name, config["sweeps"][unit.name], unit.value,
                                        store)
            before = out.get(f"sweep_{unit.name}", (0.0, True))
            out[f"sweep_{unit.name}"] = (before[0] + seconds, before[1] and complete)
        elif unit.kind == "baseline":
            training = baseline_training(config, unit.name)
            out[f"hnn_{unit.name}"] = (training.seconds, training.complete)
    return out


def continued_sweeps(config: dict[str, Any]) -> list[tuple[str, str]]:
    """``(artifact, sweep)`` for every sweep that continues one an artifact shows (fig06 and
    dp-wide, :func:`shnn.pipeline.manifest.continued_jobs`): computed after the rest, shown by the
    artifact once complete."""
    return [(art.name, job.removeprefix("sweep_")) for art in paper_results()
            for job in continued_jobs(art.name, config)]


def complete_artifacts(config: dict[str, Any]) -> list[str]:
    """Artifacts whose inputs are all in the store (notebook artifacts: always renderable)."""
    return [name for name, parts in artifact_progress(config).items()
            if all(p.complete for key, p in parts.items() if key != "notebook")]


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:.1f} h" if seconds >= 360 else f"{seconds / 60:.0f} min"


def work_left(config: dict[str, Any], costs: CostModel,
              inputs: dict[tuple[str, str], Progress] | None = None) -> float:
    """Estimated seconds of all the plan's work left: its sweeps and baselines (``inputs`` of
    :func:`input_progress`, read when not given) and its notebook units."""
    inputs = input_progress(config, costs) if inputs is None else inputs
    notebooks = (progress(config, unit, costs) for unit in plan(config)
                 if unit.kind == "notebook")
    return sum(p.seconds_left for p in [*inputs.values(), *notebooks])


def status_table(config: dict[str, Any]) -> str:
    """Markdown table: per artifact, fits and Adam steps done, estimated time left (2 cores)."""
    lines = ["| artifact | sampled fits done | Adam steps done | estimated time left (2 cores) "
             "| rendered in `" + str(figures_dir(config)) + "/` |",
             "|---|---|---|---|---|"]
    costs = CostModel.from_files(*COSTS)
    inputs = input_progress(config, costs)
    for artifact, parts in artifact_progress(config, costs, inputs).items():
        fits, steps = parts.get("fits"), parts.get("steps")
        left = sum(p.seconds_left for p in parts.values())
        lines.append(f"| `{artifact}` | {_cell(fits)} | {_cell(steps)} | "
                     f"{_left(parts, left)} | "
                     f"{'yes' if artifact_rendered(config, artifact) else 'no'} |")
    for artifact, later in continued_sweeps(config):
        done = inputs[("fits", later)]
        lines.append(f"| `{artifact}`, continued: sweep `{later}` | {_cell(done)} | – | "
                     f"{_left({'fits': done}, done.seconds_left)} | once complete |")
    lines.append(f"| **all** (shared work once) | | | "
                 f"{_hours(work_left(config, costs, inputs))} | |")
    return "\n".join(lines)


def _left(parts: dict[str, Progress], seconds: float) -> str:
    if not parts:
        return "render only"
    return "done" if seconds == 0 else _hours(seconds)


def _cell(p: Progress | None) -> str:
    if p is None:
        return "–"
    return f"{p.done} / {p.total} ({p.percent}%)" if p.total else "0 / 0"


def unit_command(config_path: str, config: dict[str, Any], unit: Unit, deadline: float,
                 cores: int) -> list[str]:
    """The command line of one unit's job."""
    py = [sys.executable, "-m", "shnn.cli"]
    res = config["results_dir"]
    if unit.kind == "baseline":
        return [*py, "baseline", "--config", config_path, "--case", unit.name,
                "--runs-dir", config["runs_dir"], "--csv", f"{res}/hnn/{unit.name}.csv",
                "--checkpoint", str(checkpoint_path(config["store_dir"], unit.name)),
                "--checkpoint-every", str(CHECKPOINT_EVERY), "--deadline", f"{deadline:.3f}"]
    if unit.kind == "sweep":
        label = shard_label(unit.value)
        return [*py, "sweep", "--config", config_path, "--sweep", unit.name, "--value", label,
                "--runs-dir", config["runs_dir"],
                "--csv", f"{res}/sweeps/{unit.name}/value~{label}.csv",
                "--deadline", f"{deadline:.3f}"]
    return snakemake_command(config_path, cores, artifact_targets(config, [unit.name]))


def snakemake_command(config_path: str, cores: int, targets: Sequence[str]) -> list[str]:
    preset = Path(config_path).stem
    # Targets before --config: Snakemake would read them as more config entries.
    return [sys.executable, "-m", "snakemake", "--cores", str(cores), "--keep-going", *targets,
            "--config", f"preset={preset}"]


def artifact_targets(config: dict[str, Any], artifacts: Sequence[str]) -> list[str]:
    """The rendered notebooks of ``artifacts`` (each rule's outputs come with it)."""
    return [str(figures_dir(config) / "notebooks" / f"{name}.ipynb") for name in artifacts]


def job_env(cores: int) -> dict[str, str]:
    """The jobs' environment: this checkout's ``src`` first on the path (a runner in a
    ``git worktree`` runs its own commit's code) and the BLAS threads of a Snakemake job."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(Path("src").resolve()),
                                         *filter(None, [env.get("PYTHONPATH")])])
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(cores)
    return env


def run_job(command: list[str], log_path: Path, deadline: float, env: dict[str, str]) -> int:
    """Run one job until it ends, or kill it (SIGTERM, then SIGKILL) past the grace period."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("a") as log:
        log.write(f"$ {' '.join(command)}\n")
        log.flush()
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)
        try:
            return proc.wait(timeout=max(1.0, deadline + GRACE_SECONDS - time.time()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            return EXIT_BUDGET


def log_segment(config: dict[str, Any], case: str, before: Training, started: datetime,
                cores: int, usage: Usage | None = None) -> None:
    """Append the segment of baseline ``case`` that just ran (it was at ``before``) to its log
    in the store (:mod:`shnn.pipeline.segments`), if it trained any step: its training
    seconds are those the store gained (checkpoint or record); ``usage``: the job's, measured
    by this runner (its contention is the segment's)."""
    after = baseline_training(config, case)
    if after.step > before.step:
        segments.append_segment(
            segments.segment_log_path(config["store_dir"], case),
            segments.here(started, before.step, after.step, after.seconds - before.seconds,
                          cores, usage.contention if usage else None))


def run(config_path: str, minutes: float, cores: int, render: bool = True) -> int:
    """Do the missing units within ``minutes``, then render what is complete; exit status."""
    from shnn.pipeline.config import load

    config = load(config_path)
    costs = CostModel.from_files(*COSTS)
    start = time.time()
    deadline = start + 60 * minutes
    env = job_env(cores)
    logs = Path(config["results_dir"]) / "logs" / "timebox"
    calibration.calibrate_store(config)  # this machine's yardstick, in the store
    stopped = False
    done_now = 0
    for unit in plan(config):
        state = progress(config, unit, costs)
        if state.complete:
            continue
        left = deadline - time.time()
        if left <= 0 or (unit.kind == "notebook" and state.seconds_left > left):
            stopped = True
            break
        print(f"[{_clock(start)}] {unit.label}: {state.done}/{state.total} done, "
              f"about {_hours(state.seconds_left)} left", flush=True)
        command = unit_command(config_path, config, unit, deadline, cores)
        name = unit.label.replace(" ", "_")
        before = baseline_training(config, unit.name) if unit.kind == "baseline" else None
        started = datetime.now(UTC)
        meter = Meter()
        status = run_job(command, logs / f"{name}.log", deadline, env)
        if before is not None:
            log_segment(config, unit.name, before, started, cores, meter.stop())
        if status == EXIT_BUDGET:
            stopped = True
            break
        if status != 0:
            print(f"timebox: error: {unit.label} failed (exit {status}); see "
                  f"{logs / (name + '.log')}", file=sys.stderr)
            return 1
        done_now += 1
    print(f"[{_clock(start)}] {'time is up' if stopped else 'all units done'}: "
          f"{done_now} unit(s) finished in this run", flush=True)
    status = render_complete(config_path, config, cores, env) if render else 0
    print(status_table(config))
    if stopped:
        left = work_left(config, costs)
        print(f"stopped by the time budget of {minutes:g} min; about {_hours(left)} of work "
              "left (make paper-status)")
    return status


def renderable_artifacts(config: dict[str, Any]) -> list[str]:
    """Artifacts to render now: inputs complete in the store, and those with an experiment
    (fig08, fig09) only once their own unit has run (they are work of the time box)."""
    return [a for a in complete_artifacts(config)
            if a not in NOTEBOOK_SECONDS or artifact_rendered(config, a)]


def render_complete(config_path: str, config: dict[str, Any], cores: int,
                    env: dict[str, str]) -> int:
    """Render every :func:`renderable_artifacts` artifact, and the reproduction report."""
    artifacts = renderable_artifacts(config)
    targets = artifact_targets(config, [*artifacts, "reproduction_report"])
    print(f"rendering {', '.join(artifacts) or 'no artifact'} and the report", flush=True)
    return subprocess.run(snakemake_command(config_path, cores, targets), env=env).returncode


def _clock(start: float) -> str:
    seconds = int(time.time() - start)
    return f"{seconds // 3600:d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def parse_minutes(text: str) -> float:
    """A positive, finite number of minutes (``MINUTES=150``); else a one-line error."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"MINUTES must be a number of minutes, got {text!r}"
                                         ) from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"MINUTES must be > 0, got {text!r}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    from shnn.validation import ArgumentParser

    parser = ArgumentParser(prog="python -m shnn.pipeline.timebox",
                            description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", default=CONFIG, help=f"preset with a store_dir "
                        f"(default {CONFIG})")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)
    run_p = sub.add_parser("run", help="do the missing work within a time box, then render")
    run_p.add_argument("--minutes", type=parse_minutes, required=True,
                       help="time box in minutes (> 0)")
    run_p.add_argument("--cores", type=int, default=len(os.sched_getaffinity(0)),
                       help="cores (BLAS threads) of the jobs (default: all)")
    run_p.add_argument("--no-render", action="store_true", help="skip the rendering")
    sub.add_parser("status", help="print fits and Adam steps done, estimated time left")
    sub.add_parser("render", help="render the artifacts whose inputs are complete")
    args = parser.parse_args(argv)
    from shnn.pipeline.config import ConfigError, load

    try:
        config = load(args.config)
    except ConfigError as exc:
        parser.exit(2, f"timebox: error: {exc}\n")
    if not config.get("store_dir"):
        parser.exit(2, f"timebox: error: {args.config} has no store_dir (only a preset with a "
                    "committed store runs in pieces)\n")
    if args.command == "status":
        print(status_table(config))
        return 0
    cores = getattr(args, "cores", len(os.sched_getaffinity(0)))
    if args.command == "render":
        return render_complete(args.config, config, cores, job_env(cores))
    return run(args.config, args.minutes, cores, render=not args.no_render)


if __name__ == "__main__":
    raise SystemExit(main())
