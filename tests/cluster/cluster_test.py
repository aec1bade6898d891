"""The cluster test: the smoke preset through a real SLURM, then interrupted and resumed.

Run by ``make cluster-test`` after ``tests/cluster/slurm_up.sh`` started a single-node
cluster (``SLURM_CONF`` set). Steps, each in a fresh copy of the working tree under a
temporary folder (so nothing here touches the checkout's own results):

1. ``snakemake --profile profiles/slurm --config preset=smoke`` (executor slurm) for a few
   of the smoke preset's artifacts (``SLURM_ARTIFACTS``) that together submit every kind of
   compute job of the workflow (checked against a dry run of the whole preset), and an
   artifact's notebook;
2. ``sacct`` lists the jobs of the cluster: every non-local job of the run must be there
   (the list goes to the log);
3. the tables equal those of a local ``--cores all`` run of the whole preset (the checkout's
   ``results/smoke``, built first when missing): every column but the wall-clock times;
4. the paper preset's committed store under SLURM: two fits cut from a committed shard are
   recomputed by the one cluster job planned, with the committed numbers; every other shard
   is read from the store by a local job, and the sweep table equals the one read whole;
5. interruption, local and under SLURM: the sweeps are started, the workflow is killed
   (SIGKILL, and the cluster's jobs cancelled) once some shards are done, every record left
   is complete, a dry run plans only the shards not done, and the re-run's sweep tables
   equal the uninterrupted ones.
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
# the checkout's package, for the few helpers below that read configs and store logs, and
# the tolerance for committed fits recomputed on another kind of CPU
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]
from shnn.pipeline.recompute import CROSS_CPU_RTOL, largest_difference  # noqa: E402

PY = sys.executable
SNAKEMAKE = [PY, "-m", "snakemake"]
#: The test cluster has no accounting database (slurmdbd), so the executor polls job states
#: with squeue (jobs stay listed for MinJobAge = 1 h) and sacct reads the job-completion log.
#: Polling starts after 5 s instead of 40 s: the scheduler is on this machine.
SLURM = ["--profile", "profiles/slurm", "--max-threads", str(os.cpu_count() or 1),
         "--slurm-status-command", "squeue", "--slurm-init-seconds-before-status-checks", "5"]
LOCAL = ["--cores", "all"]
PRESET = ["--config", "preset=smoke"]
#: The test's steps (the docstring's 1-3, 4 and 5), run in this order.
STEPS = ("smoke", "store", "interrupt")
PAPER = ["--config", "preset=paper"]
#: Rules Snakemake runs itself (the Snakefile's localrules), not through sbatch.
LOCAL_RULES = {"sweep", "sweep_shard_stored", "hnn_baseline_stored", "notebook_ipynb", "all"}
#: Columns holding wall-clock times (differ between any two runs); everything else must match.
TIME_COLUMNS = {"fit_seconds", "seconds", "time_s", "speedup", "final_loss_seconds"}


def log(message: str) -> None:
    print(f"[cluster-test] {message}", flush=True)


def copy_tree(dest: Path) -> Path:
    """The working tree without results, Snakemake state, git data or the venv."""
    top = {".git", ".venv", "results", ".snakemake", ".pytest_cache", ".ruff_cache"}
    anywhere = shutil.ignore_patterns("__pycache__", "*.egg-info")

    def ignore(folder: str, names: list[str]) -> set[str]:
        skip = set(anywhere(folder, names))
        return skip | (top & set(names)) if Path(folder) == ROOT else skip

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


def compare(reference: Path, other: Path, names: list[str] | None = None) -> None:
    """The tables of ``other`` (all it has, or just ``names``) equal those of ``reference``:
    at least one, each in both."""
    ref, got = tables(reference), tables(other)
    names = sorted(got) if names is None else names
    if not names:
        raise SystemExit(f"{other}: no table to compare")
    unmatched = [name for name in names if name not in ref or name not in got]
    if unmatched:
        raise SystemExit(f"tables not in both runs: {unmatched}")
    for name in names:
        if ref[name] != got[name]:
            raise SystemExit(f"{name}: differs from the reference run")
    log(f"{len(names)} tables identical to the reference (time columns excepted)")


def sacct_jobs() -> list[list[str]]:
    """``[JobID, JobName, State, Elapsed]`` of every job the test cluster has completed."""
    out = subprocess.run(["sacct", "--completion", "-n", "-P",
                          "-o", "JobID,JobName,State,Elapsed"],
                         check=True, capture_output=True, text=True).stdout
    return [line.split("|") for line in out.splitlines() if line.strip()]


def planned_jobs(workdir: Path, *args: str) -> dict[str, int]:
    """Jobs per rule that a dry run of ``snakemake args`` would run."""
    out = subprocess.run([*SNAKEMAKE, *args, "-n", "--quiet", "rules"], cwd=workdir,
                         check=True, capture_output=True, text=True).stdout
    counts = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit() and parts[0] != "total":
            counts[parts[0]] = int(parts[1])
    return counts


#: The smoke preset's artifacts built under SLURM. A SLURM job here is mostly start-up (a
#: Snakemake job step, Python, the imports) around a few seconds of smoke work: the whole
#: preset's 57 jobs took 1466 s in a CI run on 2026-12-02, three times its local run. These three
#: submit one job of each compute kind (sweep shards and an Adam baseline of a 2-dof
#: system, an experiment, the solver benchmark) and an artifact's notebook, 9 jobs; the
#: local smoke run (``make smoke``) builds every artifact, and ``slurm_kinds_covered`` fails
#: the test when a new kind of compute job is not among these.
SLURM_ARTIFACTS = ("fig07b_henon_heiles_loss", "fig08_energy_conservation",
                   "perf01_solver_scaling")


def slurm_targets() -> list[str]:
    """The rendered notebooks of ``SLURM_ARTIFACTS`` in the smoke preset."""
    from shnn.pipeline.config import load

    figures = load(ROOT / "config/smoke.yaml")["figures_dir"]
    return [f"{figures}/notebooks/{name}.ipynb" for name in SLURM_ARTIFACTS]


def job_kinds(planned: dict[str, int]) -> set[str]:
    """The kinds of the jobs a plan submits to the cluster: its rules, every artifact's
    notebook rule counted as one kind."""
    from shnn.pipeline.manifest import ARTIFACTS

    return {"artifact notebook" if rule in ARTIFACTS else rule
            for rule in planned if rule not in LOCAL_RULES}


def slurm_kinds_covered(workdir: Path, planned: dict[str, int]) -> None:
    """The SLURM run's plan submits every kind of job the whole smoke preset submits."""
    whole = job_kinds(planned_jobs(workdir, *LOCAL, *PRESET))
    missing = whole - job_kinds(planned)
    if missing:
        raise SystemExit(f"the SLURM run's artifacts {', '.join(SLURM_ARTIFACTS)} submit no "
                         f"{', '.join(sorted(missing))} job; add an artifact that does")
    log(f"the SLURM run submits every kind of job of the smoke preset: {', '.join(sorted(whole))}")


