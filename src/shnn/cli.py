"""Command line: ``shnn fit``, ``shnn systems``, ``shnn sweep``, ``shnn gather``,
``shnn baseline``, ``shnn verify``."""

from __future__ import annotations

import argparse
import json
import logging
import math
import re
import shlex
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from shnn import systems
from shnn.data import Domain
from shnn.records import FitSpec
from shnn.sampling import Method

METHODS = [m.value for m in Method] + ["hnn"]
_PI = re.compile(r"^([+-]?\d*\.?\d*(?:e[+-]?\d+)?)\*?pi(?:/(\d+(?:\.\d*)?))?$")


class _Parser(argparse.ArgumentParser):
    """argparse with single-line errors (exit status 2, no usage dump)."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def parse_number(text: str, option: str) -> float:
    """A float, also written with pi: ``2pi``, ``-pi``, ``pi/2``, ``1.5*pi``."""
    text = text.strip()
    match = _PI.match(text.lower())
    try:
        if match:
            coef = match.group(1)
            factor = float(coef + "1" if coef in ("", "+", "-") else coef)
            value = factor * math.pi / float(match.group(2) or 1)
        else:
            value = float(text)
    except ValueError:
        raise ValueError(f"{option}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{option}: {text!r} is not finite")
    return value


def parse_pair(text: str, option: str) -> tuple[float, float]:
    """``LO,HI`` with ``LO < HI``."""
    parts = text.split(",")
    if len(parts) != 2:
        raise ValueError(f"{option}: expected LO,HI, got {text!r}")
    lo, hi = (parse_number(p, option) for p in parts)
    if lo >= hi:
        raise ValueError(f"{option}: empty or inverted interval {text!r} (LO must be < HI)")
    return lo, hi


def parse_params(items: Sequence[str], system: str) -> dict[str, Any]:
    """``KEY=VALUE`` items; ``preset`` (Lotka-Volterra) stays a string."""
    params: dict[str, Any] = {}
    allowed = systems.parameters(system)
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"--param: expected KEY=VALUE, got {item!r}")
        if key == "preset" and system == "lotka_volterra":
            if value not in systems.LOTKA_VOLTERRA_PRESETS:
                raise ValueError(f"--param preset: unknown Lotka-Volterra preset {value!r}; "
                                 f"choose from {', '.join(systems.LOTKA_VOLTERRA_PRESETS)}")
            params[key] = value
            continue
        if key not in allowed:
            raise ValueError(f"--param: unknown parameter {key!r} for system {system!r}; "
                             f"choose from {', '.join(allowed) or '(it has none)'}")
        params[key] = parse_number(value, f"--param {key}")
    return params


def _int_at_least(minimum: int):
    """argparse type: an integer ``>= minimum``."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be >= {minimum}, got {value}")
        return value
    return parse


def _float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive finite number, got {text!r}")
    return value


