"""The paper preset in pieces: do what is missing, in a fixed priority order, within a time box.

On 2 cores the paper preset takes about two days, longer than any session or CI run. Its
results accumulate in the committed store (``store_dir`` of ``config/paper.yaml``,
:mod:`shnn.pipeline.store`): every finished fit is one appended line, every unfinished Adam
baseline a checkpoint. ``python -m shnn.pipeline.timebox run --minutes 150``
(``make paper MINUTES=150``)

1. works through the :func:`~shnn.pipeline.progress.plan` in the order of
   :data:`~shnn.pipeline.progress.PRIORITY`, each unit a ``shnn`` job in its own process
   (:mod:`shnn.pipeline.jobs`) that gets the deadline: a sweep shard starts no fit the cost
   model says would end after it, an Adam baseline checkpoints and stops at it; a job still
   running at the deadline plus a grace period is killed (its finished fits are stored; at
   most the fit in flight is lost);
2. then renders, through Snakemake, every paper artifact whose inputs are complete
   (``figures/paper/``), and the paper-preset reproduction report over them.

``python -m shnn.pipeline.timebox status`` (``make paper-status``) prints the status table of
:mod:`shnn.pipeline.status`: per artifact the fits done, the Adam steps done and the estimated
hours left (:mod:`shnn.pipeline.progress`). ``... render`` (``make paper-render``) only renders.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shnn.pipeline import calibration, segments
from shnn.pipeline.commands import EXIT_BUDGET
from shnn.pipeline.jobs import baseline_command, shard_command
from shnn.pipeline.machine import Meter, Usage
from shnn.pipeline.progress import (
    Training,
    Unit,
    baseline_training,
    figures_dir,
    plan,
    renderable_artifacts,
    unit_progress,
    work_left,
)
from shnn.pipeline.resources import CostModel
from shnn.pipeline.status import hours_text, status_table
from shnn.pipeline.sweeps import shard_label

CONFIG = "config/paper.yaml"
#: Seconds a job may run past the deadline (to write its checkpoint) before it is killed.
GRACE_SECONDS = 60
#: Adam steps between checkpoints of a baseline (about a minute at width 5000 on 2 cores).
CHECKPOINT_EVERY = 1000


def unit_command(config_path: str, config: dict[str, Any], unit: Unit, deadline: float,
                 cores: int) -> list[str]:
    """The command line of one unit's job: a sweep shard's or an Adam baseline's (the same
    as Snakemake's, :mod:`shnn.pipeline.jobs`, with the deadline), or Snakemake rendering a
    notebook artifact with its experiment."""
    if unit.kind == "baseline":
        return baseline_command(config_path, config, unit.name, deadline=deadline,
                                checkpoint_every=CHECKPOINT_EVERY)
    if unit.kind == "sweep":
        return shard_command(config_path, config, unit.name, shard_label(unit.value),
                             deadline=deadline)
    return snakemake_command(config_path, cores, artifact_targets(config, [unit.name]))


def snakemake_command(config_path: str, cores: int, targets: Sequence[str]) -> list[str]:
    """Snakemake making ``targets`` of the preset ``config_path`` on ``cores`` cores."""
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
    costs = CostModel.committed()
    start = time.time()
    deadline = start + 60 * minutes
    env = job_env(cores)
    logs = Path(config["results_dir"]) / "logs" / "timebox"
    calibration.calibrate_store(config)  # this machine's yardstick, in the store
    stopped = False
    done_now = 0
    for unit in plan(config):
        state = unit_progress(config, unit, costs)
        if state.complete:
            continue
        left = deadline - time.time()
        if left <= 0 or (unit.kind == "notebook" and state.seconds_left > left):
            stopped = True
            break
        print(f"[{_clock(start)}] {unit.label}: {state.done}/{state.total} done, "
              f"about {hours_text(state.seconds_left)} left", flush=True)
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
        print(f"stopped by the time budget of {minutes:g} min; about {hours_text(left)} of work "
              "left (make paper-status)")
    return status


def render_complete(config_path: str, config: dict[str, Any], cores: int,
                    env: dict[str, str]) -> int:
    """Render every :func:`~shnn.pipeline.progress.renderable_artifacts` artifact, and the
    reproduction report."""
    artifacts = renderable_artifacts(config)
    targets = artifact_targets(config, [*artifacts, "reproduction_report"])
    print(f"rendering {', '.join(artifacts) or 'no artifact'} and the report", flush=True)
    return subprocess.run(snakemake_command(config_path, cores, targets), env=env).returncode


def _clock(start: float) -> str:
    """``h:mm:ss`` since ``start`` (a ``time.time()``), for the progress lines."""
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
    """The command line: ``run --minutes N``, ``status`` or ``render``; the exit status."""
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