def run_under_slurm(workdir: Path) -> None:
    before = {job[0] for job in sacct_jobs()}
    targets = slurm_targets()
    planned = planned_jobs(workdir, *targets, *LOCAL, *PRESET)
    slurm_kinds_covered(workdir, planned)
    submitted = sum(n for rule, n in planned.items() if rule not in LOCAL_RULES)
    start = time.perf_counter()
    snakemake(workdir, *targets, *SLURM, *PRESET)
    log(f"{', '.join(SLURM_ARTIFACTS)} of the smoke preset under SLURM: "
        f"{time.perf_counter() - start:.0f} s")
    jobs = [job for job in sacct_jobs() if job[0] not in before]
    log(f"sacct: {len(jobs)} jobs of this run ({submitted} planned for sbatch)")
    for job in jobs:
        print("    " + " | ".join(job))
    states = {job[2] for job in jobs}
    if len(jobs) != submitted or states != {"COMPLETED"}:
        raise SystemExit(f"sacct shows {len(jobs)} jobs in states {states}; expected "
                         f"{submitted} COMPLETED ({planned})")


#: The store test's shard: the paper preset's cheapest (single pendulum, width 100), and how
#: many of its committed fits it cuts (recomputed under SLURM).
STORE_SWEEP, STORE_VALUE, STORE_CUT = "sp-small", "100", 2
#: What a recomputed fit must reproduce: bitwise on the kind of CPU that made the committed
#: fit, to ``CROSS_CPU_RTOL`` on another (its seconds and load differ by nature).
STORE_RESULTS = ("test_rel_l2_H", "train_rel_l2_H", "test_rel_l2_xdot", "train_rel_l2_xdot")