def _nonnegative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"must be a finite number >= 0, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The ``shnn`` argument parser."""
    parser = _Parser(prog="shnn", description="Sampled Hamiltonian neural networks "
                     "(reproduction of arXiv 2411.17511).")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    fit = sub.add_parser("fit", help="fit one model on fresh data and print its record",
                         description="Fit one model on freshly generated data (METHOD §4) "
                         "and print one record: settings, fit seconds, train and test "
                         "relative L2 errors of H and of the vector field.")
    fit.add_argument("--system", required=True,
                     help=f"one of: {', '.join(systems.names())}; or your own: FILE.py:NAME "
                     "(or MODULE:NAME), a variable made with shnn.systems.from_function")
    fit.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                     help="system parameter, repeatable (Lotka-Volterra: preset=zero-centered"
                     " or five-centered); values may use pi, e.g. f=10")
    fit.add_argument("--q-lims", action="append", required=True, metavar="LO,HI",
                     help="position interval, one per degree of freedom, e.g. -2pi,2pi")
    fit.add_argument("--p-lims", action="append", required=True, metavar="LO,HI",
                     help="momentum interval per degree of freedom")
    fit.add_argument("--method", required=True, choices=METHODS,
                     help="hidden-layer sampler, or hnn for the Adam-trained baseline")
    fit.add_argument("--width", type=_int_at_least(1), required=True, help="hidden neurons M")
    fit.add_argument("--train-size", type=_int_at_least(1), default=10000,
                     help="training points N (default 10000)")
    fit.add_argument("--test-size", type=_int_at_least(1), default=10000,
                     help="test points (default 10000)")
    fit.add_argument("--data-seed", type=_int_at_least(0), default=3943,
                     help="data seed (default 3943)")
    fit.add_argument("--model-seed", type=_int_at_least(0), default=992472,
                     help="model seed (default 992472)")
    fit.add_argument("--rcond", type=_float, default=1e-13,
                     help="SVD cut-off relative to the largest singular value (default 1e-13)")
    fit.add_argument("--solver", choices=["qr", "dense"], default="qr",
                     help="least squares: qr (default; A never formed) or dense (gelsd on A)")
    fit.add_argument("--elm-bias", metavar="LO,HI",
                     help="ELM bias range (default: min,max of all domain limits)")
    fit.add_argument("--steps", type=_int_at_least(1), default=15000,
                     help="hnn: Adam steps (default 15000)")
    fit.add_argument("--lr", type=_float, default=5e-4, help="hnn: learning rate (default 5e-4)")
    fit.add_argument("--batch-size", type=_int_at_least(1), default=2048,
                     help="hnn: batch size (default 2048)")
    fit.add_argument("--weight-decay", type=_nonnegative_float, default=1e-13,
                     help="hnn: Adam's L2 weight decay (default 1e-13, the paper's)")
    fit.add_argument("--checkpoint", metavar="PATH",
                     help="hnn: checkpoint file; training resumes from it when it exists and "
                     "writes it every --checkpoint-every steps (delete it to start afresh)")
    fit.add_argument("--checkpoint-every", type=_int_at_least(1), default=1000, metavar="K",
                     help="hnn: steps between checkpoints (default 1000)")
    fit.add_argument("--json", action="store_true", help="print the record as JSON")

    sub.add_parser("systems", help="list the systems and their parameters")

    sweep = sub.add_parser("sweep", help="run (or resume) one sweep of a preset, write its CSV")
    sweep.add_argument("--config", required=True, help="preset YAML, e.g. config/default.yaml")
    sweep.add_argument("--sweep", required=True, help="sweep id in the preset")
    sweep.add_argument("--runs-dir", required=True, help="folder of per-fit records")
    sweep.add_argument("--csv", required=True, help="output CSV, one row per fit")
    sweep.add_argument("--value", metavar="LABEL",
                       help="run one shard: only this value of the swept quantity (e.g. 1000 "
                       "or 0.2); default: every value")
    _budget_options(sweep)

    gather = sub.add_parser("gather", help="concatenate the shard CSVs of a sweep into one")
    gather.add_argument("--csv", required=True, help="output CSV")
    gather.add_argument("shards", nargs="+", help="shard CSVs, in order")

    base = sub.add_parser("baseline", help="train (or load) one Adam-trained HNN baseline of a "
                          "preset, write its CSV row")
    base.add_argument("--config", required=True, help="preset YAML, e.g. config/default.yaml")
    base.add_argument("--case", required=True, help="hnn case (a sweep id) in the preset")
    base.add_argument("--runs-dir", required=True, help="folder of per-fit records")
    base.add_argument("--csv", required=True, help="output CSV (one row)")
    base.add_argument("--checkpoint", metavar="PATH",
                      help="checkpoint file: resume from it when it exists, write it every "
                      "--checkpoint-every steps, delete it when the record is stored")
    base.add_argument("--checkpoint-every", type=_int_at_least(1), default=1000, metavar="K",
                      help="steps between checkpoints (default 1000)")
    _budget_options(base)

    verify = sub.add_parser("verify", help="check every stored record of a preset (no fit is "
                            "computed)", description="Check the stored record of every fit of "
                            "every sweep and Adam baseline of a preset (the committed logs "
                            "under its store_dir, else the per-fit files under the runs folder). "
                            "Prints one line per invalid record (path: reason), a summary and "
                            "the commands that recompute what is invalid or missing. Exit "
                            "status 1 if any record is invalid; missing records (an unfinished "
                            "preset) are counted but are no error.")
    verify.add_argument("--config", required=True, help="preset YAML, e.g. config/default.yaml")
    verify.add_argument("--runs-dir", help="folder of per-fit records (default: the preset's "
                        "runs_dir; unused when the preset has a store_dir)")
    return parser


#: Exit status of a job stopped by its time budget (``--deadline``): nothing is wrong, the
#: finished fits (or the checkpoint) are stored and a later run continues.
EXIT_BUDGET = 75


