"""The command lines of the compute jobs that both Snakemake (``rules/compute.smk``) and the
paper-preset runner (:mod:`shnn.pipeline.timebox`) start, and the files they write: a sweep
shard (``shnn sweep``: every method and repeat at one sweep value) and an Adam baseline
(``shnn baseline``). Each is an argument list; the Snakefile joins it into its shell line."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from shnn.pipeline.store import checkpoint_path

#: How a job starts the ``shnn`` command: with the interpreter running the caller.
SHNN = (sys.executable, "-m", "shnn.cli")


def shard_csv(results_dir: str, sweep_id: str, label: str) -> str:
    """The CSV the job of shard ``label`` of sweep ``sweep_id`` writes."""
    return f"{results_dir}/sweeps/{sweep_id}/value~{label}.csv"


def baseline_csv(results_dir: str, case: str) -> str:
    """The CSV row the job of Adam baseline ``case`` writes."""
    return f"{results_dir}/hnn/{case}.csv"


def _options(benchmark: str | None, deadline: float | None) -> list[str]:
    """``--benchmark FILE`` (its fits' compute seconds) and ``--deadline EPOCH``, when given."""
    out = [] if benchmark is None else ["--benchmark", benchmark]
    return out if deadline is None else [*out, "--deadline", f"{deadline:.3f}"]


def shard_command(config_path: str, config: Mapping[str, Any], sweep_id: str, label: str, *,
                  benchmark: bool = False, deadline: float | None = None) -> list[str]:
    """The argument list of one sweep shard's job (``shnn sweep``): it writes
    :func:`shard_csv`; ``benchmark``: also its benchmark file (Snakemake's); ``deadline``: a
    ``time.time()`` epoch after which it starts no fit (the runner's)."""
    res = config["results_dir"]
    bench = f"{res}/benchmarks/sweep_{sweep_id}/value~{label}.tsv" if benchmark else None
    return [*SHNN, "sweep", "--config", config_path, "--sweep", sweep_id, "--value", label,
            "--runs-dir", config["runs_dir"], "--csv", shard_csv(res, sweep_id, label),
            *_options(bench, deadline)]


def baseline_command(config_path: str, config: Mapping[str, Any], case: str, *,
                     benchmark: bool = False, deadline: float | None = None,
                     checkpoint_every: int | None = None) -> list[str]:
    """The argument list of one Adam baseline's job (``shnn baseline``): it writes
    :func:`baseline_csv`, and in a preset with a store checkpoints there (and resumes from the
    checkpoint; every ``checkpoint_every`` steps when given); ``benchmark`` and ``deadline``
    as in :func:`shard_command` (at the deadline it checkpoints and stops)."""
    res, store = config["results_dir"], config.get("store_dir")
    command = [*SHNN, "baseline", "--config", config_path, "--case", case,
               "--runs-dir", config["runs_dir"], "--csv", baseline_csv(res, case)]
    if store:
        command += ["--checkpoint", str(checkpoint_path(store, case))]
    if checkpoint_every is not None:
        command += ["--checkpoint-every", str(checkpoint_every)]
    bench = f"{res}/benchmarks/hnn_{case}.tsv" if benchmark else None
    return command + _options(bench, deadline)
