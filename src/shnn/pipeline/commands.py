"""The pipeline's commands: ``shnn sweep``, ``shnn gather``, ``shnn baseline``,
``shnn experiment`` and ``shnn verify``, which Snakemake and the paper-preset runner call
(their options are defined in :mod:`shnn.cli`)."""

from __future__ import annotations

import argparse
import json
import shlex
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shnn.pipeline.records import FitSpec

#: Exit status of a job stopped by its time budget (``--deadline``): nothing is wrong, the
#: finished fits (or the checkpoint) are stored and a later run continues.
EXIT_BUDGET = 75


def budget_stop(deadline: float | None):
    """The stop rule of ``--deadline``: the measured cost model's estimate of a fit must end
    before the deadline (without the model's files, only the clock counts)."""
    if deadline is None:
        return None
    import time

    from shnn.pipeline.resources import CostModel

    try:
        costs = CostModel.committed()
    except OSError:
        costs = None

    def stop(spec: FitSpec) -> bool:
        estimate = 0.0
        if costs is not None and spec.method != "hnn":
            dof = len(spec.q_lims)
            estimate = costs.fit_seconds(spec.method, dof, spec.train_size, spec.width)
        return time.time() + estimate > deadline

    return stop


def run(args: argparse.Namespace) -> int:
    """Carry out the pipeline command ``args.command``; returns the exit status."""
    if args.command == "verify":
        if args.recompute is not None:
            from shnn.pipeline import recompute

            return recompute.run(args.config, args.recompute, args.seed or 0, args.budget,
                                 args.baseline, args.runs_dir)
        given = [f"--{k}" for k in ("seed", "budget", "baseline") if getattr(args, k)
                 not in (None, [])]
        if given:
            raise ValueError(f"{', '.join(given)}: only with --recompute N")
        return verify(args.config, args.runs_dir)
    {"sweep": sweep, "gather": gather, "baseline": baseline,
     "experiment": experiment}[args.command](args)
    return 0


def sweep(args: argparse.Namespace) -> None:
    """``shnn sweep``: run (or reload) one sweep, or one shard of it, and write its CSV."""
    from shnn.pipeline.config import load
    from shnn.pipeline.sweeps import run_sweep, shard_value, write_csv

    config = load(args.config)
    if args.sweep not in config["sweeps"]:
        raise ValueError(f"--sweep: unknown sweep {args.sweep!r} in {args.config}; "
                         f"choose from {', '.join(config['sweeps'])}")
    settings = config["sweeps"][args.sweep]
    values = None if args.value is None else [shard_value(args.sweep, settings, args.value)]
    write_csv(run_sweep(args.sweep, settings, args.runs_dir, values=values,
                        store_dir=config.get("store_dir"), compute=not args.no_compute,
                        stop=budget_stop(args.deadline), benchmark=args.benchmark),
              args.csv)


def gather(args: argparse.Namespace) -> None:
    """``shnn gather``: concatenate the shard CSVs of a sweep into one."""
    from shnn.pipeline.sweeps import concat_csv

    concat_csv(args.shards, args.csv)


def baseline(args: argparse.Namespace) -> None:
    """``shnn baseline``: train (or reload) one Adam-trained HNN baseline, write its CSV row."""
    from shnn.pipeline.config import load
    from shnn.pipeline.sweeps import BASELINE_COLUMNS, run_baseline, write_csv

    options: dict[str, Any] = {"compute": not args.no_compute, "benchmark": args.benchmark}
    if args.checkpoint:
        options.update(checkpoint=args.checkpoint, checkpoint_every=args.checkpoint_every)
    if args.deadline is not None:
        if not args.checkpoint:
            raise ValueError("--deadline: a baseline needs --checkpoint to stop early")
        options["deadline"] = args.deadline
    row = run_baseline(load(args.config), args.case, args.runs_dir, **options)
    write_csv([row], args.csv, BASELINE_COLUMNS)


def experiment(args: argparse.Namespace) -> None:
    """``shnn experiment``: compute (or reload) the energy or error-correction experiment of a
    preset; write its settings and seconds as JSON and, optionally, its benchmark file."""
    from shnn.files import atomic_write
    from shnn.pipeline.config import load
    from shnn.pipeline.experiments import experiment_runner
    from shnn.pipeline.sweeps import write_benchmark

    try:
        run = experiment_runner(args.name)
    except ValueError as exc:
        raise ValueError(f"--name: {exc}") from None
    settings = load(args.config)[args.name]
    seconds = run(settings, args.runs_dir)
    text = json.dumps({"experiment": args.name, "settings": settings, "seconds": seconds},
                      indent=1, sort_keys=True) + "\n"
    atomic_write(args.out, lambda fh: fh.write(text.encode()))
    if args.benchmark:
        write_benchmark(args.benchmark, seconds)


@dataclass
class RecordCheck:
    """The stored records of one shard or baseline, checked against the preset."""

    valid: int = 0
    missing: int = 0
    invalid: list[str] = field(default_factory=list)  # ``path[:line]: reason``
    #: Invalid records that recomputing the shard or baseline replaces.
    replaceable: int = 0
    notes: list[str] = field(default_factory=list)