def _budget_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--deadline", type=_float, metavar="EPOCH",
                        help="stop before this time (seconds since the epoch): start no fit "
                        f"the cost model says would end later; exit {EXIT_BUDGET}")
    parser.add_argument("--no-compute", action="store_true",
                        help="only read stored records; a missing one is an error")
    parser.add_argument("--benchmark", metavar="TSV",
                        help="write the compute seconds of the fits there, as measured when "
                        "each was computed (a rerun that reloads them writes the same)")


def _budget_stop(deadline: float | None):
    """The stop rule of ``--deadline``: the measured cost model's estimate of a fit must end
    before the deadline (without the model's files, only the clock counts)."""
    if deadline is None:
        return None
    import time

    from shnn.resources import CostModel

    try:
        costs = CostModel.from_files("bench/results/paper_estimate.json",
                                     "bench/results/adam_speed.json")
    except OSError:
        costs = None

    def stop(spec: FitSpec) -> bool:
        estimate = 0.0
        if costs is not None and spec.method != "hnn":
            dof = len(spec.q_lims)
            estimate = costs.fit_seconds(spec.method, dof, spec.train_size, spec.width)
        return time.time() + estimate > deadline

    return stop


def _fit_spec(args: argparse.Namespace) -> FitSpec:
    if args.system not in systems.names() and not systems.is_reference(args.system):
        raise ValueError(f"--system: unknown system {args.system!r}; "
                         f"choose from {', '.join(systems.names())}, or name your own as "
                         "FILE.py:NAME")
    try:
        systems.parameters(args.system)  # loads a system of your own: its errors name --system
    except ValueError as exc:
        raise ValueError(f"--system: {exc}") from None
    params = parse_params(args.param, args.system)
    system = systems.get(args.system, **params)
    q_lims = [parse_pair(t, "--q-lims") for t in args.q_lims]
    p_lims = [parse_pair(t, "--p-lims") for t in args.p_lims]
    if len(q_lims) != system.dof or len(p_lims) != system.dof:
        raise ValueError(f"--q-lims/--p-lims: system {args.system!r} has {system.dof} degrees of "
                         f"freedom but got {len(q_lims)} q and {len(p_lims)} p intervals")
    domain = Domain.of(q_lims, p_lims)
    bias = parse_pair(args.elm_bias, "--elm-bias") if args.elm_bias else domain.elm_bias_range()
    if args.method in ("uswim", "swim", "aswim") and args.train_size < 3:
        raise ValueError(f"--train-size: must be >= 3 for method {args.method!r}, "
                         f"got {args.train_size}")
    hnn = args.method == "hnn"
    return FitSpec(system=system.name, params=system.params, domain="cli",
                   q_lims=[list(v) for v in q_lims], p_lims=[list(v) for v in p_lims],
                   train_size=args.train_size, test_size=args.test_size, width=args.width,
                   method=args.method, data_seed=args.data_seed, model_seed=args.model_seed,
                   rcond=0.0 if hnn else args.rcond, elm_bias=[] if hnn else list(bias),
                   steps=args.steps if hnn else 0, lr=args.lr if hnn else 0.0,
                   batch_size=args.batch_size if hnn else 0,
                   weight_decay=args.weight_decay if hnn else 0.0,
                   solver="" if hnn else args.solver)


def _print_record(record: dict[str, Any]) -> None:
    s = record["settings"]
    print(f"system      {s['system']} {s['params']}")
    print(f"domain      q {s['q_lims']} p {s['p_lims']}")
    print(f"method      {s['method']}  width {s['width']}  train {s['train_size']}  "
          f"test {s['test_size']}")
    print(f"seeds       data {s['data_seed']}  model {s['model_seed']}")
    print(f"fit         {record['fit_seconds']:.3f} s")
    print(f"rel L2 H    train {record['train_rel_l2_H']:.3e}  test {record['test_rel_l2_H']:.3e}")
    print(f"rel L2 x'   train {record['train_rel_l2_xdot']:.3e}  "
          f"test {record['test_rel_l2_xdot']:.3e}")
    if "final_loss" in record:
        print(f"final loss  {record['final_loss']:.3e} (mean of the last 1000 steps' losses)")


def _systems_listing() -> str:
    lines = []
    for name in systems.names():
        params = ", ".join(f"{k}={v:g}" for k, v in systems.parameters(name).items())
        dof = systems.get(name).dof
        lines.append(f"{name:<20} dof={dof}  {params}")
    presets = ", ".join(systems.LOTKA_VOLTERRA_PRESETS)
    lines.append(f"{'':<20} lotka_volterra also takes preset=({presets})")
    lines.append(f"{'FILE.py:NAME':<20} your own system: a variable of FILE.py made with "
                 "shnn.systems.from_function (e.g. examples/duffing.py:duffing)")
    return "\n".join(lines)


