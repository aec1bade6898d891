"""Command line: ``shnn fit``, ``shnn systems``, and the pipeline's ``shnn sweep``,
``shnn gather``, ``shnn baseline``, ``shnn experiment``, ``shnn verify``.

Every command's options are defined here; the pipeline commands (the ones Snakemake and the
paper-preset runner call) are carried out by :mod:`shnn.pipeline.commands`."""

from __future__ import annotations

import argparse
import json
import logging
import math
import re
import sys
from collections.abc import Sequence
from typing import Any

from shnn import systems
from shnn.data import Domain, anchor_setting, choose_anchor
from shnn.pipeline import commands
from shnn.pipeline.records import FitSpec
from shnn.sampling import Method
from shnn.validation import ArgumentParser, plural

METHODS = [m.value for m in Method] + ["hnn"]
_PI = re.compile(r"^([+-]?\d*\.?\d*(?:e[+-]?\d+)?)\*?pi(?:/(\d+(?:\.\d*)?))?$")


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


def parse_state(text: str, option: str, dim: int) -> list[float]:
    """``dim`` comma-separated numbers (pi allowed): one state ``q..., p...``."""
    values = [parse_number(t, option) for t in text.split(",")]
    if len(values) != dim:
        raise ValueError(f"{option}: expected {dim} numbers (q..., p...), got {len(values)} in "
                         f"{text!r}")
    return values


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


def _finite_number(*, zero_allowed: bool):
    """argparse type: a finite number ``> 0`` (``>= 0`` where ``zero_allowed``)."""
    bound = ">= 0" if zero_allowed else "> 0"

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not math.isfinite(value) or value < 0 or (value == 0 and not zero_allowed):
            raise argparse.ArgumentTypeError(f"must be a finite number {bound}, got {text!r}")
        return value
    return parse


_positive = _finite_number(zero_allowed=False)
_nonnegative = _finite_number(zero_allowed=True)