def store_reused_under_slurm(workdir: Path) -> None:
    """The paper preset under SLURM computes only what its committed store lacks.

    The sweep read whole from the store (a local run, no fit) is the reference. Then the last
    ``STORE_CUT`` lines of one committed shard are cut: a dry run plans one compute job, for
    that shard, and reads every other from the store; under SLURM that job is the only one
    submitted, it appends the cut fits again with the committed numbers, and the sweep table
    equals the reference (time columns excepted).
    """
    target = f"results/paper/sweeps/{STORE_SWEEP}.csv"
    snakemake(workdir, target, *LOCAL, *PAPER)
    reference = read_rows(workdir / target)
    shutil.rmtree(workdir / "results")
    shard = workdir / "records/paper/sweeps" / STORE_SWEEP / f"value~{STORE_VALUE}.jsonl"
    committed = _results(shard)
    lines = shard.read_text().splitlines(keepends=True)
    kept = lines[:-STORE_CUT]
    shard.write_text("".join(kept))
    planned = planned_jobs(workdir, target, *LOCAL, *PAPER)
    if planned.get("sweep_shard") != 1 or planned.get("sweep_shard_stored", 0) < 1:
        raise SystemExit(f"with {STORE_CUT} fits cut from one committed shard the paper "
                         f"preset plans {planned}; expected one sweep_shard job")
    log(f"paper preset, {STORE_CUT} committed fits cut: plans {planned}")
    before = {job[0] for job in sacct_jobs()}
    snakemake(workdir, target, *SLURM, *PAPER)
    jobs = [job for job in sacct_jobs() if job[0] not in before]
    if [job[2] for job in jobs] != ["COMPLETED"]:
        raise SystemExit(f"sacct shows {jobs}; expected one COMPLETED job (the cut shard)")
    redone = shard.read_text().splitlines(keepends=True)
    if redone[:len(kept)] != kept or len(redone) != len(lines):
        raise SystemExit(f"{shard}: {len(redone)} lines after the run, expected the "
                         f"{len(kept)} kept plus {STORE_CUT} appended")
    recomputed = _results(shard)
    if recomputed.keys() != committed.keys():
        raise SystemExit(f"{shard}: the recomputed fits have other settings than the "
                         f"committed ones")
    worst = max(largest_difference(recomputed[key], committed[key], STORE_RESULTS)
                for key in committed)
    if worst > CROSS_CPU_RTOL:
        raise SystemExit(f"{shard}: the recomputed fits differ from the committed ones by "
                         f"{worst:.2e} relative (more than {CROSS_CPU_RTOL:g})")
    table_worst = _rows_difference(read_rows(workdir / target), reference)
    if table_worst > CROSS_CPU_RTOL:
        raise SystemExit(f"{target}: differs from the table read whole from the store by "
                         f"{table_worst:.2e} relative (more than {CROSS_CPU_RTOL:g})")
    log(f"store reused under SLURM: 1 job recomputed the {STORE_CUT} cut fits "
        f"({'exactly' if worst == 0 else f'largest relative difference {worst:.1e}'}), "
        f"{planned['sweep_shard_stored']} shards read from the store")


def _rows_difference(rows: list[dict[str, str]], reference: list[dict[str, str]]) -> float:
    """The largest relative difference of the result columns of two sweep tables; every
    other column (settings, seeds) must be equal, or this stops the test."""
    def settings(table: list[dict[str, str]]) -> list[dict[str, str]]:
        return [{k: v for k, v in row.items() if k not in STORE_RESULTS} for row in table]

    if settings(rows) != settings(reference):
        raise SystemExit("the sweep table's settings differ from the table read whole from "
                         "the store")
    return max((largest_difference(row, ref, STORE_RESULTS)
                for row, ref in zip(rows, reference, strict=True)), default=0.0)