def check_files(runs_dir: str | Path, specs: Sequence[FitSpec]) -> RecordCheck:
    """Check the per-fit record files of ``specs`` under ``runs_dir``."""
    from shnn.pipeline.records import check_record_file, record_path

    check = RecordCheck()
    for spec in specs:
        path = record_path(runs_dir, spec)
        record, reason = check_record_file(path, spec.settings())
        if reason is not None:
            check.invalid.append(f"{path}: {reason}")
        elif record is None:
            check.missing += 1
        else:
            check.valid += 1
    check.replaceable = len(check.invalid)
    return check


def check_log(path: Path, specs: Sequence[FitSpec]) -> RecordCheck:
    """Check one committed record log against the fits ``specs``.

    A fit with a valid line is valid. An invalid line is reported unless the log also holds a
    valid line of its fit (the append-only log keeps both); one that names none of ``specs``
    (unparsable, torn, or another fit) is never replaced, so it is to be deleted by hand.
    Lines of another record version are history: noted, not invalid.
    """
    from shnn.pipeline.store import RecordLog, settings_key

    log = RecordLog(path, warn=False)
    records = log.records()
    wanted = {settings_key(spec.settings()) for spec in specs}
    bad = [b for b in log.bad_lines() if not b.stale and b.key not in records]
    check = RecordCheck(valid=len(wanted & records.keys()))
    for b in bad:
        stray = "" if b.key in wanted else " (names no fit of this preset: delete the line)"
        check.invalid.append(f"{path}:{b.number}: {b.reason}{stray}")
    replaced = {b.key for b in bad} & wanted
    check.missing, check.replaceable = len(wanted - records.keys() - replaced), len(replaced)
    stale = sum(b.stale for b in log.bad_lines())
    if stale:
        check.notes.append(f"{path}: {stale} line(s) of another record version (history, "
                           "never reused)")
    return check


def _verify_units(config: dict[str, Any], config_path: str, runs_dir: str
                  ) -> Iterator[tuple[str, RecordCheck]]:
    """``(recompute command, check)`` of every sweep shard and Adam baseline of a preset."""
    from shnn.pipeline.store import baseline_log_path, checkpoint_path, shard_log_path
    from shnn.pipeline.sweeps import baseline_spec, shard_label, sweep_points

    store, res, q = config.get("store_dir"), config["results_dir"], shlex.quote
    common = f"--config {q(config_path)} --runs-dir {q(runs_dir)}"
    for sweep_id, sweep in config["sweeps"].items():
        for value in next(iter(sweep["vary"].values())):
            label = shard_label(value)
            specs = [s for _, _, group in sweep_points(sweep, [value]) for s in group]
            check = (check_log(shard_log_path(store, sweep_id, label), specs) if store
                     else check_files(runs_dir, specs))
            yield (f"shnn sweep {common} --sweep {q(sweep_id)} --value {q(label)} --csv "
                   f"{q(f'{res}/sweeps/{sweep_id}/value~{label}.csv')}", check)
    for case in config["hnn"]:
        specs = [baseline_spec(config, case)]
        check = (check_log(baseline_log_path(store, case), specs) if store
                 else check_files(runs_dir, specs))
        resume = f" --checkpoint {q(str(checkpoint_path(store, case)))}" if store else ""
        yield (f"shnn baseline {common} --case {q(case)} --csv "
               f"{q(f'{res}/hnn/{case}.csv')}{resume}", check)


def verify(config_path: str, runs_dir: str | None = None) -> int:
    """``shnn verify``: print the invalid records of a preset, a summary and the commands that
    recompute the shards and baselines with invalid or missing records; computes no fit.
    Returns 1 if any record is invalid, else 0."""
    from shnn.pipeline.config import load

    config = load(config_path)
    runs_dir = runs_dir or config["runs_dir"]
    total, commands = RecordCheck(), []
    for command, check in _verify_units(config, config_path, runs_dir):
        for line in check.invalid + [f"note: {n}" for n in check.notes]:
            print(line)
        total.valid += check.valid
        total.missing += check.missing
        total.invalid += check.invalid
        if check.replaceable or check.missing:
            commands.append(command)
    where = (f"committed logs under {config['store_dir']}" if config.get("store_dir")
             else f"per-fit records under {runs_dir}")
    print(f"{config_path}: {total.valid} valid, {total.missing} missing, "
          f"{len(total.invalid)} invalid ({where})")
    if commands:
        print("recompute the invalid and missing records with these commands (an invalid one "
              f"is replaced); then `snakemake --cores all --config preset={config['preset']}` "
              "rebuilds what depends on them:")
        print("\n".join(f"  {c}" for c in commands))
    return 1 if total.invalid else 0


def stopped_errors() -> tuple[type[BaseException], ...]:
    """The exceptions of a job that stopped at its time budget (not a failure)."""
    from shnn.adam_checkpoint import TrainingStopped
    from shnn.pipeline.fitting import BudgetExhausted

    return (BudgetExhausted, TrainingStopped)