def build_parser() -> argparse.ArgumentParser:
    """The ``shnn`` argument parser."""
    parser = ArgumentParser(prog="shnn", description="Sampled Hamiltonian neural networks "
                     "(reproduction of arXiv 2411.17511).")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)

    fit = sub.add_parser("fit", help="fit one model on fresh data and print its record",
                         description="Fit one model on freshly generated data (docs/method.md §4) "
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
    fit.add_argument("--x0", metavar="Q1,..,P1,..",
                     help="anchor state of the integration constant, 2*dof numbers (default: "
                     "the origin, or the domain's centre where H is not finite there)")
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
    fit.add_argument("--rcond", type=_positive, default=1e-13,
                     help="SVD cut-off relative to the largest singular value (default 1e-13)")
    fit.add_argument("--solver", choices=["qr", "dense"], default="qr",
                     help="least squares: qr (default; A never formed) or dense (gelsd on A)")
    fit.add_argument("--elm-bias", metavar="LO,HI",
                     help="ELM bias range (default: min,max of all domain limits)")
    fit.add_argument("--steps", type=_int_at_least(1), default=15000,
                     help="hnn: Adam steps (default 15000)")
    fit.add_argument("--lr", type=_positive, default=5e-4, help="hnn: learning rate (default 5e-4)")
    fit.add_argument("--batch-size", type=_int_at_least(1), default=2048,
                     help="hnn: batch size (default 2048)")
    fit.add_argument("--weight-decay", type=_nonnegative, default=1e-13,
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

    exp = sub.add_parser("experiment", help="run (or reload) one experiment of a preset: "
                         "energy (fig08) or error_correction (fig09)")
    exp.add_argument("--config", required=True, help="preset YAML, e.g. config/default.yaml")
    exp.add_argument("--name", required=True, help="energy or error_correction (the preset's "
                     "section of that name)")
    exp.add_argument("--runs-dir", required=True, help="folder of stored results")
    exp.add_argument("--out", required=True, help="output JSON: the settings and the seconds")
    exp.add_argument("--benchmark", metavar="TSV",
                     help="write the compute seconds there, as measured when the results were "
                     "computed (a rerun that reloads them writes the same)")

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
    verify.add_argument("--recompute", type=_int_at_least(1), metavar="N",
                        help="instead: draw N stored fits at random (spread over sweeps and "
                        "methods), recompute each from its stored settings and compare errors "
                        "and times; exit status 1 if an error differs beyond the cross-CPU "
                        "tolerance")
    verify.add_argument("--seed", type=_int_at_least(0),
                        help="--recompute: the seed of the draw (default 0)")
    verify.add_argument("--budget", type=_positive, metavar="MINUTES",
                        help="--recompute: start no fit that its stored time says would end "
                        "past this many minutes")
    verify.add_argument("--baseline", action="append", default=[], metavar="CASE",
                        help="--recompute: also draw from this Adam baseline (repeatable; "
                        "baselines are drawn only when named)")
    return parser


def _budget_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--deadline", type=_positive, metavar="EPOCH",
                        help="stop before this time (seconds since the epoch): start no fit "
                        f"the cost model says would end later; exit {commands.EXIT_BUDGET}")
    parser.add_argument("--no-compute", action="store_true",
                        help="only read stored records; a missing one is an error")
    parser.add_argument("--benchmark", metavar="TSV",
                        help="write the compute seconds of the fits there, as measured when "
                        "each was computed (a rerun that reloads them writes the same)")


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
        freedom = plural(system.dof, "degree of freedom", "degrees of freedom")
        raise ValueError(f"--q-lims/--p-lims: system {args.system!r} has {freedom} but got "
                         f"{len(q_lims)} q and {len(p_lims)} p intervals")
    domain = Domain.of(q_lims, p_lims)
    x0 = parse_state(args.x0, "--x0", system.dim) if args.x0 else None
    try:
        anchor = choose_anchor(system, domain, x0)
    except ValueError as exc:
        raise ValueError(f"--x0: {exc}") from None
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
                   solver="" if hnn else args.solver, x0=anchor_setting(anchor))


def _print_record(record: dict[str, Any]) -> None:
    s = record["settings"]
    print(f"system      {s['system']} {s['params']}")
    print(f"domain      q {s['q_lims']} p {s['p_lims']}")
    print(f"method      {s['method']}  width {s['width']}  train {s['train_size']}  "
          f"test {s['test_size']}")
    print(f"seeds       data {s['data_seed']}  model {s['model_seed']}")
    if s.get("x0"):
        print(f"anchor      x0 = {s['x0']} (not the origin)")
    print(f"fit         {record['fit_seconds']:.3f} s")
    print(f"rel L2 H    train {record['train_rel_l2_H']:.3e}  test {record['test_rel_l2_H']:.3e}")
    print(f"rel L2 x'   train {record['train_rel_l2_xdot']:.3e}  "
          f"test {record['test_rel_l2_xdot']:.3e}")
    if "final_loss" in record:
        from shnn.pipeline.fitting import FINAL_LOSS_STEPS

        last = min(FINAL_LOSS_STEPS, s["steps"])
        print(f"final loss  {record['final_loss']:.3e} (mean of the last {last} steps' losses)")


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


PAIR_OPTIONS = ("--q-lims", "--p-lims", "--elm-bias", "--x0")


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
            from shnn.pipeline.fitting import run_fit

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
                from shnn.adam_checkpoint import remove_checkpoint

                remove_checkpoint(args.checkpoint)
            record.pop("loss_history", None)
            if args.json:
                print(json.dumps(record, sort_keys=True))
            else:
                _print_record(record)
        else:
            return commands.run(args)
    except commands.stopped_errors() as exc:
        sys.stderr.write(f"shnn: stopped by the time budget: {exc}\n")
        return commands.EXIT_BUDGET
    except (ValueError, OSError) as exc:
        sys.stderr.write(f"shnn: error: {exc}\n")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