def _results(shard: Path) -> dict[str, dict]:
    """The reproducible part of a shard's records, by their settings (the store's own key)."""
    from shnn.pipeline.store import RecordLog

    return {key: {k: record[k] for k in STORE_RESULTS}
            for key, record in RecordLog(shard).records().items()}


#: The sweeps of the interruption test (9 shards in the smoke preset: kept small for CI).
INTERRUPTED_SWEEPS = ("sp-small", "sp-large", "sp-f10")


def sweep_targets() -> list[str]:
    return [f"results/smoke/sweeps/{s}.csv" for s in INTERRUPTED_SWEEPS]


def interrupt_and_resume(workdir: Path, executor: list[str], reference: Path) -> None:
    """Kill the sweeps hard once a few shards are done; the re-run does only the rest.

    The kill is the harshest kind: SIGKILL to Snakemake and the processes it started (and,
    under SLURM, every job of the test cluster cancelled), as when a head node dies. The
    user then runs ``snakemake --unlock`` and the same command with ``--rerun-incomplete``
    (the SLURM profile sets it).
    """
    targets = sweep_targets()
    shards = workdir / "results/smoke/sweeps"
    proc = subprocess.Popen([*SNAKEMAKE, *targets, *executor, *PRESET], cwd=workdir,
                            start_new_session=True)
    deadline = time.monotonic() + 900
    while len(list(shards.glob("*/value~*.csv"))) < 3:
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the sweeps ended (or hung) before they could be interrupted")
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    if executor == SLURM:
        subprocess.run(["scancel", "--user", str(os.getuid())], check=True)
    done = sorted(shards.glob("*/value~*.csv"))
    total = sum(len(_labels(workdir, t)) for t in targets)
    log(f"killed with {len(done)} of {total} shards done")
    records = list((workdir / "results/runs").rglob("*.json"))
    for record in records:
        json.loads(record.read_text())  # every record left behind is complete JSON
    leftovers = list((workdir / "results/runs").rglob(".tmp-*"))
    if leftovers:
        log(f"{len(leftovers)} temporary files of killed writes (never read as records)")
    subprocess.run([*SNAKEMAKE, *PRESET, "--unlock"], cwd=workdir, check=True,
                   capture_output=True)
    planned = planned_jobs(workdir, *targets, *LOCAL, "--rerun-incomplete", *PRESET)
    planned = planned.get("sweep_shard", 0)
    # Shards whose job finished after the kill was sent are flagged incomplete and redone.
    if not total - len(done) <= planned <= total - len(done) + 2 or planned == total:
        raise SystemExit(f"re-run plans {planned} shards with {len(done)} of {total} done")
    log(f"re-run plans {planned} shards (of {total}); {len(records)} records kept")
    snakemake(workdir, *targets, *executor, "--rerun-incomplete", *PRESET)
    compare(reference, workdir / "results/smoke",
            names=[str(Path(t).relative_to("results/smoke")) for t in targets])


def _labels(workdir: Path, target: str) -> list[str]:
    from shnn.pipeline.config import load
    from shnn.pipeline.sweeps import shard_labels

    sweep = Path(target).stem
    return shard_labels(load(workdir / "config/smoke.yaml")["sweeps"][sweep])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary copies")
    parser.add_argument("--only", choices=STEPS,
                        help="run just this step (for debugging); default: all, in order")
    args = parser.parse_args()
    steps = [args.only] if args.only else list(STEPS)
    if "SLURM_CONF" not in os.environ:
        raise SystemExit("SLURM_CONF is not set: start the cluster with tests/cluster/slurm_up.sh")
    reference = ROOT / "results/smoke"
    if steps != ["store"] and not (reference / "figures/reproduction_report.csv").exists():
        log("no local smoke run yet: building it (--cores all)")
        snakemake(ROOT, *LOCAL, *PRESET)
    tmp = Path(tempfile.mkdtemp(prefix="shnn-cluster-"))
    try:
        if "smoke" in steps:
            slurm_run = copy_tree(tmp / "slurm")
            run_under_slurm(slurm_run)
            compare(reference, slurm_run / "results/smoke")
        if "store" in steps:
            log("the paper preset's committed store under SLURM")
            store_reused_under_slurm(copy_tree(tmp / "slurm-store"))
        if "interrupt" in steps:
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