PAIR_OPTIONS = ("--q-lims", "--p-lims", "--elm-bias")


def _join_pairs(argv: list[str]) -> list[str]:
    """Turn ``--q-lims -2pi,2pi 0,1`` into ``--q-lims=-2pi,2pi --q-lims=0,1``.

    argparse would otherwise read a value starting with ``-`` as an option.
    """
    out: list[str] = []
    option = None
    for tok in argv:
        if tok in PAIR_OPTIONS:
            option = tok
        elif option and "," in tok and not tok.startswith("--"):
            out.append(f"{option}={tok}")
        else:
            if option and out[-1:] != [] and not out[-1].startswith(option + "="):
                out.append(option)
            option = None
            out.append(tok)
    if option and not (out and out[-1].startswith(option + "=")):
        out.append(option)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (2 on bad input)."""
    argv = _join_pairs(list(sys.argv[1:] if argv is None else argv))
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    try:
        if args.command == "systems":
            print(_systems_listing())
        elif args.command == "fit":
            from shnn.sweeps import run_fit

            spec = _fit_spec(args)
            options = {}
            if args.checkpoint:
                if spec.method != "hnn":
                    raise ValueError(f"--checkpoint: only the hnn method trains in steps, "
                                     f"not {spec.method!r}")
                options = {"checkpoint": args.checkpoint,
                           "checkpoint_every": args.checkpoint_every}
            record = {"settings": spec.settings(), **run_fit(spec, **options)}
            if args.checkpoint:  # the run is complete: a rerun starts afresh
                from shnn.adam import remove_checkpoint

                remove_checkpoint(args.checkpoint)
            record.pop("loss_history", None)
            if args.json:
                print(json.dumps(record, sort_keys=True))
            else:
                _print_record(record)
        elif args.command == "sweep":
            from shnn.config import load
            from shnn.sweeps import run_sweep, shard_value, write_csv

            config = load(args.config)
            if args.sweep not in config["sweeps"]:
                raise ValueError(f"--sweep: unknown sweep {args.sweep!r} in {args.config}; "
                                 f"choose from {', '.join(config['sweeps'])}")
            sweep = config["sweeps"][args.sweep]
            values = None if args.value is None else [shard_value(args.sweep, sweep, args.value)]
            write_csv(run_sweep(args.sweep, sweep, args.runs_dir, values=values,
                                store_dir=config.get("store_dir"), compute=not args.no_compute,
                                stop=_budget_stop(args.deadline), benchmark=args.benchmark),
                      args.csv)
        elif args.command == "gather":
            from shnn.sweeps import concat_csv

            concat_csv(args.shards, args.csv)
        elif args.command == "baseline":
            from shnn.config import load
            from shnn.sweeps import BASELINE_COLUMNS, run_baseline, write_csv

            options: dict[str, Any] = {"compute": not args.no_compute,
                                       "benchmark": args.benchmark}
            if args.checkpoint:
                options.update(checkpoint=args.checkpoint, checkpoint_every=args.checkpoint_every)
            if args.deadline is not None:
                if not args.checkpoint:
                    raise ValueError("--deadline: a baseline needs --checkpoint to stop early")
                options["deadline"] = args.deadline
            row = run_baseline(load(args.config), args.case, args.runs_dir, **options)
            write_csv([row], args.csv, BASELINE_COLUMNS)
        elif args.command == "verify":
            return verify(args.config, args.runs_dir)
    except _stopped_errors() as exc:
        sys.stderr.write(f"shnn: stopped by the time budget: {exc}\n")
        return EXIT_BUDGET
    except (ValueError, OSError) as exc:
        sys.stderr.write(f"shnn: error: {exc}\n")
        return 2
    return 0


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
    from shnn.records import check_record_file, record_path

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
    from shnn.store import RecordLog, settings_key

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
    from shnn.store import baseline_log_path, checkpoint_path, shard_log_path
    from shnn.sweeps import baseline_spec, shard_label, sweep_points

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
    from shnn.config import load

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


def _stopped_errors() -> tuple[type[BaseException], ...]:
    """The exceptions of a job that stopped at its time budget (not a failure)."""
    from shnn.adam import TrainingStopped
    from shnn.sweeps import BudgetExhausted

    return (BudgetExhausted, TrainingStopped)


if __name__ == "__main__":
    raise SystemExit(main())
