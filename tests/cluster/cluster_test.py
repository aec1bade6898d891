"""The cluster test: the smoke preset through a real SLURM, then interrupted and resumed.

Run by ``make cluster-test`` after ``tests/cluster/slurm_up.sh`` started a single-node
cluster (``SLURM_CONF`` set). Steps, each in a fresh copy of the working tree under a
temporary folder (so nothing here touches the checkout's own results):

1. ``snakemake --profile profiles/slurm --config preset=smoke`` (executor slurm);
2. ``sacct`` lists the jobs of the cluster: every non-local job of the run must be there
   (the list goes to the log);
3. the tables equal those of a local ``--cores all`` run of the same preset (the checkout's
   ``results/smoke``, built first when missing): every column but the wall-clock times;
4. interruption, local and under SLURM: the sweeps are started, the workflow is killed
   (SIGTERM) once some shards are done, no record is left half-written, a dry run plans
   only the shards not done, and the re-run's sweep tables equal the uninterrupted ones.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
SNAKEMAKE = [PY, "-m", "snakemake"]
SLURM = ["--profile", "profiles/slurm", "--max-threads", str(os.cpu_count() or 1)]
LOCAL = ["--cores", "all"]
PRESET = ["--config", "preset=smoke"]
#: Columns holding wall-clock times (differ between any two runs); everything else must match.
TIME_COLUMNS = {"fit_seconds", "seconds", "time_s", "speedup", "final_loss_seconds"}


def log(message: str) -> None:
    print(f"[cluster-test] {message}", flush=True)


def copy_tree(dest: Path) -> Path:
    """The working tree without results, Snakemake state, git data or the venv."""
    ignore = shutil.ignore_patterns(".git", ".venv", "results", ".snakemake", "__pycache__",
                                    "*.egg-info", ".pytest_cache", ".ruff_cache")
    shutil.copytree(ROOT, dest, ignore=ignore, symlinks=True)
    return dest


def snakemake(workdir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    cmd = [*SNAKEMAKE, *args]
    log(f"{workdir.name}$ snakemake {' '.join(args)}")
    return subprocess.run(cmd, cwd=workdir, check=check, text=True)


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as fh:
        return [{k: v for k, v in row.items() if k not in TIME_COLUMNS}
                for row in csv.DictReader(fh)]


def tables(results: Path) -> dict[str, list[dict[str, str]]]:
    """Every sweep, baseline and table CSV of a results folder, time columns dropped."""
    files = [*results.glob("sweeps/*.csv"), *results.glob("hnn/*.csv"),
             *results.glob("figures/tab0*.csv")]
    return {str(p.relative_to(results)): read_rows(p) for p in sorted(files)}


def compare(reference: Path, other: Path, only: str = "") -> None:
    ref, got = tables(reference), tables(other)
    ref = {k: v for k, v in ref.items() if k.startswith(only)}
    got = {k: v for k, v in got.items() if k.startswith(only)}
    if sorted(ref) != sorted(got):
        raise SystemExit(f"different tables: {sorted(set(ref) ^ set(got))}")
    for name in ref:
        if ref[name] != got[name]:
            raise SystemExit(f"{name}: differs from the reference run")
    log(f"{len(ref)} tables identical to the reference (time columns excepted)")


def sacct_jobs(since: str) -> list[str]:
    out = subprocess.run(["sacct", "-a", "-X", "-n", "-P", "-S", since,
                          "-o", "JobID,JobName%60,State,Elapsed"],
                         check=True, capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if line.strip()]


def run_under_slurm(workdir: Path) -> None:
    since = time.strftime("%Y-%m-%dT%H:%M:%S")
    start = time.perf_counter()
    snakemake(workdir, *SLURM, *PRESET)
    log(f"smoke preset under SLURM: {time.perf_counter() - start:.0f} s")
    jobs = sacct_jobs(since)
    log(f"sacct: {len(jobs)} jobs since {since}")
    for line in jobs:
        print("    " + line)
    summary = subprocess.run([*SNAKEMAKE, *PRESET, "--summary"], cwd=workdir, check=True,
                             capture_output=True, text=True).stdout
    rules = [row.split("\t")[2] for row in summary.splitlines()[1:] if "\t" in row]
    submitted = [r for r in rules if r not in ("sweep", "all")]  # the local rules
    states = [line.split("|")[2] for line in jobs]
    if len(jobs) < len(set(submitted)) or any(s != "COMPLETED" for s in states):
        raise SystemExit(f"sacct shows {len(jobs)} jobs ({set(states)}), expected at least "
                         f"one per rule of {sorted(set(submitted))}, all COMPLETED")


def sweep_targets(workdir: Path) -> list[str]:
    sys.path.insert(0, str(ROOT / "src"))
    from shnn.config import load

    config = load(workdir / "config/smoke.yaml")
    return [f"results/smoke/sweeps/{s}.csv" for s in config["sweeps"]]


def interrupt_and_resume(workdir: Path, executor: list[str], reference: Path) -> None:
    """Kill the sweeps once a few shards are done; the re-run does only the rest."""
    targets = sweep_targets(workdir)
    shards = workdir / "results/smoke/sweeps"
    proc = subprocess.Popen([*SNAKEMAKE, *executor, *PRESET, *targets], cwd=workdir,
                            start_new_session=True)
    deadline = time.monotonic() + 900
    while len(list(shards.glob("*/value~*.csv"))) < 3:
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the sweeps ended (or hung) before they could be interrupted")
        time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=300)
    done = sorted(p.relative_to(workdir).as_posix() for p in shards.glob("*/value~*.csv"))
    log(f"interrupted with {len(done)} shards done")
    records = list((workdir / "results/runs").rglob("*.json"))
    for record in records:
        json.loads(record.read_text())  # every record left behind is complete JSON
    leftovers = list((workdir / "results/runs").rglob(".tmp-*"))
    if leftovers:
        raise SystemExit(f"half-written records left: {leftovers[:3]}")
    dry = subprocess.run([*SNAKEMAKE, *LOCAL, *PRESET, "-n", "--quiet", "rules", *targets],
                         cwd=workdir, check=True, capture_output=True, text=True).stdout
    planned = _planned_shards(dry)
    total = sum(len(_labels(workdir, t)) for t in targets)
    if planned != total - len(done):
        raise SystemExit(f"re-run plans {planned} shards, expected {total} - {len(done)}")
    log(f"re-run plans the {planned} shards not done (of {total}); {len(records)} records kept")
    snakemake(workdir, *executor, *PRESET, *targets)
    compare(reference, workdir / "results/smoke", only="sweeps/")


def _labels(workdir: Path, target: str) -> list[str]:
    from shnn.config import load
    from shnn.sweeps import shard_labels

    sweep = Path(target).stem
    return shard_labels(load(workdir / "config/smoke.yaml")["sweeps"][sweep])


def _planned_shards(dry_run: str) -> int:
    for line in dry_run.splitlines():
        parts = line.split()
        if parts and parts[0] == "sweep_shard":
            return int(parts[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary copies")
    args = parser.parse_args()
    if "SLURM_CONF" not in os.environ:
        raise SystemExit("SLURM_CONF is not set: start the cluster with tests/cluster/slurm_up.sh")
    reference = ROOT / "results/smoke"
    if not (reference / "figures/reproduction_report.csv").exists():
        log("no local smoke run yet: building it (--cores all)")
        snakemake(ROOT, *LOCAL, *PRESET)
    tmp = Path(tempfile.mkdtemp(prefix="shnn-cluster-"))
    try:
        slurm_run = copy_tree(tmp / "slurm")
        run_under_slurm(slurm_run)
        compare(reference, slurm_run / "results/smoke")
        log("interruption under SLURM")
        interrupt_and_resume(copy_tree(tmp / "slurm-interrupt"), SLURM, reference)
        log("interruption, local")
        interrupt_and_resume(copy_tree(tmp / "local-interrupt"), LOCAL, reference)
        log("cluster test passed")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
